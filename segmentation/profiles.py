"""Describe each segment in the user's own units, and what sets it apart.

The central table is the origin document's analysis: the mean of every
feature per segment, unscaled. Around it: sizes and shares, the category mix,
standardised differences from the overall mean (for a heatmap), the features
that separate segments most, and a short editable name per segment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.feature_selection import f_classif

from .model import SegmentResult
from .validation import FeatureData

STRONG_TRAIT = 0.5  # standard deviations from the overall mean
DOMINANT_CATEGORY = 0.5
MAX_TRAITS = 2


@dataclass
class SegmentProfiles:
    """Everything the segment pages show, as plain frames indexed by segment number."""

    summary: pd.DataFrame  # size, share, then the mean of each numeric feature
    category_mix: dict[str, pd.DataFrame]  # per categorical feature: share of each value
    differences: pd.DataFrame  # standardised difference from the overall mean, per feature
    separation: pd.DataFrame  # per feature: F statistic, p-value, eta squared, sorted
    names: dict[int, str]

    def summary_with_names(self, names: dict[int, str] | None = None) -> pd.DataFrame:
        """The summary table with a name column, for display and export."""
        table = self.summary.copy()
        table.insert(0, "name", [(names or self.names).get(s, f"Segment {s}") for s in table.index])
        return table


def profile_segments(data: FeatureData, result: SegmentResult) -> SegmentProfiles:
    """Profile the segments of a fitted result, over the rows the model used."""
    labels = result.labels
    segments = np.arange(1, result.n_clusters + 1)
    numeric = data.numeric.loc[data.usable].reset_index(drop=True)
    categorical = data.categorical.loc[data.usable].reset_index(drop=True)

    sizes = pd.Series(np.bincount(labels, minlength=result.n_clusters + 1)[1:], index=segments)
    summary = pd.DataFrame({"size": sizes, "share": sizes / sizes.sum()})
    summary.index.name = "segment"
    means = numeric.groupby(labels).mean().reindex(segments)
    summary = pd.concat([summary, means], axis=1)

    mix = {name: _category_shares(categorical[name], labels, segments, data.categories[name])
           for name in categorical.columns}
    indicators = _indicator_frame(numeric, categorical, data.categories)
    differences = _standardised_differences(indicators, labels, segments)
    separation = _separation(indicators, labels)
    names = name_segments(differences, mix)
    return SegmentProfiles(summary, mix, differences, separation, names)


def _category_shares(values: pd.Series, labels: np.ndarray, segments: np.ndarray,
                     categories: list[str]) -> pd.DataFrame:
    counts = pd.crosstab(labels, values.fillna("(missing)")).reindex(index=segments, fill_value=0)
    columns = list(categories) + [c for c in counts.columns if c not in categories]
    counts = counts.reindex(columns=columns, fill_value=0)
    shares = counts.div(counts.sum(axis=1).replace(0, 1), axis=0)
    shares.index.name = "segment"
    return shares


def _indicator_frame(numeric: pd.DataFrame, categorical: pd.DataFrame,
                     categories: dict[str, list[str]]) -> pd.DataFrame:
    """Numeric features plus one 0/1 column per category value (``column = value``)."""
    parts = [numeric]
    for name in categorical.columns:
        for value in categories[name]:
            parts.append(pd.DataFrame({f"{name} = {value}": (categorical[name] == value).fillna(False)
                                       .astype(float)}))
    return pd.concat(parts, axis=1)


def _standardised_differences(indicators: pd.DataFrame, labels: np.ndarray,
                              segments: np.ndarray) -> pd.DataFrame:
    overall_mean = indicators.mean()
    overall_std = indicators.std(ddof=0).replace(0, np.nan)
    means = indicators.groupby(labels).mean().reindex(segments)
    differences = ((means - overall_mean) / overall_std).fillna(0.0)
    differences.index.name = "segment"
    return differences


def _separation(indicators: pd.DataFrame, labels: np.ndarray) -> pd.DataFrame:
    """ANOVA F and eta squared (share of a feature's variance explained by the segments)."""
    filled = indicators.fillna(indicators.median())
    varying = filled.columns[filled.std(ddof=0) > 0]
    filled = filled[varying]
    if len(np.unique(labels)) < 2 or filled.empty:
        return pd.DataFrame(columns=["feature", "f_statistic", "p_value", "eta_squared"])
    with np.errstate(divide="ignore", invalid="ignore"):  # a perfectly separating feature gives F = inf
        f_stat, p_value = f_classif(filled.to_numpy(), labels)
    total = ((filled - filled.mean()) ** 2).sum()
    group_means = filled.groupby(labels).transform("mean")
    between = ((group_means - filled.mean()) ** 2).sum()
    table = pd.DataFrame({
        "feature": varying,
        "f_statistic": f_stat,
        "p_value": p_value,
        "eta_squared": (between / total).to_numpy(),
    })
    return table.sort_values("eta_squared", ascending=False, ignore_index=True)


def name_segments(differences: pd.DataFrame, mix: dict[str, pd.DataFrame]) -> dict[int, str]:
    """Short names from each segment's strongest traits, e.g. "High income, low spending score, electronics"."""
    numeric_columns = [c for c in differences.columns if " = " not in c]
    names: dict[int, str] = {}
    for segment, row in differences.iterrows():
        traits = row[numeric_columns].abs().sort_values(ascending=False)
        parts = [
            _trait(feature_label(c), high=row[c] > 0)
            for c in traits.index[:MAX_TRAITS]
            if traits[c] >= STRONG_TRAIT
        ]
        parts.extend(_dominant_categories(segment, mix))
        label = ", ".join(parts) if parts else "Typical customers"
        names[int(segment)] = label[0].upper() + label[1:]
    return _unique(names)


def _trait(label: str, *, high: bool) -> str:
    if label == "age":
        return "older" if high else "younger"
    return f"{'high' if high else 'low'} {label}"


def _dominant_categories(segment: int, mix: dict[str, pd.DataFrame]) -> list[str]:
    found = []
    for shares in mix.values():
        top = shares.loc[segment].idxmax()
        overall = shares.mean()[top]
        if shares.loc[segment, top] >= DOMINANT_CATEGORY and shares.loc[segment, top] > overall * 1.2:
            found.append(str(top).replace("_", " "))
    return found[:1]


def feature_label(column: str) -> str:
    """``Annual Income (k$)`` → ``annual income``; ``spending_score`` → ``spending score``."""
    plain = re.sub(r"\(.*?\)", "", column)
    plain = re.sub(r"([a-z])([A-Z])", r"\1 \2", plain)
    return " ".join(re.sub(r"[_\-]+", " ", plain).split()).lower()


def _unique(names: dict[int, str]) -> dict[int, str]:
    seen: dict[str, int] = {}
    unique = {}
    for segment, name in names.items():
        seen[name] = seen.get(name, 0) + 1
        unique[segment] = name if seen[name] == 1 else f"{name} ({seen[name]})"
    return unique
