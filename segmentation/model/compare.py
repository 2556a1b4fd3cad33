"""Two segments side by side, or one against all the others: what differs most.

Over the same customers as the profiles (segmented rows the model was fitted
on), each numeric feature's mean in each group and the difference in standard
deviations of all those customers, the heatmap's σ (so two segments differ by
the difference of their heatmap rows); each category feature's share of every
value in each group, and that difference in the standard deviation of the
value's 0/1 indicator. Features are ranked by their largest difference in
standard deviations, a category by its most different value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..prepare.outliers import over_rows
from .profiles import MISSING

if TYPE_CHECKING:
    from .analysis import Segmentation

NUMBER, CATEGORY = "number", "category"


@dataclass
class Comparison:
    """What sets one group of customers apart from another.

    Attributes
    ----------
    first, second : int or None
        The segments compared; ``second`` None means every other segment.
    sizes : tuple of int
        Customers in each group.
    ranking : pandas.DataFrame
        One row per feature, most different first: ``feature``, ``kind``
        (``"number"`` or ``"category"``), ``difference_sd`` (signed, first minus
        second; for a category, that of its most different value) and ``value``
        (that value; empty for numbers). Standard deviations are those of
        every customer the profiles describe, as in the heatmap.
    numeric : pandas.DataFrame
        Indexed by numeric feature, most different first: ``first_mean``,
        ``second_mean`` (over the values present, in the file's units) and
        ``difference_sd``.
    categories : pandas.DataFrame
        One row per (``feature``, ``value``): ``first_share``, ``second_share``,
        ``difference_points`` (percentage points) and ``difference_sd``.
    """

    first: int
    second: int | None
    sizes: tuple[int, int]
    ranking: pd.DataFrame
    numeric: pd.DataFrame
    categories: pd.DataFrame


def profile_rows(run: Segmentation) -> np.ndarray:
    """The customers the profiles describe: segmented and fitted on (held-out extremes excluded)."""
    return (run.result.segments > 0) & run.data.fit_rows


def overall_means(run: Segmentation) -> pd.Series:
    """Each numeric feature's mean over every profiled customer's present values."""
    rows = profile_rows(run)
    means = {}
    for name in run.data.numeric.columns:
        values = over_rows(run.data.numeric[name].to_numpy(dtype=np.float64), rows)
        present = values[~np.isnan(values)]
        means[name] = float(present.mean()) if present.size else np.nan
    return pd.Series(means, dtype=np.float64)


def overall_shares(run: Segmentation) -> dict[str, pd.Series]:
    """Per category feature, the share of each value (``(missing)`` for a gap) among profiled customers."""
    rows = profile_rows(run)
    return {
        name: over_rows(run.data.categorical[name], rows)
        .astype("string")
        .fillna(MISSING)
        .value_counts(normalize=True)
        for name in run.data.categorical.columns
    }


def compare_segments(run: Segmentation, first: int, second: int | None = None) -> Comparison:
    """Compare segment ``first`` with segment ``second``, or with all other segments (None).

    Raises
    ------
    ValueError
        For a segment number the run does not have, or the same segment twice.
    """
    k = run.result.n_clusters
    for number in (first, second):
        if number is not None and not 1 <= number <= k:
            raise ValueError(f"no segment {number}: the run has segments 1 to {k}")
    if first == second:
        raise ValueError("compare two different segments")
    rows = profile_rows(run)
    segments = run.result.segments[rows]
    in_first = segments == first
    in_second = segments == second if second is not None else ~in_first
    numeric = _numeric(run, rows, in_first, in_second)
    categories = _categories(run, rows, in_first, in_second)
    return Comparison(
        first=first,
        second=second,
        sizes=(int(in_first.sum()), int(in_second.sum())),
        ranking=_ranking(numeric, categories),
        numeric=numeric,
        categories=categories,
    )


def _numeric(run: Segmentation, rows: np.ndarray, a: np.ndarray, b: np.ndarray) -> pd.DataFrame:
    records = {}
    for name in run.data.numeric.columns:
        values = over_rows(run.data.numeric[name].to_numpy(dtype=np.float64), rows)
        present = ~np.isnan(values)
        first, second = values[a & present], values[b & present]
        mean_a = float(first.mean()) if first.size else np.nan
        mean_b = float(second.mean()) if second.size else np.nan
        records[name] = (mean_a, mean_b, _in_sd(mean_a - mean_b, values[present]))
    table = pd.DataFrame.from_dict(
        records, orient="index", columns=["first_mean", "second_mean", "difference_sd"]
    )
    table.index.name = "feature"
    return table.sort_values("difference_sd", key=np.abs, ascending=False, na_position="last")


def _in_sd(difference: float, everyone: np.ndarray) -> float:
    """``difference`` in standard deviations of every profiled customer (the heatmap's σ); 0 if none."""
    if not everyone.size or np.isnan(difference):
        return np.nan
    sd = float(everyone.std())
    if sd <= 1e-12 * max(abs(float(everyone.mean())), 1.0):
        return 0.0
    return difference / sd


def _categories(run: Segmentation, rows: np.ndarray, a: np.ndarray, b: np.ndarray) -> pd.DataFrame:
    records = []
    for name in run.data.categorical.columns:
        values = over_rows(run.data.categorical[name], rows).astype("string").fillna(MISSING).to_numpy()
        for value in sorted(set(values), key=lambda v: (v == MISSING, v)):
            hits = values == value
            share_a = float(hits[a].mean()) if a.any() else np.nan
            share_b = float(hits[b].mean()) if b.any() else np.nan
            difference = share_a - share_b
            records.append((name, str(value), share_a, share_b, 100 * difference, _in_sd(difference, hits)))
    return pd.DataFrame(
        records,
        columns=["feature", "value", "first_share", "second_share", "difference_points", "difference_sd"],
    )


def _ranking(numeric: pd.DataFrame, categories: pd.DataFrame) -> pd.DataFrame:
    """One row per feature; a category feature is ranked by its most different value."""
    numbers = pd.DataFrame(
        {"feature": numeric.index, "kind": NUMBER, "difference_sd": numeric["difference_sd"].to_numpy()}
    ).assign(value="")
    parts = [numbers]
    if not categories.empty:
        size = categories["difference_sd"].abs().fillna(-1.0)
        strongest = categories.loc[size.groupby(categories["feature"], sort=False).idxmax()]
        parts.append(strongest[["feature", "difference_sd", "value"]].assign(kind=CATEGORY))
    table = pd.concat(parts, ignore_index=True)[["feature", "kind", "difference_sd", "value"]]
    return table.sort_values(
        "difference_sd", key=np.abs, ascending=False, na_position="last", ignore_index=True
    )
