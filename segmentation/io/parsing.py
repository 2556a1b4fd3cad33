"""UTF-8 CSV text to a table of exact text cells.

Arrow parses clean files fast (also straight from a path, so a large file is
never held whole); the csv module is the forgiving path for rows whose width
differs from the header's. Either way every cell is kept as text, ``""`` for
empty, and the header is read as a record of its own.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ..report.errors import SegmentationError


def first_record(sample: str, delimiter: str) -> list[str]:
    """The header: the first non-blank record of the sample, cell for cell."""
    try:
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        return next((row for row in reader if row), [])
    except csv.Error:
        return sample.splitlines()[0].split(delimiter) if sample else []


def working_names(header: list[str]) -> tuple[list[str], dict[str, str]]:
    """Non-empty, unique column names for use inside the product, and every change made.

    The header itself stays data: outputs write the original cells, these
    names only label the columns while the product works on them.
    """
    names: list[str] = []
    renamed: dict[str, str] = {}
    seen: Counter[str] = Counter()
    for position, name in enumerate(header, start=1):
        new = name.strip() or f"column_{position}"
        seen[new] += 1
        if seen[new] > 1:
            new = f"{new}_{seen[new]}"
            while new in seen:
                new += "_"
            seen[new] += 1
        if new != name:
            renamed[name if name not in renamed else f"{name} (column {position})"] = new
        names.append(new)
    return names, renamed


def read_arrow(
    source: str | io.BytesIO, delimiter: str, names: list[str], *, newlines_in_values: bool
) -> pd.DataFrame | None:
    """Every cell as exact text (no nulls, no type guessing), or None when a row's width differs.

    The header is read as the first record and dropped here, rather than skipped
    with ``skip_rows``: that option counts physical lines, so a blank line before
    the header or a quoted header name spanning two lines would turn the header
    (or half of it) into a customer row.
    """
    ragged: list[object] = []

    def remember(row: object) -> str:
        ragged.append(row)
        return "skip"

    table = pacsv.read_csv(
        source,
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter, newlines_in_values=newlines_in_values, invalid_row_handler=remember
        ),
        # Small blocks keep the parser's working memory small (and are no slower).
        read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 20),
        convert_options=pacsv.ConvertOptions(
            # large_string is what pandas holds: reading it directly saves a converted copy.
            column_types={name: pa.large_string() for name in names},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            null_values=[],
        ),
    )
    return None if ragged else table.slice(1).to_pandas(types_mapper=_string_dtype)


def parse(data: bytes, delimiter: str, names: list[str]) -> tuple[pd.DataFrame, list[int]]:
    """Parse UTF-8 bytes with Arrow (fast); fall back to the csv module for ragged rows.

    Returns the cells and the lines of rows whose width differed from the header's.
    """
    try:
        # Multi-line quoted cells need the slower parser mode; only pay for it
        # when the file has quotes at all.
        raw = read_arrow(io.BytesIO(data), delimiter, names, newlines_in_values=b'"' in data)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raw = None
    return (raw, []) if raw is not None else parse_python(data, delimiter, names)


def _string_dtype(arrow_type: pa.DataType) -> pd.api.extensions.ExtensionDtype | None:
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return pd.StringDtype("pyarrow")
    return None


def parse_python(data: bytes, delimiter: str, names: list[str]) -> tuple[pd.DataFrame, list[int]]:
    """Slow, forgiving path: pad short rows, keep extra fields in extra columns."""
    text = data.decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    rows: list[list[str]] = []
    ragged: list[int] = []
    width = len(names)
    try:
        next((row for row in reader if row), None)  # the header, after any blank lines
        for row in reader:
            if not row:
                continue
            if len(row) != len(names):
                ragged.append(reader.line_num)
                width = max(width, len(row))
            rows.append(row)
    except csv.Error as exc:  # e.g. a cell over the csv module's field size limit
        raise SegmentationError("unclosed-quote", line=reader.line_num, detail=exc) from None
    extra = (f"extra_column_{i}" for i in range(1, width + 1))  # names the header does not use
    all_names = names + [name for name in extra if name not in names][: width - len(names)]
    padded = [row + [""] * (width - len(row)) for row in rows]
    frame = pd.DataFrame(padded, columns=all_names, dtype=pd.StringDtype("pyarrow"))
    return frame, ragged
