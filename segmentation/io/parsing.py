"""UTF-8 CSV text to a table of exact text cells.

Arrow parses clean files fast (also straight from a path, so a large file is
never held whole); the csv module is the forgiving path for rows whose width
differs from the header's. Either way every cell is kept as text, ``""`` for
empty, and the header is read as a record of its own.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
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
    source: str | io.BytesIO,
    delimiter: str,
    names: list[str],
    *,
    newlines_in_values: bool,
    literal_quotes: bool = False,
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
            delimiter=delimiter,
            quote_char=False if literal_quotes else '"',
            newlines_in_values=newlines_in_values and not literal_quotes,
            invalid_row_handler=remember,
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


def parse(
    data: bytes, delimiter: str, names: list[str], *, literal_quotes: bool = False
) -> tuple[pd.DataFrame, list[int]]:
    """Parse UTF-8 bytes with Arrow (fast); fall back to the csv module for ragged rows.

    Returns the cells and the lines of rows whose width differed from the header's.
    ``literal_quotes`` reads ``"`` as an ordinary character (for a file with a stray quote).
    """
    try:
        # Multi-line quoted cells need the slower parser mode; only pay for it
        # when the file has quotes at all.
        raw = read_arrow(
            io.BytesIO(data), delimiter, names, newlines_in_values=b'"' in data, literal_quotes=literal_quotes
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raw = None
    return (
        (raw, []) if raw is not None else parse_python(data, delimiter, names, literal_quotes=literal_quotes)
    )


def _string_dtype(arrow_type: pa.DataType) -> pd.api.extensions.ExtensionDtype | None:
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return pd.StringDtype("pyarrow")
    return None


def parse_python(
    data: bytes, delimiter: str, names: list[str], *, literal_quotes: bool = False
) -> tuple[pd.DataFrame, list[int]]:
    """Slow, forgiving path: pad short rows, keep extra fields in extra columns."""
    text = data.decode("utf-8")
    source = io.StringIO(text, newline="")
    with _field_limit(len(text)):
        if literal_quotes:
            return _parse_rows(
                csv.reader(source, delimiter=delimiter, strict=False, quoting=csv.QUOTE_NONE), names
            )
        return _parse_rows(csv.reader(source, delimiter=delimiter, strict=False), names)


@contextlib.contextmanager
def _field_limit(size: int) -> Iterator[None]:
    """Let the csv module read a cell as long as the file (its default limit is 128 KiB), then restore it."""
    before = csv.field_size_limit()
    csv.field_size_limit(max(before, size))
    try:
        yield
    finally:
        csv.field_size_limit(before)


def _parse_rows(reader: Any, names: list[str]) -> tuple[pd.DataFrame, list[int]]:
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


# A cell that takes in this many lines, most of them shaped like rows of the table,
# is a quote left open rather than a long note.
RUNAWAY_LINES = 3
RUNAWAY_SHARE = 0.5


@dataclass(frozen=True)
class RunawayQuote:
    """A cell opened by a quote that ran on over lines shaped like rows: which row, and how far."""

    row: int
    n_lines: int
    n_like_rows: int


def runaway_quote(raw: pd.DataFrame, delimiter: str) -> RunawayQuote | None:
    """The first cell that spans many lines which split into the table's width, or None.

    A well-formed note with line breaks (even a huge one) has lines of prose;
    a quote left open swallows the following records, whose lines still split
    into as many fields as the header has.
    """
    width = raw.shape[1]
    if width < 2:
        return None
    found: RunawayQuote | None = None
    for name in raw.columns:
        breaks = pc.count_substring(pa.array(raw[name]), "\n")
        most = pc.max(breaks).as_py() or 0
        if most + 1 < RUNAWAY_LINES:
            continue
        row = int(pc.index(breaks, most).as_py())
        lines = str(raw[name].iloc[row]).split("\n")
        like_rows = sum(1 for line in lines[1:] if line.count(delimiter) >= width - 1)
        if like_rows >= RUNAWAY_SHARE * (len(lines) - 1) and (found is None or row < found.row):
            found = RunawayQuote(row, len(lines), like_rows)
    return found
