"""Reusing a model: the skops model file, scoring new customers, drift, numbering like a saved model."""
