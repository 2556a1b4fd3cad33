"""Columns that say too little about most customers to shape segments.

Left out of the default features, each with its reason (the analyst's own
choice always wins):

- a rare flag: a column of two values whose rarer value is held by fewer than
  ``RARE_SHARE`` of the customers (a complaint, an accepted campaign);
  KMeans would spend a segment on the few who have it;
- a nearly constant column: one value in at least ``NEAR_CONSTANT_SHARE`` of
  the customers who have a value.

Columns that are mostly gaps are left out by ``features`` (``MAX_MISSING_SHARE``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .columns import ParsedColumn

RARE_SHARE = 0.05
NEAR_CONSTANT_SHARE = 0.95
# The most frequent value is first looked for in a seeded sample of this many cells; only a
# column whose sample looks nearly constant is counted in full (a million rows: 80 ms a column).
_SAMPLE = 20_000
_SAMPLE_MARGIN = 0.03


def uninformative_reason(column: ParsedColumn) -> str | None:
    """Why a column would make a poor default feature (rare flag, nearly constant); None if it would not."""
    info = column.info
    if info.n_distinct < 2 or info.n_present == 0:
        return None
    if info.n_distinct == 2:
        (usual, share), (rare_value, rare) = _value_shares(column)
        if rare < RARE_SHARE:
            return (
                f"rare flag: only {_percent(rare)} of customers have {rare_value} (the others {usual}); "
                f"too few (under {RARE_SHARE:.0%}) to shape segments, they would make a tiny one"
            )
        return None
    value, share = _top_value(column, exact=False)
    if share >= NEAR_CONSTANT_SHARE - _SAMPLE_MARGIN:
        value, share = _top_value(column, exact=True)
    if share >= NEAR_CONSTANT_SHARE:
        return (
            f"nearly constant: {_percent(share)} of customers have the same value ({value}); "
            "it can barely tell them apart"
        )
    return None


def _percent(share: float) -> str:
    return f"{share:.1%}" if share < 0.1 or share > 0.9 else f"{share:.0%}"


def _top_value(column: ParsedColumn, *, exact: bool) -> tuple[str, float]:
    """The most frequent present value and its share of the present cells (of a sample unless ``exact``)."""
    return _value_shares(column, exact=exact)[0]


def _value_shares(column: ParsedColumn, *, exact: bool = True) -> list[tuple[str, float]]:
    """Present values and their shares of the present cells, most frequent first."""
    values = column.values
    n = len(values)
    rows = None if exact or n <= _SAMPLE else np.random.default_rng(0).choice(n, _SAMPLE, replace=False)
    if isinstance(values, np.ndarray):
        picked = values if rows is None else values[rows]
        picked = picked[~np.isnan(picked)]
        levels, counts = np.unique(picked, return_counts=True)
        order = np.argsort(-counts, kind="stable")
        return [(f"{float(levels[i]):g}", counts[i] / len(picked)) for i in order] or [("", 0.0)]
    texts = pd.Series(values if rows is None else values.iloc[rows])
    frequencies = texts.value_counts(dropna=True)
    total = max(int(frequencies.sum()), 1)
    return [(str(v), int(c) / total) for v, c in frequencies.items()] or [("", 0.0)]
