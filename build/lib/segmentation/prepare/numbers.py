"""Numbers written as text (plain, decimal-comma, grouped) read exactly over Arrow arrays, and texts for "no value"."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Texts that stand for "no value". Lower-cased, after trimming.
GENERIC_SENTINELS = frozenset(
    {"n/a", "n.a.", "#n/a", "null", "none", "nan", "?", "-", "--", "missing", "(blank)"}
)
# In a numeric column ``NA`` can only mean "not available"; in a text column it
# may be real data (North America), so it is a sentinel for numbers only.
NUMERIC_ONLY_SENTINELS = frozenset({"na", "n.d.", "nd"})
ALL_SENTINELS = pa.array(sorted(GENERIC_SENTINELS | NUMERIC_ONLY_SENTINELS))
_SAMPLE = 2_000
_DISTINCT_SAMPLE = 10_000
_ALL_NEW_SHARE = 0.99  # share of new values in that sample above which values hardly repeat
_DOT_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"


_COMMA_NUMBER = r"^[+-]?\d*,\d+$"


# Thousands grouped by dots with a decimal comma (1.234.567,89), or by commas with a decimal point (1,234.56).
_DOT_GROUPED = r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$"


_COMMA_GROUPED = r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$"


def distinct_values(values: np.ndarray) -> np.ndarray:
    """The distinct values (in no particular order).

    A hash table is the faster way while values repeat, even a little: half
    the time of sorting for ages and counts, and for incomes or amounts where
    a million rows hold tens of thousands of values. Only where nearly every
    value in an even sample is new (measurements, random ids) does sorting a
    copy win, and it needs far less memory than a hash table of a million
    different floats. Values in increasing order (identifiers in file order)
    repeat none and are returned as they are.
    """
    if values.size > 1 and np.all(values[1:] > values[:-1]):
        return values
    sample = values[:: max(1, values.size // _DISTINCT_SAMPLE)]
    if len(pd.unique(sample)) < _ALL_NEW_SHARE * len(sample):
        return pd.unique(values)
    ordered = np.sort(values)
    if ordered.size < 2:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def plain_numbers(raw: pa.ChunkedArray) -> np.ndarray | None:
    """Floats (NaN for empty cells) when every other cell is a plain finite number, else None.

    A sample is tried first so a text column fails fast.
    """
    empty = pc.equal(raw, "")
    # Only copy the column to null its empty cells when it has any.
    empty_as_null = pc.if_else(empty, pa.scalar(None, pa.string()), raw) if pc.any(empty).as_py() else raw
    try:
        pc.cast(empty_as_null.slice(0, _SAMPLE), pa.float64())
        numbers = pc.cast(empty_as_null, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if numbers.null_count == len(numbers):
        return None  # no value at all: an empty column, not a numeric one
    values = numbers.to_numpy(zero_copy_only=False)
    if np.isfinite(values).sum() != len(values) - numbers.null_count:
        return None  # "nan" or "inf" written as text: the careful path reports them
    return values


def may_be_numeric(text: pa.ChunkedArray, *, allow_comma: bool) -> bool:
    """Whether at least half of a sample of the filled, non-sentinel cells look like numbers.

    Saves the full-column number regexes on text columns such as names and IDs.
    """
    sample = text.slice(0, _SAMPLE)
    lowered = pc.utf8_lower(sample)
    filled = pc.and_(pc.not_equal(sample, ""), pc.invert(pc.is_in(lowered, value_set=ALL_SENTINELS)))
    sample = pc.filter(sample, filled)
    if len(sample) == 0:
        return True
    patterns = [_DOT_NUMBER, _COMMA_GROUPED] + ([_COMMA_NUMBER, _DOT_GROUPED] if allow_comma else [])
    looks = pc.match_substring_regex(sample, "|".join(f"({pattern})" for pattern in patterns))
    return pc.sum(looks).as_py() >= 0.5 * len(sample)


@dataclass
class ParsedNumbers:
    """The cells of a column read as numbers: values (NaN where not a number) and how."""

    values: np.ndarray
    ok: np.ndarray
    decimal_comma: bool = False
    thousands_separator: str | None = None

    @classmethod
    def none(cls, n: int) -> ParsedNumbers:
        return cls(np.full(n, np.nan), np.zeros(n, dtype=bool))


def parse_numbers(text: pa.ChunkedArray, *, allow_comma: bool) -> ParsedNumbers:
    """Read numbers written with a decimal point, a decimal comma (``allow_comma``) or thousands separators.

    A cell such as ``1.234`` or ``1,234`` can be read two ways; it takes the
    column's convention, shown by cells that can only be read one way
    (``12,5`` or ``1.234,5``: decimal comma; ``1,234.5``: comma thousands).
    Without such evidence, or with both, the decimal point wins as before.
    """
    n = len(text)

    def matches(pattern: str) -> np.ndarray:
        return np.asarray(pc.match_substring_regex(text, pattern), dtype=bool)

    dot_ok = matches(_DOT_NUMBER)
    comma_ok = matches(_COMMA_NUMBER) if allow_comma else np.zeros(n, dtype=bool)
    dot_grouped = matches(_DOT_GROUPED) if allow_comma else np.zeros(n, dtype=bool)
    comma_grouped = matches(_COMMA_GROUPED)
    # In a comma-separated file a comma inside a number can only group thousands.
    comma_thousands = (comma_grouped & ~comma_ok).any() if allow_comma else comma_grouped.any()
    comma_decimals = (comma_ok & ~comma_grouped).any() or (dot_grouped & ~dot_ok).any()
    grouped, separator = np.zeros(n, dtype=bool), None
    if comma_decimals and not comma_thousands:
        grouped, separator = dot_grouped, "."
    elif comma_thousands and not comma_decimals:
        grouped, separator = comma_grouped, ","
    dot_ok, comma_ok = dot_ok & ~grouped, comma_ok & ~grouped
    usable = dot_ok | comma_ok | grouped
    if not usable.any():
        return ParsedNumbers.none(n)
    normalised = pc.replace_substring(text, ",", ".")
    if separator is not None:
        ungrouped = pc.replace_substring(text, separator, "")
        if separator == ".":
            ungrouped = pc.replace_substring(ungrouped, ",", ".")
        normalised = pc.if_else(pa.array(grouped), ungrouped, normalised)
    masked = pc.if_else(pa.array(usable), normalised, pa.scalar(None, pa.string()))
    numbers = pc.cast(masked, pa.float64()).to_numpy(zero_copy_only=False)
    finite = np.isfinite(numbers)
    ok = usable & finite
    grouped &= finite
    return ParsedNumbers(
        values=np.where(ok, numbers, np.nan),
        ok=ok,
        decimal_comma=bool((comma_ok & finite).any()),
        thousands_separator=separator if grouped.any() else None,
    )
