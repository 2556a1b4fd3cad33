"""Describe each segment in the user's own units, and what sets it apart.

The central table is the origin document's analysis: the mean of every
feature per segment, unscaled. Around it: sizes and shares, the category mix,
standardised differences from the overall mean (for a heatmap), the features
that separate segments most, and a short editable name per segment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy.stats import f as f_distribution

from ..prepare.columns import ParsedColumn, arrow_text
from ..prepare.outliers import over_rows
from ..prepare.validation import FeatureData
from .kmeans import SegmentResult
from .names import MISSING, feature_label, name_segments
from .outcomes import OutcomeRates, outcome_rates
from .rules import SegmentRules, segment_rules
from .segment_name import segment_name

__all__ = ["SegmentProfiles", "feature_label", "name_segments", "profile_segments"]
TINY_SHARE = 0.02  # a segment under this share of the customers, or under TINY_SIZE of them, is tiny
TINY_SIZE = 30


@dataclass
class SegmentProfiles:
    """Everything the segment pages show, as plain frames indexed by segment number.

    The origin document's analysis (the mean of every feature per segment, in
    the user's own units) and what sets each segment apart.

    Attributes
    ----------
    summary : pandas.DataFrame
        Size, share, then the mean of each numeric feature.
    category_mix : dict of str to pandas.DataFrame
        Per categorical feature: the share of each value in each segment.
    differences : pandas.DataFrame
        Standardised difference from the overall mean, per feature (and
        category value), for the heatmap.
    separation : pandas.DataFrame
        One row per feature (and category value): ``f_statistic``, ``p_value``
        and ``eta_squared`` (share of its variance the segments explain), highest first.
    names : dict of int to str
        A short generated name per segment, from its strongest traits (e.g. "High income").
    outcomes : pandas.DataFrame
        Per outcome column (churn, response, ...): its rate or mean in each
        segment; empty when the file has none.
    outcome_overall : pandas.Series
        Per outcome measure, its value over every customer profiled (see ``outcome_rates``).
    rules : SegmentRules or None
        Each segment's rule in plain words, and how well the rules agree with the segments.
    """

    summary: pd.DataFrame  # size, share, then the mean of each numeric feature
    category_mix: dict[str, pd.DataFrame]  # per categorical feature: share of each value
    differences: pd.DataFrame  # standardised difference from the overall mean, per feature
    separation: pd.DataFrame  # per feature: F statistic, p-value, eta squared, sorted
    names: dict[int, str]
    # Per outcome column (churn, response, ...): its rate or mean in each segment, e.g.
    # "Exited: share of 1" or "Churn: share of Yes"; empty when the file has none.
    outcomes: pd.DataFrame = field(default_factory=pd.DataFrame)
    outcome_overall: pd.Series = field(default_factory=lambda: pd.Series(dtype=np.float64))
    rules: SegmentRules | None = None

    @property
    def outcome_rates(self) -> OutcomeRates:
        """The outcomes per segment with their overall value and lift."""
        return OutcomeRates(self.outcomes, self.outcome_overall)

    def tiny_segments(self) -> dict[int, str]:
        """Segments under 2% of the customers or under 30 of them, each with what was found."""
        total = int(self.summary["size"].sum())
        found = {}
        sizes = self.summary["size"].to_numpy(dtype=np.int64)
        shares = self.summary["share"].to_numpy(dtype=np.float64)
        for segment, size, share in zip(self.summary.index.astype(int), sizes, shares, strict=True):
            if size < TINY_SIZE or share < TINY_SHARE:
                found[int(segment)] = (
                    f"Segment {segment} is tiny: {size:,} of {total:,} customers ({share:.1%}); "
                    "its means and rule rest on too few customers to trust"
                )
        return found

    def summary_with_names(self, names: dict[int, str] | None = None) -> pd.DataFrame:
        """The summary table with a name column, for display and export."""
        table = self.summary.copy()
        table.insert(0, "name", [segment_name(names or self.names, s) for s in table.index])
        return table

    def separating_features(self, candidates: list[str], n: int = 2) -> list[str]:
        """Of ``candidates`` (numeric features), the ``n`` that separate the segments most (largest η²)."""
        ranked = [f for f in self.separation["feature"] if f in candidates]
        return ranked[:n]

    def export_table(self, names: dict[int, str] | None = None) -> pd.DataFrame:
        """The summary CSV: the summary with names, then each outcome's rate, overall rate and lift,
        each segment's rule (with its coverage and precision) and a note for a tiny segment."""
        table = self.summary_with_names(names)
        rates = self.outcome_rates
        for measure in rates.by_segment.columns:
            table[measure] = rates.by_segment[measure]
            table[f"{measure} (all customers)"] = rates.overall[measure]
            table[f"{measure} (lift)"] = rates.lift[measure]
        if self.rules is not None:
            rules = self.rules.table().reindex(table.index)
            table["rule"] = rules["rule"]
            table["rule coverage"] = rules["coverage"]
            table["rule precision"] = rules["precision"]
            table["rules agreement"] = self.rules.agreement
        tiny = self.tiny_segments()
        table["note"] = [tiny.get(int(s), "") for s in table.index]
        return table


