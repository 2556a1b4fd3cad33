"""Read a column of dates in the forms exports use, and say how it was read.

ISO (``2017-02-11``, with or without a time), ``11-Feb-17``, ``2/24/2003 0:00``,
``02/04/22`` and ``24.02.2003``. Whether ``02/04/22`` is the 2nd of April or
the 4th of February is decided by evidence: a first number over 12 means day
first, a second number over 12 means month first. Without evidence the column
is read month first and the result says it was ambiguous, so the caller can
report it (and offer the other reading).

Each distinct text is parsed once: order lines repeat the same dates many
times, so a million cells usually hold a few thousand dates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Time of day after the date, in the forms exports write it.
_TIME = r"([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?"
# Fractions of a second and a time zone are read past (the local time of the export is kept).
_TIME_OF_DAY = r"[ T](?P<h>\d{1,2}):(?P<m>\d{2}):?(?P<s>\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?$"
_SAMPLE = 5_000
LOOKS_SHARE = 0.9


@dataclass(frozen=True)
class DateLayout:
    """One way of writing a date: a name for people, a regex (RE2) and a strptime format.

    ``day_first`` is True or False for layouts that can be confused with their
    mirror (``02/04/22``), None for unambiguous ones (ISO, month names).
    """

    name: str
    pattern: str
    format: str
    day_first: bool | None = None


_D, _Y4, _Y2, _MON = r"\d{1,2}", r"\d{4}", r"\d{2}", r"[A-Za-z]{3}"
LAYOUTS: tuple[DateLayout, ...] = (
    DateLayout("ISO (year-month-day)", rf"{_Y4}-{_D}-{_D}", "%Y-%m-%d"),
    DateLayout("year/month/day", rf"{_Y4}/{_D}/{_D}", "%Y/%m/%d"),
    DateLayout("day-month name-year (11-Feb-17)", rf"{_D}-{_MON}-{_Y2}", "%d-%b-%y"),
    DateLayout("day-month name-year (11-Feb-2017)", rf"{_D}-{_MON}-{_Y4}", "%d-%b-%Y"),
    DateLayout("day month name year (11 Feb 2017)", rf"{_D} {_MON} {_Y4}", "%d %b %Y"),
    *(
        DateLayout(f"{order} ({example})", rf"{_D}{re_sep}{_D}{re_sep}{year_re}", fmt, day_first)
        for sep, re_sep in (("/", "/"), ("-", "-"), (".", r"\."))
        for year_re, year_fmt, year_ex in ((_Y4, "%Y", "2003"), (_Y2, "%y", "03"))
        for order, fmt, example, day_first in (
            ("month first", f"%m{sep}%d{sep}{year_fmt}", f"2{sep}24{sep}{year_ex}", False),
            ("day first", f"%d{sep}%m{sep}{year_fmt}", f"24{sep}2{sep}{year_ex}", True),
        )
    ),
)


@dataclass(frozen=True)
class ParsedDates:
    """Dates read from a text column, and how.

    Attributes
    ----------
    values : numpy.ndarray
        ``datetime64[ns]``, one per cell; ``NaT`` for empty cells and cells that are not dates.
    layout : DateLayout or None
        The layout chosen for the column; None when no layout fits.
    ambiguous : bool
        True when the day and month could not be told apart (no number over 12) and
        the layout's order was assumed.
    n_failed : int
        Non-empty cells that are not dates in this layout.
    n_empty : int
        Empty or missing cells.
    failed_examples : tuple of str
        A few of the cells that failed, for messages.
    """

    values: np.ndarray
    layout: DateLayout | None
    ambiguous: bool
    n_failed: int
    n_empty: int
    failed_examples: tuple[str, ...] = ()

    @property
    def day_first(self) -> bool | None:
        return None if self.layout is None else self.layout.day_first

    def describe(self) -> str:
        """One plain sentence on how the dates were read."""
        if self.layout is None:
            return "no date layout fits these cells"
        text = f"read as {self.layout.name}"
        if self.ambiguous:
            text += "; no day over 12, so day and month cannot be told apart (this order was assumed)"
        elif self.layout.day_first is not None:
            text += "; some numbers are over 12, which settles the order"
        return text


def as_text(cells: pd.Series | pa.Array | pa.ChunkedArray) -> pa.ChunkedArray:
    """Cells as Arrow strings (null for missing), without copying Arrow-backed pandas text."""
    if isinstance(cells, pd.Series):
        cells = pa.array(
            cells.array if isinstance(cells.dtype, pd.StringDtype) else cells.astype("string").array
        )
    if isinstance(cells, pa.Array):
        cells = pa.chunked_array([cells])
    return cells.cast(pa.string())


def encode_text(cells: pd.Series | pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, pa.Array]:
    """Codes of the trimmed texts (-1 for empty or missing cells) and the distinct texts.

    Trimming and any later text work happen once per distinct value, not per cell.
    """
    encoded = pc.dictionary_encode(as_text(cells)).combine_chunks()
    trimmed = pc.utf8_trim_whitespace(encoded.dictionary)
    again = pc.dictionary_encode(pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed))
    codes = again.indices.take(encoded.indices).fill_null(-1)
    return codes.to_numpy(zero_copy_only=False).astype(np.int64), again.dictionary


def _full_pattern(layout: DateLayout) -> str:
    return rf"^{layout.pattern}{_TIME}$"


def _parse_with(text: pa.Array, layout: DateLayout) -> pa.Array:
    """Timestamps (seconds) for the cells written in ``layout``, with or without a time; null elsewhere.

    The date part is parsed once per distinct date (a file with times has far
    more distinct texts than dates); the time of day is read from its digits.
    """
    encoded = pc.dictionary_encode(pc.replace_substring_regex(text, _TIME + "$", ""))
    days = _parse_days(encoded.dictionary, layout).take(encoded.indices)
    seconds = _seconds_of_day(text)
    total = pc.add(days.cast(pa.int64()), pa.array(seconds, mask=np.isnan(seconds)).cast(pa.int64()))
    return total.cast(pa.timestamp("s"))


def _parse_days(dates: pa.Array, layout: DateLayout) -> pa.Array:
    """Midnight of each date text; null when it is not a real date in ``layout``."""
    fits = pc.match_substring_regex(dates, f"^{layout.pattern}$")
    candidates = pc.if_else(fits, dates, pa.scalar(None, pa.string()))
    stamps = pc.strptime(candidates, format=layout.format, unit="s", error_is_null=True)
    # strptime rolls 30 February over into March; a real date prints back as it was written.
    printed = _canonical(pc.strftime(stamps, format=layout.format))
    return pc.if_else(pc.equal(_canonical(dates), printed), stamps, pa.scalar(None, stamps.type))


def _seconds_of_day(text: pa.Array) -> np.ndarray:
    """Seconds since midnight of the time after a date (0 without one); NaN for an impossible time."""
    parts = pc.extract_regex(text, _TIME_OF_DAY)
    has_time = np.asarray(parts.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    h, m, sec = (_digits(parts.field(name)) for name in ("h", "m", "s"))
    seconds = h * 3600 + m * 60 + sec
    seconds[(h > 23) | (m > 59) | (sec > 59)] = np.nan
    seconds[~has_time] = 0
    return seconds


def _digits(text: pa.Array) -> np.ndarray:
    numbers = pc.if_else(pc.equal(text, ""), "0", text).fill_null("0").cast(pa.int64())
    return numbers.to_numpy(zero_copy_only=False).astype(np.float64)


def _canonical(text: pa.Array) -> pa.Array:
    """Lower case, leading zeros of numbers dropped: ``02-FEB-17`` and ``2-Feb-17`` agree."""
    return pc.replace_substring_regex(pc.utf8_lower(text), r"(^|[^0-9])0+([0-9])", r"\1\2")


def choose_layout(distinct: pa.Array, day_first: bool | None = None) -> tuple[DateLayout | None, bool]:
    """The layout that reads most of ``distinct`` texts, and whether day/month order was a guess.

    ``day_first`` forces the order for layouts that have a mirror.
    """
    sample = distinct if len(distinct) <= _SAMPLE else distinct.take(_spread(len(distinct), _SAMPLE))
    counts = {
        layout: pc.count(_parse_with(sample, layout)).as_py()
        for layout in LAYOUTS
        if day_first is None or layout.day_first in (None, day_first)
    }
    best = max(counts.values(), default=0)
    if best == 0:
        return None, False
    winners = [layout for layout, n in counts.items() if n == best]
    mirrored = {layout.day_first for layout in winners} == {True, False}
    return winners[0], mirrored and day_first is None


def _spread(n: int, k: int) -> np.ndarray:
    return np.linspace(0, n - 1, k).astype(np.int64)


def parse_dates(
    cells: pd.Series | pa.Array | pa.ChunkedArray, *, day_first: bool | None = None
) -> ParsedDates:
    """Parse a text column of dates, choosing the layout from the column's own content.

    Parameters
    ----------
    cells : pandas.Series or pyarrow array
        The column's text, as read.
    day_first : bool, optional
        Force day-first (True) or month-first (False) for ``02/04/22``-like dates;
        by default decided by evidence.

    Returns
    -------
    ParsedDates
        The values (``datetime64[ns]``), the layout, whether the order was assumed,
        and how many cells failed.
    """
    codes, distinct = encode_text(cells)
    empty = codes < 0
    n_empty = int(empty.sum())
    layout, ambiguous = choose_layout(distinct, day_first)
    if layout is None:
        values = np.full(len(codes), np.datetime64("NaT"), dtype="datetime64[ns]")
        return ParsedDates(
            values, None, False, len(codes) - n_empty, n_empty, _examples(distinct, codes, ~empty)
        )
    per_distinct = _parse_with(distinct, layout).cast(pa.timestamp("ns")).to_numpy(zero_copy_only=False)
    values = np.append(per_distinct.astype("datetime64[ns]"), np.datetime64("NaT", "ns"))[codes]
    failed = np.isnat(values) & ~empty
    return ParsedDates(
        values, layout, ambiguous, int(failed.sum()), n_empty, _examples(distinct, codes, failed)
    )


def _examples(distinct: pa.Array, codes: np.ndarray, mask: np.ndarray, n: int = 3) -> tuple[str, ...]:
    rows = np.flatnonzero(mask)[:n]
    return tuple(str(distinct[int(codes[row])].as_py()) for row in rows)


def looks_like_dates(cells: pd.Series | pa.Array | pa.ChunkedArray, sample: int = 500) -> bool:
    """Cheap check: do at least 90% of the first ``sample`` non-empty cells look like dates?"""
    head = pc.utf8_trim_whitespace(pc.drop_null(as_text(cells).slice(0, 50 * sample)))
    head = head.filter(pc.not_equal(head, "")).slice(0, sample)
    if len(head) == 0:
        return False
    pattern = "|".join(f"({_full_pattern(layout)})" for layout in LAYOUTS)
    matches = pc.match_substring_regex(head, pattern)
    return pc.sum(matches).as_py() >= LOOKS_SHARE * len(head)
