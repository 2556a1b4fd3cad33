"""Understand each column of a text table: numbers, categories, dates, gaps.

The raw cells stay untouched; this module derives, per column, the parsed
values used for clustering and the facts the validation report shows
(missing cells, sentinels such as ``n/a``, non-numeric cells with examples,
decimal commas).
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..io.reader import LineNumbers, one_line_per_row
from .numbers import (
    GENERIC_SENTINELS,
    NUMERIC_ONLY_SENTINELS,
    ParsedNumbers,
    distinct_values,
    may_be_numeric,
    parse_numbers,
    plain_numbers,
)

ColumnKind = Literal["numeric", "text", "date", "empty"]

# "Not informed" in the languages of real exports (RE2 syntax, matched on
# lower-cased text, with and without accents).
_NOT_INFORMED = (
    r"^(n[aã]o informad[oa]s?|not informed|not available|not provided|not specified|"
    r"no information|no data|sem informa[cç]([aã]o|[oõ]es)( .*)?|sem dados|"
    r"sin informaci[oó]n|no informado|desconhecid[oa]|unknown?|non renseign[eé]|"
    r"inconnu|keine angabe)$"
)
# Dates in the forms exports use: 2012-09-04, 04-09-2012, 02/04/22, 2/24/2003 0:00, 04.09.2012,
# 11-Feb-17, 11 Feb 2017, Feb 11, 2017, each with an optional time (12:30, 12:30:05.1, 1:05 PM)
# and time zone (Z, +02:00). Matched case-insensitively; deciding day-first or month-first is
# left to whoever parses the dates, here it only matters that the column holds dates.
_MONTH = (
    r"(jan|feb|f[eé]v|mar|m[aä]r|apr|abr|avr|may|mai|mei|jun|jui|jul|aug|ago|ao[uû]|sep|set|oct|okt|"
    r"out|nov|dec|dez|dic|d[eé]c)[a-zà-ü]*\.?"
)
_TIME = r"([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(\s?[ap]\.?m\.?)?)?(\s?(z|utc|[+-]\d{2}:?\d{2}))?"
_DATE = (
    r"(?i)^(\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}"
    rf"|\d{{1,2}}[-/ .]{_MONTH}[-/ .,]*\d{{2,4}}"
    rf"|{_MONTH}[-/ .]\d{{1,2}}(st|nd|rd|th)?,?[-/ .]\d{{2,4}}"
    rf"|\d{{4}}[-/ .]{_MONTH}[-/ .]\d{{1,2}}){_TIME}$"
)
NUMERIC_SHARE = 0.9
MAX_EXAMPLES = 5


@dataclass
class ColumnInfo:
    """What one column holds, in numbers a report can show.

    ``line`` numbers count the header as line 1, as a spreadsheet does.
    """

    name: str
    kind: ColumnKind
    n_rows: int
    n_empty: int
    sentinels: dict[str, int] = field(default_factory=dict)
    n_non_numeric: int = 0
    non_numeric_examples: list[tuple[int, str]] = field(default_factory=list)
    decimal_comma: bool = False
    thousands_separator: str | None = None
    n_distinct: int = 0
    integer_like: bool = False
    # Facts about whole rows, shared by every column of a table (see ``analyze_table``):
    # this column's cell in a second header row of descriptions, and the blank rows.
    second_header: str | None = None
    blank_rows: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))

    @property
    def n_missing(self) -> int:
        """Cells that give no usable value: empty, sentinel or (numbers) not a number."""
        return self.n_empty + sum(self.sentinels.values()) + self.n_non_numeric

    @property
    def n_present(self) -> int:
        return self.n_rows - self.n_missing

    @property
    def unique_per_row(self) -> bool:
        return self.n_rows > 1 and self.n_missing == 0 and self.n_distinct == self.n_rows

    @property
    def constant(self) -> bool:
        return self.n_distinct == 1


@dataclass
class ParsedColumn:
    """A column's facts plus its values: floats (NaN = missing) or trimmed text (NA = missing).

    ``placeholders`` holds, for a text column with placeholders (``n/a``, ``Não
    informado``), their text where they stand and NA elsewhere, so they can
    become a category of their own when the settings ask for it.
    """

    info: ColumnInfo
    values: np.ndarray | pd.Series
    placeholders: pd.Series | None = None


def analyze_table(
    raw: pd.DataFrame, *, delimiter: str = ",", lines: LineNumbers = one_line_per_row
) -> dict[str, ParsedColumn]:
    """Analyse every column of a text table; see ``analyze_column``.

    Two facts about whole rows are found here, where every column is at hand:
    a second header row (descriptions under the header: text in every numeric
    column of the first row), analysed as if blank so its text becomes neither
    a category nor a "not a number", and blank rows (every cell empty or
    whitespace). Both are recorded in each column's ``info``.
    """
    parsed = _analyze_all(raw, raw.columns, delimiter, lines)
    descriptions = second_header_cells(raw, parsed)
    if descriptions:
        blanked = {name: _blank_first(raw[name]) for name in raw.columns}
        parsed = _analyze_all(pd.DataFrame(blanked, copy=False), raw.columns, delimiter, lines)
        for name, column in parsed.items():
            column.info.n_empty -= 1  # the description row is not a customer's empty cell
            column.info.second_header = descriptions[name]
    blank = blank_rows(raw, parsed)
    for column in parsed.values():
        column.info.blank_rows = blank
    return parsed


def _analyze_all(
    raw: pd.DataFrame, names: pd.Index, delimiter: str, lines: LineNumbers
) -> dict[str, ParsedColumn]:
    # Arrow's compute functions release the GIL, so columns analyse in parallel.
    def analyse(name: str) -> ParsedColumn:
        return analyze_column(name, raw[name], delimiter=delimiter, lines=lines)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return dict(zip(names, pool.map(analyse, names), strict=False))


def _blank_first(cells: pd.Series) -> pd.Series:
    blanked = cells.copy()
    blanked.iloc[0] = ""
    return blanked


def second_header_cells(raw: pd.DataFrame, parsed: dict[str, ParsedColumn]) -> dict[str, str]:
    """The first row's cells when it is a second header row, else an empty dict.

    It is one when at least two columns are numeric and each has text (not a
    number, not a placeholder such as ``n/a``) in the first row: a row of
    column descriptions under the header, as some exports write.
    """
    numeric = [name for name, column in parsed.items() if column.info.kind == "numeric"]
    if len(numeric) < 2 or len(raw) < 3:
        return {}
    for name in numeric:
        cell = raw[name].iloc[0]
        text = "" if pd.isna(cell) else str(cell).strip()
        if not np.isnan(parsed[name].values[0]) or not text or is_placeholder(text):
            return {}
    return {name: "" if pd.isna(raw[name].iloc[0]) else str(raw[name].iloc[0]) for name in raw.columns}


def is_placeholder(text: str) -> bool:
    """Whether a (trimmed) cell is a placeholder for no value, in any column."""
    lowered = text.lower()
    return (
        lowered in GENERIC_SENTINELS
        or lowered in NUMERIC_ONLY_SENTINELS
        or bool(re.match(_NOT_INFORMED, lowered))
    )


def blank_rows(raw: pd.DataFrame, parsed: dict[str, ParsedColumn]) -> np.ndarray:
    """Rows (0-based) whose every cell is empty or whitespace.

    Rows with no value in any parsed column are the candidates (usually none,
    found after a column or two); their raw cells then tell a blank row from a
    row of placeholders.
    """
    candidates: np.ndarray | None = None
    for column in parsed.values():
        values = column.values
        missing = np.isnan(values) if isinstance(values, np.ndarray) else values.isna().to_numpy()
        candidates = missing if candidates is None else candidates & missing
        if not candidates.any():
            return np.empty(0, dtype=np.int64)
    rows = np.flatnonzero(candidates) if candidates is not None else np.empty(0, dtype=np.int64)
    for name in raw.columns:
        cells = raw[name].iloc[rows].astype("string")
        rows = rows[(cells.isna() | (cells.str.strip() == "")).to_numpy(dtype=bool)]
    return rows.astype(np.int64)


def analyze_column(
    name: str, cells: pd.Series, *, delimiter: str = ",", lines: LineNumbers = one_line_per_row
) -> ParsedColumn:
    """Decide whether a column is numeric, text, date or empty, and parse it.

    A column is numeric when at least 90% of its non-missing cells are numbers;
    the remaining cells are reported as non-numeric and treated as missing.
    Decimal commas (``2964,7``) are accepted where the delimiter is not a comma.
    ``lines`` maps rows to file lines for the examples (default: row + 2).
    """
    raw = arrow_text(cells)
    plain = plain_numbers(raw)
    if plain is not None:  # the common case, a clean numeric column: one cast, no regex
        return _numeric(name, len(raw), int(np.isnan(plain).sum()), plain)

    # Each distinct text is checked once (categories and sentinels repeat a lot),
    # then cells are matched against the few distinct texts that are sentinels.
    distinct = _distinct_texts(raw)
    text = raw
    if _padded(distinct):  # otherwise no copy: nothing to trim
        text = pc.utf8_trim_whitespace(raw)
        distinct = _distinct_texts(text)
    n_rows = len(text)
    empty = np.asarray(pc.equal(text, ""), dtype=bool)
    text_flags, number_flags = _sentinel_flags(distinct)
    text_sentinel_mask = _cells_in(text, distinct.filter(pa.array(text_flags)))
    number_sentinel_mask = _cells_in(text, distinct.filter(pa.array(number_flags)))
    allow_comma = delimiter != ","
    if may_be_numeric(text, allow_comma=allow_comma):
        numbers = parse_numbers(text, allow_comma=allow_comma)
    else:
        numbers = ParsedNumbers.none(n_rows)
    number_sentinel_mask &= ~numbers.ok
    candidates = ~empty & ~number_sentinel_mask
    n_candidates = int(candidates.sum())
    if n_candidates and (numbers.ok & candidates).sum() >= NUMERIC_SHARE * n_candidates:
        bad = candidates & ~numbers.ok
        parsed = _numeric(name, n_rows, int(empty.sum()), numbers.values)
        parsed.info.sentinels = _counts(text, number_sentinel_mask)
        parsed.info.n_non_numeric = int(bad.sum())
        parsed.info.non_numeric_examples = _examples(text, bad, lines)
        parsed.info.decimal_comma = numbers.decimal_comma
        parsed.info.thousands_separator = numbers.thousands_separator
        return parsed

    missing = empty | text_sentinel_mask
    kept = pc.if_else(pa.array(missing), pa.scalar(None, pa.string()), text) if missing.any() else text
    real_values = ~text_flags & np.asarray(pc.not_equal(distinct, ""), dtype=bool)
    info = ColumnInfo(
        name=name,
        kind="text",
        n_rows=n_rows,
        n_empty=int(empty.sum()),
        sentinels=_counts(text, text_sentinel_mask),
        n_distinct=int(real_values.sum()),
    )
    if info.n_distinct == 0:
        info.kind = "empty"
    elif _looks_like_dates(kept):
        info.kind = "date"
    values = pd.Series(pd.arrays.ArrowStringArray(kept), index=cells.index)
    return ParsedColumn(info, values, _placeholder_texts(text, text_sentinel_mask, cells.index))


def _placeholder_texts(text: pa.ChunkedArray, mask: np.ndarray, index: pd.Index) -> pd.Series | None:
    if not mask.any():
        return None
    kept = pc.if_else(pa.array(mask), text, pa.scalar(None, pa.string()))
    return pd.Series(pd.arrays.ArrowStringArray(kept), index=index)


def _numeric(name: str, n_rows: int, n_empty: int, values: np.ndarray) -> ParsedColumn:
    missing = np.isnan(values)
    distinct = distinct_values(values[~missing] if missing.any() else values)
    info = ColumnInfo(
        name=name,
        kind="numeric",
        n_rows=n_rows,
        n_empty=n_empty,
        n_distinct=len(distinct),
        integer_like=bool(distinct.size and np.all(np.mod(distinct, 1) == 0)),
    )
    return ParsedColumn(info, values)


def _distinct_texts(text: pa.ChunkedArray) -> pa.Array:
    """The distinct texts, in order of first appearance, without nulls.

    A column whose every text sorts after the one before (identifiers in file
    order, as exports usually list them) repeats none: it is its own list of
    distinct texts, found with one comparison per cell instead of a hash table
    of a million strings.
    """
    if len(text) > 1 and text.null_count == 0 and pc.all(pc.less(text[:-1], text[1:])).as_py():
        return text.combine_chunks()
    return pc.unique(text).drop_null()


# What RE2's \s matches: the whitespace a padded cell starts or ends with.
_PADDING_BYTES = np.zeros(256, dtype=bool)
_PADDING_BYTES[list(b" \t\n\f\r")] = True


def _padded(texts: pa.Array | pa.ChunkedArray) -> bool:
    """Whether any cell starts or ends with whitespace.

    Looks at each cell's first and last byte in Arrow's buffers: a million
    identifiers take milliseconds, where a regex takes tens. Other layouts
    (string views) are read as large strings first.
    """
    for chunk in texts.chunks if isinstance(texts, pa.ChunkedArray) else [texts]:
        if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
            chunk = chunk.cast(pa.large_string())
        data = chunk.buffers()[2]
        if data is None or len(chunk) == 0:
            continue
        width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        offsets: np.ndarray = np.frombuffer(chunk.buffers()[1], dtype=width)
        offsets = offsets[chunk.offset : chunk.offset + len(chunk) + 1]
        starts, ends = offsets[:-1], offsets[1:]
        filled = ends > starts
        if chunk.null_count:
            filled &= np.asarray(chunk.is_valid(), dtype=bool)
        data = np.frombuffer(data, dtype=np.uint8)
        if _PADDING_BYTES[data[starts[filled]]].any() or _PADDING_BYTES[data[ends[filled] - 1]].any():
            return True
    return False


def arrow_text(cells: pd.Series) -> pa.ChunkedArray:
    """A text column as Arrow strings (missing = null).

    Zero-copy when pandas holds Arrow strings already: ``pa.array`` takes them
    through the public ``__arrow_array__`` protocol, chunks as they are.
    """
    if not (isinstance(cells.dtype, pd.StringDtype) and cells.dtype.storage == "pyarrow"):
        cells = cells.astype(pd.StringDtype("pyarrow"))
    array = pa.array(cells.array)
    return array if isinstance(array, pa.ChunkedArray) else pa.chunked_array([array])


def _cells_in(text: pa.ChunkedArray, values: pa.Array) -> np.ndarray:
    """Which cells equal one of ``values`` (a short list)."""
    if len(values) == 0:
        return np.zeros(len(text), dtype=bool)
    return np.asarray(pc.is_in(text, value_set=values), dtype=bool)


def _counts(text: pa.ChunkedArray, mask: np.ndarray) -> dict[str, int]:
    if not mask.any():
        return {}
    counts = pc.value_counts(pc.filter(text, pa.array(mask)))
    pairs = zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist(), strict=False)
    return dict(sorted(pairs, key=lambda pair: -pair[1]))


def _sentinel_flags(dictionary: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Which distinct texts stand for "no value": (in text columns, in numeric columns)."""
    lowered = pc.utf8_lower(dictionary)
    generic = np.asarray(
        pc.or_(
            pc.is_in(lowered, value_set=pa.array(sorted(GENERIC_SENTINELS))),
            pc.match_substring_regex(lowered, _NOT_INFORMED),
        ),
        dtype=bool,
    )
    numeric_only = np.asarray(
        pc.is_in(lowered, value_set=pa.array(sorted(NUMERIC_ONLY_SENTINELS))), dtype=bool
    )
    return generic, generic | numeric_only


def _examples(text: pa.ChunkedArray, mask: np.ndarray, lines: LineNumbers) -> list[tuple[int, str]]:
    rows = np.flatnonzero(mask)[:MAX_EXAMPLES]
    return [(int(line), text[int(row)].as_py()) for line, row in zip(lines(rows), rows, strict=False)]


def _looks_like_dates(values: pa.ChunkedArray, sample: int = 500) -> bool:
    head = pc.drop_null(values.slice(0, 50 * sample)).slice(0, sample)
    if len(head) == 0:
        return False
    return pc.mean(pc.match_substring_regex(head, _DATE).cast(pa.int8())).as_py() >= NUMERIC_SHARE
