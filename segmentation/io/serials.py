"""Dates written three ways in one column: date cells, Excel serial numbers and text.

Customer ledgers built by hand mix them: a date typed in a cell formatted as a
date, the same kind of date pasted as a plain number (44927 is 1 January 2023),
and dates typed as text ("15/01/2023"). A column whose cells are mostly dates
(date cells or text dates) and whose numbers all fall in the range of dates
(1 January 1901, or 2 January 1904 in the 1904 system, to 31 December 2199) is read as a column of dates: every number
is a serial date, in the workbook's date system (days since 1899-12-30, or
since 1904-01-01 for workbooks made with the 1904 system). Date cells and
serials are then written in the layout of the text dates, when there are some,
so the whole column reads in one layout; the text dates stay exactly as typed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from ..prepare.dates import looks_like_dates, parse_dates
from .sheets import DATE, DATETIME, NUMBER, TEXT, render_datetime

ISO_DATE = "%Y-%m-%d"
_EPOCHS = {"1900": dt.datetime(1899, 12, 30), "1904": dt.datetime(1904, 1, 1)}
# Serials of 1901-01-01 (1904-01-02 in the 1904 system, which starts there) to 2199-12-31.
_SERIAL_RANGE = {"1900": (367.0, 109_574.0), "1904": (1.0, 109_574.0 - 1462)}


@dataclass(frozen=True)
class DateColumn:
    """A column read as dates from mixed cells: what was found and the layout its dates are in."""

    column: str
    n_serials: int
    n_date_cells: int
    n_text_dates: int
    layout_name: str
    date_format: str
    date_system: str

    def describe(self) -> str:
        parts = []
        if self.n_serials:
            parts.append(f"{self.n_serials:,} Excel date numbers ({self.date_system} date system)")
        if self.n_date_cells:
            parts.append(f"{self.n_date_cells:,} date cells")
        if self.n_text_dates:
            parts.append(f"{self.n_text_dates:,} dates written as text")
        return f"{self.column}: mixes {' and '.join(parts)}; all read as dates, {self.layout_name}"


def serial_to_datetime(serial: float, system: str) -> dt.datetime:
    """An Excel serial number as a date and time (1900 system: Excel's 29 February 1900 is skipped)."""
    epoch = _EPOCHS[system]
    if system == "1900" and serial < 61:
        epoch += dt.timedelta(days=1)  # Excel counts a 29 February 1900 that never was
    milliseconds = round(serial * 86_400_000)
    return epoch + dt.timedelta(milliseconds=milliseconds)


def read_mixed_dates(
    name: str, texts: list[str], kinds: np.ndarray, system: str
) -> tuple[list[str], np.ndarray, DateColumn] | None:
    """The column rewritten when it mixes dates in two or three ways; None when it does not.

    Returns the new texts, the new kinds (serials become date cells) and what was done.
    """
    numbers = kinds == NUMBER
    date_cells = (kinds == DATE) | (kinds == DATETIME)
    text_cells = kinds == TEXT
    text_dates = bool(text_cells.any()) and looks_like_dates(pa.array(np.asarray(texts, object)[text_cells]))
    n_text = int(text_cells.sum()) if text_dates else 0
    dated = int(date_cells.sum()) + n_text
    if not numbers.any() and not (date_cells.any() and n_text):
        return None
    if dated == 0 or dated < int(numbers.sum()) or (text_cells.any() and not text_dates):
        return None
    serials = np.array([float(texts[i]) for i in np.flatnonzero(numbers)])
    low, high = _SERIAL_RANGE[system]
    if serials.size and not ((serials >= low) & (serials < high)).all():
        return None
    layout_name, date_format = _layout(texts, text_cells) if n_text else ("ISO (year-month-day)", ISO_DATE)
    new_texts, new_kinds = list(texts), kinds.copy()
    for position in np.flatnonzero(numbers):
        when = serial_to_datetime(float(texts[position]), system)
        new_texts[position], new_kinds[position] = _written(when, date_format)
    if date_format != ISO_DATE:
        for position in np.flatnonzero(date_cells):
            new_texts[position], new_kinds[position] = _written(_from_iso(texts[position]), date_format)
    found = DateColumn(
        name, int(numbers.sum()), int(date_cells.sum()), n_text, layout_name, date_format, system
    )
    return new_texts, new_kinds, found


def _layout(texts: list[str], text_cells: np.ndarray) -> tuple[str, str]:
    """The layout the text dates are in (as the column analysis will read them), and its format."""
    parsed = parse_dates(pa.array(np.asarray(texts, object)[text_cells]))
    if parsed.layout is None:
        return "ISO (year-month-day)", ISO_DATE
    name = f"in the text dates' layout, {parsed.layout.name}"
    if parsed.ambiguous:
        name += " (no day over 12 in them: this order was assumed)"
    return name, parsed.layout.format


def _written(when: dt.datetime, date_format: str) -> tuple[str, int]:
    has_time = when.time() != dt.time()
    if date_format == ISO_DATE:
        return (render_datetime(when), DATETIME) if has_time else (when.date().isoformat(), DATE)
    if has_time:
        return when.strftime(date_format + " %H:%M:%S"), DATETIME
    return when.strftime(date_format), DATE


def _from_iso(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)