def profile_segments(
    data: FeatureData, result: SegmentResult, *, outcomes: Mapping[str, ParsedColumn] | None = None
) -> SegmentProfiles:
    """Profile the segments of a fitted result, over the rows the model used.

    Everything comes from per-segment sums (``numpy.bincount``, column by column),
    so profiling a million customers takes a fraction of a second.

    Parameters
    ----------
    data : FeatureData
        The model input the result was fitted on.
    result : SegmentResult
        The fitted result; rows with segment 0 are left out of the profiles.
    outcomes : mapping of str to ParsedColumn, optional
        Columns left out of the features (churn, response, ...) whose rate per
        segment is what an analyst reads next; see ``outcome_table``.

    Returns
    -------
    SegmentProfiles
    """
    k = result.n_clusters
    group = result.labels - 1
    segments = pd.RangeIndex(1, k + 1, name="segment")
    sizes = np.bincount(group, minlength=k)
    summary = pd.DataFrame({"size": sizes, "share": sizes / sizes.sum()}, index=segments)

    # Per segment, each feature's sum and sum of squares (gaps filled), and each numeric
    # feature's mean over the values present. Column by column: no second copy of the data.
    means, indicator_names, sums, squares = {}, [], [], []
    for name in data.numeric.columns:
        filled = data.filled_numeric(name)
        total = _sums(group, filled, k)
        with np.errstate(invalid="ignore", divide="ignore"):  # a segment with no value gives NaN
            means[name] = _present_means(data, name, group, k) if name in data.fill_values else total / sizes
        indicator_names.append(name)
        sums.append(total)
        squares.append(_sums(group, filled * filled, k))
    summary = pd.concat([summary, pd.DataFrame(means, index=segments, columns=data.numeric.columns)], axis=1)

    mix = {}
    for name in data.categorical.columns:
        codes, labels = _category_codes(data, name)
        counts = _pair_counts(group, codes, len(labels), k)
        mix[name] = _category_shares(name, counts, labels, segments)
        # A 0/1 indicator per category value: its sum and its sum of squares are both its count.
        for position, value in enumerate(data.categories[name]):
            indicator_names.append(f"{name} = {value}")
            sums.append(counts[:, position].astype(np.float64))
            squares.append(sums[-1])
    sum_table, square_table = np.column_stack(sums), np.column_stack(squares)
    differences = _standardised_differences(sum_table, square_table, sizes, indicator_names, segments)
    separation = _separation(sum_table, square_table, sizes, indicator_names)
    names = name_segments(differences, mix, summary["size"])
    rates = outcome_rates(outcomes or {}, data.usable, group, segments)
    rules = segment_rules(data, result.labels)
    return SegmentProfiles(
        summary, mix, differences, separation, names, rates.by_segment, rates.overall, rules
    )


