"""RFM scores (recency, frequency, monetary quintiles) and the usual R×F segment map.

The map is the one widely used in marketing (e.g. the RFM guides of Putler and
of many public notebooks): ten named segments over the 5×5 grid of recency and
frequency scores. It is kept as data, one row per named block of the grid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

N_SCORES = 5


@dataclass(frozen=True)
class RfmBlock:
    """A named block of the R×F grid: recency scores ``r`` and frequency scores ``f`` (inclusive ranges)."""

    name: str
    r: tuple[int, int]
    f: tuple[int, int]


RFM_MAP: tuple[RfmBlock, ...] = (
    RfmBlock("Champions", (5, 5), (4, 5)),
    RfmBlock("Loyal customers", (3, 4), (4, 5)),
    RfmBlock("Potential loyalists", (4, 5), (2, 3)),
    RfmBlock("New customers", (5, 5), (1, 1)),
    RfmBlock("Promising", (4, 4), (1, 1)),
    RfmBlock("Need attention", (3, 3), (3, 3)),
    RfmBlock("About to sleep", (3, 3), (1, 2)),
    RfmBlock("At risk", (1, 2), (3, 4)),
    RfmBlock("Can't lose them", (1, 2), (5, 5)),
    RfmBlock("Hibernating", (1, 2), (1, 2)),
)
SEGMENT_NAMES: tuple[str, ...] = tuple(block.name for block in RFM_MAP)


def grid() -> np.ndarray:
    """A 5×5 array of segment names, ``grid()[r - 1, f - 1]``; empty where the map has no block."""
    cells = np.full((N_SCORES, N_SCORES), "", dtype=object)
    for block in RFM_MAP:
        cells[block.r[0] - 1 : block.r[1], block.f[0] - 1 : block.f[1]] = block.name
    return cells


def quintile_scores(values: np.ndarray, *, higher_is_better: bool = True) -> np.ndarray:
    """Scores 1-5 by rank, 5 best; equal values share a score.

    A value's score comes from the lowest rank of its tie group
    (``1 + floor(5 × (rank - 1) / n)``), so when most customers bought once they
    all score 1 and the scores never leave 1-5. NaN scores 0 (no value).
    """
    series = pd.Series(values, dtype="float64")
    ranks = series.rank(method="min", ascending=higher_is_better)
    n = int(series.notna().sum())
    scores = 1 + np.floor(N_SCORES * (ranks.to_numpy() - 1) / max(n, 1))
    return np.where(np.isnan(scores), 0, np.clip(scores, 1, N_SCORES)).astype(np.int8)


def rfm_segments(r_scores: np.ndarray, f_scores: np.ndarray) -> np.ndarray:
    """The segment name of each (R, F) score pair; empty text where a score is 0."""
    names = grid()
    r, f = np.asarray(r_scores, dtype=np.int64), np.asarray(f_scores, dtype=np.int64)
    valid = (r >= 1) & (f >= 1)
    out = np.full(len(r), "", dtype=object)
    out[valid] = names[r[valid] - 1, f[valid] - 1]
    return out
