"""Modelling: the settings, the fitted KMeans pipeline, per-segment profiles and names, and choosing k."""