def _category_codes(data: FeatureData, name: str) -> tuple[np.ndarray, list[str]]:
    """Codes into the column's categories, then values outside a fixed list, then "(missing)"."""
    values = arrow_text(over_rows(data.categorical[name], data.usable))
    known = list(data.categories[name])
    outside = pc.unique(
        pc.drop_null(pc.filter(values, pc.invert(pc.is_in(values, pa.array(known, pa.string())))))
    )
    labels = known + sorted(outside.to_pylist()) + [MISSING]
    codes = pc.index_in(pc.fill_null(values, MISSING), value_set=pa.array(labels, pa.string()))
    return codes.to_numpy(zero_copy_only=False).astype(np.int64), labels


def _sums(group: np.ndarray, values: np.ndarray, k: int) -> np.ndarray:
    """Per segment, the sum of ``values`` over its rows (``group`` = segment - 1)."""
    return np.bincount(group, weights=values, minlength=k)


def _present_means(data: FeatureData, name: str, group: np.ndarray, k: int) -> np.ndarray:
    """Per segment, the mean of a numeric feature over the cells that have a value."""
    values = over_rows(data.numeric[name].to_numpy(), data.usable)
    present = ~np.isnan(values)
    return _sums(group, np.where(present, values, 0.0), k) / _sums(group, present, k)


def _pair_counts(group: np.ndarray, codes: np.ndarray, n_labels: int, k: int) -> np.ndarray:
    """Rows per (segment, category code), counted in one pass: pair = segment * n_labels + code."""
    counts = np.bincount(group * n_labels + codes, minlength=k * n_labels)
    return counts.reshape(k, n_labels)


def _category_shares(name: str, counts: np.ndarray, labels: list[str], segments: pd.Index) -> pd.DataFrame:
    shares = pd.DataFrame(
        counts / np.maximum(counts.sum(axis=1, keepdims=True), 1),
        index=segments,
        columns=pd.Index(labels, name=name),
    )
    return shares.loc[:, (counts.sum(axis=0) > 0) | (shares.columns != MISSING)]


def _standardised_differences(
    sums: np.ndarray, squares: np.ndarray, sizes: np.ndarray, names: list[str], segments: pd.Index
) -> pd.DataFrame:
    n = sizes.sum()
    overall = sums.sum(axis=0) / n
    std = np.sqrt(np.maximum(squares.sum(axis=0) / n - overall**2, 0.0))
    means = sums / np.maximum(sizes, 1)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (means - overall) / np.where(std > 1e-12 * np.maximum(np.abs(overall), 1), std, np.nan)
    return pd.DataFrame(np.nan_to_num(z), index=segments, columns=names)


def _separation(sums: np.ndarray, squares: np.ndarray, sizes: np.ndarray, names: list[str]) -> pd.DataFrame:
    """ANOVA F, its p-value and eta squared (share of a feature's variance the segments explain)."""
    n = int(sizes.sum())
    used = int((sizes > 0).sum())
    overall = sums.sum(axis=0) / n
    total = np.maximum(squares.sum(axis=0) - n * overall**2, 0.0)
    group_means = sums / np.maximum(sizes, 1)[:, None]
    between = np.minimum((sizes[:, None] * (group_means - overall) ** 2).sum(axis=0), total)
    varying = total > 1e-12 * np.maximum(squares.sum(axis=0), 1)
    if used < 2 or n <= used or not varying.any():
        return pd.DataFrame(columns=["feature", "f_statistic", "p_value", "eta_squared"])
    between, total = between[varying], total[varying]
    with np.errstate(divide="ignore"):  # a perfectly separating feature gives F = inf
        f_stat = (between / (used - 1)) / ((total - between) / (n - used))
    table = pd.DataFrame(
        {
            "feature": np.asarray(names)[varying],
            "f_statistic": f_stat,
            "p_value": f_distribution.sf(f_stat, used - 1, n - used),
            "eta_squared": between / total,
        }
    )
    return table.sort_values("eta_squared", ascending=False, ignore_index=True)
