"""Checking the feature columns: gaps, placeholders, text in numbers, extremes, header rows."""

from ..kinds import Kind

KINDS = (
    Kind(
        "no-usable-feature",
        "error",
        "No usable column",
        "No column can be used to segment customers: segmentation needs at least one column of "
        "numbers (such as income, age or spend) or of a few categories. What was found: {reasons}. "
        "Check that the file is a customer table with one row per customer.",
    ),
    Kind(
        "too-few-rows",
        "error",
        "Too few customers",
        "Only {rows} can be used, fewer than the {n_clusters} segments asked for. "
        "Choose fewer segments or use a file with more customers.{hint}",
    ),
    Kind(
        "blank-rows",
        "warning",
        "Blank rows",
        "{rows} (every cell empty) at {where}; left out of the segments.",
    ),
    Kind(
        "second-header",
        "warning",
        "Second header row",
        "Line {line} holds text under the header in every numeric column ({examples}): read as a "
        "second header row of column descriptions, not a customer; left out of the segments.",
    ),
    Kind(
        "extreme-rows",
        "warning",
        "Extreme values",
        "{column}: {rows} far outside the rest ({examples}; typical values {low} to {high}); {action}.",
    ),
    Kind(
        "likely-sentinel",
        "warning",
        "Likely codes for no value",
        "{column}: {value} in {cells} looks like a code for \u201cno value\u201d rather than a "
        "real value ({why}); it is used as a number. If it means unknown, replace it with an empty "
        "cell, or leave the column out.",
    ),
    Kind("empty-cells", "warning", "Empty cells", "{column}: {cells} empty; {action}."),
    Kind(
        "placeholder",
        "warning",
        "Placeholders for no value",
        "{column}: {cells} {value!r}, {handling}; {action}.",
    ),
    Kind(
        "not-a-number",
        "warning",
        "Text in a numeric column",
        "{column}: {cells} not numbers ({examples}), read as missing; {action}.",
    ),
    Kind(
        "unknown-category",
        "warning",
        "Unknown categories",
        "{column}: {cells} not a known category, e.g. {examples}. Known categories are {allowed}; "
        "these customers get no category.",
    ),
    Kind(
        "decimal-comma",
        "info",
        "Decimal commas",
        "{column}: decimal commas read as decimal points (2964,7 = 2964.7).",
    ),
    Kind(
        "thousands-separator",
        "info",
        "Thousands separators",
        "{column}: thousands separators ignored ({example}).",
    ),
)
