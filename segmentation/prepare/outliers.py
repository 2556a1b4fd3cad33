"""Values far outside the rest of their column, and numbers that stand for 'no value' (99, -1)."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd

from ..io.reader import LineNumbers
from ..report.findings import Problem, number_text, plural
from . import roles

ArrayOrSeries = TypeVar("ArrayOrSeries", np.ndarray, pd.Series)
MAX_EXAMPLES = 5


# A value is extreme when it lies further than this many robust standard deviations
# (MAD or IQR based, so the extremes themselves cannot inflate the scale) beyond the
# EXTREME_QUANTILE .. 1 - EXTREME_QUANTILE range of its column.
EXTREME_SCALES = 10.0


EXTREME_QUANTILE = 0.001


MIN_ROWS_FOR_EXTREMES = 50


_SCALE_SAMPLE = 200_000


_MAD_TO_SD = 1.4826  # MAD of a normal distribution times this is its standard deviation


_IQR_TO_SD = 1 / 1.349


# Codes for "no value" written as numbers: all nines, and -1 where only counts make sense.
_NINES = (99.0, 999.0, 9999.0, 99999.0, 999999.0, -99.0, -999.0, -9999.0)


_COUNT_WORDS = frozenset(
    {"day", "days", "age", "count", "num", "number", "recency", "tenure", "previous", "pdays",
     "dias", "tage", "месяцев", "дней", "qty", "quantity", "visits", "months", "years", "weeks"}
)  # fmt: skip


def over_rows(values: ArrayOrSeries, rows: np.ndarray) -> ArrayOrSeries:
    """``values[rows]`` (an array, or a Series keeping its labels), without the copy when every
    row is chosen (the usual case)."""
    return values if rows.all() else values[rows]


def present_values(values: np.ndarray) -> np.ndarray:
    """The values that are not NaN, without a copy when there is no gap."""
    gaps = np.isnan(values)
    return values[~gaps] if gaps.any() else values


@dataclass
class _Extremes:
    """Rows with extreme values (over all rows), a note for each, and one finding per column."""

    rows: np.ndarray
    notes: np.ndarray | None  # None when no row is extreme
    problems: list[Problem]


def extreme_mask(values: np.ndarray) -> np.ndarray | None:
    """Which values lie far outside the rest of their column, on a robust scale; None if none can.

    Far means more than ``EXTREME_SCALES`` robust standard deviations (from the
    MAD, or the IQR when over half the values are equal) beyond the 0.1-99.9%
    quantile range: a value set apart from the rest, not the end of a long
    tail (large spenders are customers too). Mean and standard deviation would
    be inflated by the very values looked for. A column with no spread (a rare
    0/1 flag) has no scale to judge by, so nothing in it is extreme.
    """
    present = present_values(values)
    if present.size < MIN_ROWS_FOR_EXTREMES:
        return None
    if present.size > _SCALE_SAMPLE:  # the scale from an even, fixed sample: as exact, far cheaper
        present = present[:: present.size // _SCALE_SAMPLE]
    low, q1, median, q3, high = np.quantile(
        present, [EXTREME_QUANTILE, 0.25, 0.5, 0.75, 1 - EXTREME_QUANTILE]
    )
    scale = max(_MAD_TO_SD * float(np.median(np.abs(present - median))), _IQR_TO_SD * (q3 - q1))
    if not scale > 1e-9 * max(abs(median), 1.0):
        return None
    reach = EXTREME_SCALES * scale
    with np.errstate(invalid="ignore"):
        mask = (values > high + reach) | (values < low - reach)
    return mask if mask.any() else None


def find_extremes(numeric: pd.DataFrame, usable: np.ndarray, lines: LineNumbers, *, keep: bool) -> _Extremes:
    rows = np.zeros(len(usable), dtype=bool)
    notes = None  # made when the first extreme value is found: usually never
    problems = []
    action = (
        "kept in the fit (as asked)" if keep else "left out of the fit, then assigned to the nearest segment"
    )

    def usable_values(name: str) -> np.ndarray:
        values = numeric[name].to_numpy()
        return values if usable.all() else np.where(usable, values, np.nan)

    # Column by column on every core: the quantiles and comparisons release the GIL.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        masks = list(pool.map(lambda name: extreme_mask(usable_values(name)), numeric.columns))
    for name, mask in zip(numeric.columns, masks, strict=True):
        values = numeric[name].to_numpy()
        if mask is None:
            continue
        where = np.flatnonzero(mask)
        rows |= mask
        if notes is None:
            notes = np.full(len(usable), "", dtype=object)
        notes[where] = np.where(
            notes[where] == "",
            f"extreme value in {name}; assigned to the nearest segment",
            notes[where] + f", {name}",
        )
        shown = tuple(int(line) for line in lines(where[:MAX_EXAMPLES]))
        examples = "; ".join(
            f"line {line}: {number_text(values[row])}"
            for line, row in zip(shown, where[:MAX_EXAMPLES], strict=False)
        )
        typical = np.nanquantile(np.where(usable & ~mask, values, np.nan), [0.01, 0.99])
        problems.append(
            Problem.of(
                "extreme-rows",
                column=name,
                count=int(where.size),
                lines=shown,
                rows=plural(int(where.size), "row"),
                examples=examples,
                low=number_text(float(typical[0])),
                high=number_text(float(typical[1])),
                action=action,
            )
        )
    return _Extremes(rows, notes, problems)


def sentinel_problems(numeric: pd.DataFrame, usable: np.ndarray) -> list[Problem]:
    """Numbers that are likely codes for no value: 999-style nines, or -1 in a column of counts."""

    def column_problems(name: str) -> list[Problem]:
        values = present_values(over_rows(numeric[name].to_numpy(), usable))
        if values.size < 2:
            return []
        found = []
        for value, why in _likely_sentinels(name, values):
            count = int((values == value).sum())
            cells = plural(count, "cell")
            found.append(
                Problem.of(
                    "likely-sentinel",
                    column=name,
                    count=count,
                    value=number_text(value),
                    cells=cells,
                    why=why,
                )
            )
        return found

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # as in find_extremes
        return [problem for found in pool.map(column_problems, numeric.columns) for problem in found]


def _likely_sentinels(name: str, values: np.ndarray) -> list[tuple[float, str]]:
    found = []
    top = float(values.max())
    if top in _NINES or _is_round(top):  # otherwise the maximum is no code: no need for the rest
        rest = values[values != top]
        if top in _NINES and rest.size and top > 2 * max(float(rest.max()), 0.0):
            found.append(
                (
                    top,
                    f"all nines, far above every other value, the next highest being {number_text(float(rest.max()))}",
                )
            )
        elif _is_round(top) and rest.size and _isolated_maximum(top, values, rest):
            found.append((top, "a round number far above the rest"))
    bottom = float(values.min())
    counts = bool(set(roles.header_words(name)) & _COUNT_WORDS)
    if bottom in (-1.0, -99.0, -999.0) and counts and (values[values != bottom] >= 0).all():
        found.append((bottom, "negative in a column of counts, days or ages"))
    return found


def _isolated_maximum(top: float, values: np.ndarray, rest: np.ndarray) -> bool:
    """A maximum on at most 1% of the cells, ten times the rest's 99th percentile and twice its maximum."""
    rare = (values == top).sum() <= 0.01 * values.size
    return bool(rare and top > 10 * max(float(np.quantile(rest, 0.99)), 1.0) and rest.max() < 0.5 * top)


def _is_round(value: float) -> bool:
    """1000, 50000, 1e6: a power of ten, or one digit then zeros, at least 1000."""
    if value < 1000 or value != int(value):
        return False
    digits = str(int(value))
    return digits[1:] == "0" * (len(digits) - 1)
