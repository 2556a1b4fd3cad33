"""Preparing: what each column holds, its role, the features proposed, and the model input of every row."""
