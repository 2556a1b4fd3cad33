"""The catalogue of findings: every problem and error the product reports, by stable code.

Modelled on frictionless-py's error catalogue: a finding is a small object with
a stable ``code`` (what tests, the CLI and the pages group and count by) and a
message built from the code's template (what people read). Wording can change
freely; codes do not.

Each part of the core adds its codes in its own section of ``CATALOGUE``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Kind:
    """One entry of the catalogue: a code, how serious it is, a heading and a message template.

    ``template`` is a ``str.format`` template over the fields the reporting code passes.
    """

    code: str
    severity: Severity
    title: str
    template: str


_KINDS = (
    # ---------------------------------------------------------------- reading a file
    Kind("file-missing", "error", "File not found", "Cannot open {path!r}: {reason}."),
    Kind("file-unreadable", "error", "File not readable", "Cannot read {path!r}: {reason}."),
    Kind(
        "file-too-large",
        "error",
        "File too large",
        "The file is {size_mb:,.0f} MB, more than the limit of {limit_mb:,.0f} MB. "
        "Keep only the columns you need, or split the file.",
    ),
    Kind(
        "file-empty",
        "error",
        "Empty file",
        "The file is empty. Choose a CSV export with a header row and one row per customer.",
    ),
    Kind(
        "excel-workbook",
        "error",
        "Excel workbook",
        "This looks like an Excel workbook, not a CSV file. "
        "In Excel choose File › Save As › CSV, then upload the CSV.",
    ),
    Kind(
        "binary-file",
        "error",
        "Not a text file",
        "This file does not look like a CSV text file (it contains binary data). "
        "Export your customer table as CSV (comma- or semicolon-separated) and upload that.",
    ),
    Kind(
        "no-header",
        "error",
        "No header row",
        "The file has no header row. Put the column names in the first line and try again.",
    ),
    Kind(
        "no-rows",
        "error",
        "No customer rows",
        "The file has a header row but no customer rows. "
        "Export the table again with its data, one row per customer.",
    ),
    Kind(
        "unclosed-quote",
        "error",
        "Unreadable table",
        "The file cannot be read as a table near line {line} ({detail}). "
        'This usually means a quote (") opens a cell that is never closed. '
        "Check that line, or export the file again as CSV.",
    ),
    Kind(
        "unknown-encoding",
        "error",
        "Unknown encoding",
        "{name!r} is not an encoding this product reads. Choose one of: {choices}.",
    ),
    Kind(
        "encoding-mismatch",
        "error",
        "Wrong encoding",
        "The file cannot be read as {encoding} (byte {position:,} is not valid in it). "
        "Choose another encoding, or let it be detected.",
    ),
    # ---------------------------------------------------------------- choosing features
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
        "(add {pronoun} to the features, or use --include-outcomes, to segment on {pronoun}).",
    ),
    Kind("left-out", "info", "Columns left out", "{column}: left out — {reason}."),
    # ---------------------------------------------------------------- checking the feature columns
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
    # ---------------------------------------------------------------- large tables (Parquet, Spark)
    Kind(
        "parquet-unreadable",
        "error",
        "Parquet unreadable",
        "{path!r} cannot be read as Parquet ({reason}). Give a Parquet file or a folder of Parquet files.",
    ),
    Kind(
        "spark-missing",
        "error",
        "Spark unavailable",
        "Spark cannot run here ({reason}). Install it with `pip install -r requirements-spark.txt` "
        "(it needs Java 17 or newer), or score locally without --engine spark.",
    ),
    # ---------------------------------------------------------------- command line
    Kind(
        "bad-option",
        "error",
        "Bad option",
        "{detail}",
    ),
    # ---- model files and scoring
    Kind(
        "model-not-skops",
        "error",
        "Not a model file",
        "{name} is not a model file saved by this tool (skops format){hint}. It was not opened: "
        "pickle and joblib files can run code when opened, so they are refused.",
    ),
    Kind(
        "model-untrusted",
        "error",
        "Model file refused",
        "{name} holds types a model file may not hold ({types}). It was not opened, and nothing in it ran.",
    ),
    Kind(
        "model-unreadable",
        "error",
        "Model file unreadable",
        "{name} cannot be read as a model file: {reason}. Save the model again from the dashboard or "
        "with `segment --save-model`.",
    ),
    Kind(
        "model-feature-missing",
        "error",
        "Feature missing",
        "The file has no column for the model's feature {column!r} (any spelling is accepted, e.g. "
        "{example!r}). Its columns are: {columns}.",
    ),
    Kind(
        "model-feature-not-numeric",
        "error",
        "Feature not numeric",
        "Column {column!r} should hold numbers for the model, but most of its cells are not numbers.",
    ),
    Kind(
        "extra-columns",
        "info",
        "Columns not used by the model",
        "Not used by the model, ignored: {columns}.",
    ),
    Kind(
        "unknown-category-scored",
        "warning",
        "Categories the model has not seen",
        "{column}: {cells} a value the model has not seen, e.g. {examples}; these customers are scored "
        "with no category.",
    ),
    Kind(
        "rows-not-scored",
        "warning",
        "Customers not scored",
        "{n:,} customers could not be scored ({reason}); their segment is empty and segment_note says why.",
    ),
    # ---------------------------------------------------------------- order lines
    Kind(
        "orders-no-mapping",
        "error",
        "Not order lines",
        "No customer column and date column were found, so this file cannot be summarised per customer. "
        "Name them (e.g. --customer CUSTOMER --date DATE).",
    ),
    Kind(
        "orders-quantity-price",
        "error",
        "Quantity without price",
        "A line's value needs both a quantity and a unit price column (or one amount column).",
    ),
    Kind(
        "orders-not-numbers",
        "error",
        "Not numbers",
        "The {role} column {column!r} does not hold numbers. Choose another column for the {role}.",
    ),
    Kind(
        "orders-not-dates",
        "error",
        "Not dates",
        "Most cells of {column!r} are not dates (e.g. {examples}). Choose the column with the order dates.",
    ),
    Kind(
        "orders-no-lines",
        "error",
        "No order line",
        "No order line has both a customer ({customer!r}) and a date ({date!r}) and is a purchase, "
        "so there is no customer to summarise.",
    ),
    Kind(
        "orders-bad-as-of",
        "error",
        "Bad reference date",
        "The reference date {value!r} is not a date; write it as YYYY-MM-DD.",
    ),
    Kind("orders-dates-read", "info", "Order dates", "{column}: {how}."),
    Kind(
        "orders-no-key",
        "warning",
        "Lines without a customer",
        "{n:,} order lines have no {column!r} value; they are left out of the customers.",
    ),
    Kind(
        "orders-no-date",
        "warning",
        "Lines without a date",
        "{n:,} order lines have no readable {column!r} date ({examples}); they are left out.",
    ),
    Kind(
        "orders-cancelled",
        "warning",
        "Cancelled orders",
        "{n:,} order lines are cancelled or returned according to {column!r}: they are not counted as "
        "orders and their amount ({amount:,.2f}) is not counted in monetary.",
    ),
    Kind(
        "orders-returns",
        "warning",
        "Returns and credit notes",
        "{n:,} order lines are returns or credit notes (invoice starting with C, or a negative quantity "
        "or amount): they are not counted as orders and their amount ({amount:,.2f}) is subtracted "
        "from monetary.",
    ),
    Kind(
        "orders-only-returns",
        "warning",
        "Customers without a purchase",
        "{n:,} customers have only cancellations or returns ({n_lines:,} lines); they are left out.",
    ),
    Kind(
        "orders-no-amount",
        "info",
        "No amounts",
        "The file has no amount column (nor quantity and unit price): monetary value and average order "
        "value are left out.",
    ),
    Kind(
        "orders-amount-missing",
        "warning",
        "Lines without an amount",
        "{n:,} order lines have no amount; they count as orders with a value of 0.",
    ),
)

CATALOGUE: dict[str, Kind] = {kind.code: kind for kind in _KINDS}


def message(code: str, /, **fields: object) -> str:
    """The message of ``code`` with its template filled from ``fields``."""
    return CATALOGUE[code].template.format(**fields)


@dataclass(frozen=True)
class Problem:
    """One finding about the data, phrased for the person who owns the file.

    Data problems that still allow segmentation are collected as problems
    (in ``ValidationReport.problems`` and ``FeatureSelection.notes``) rather
    than raised; pages and the CLI group and count them by ``code``.

    Attributes
    ----------
    code : str
        The stable code of the finding in ``CATALOGUE``, e.g. ``"empty-cells"``.
    message : str
        The text shown to the user, built from the code's template.
    column : str or None
        The column it concerns, if one.
    count : int
        How many cells or rows it concerns.
    lines : tuple of int
        Where some of them are in the file (line 1 is the header), when known.
    severity : {"error", "warning", "info"}
        From the catalogue.
    title : str
        The catalogue's short heading for the code.

    Examples
    --------
    >>> from segmentation import Problem
    >>> problem = Problem.of("left-out", column="email", reason="free text")
    >>> problem.message, problem.severity
    ('email: left out — free text.', 'info')
    """

    code: str
    message: str
    column: str | None = None
    count: int = 0
    lines: tuple[int, ...] = ()

    @property
    def severity(self) -> Severity:
        """How serious the finding is: ``"error"``, ``"warning"`` or ``"info"``."""
        return CATALOGUE[self.code].severity

    @property
    def title(self) -> str:
        """The catalogue's short heading for the code."""
        return CATALOGUE[self.code].title

    @classmethod
    def of(
        cls, code: str, /, *, column: str | None = None, count: int = 0, lines: tuple[int, ...] = (), **fields
    ) -> Problem:
        """A problem of kind ``code``; ``fields`` (and ``column``) fill its template."""
        if column is not None:
            fields["column"] = column
        return cls(code, message(code, **fields), column, count, tuple(lines))


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 row``, ``2 rows``, ``1,234 cells``: a count with its noun in the right number."""
    noun = singular if count == 1 else (plural_form or f"{singular}s")
    return f"{count:,} {noun}"


def number_text(value: float) -> str:
    """A number as people write it, never in scientific notation: 43,148,600,000, 2,594, 0.3402."""
    if value == int(value) or abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def line_list(lines: tuple[int, ...] | list[int], total: int) -> str:
    """``line 7``, ``lines 3, 9 and 12`` or ``lines 3, 9, 12, ... (and 10 more)`` for a message."""
    shown = [f"{line:,}" for line in lines]
    if len(shown) == 1 and total == 1:
        return f"line {shown[0]}"
    more = total - len(shown)
    if more > 0:
        return f"lines {', '.join(shown)} and {more:,} more"
    return f"lines {', '.join(shown[:-1])} and {shown[-1]}" if len(shown) > 1 else f"lines {shown[0]}"


def group_by_code(problems: list[Problem]) -> dict[str, list[Problem]]:
    """Problems grouped by code, in the order each code first appears."""
    groups: dict[str, list[Problem]] = {}
    for problem in problems:
        groups.setdefault(problem.code, []).append(problem)
    return groups
