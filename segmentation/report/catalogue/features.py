"""Choosing features: columns left out and why, order lines noticed."""

from ..kinds import Kind

KINDS = (
    Kind(
        "unknown-column",
        "error",
        "Unknown column",
        "The file has no column named {names}. Its columns are: {columns}.",
    ),
    Kind("no-feature-chosen", "error", "No feature", "Choose at least one feature column to segment on."),
    Kind(
        "empty-feature",
        "error",
        "Empty feature",
        "Column {column!r} has no values, so it cannot be a feature.",
    ),
    Kind(
        "too-many-categories",
        "error",
        "Too many categories",
        "Column {column!r} is text with {n_distinct:,} different values; a category can have at most "
        "{limit}. Leave it out of the features.",
    ),
    Kind(
        "order-lines",
        "warning",
        "Order lines, not customers",
        "Customers appear on several rows: {column!r} has {n_distinct:,} different values over "
        "{n_rows:,} rows{evidence}. This looks like order lines rather than one row per customer, so "
        "segments would group order lines. Use \u201cBuild one row per customer\u201d (the order-lines "
        "route) to summarise the file per customer (recency, number of orders, total spent), "
        "then segment that table.",
    ),
    Kind(
        "outcome-columns",
        "info",
        "Outcome columns",
        "{columns}: outcome {noun}, left out of the features and shown per segment instead "
        "(add {pronoun} to the features to segment on {pronoun}).",
    ),
    Kind("left-out", "info", "Columns left out", "{column}: left out — {reason}."),
)
