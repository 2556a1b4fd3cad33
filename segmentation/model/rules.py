"""Rules in plain words: which customers each segment holds, as thresholds in the file's units.

A shallow decision tree (scikit-learn's ``DecisionTreeClassifier``, depth at
most ``MAX_DEPTH``) is fitted to the segment labels on the features as the
file gives them (gaps filled as the model filled them; a category becomes
"is"/"is not" a value). Each segment's rule is the "or" of the tree's leaves
that give it; beside each rule, the share of the segment it covers and the
share of the customers it matches that are in the segment (precision), and
overall, the share of customers whose segment the rules give (agreement).

Thresholds are the roundest number that splits the customers exactly as the
tree's own threshold does (``Annual Income (k$) > 70`` rather than ``> 69.5``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sklearn.tree import DecisionTreeClassifier

from ..prepare.columns import arrow_text
from ..prepare.validation import FeatureData

MAX_DEPTH = 3
FIT_SAMPLE = 100_000  # rows a tree is fitted on; a seeded sample of larger files
MAX_CATEGORY_VALUES = 12  # a category with more values is left out of the rules
MIN_LEAF_SHARE = 0.005  # a leaf holds at least this share of the customers: no rule for a handful
NO_RULE = "no simple rule: its customers are spread among the other segments' rules"


@dataclass(frozen=True)
class SegmentRule:
    """One segment's rule and how well it holds.

    Attributes
    ----------
    segment : int
        The segment number.
    text : str
        The rule, e.g. "Annual Income (k$) > 70 and Spending Score (1-100) ≤ 40"; ``NO_RULE`` when
        no leaf of the tree gives this segment.
    coverage : float
        Share of the segment's customers the rule matches.
    precision : float
        Share of the customers the rule matches that are in the segment (NaN when it matches none).
    """

    segment: int
    text: str
    coverage: float
    precision: float


@dataclass(frozen=True)
class SegmentRules:
    """Every segment's rule, and the share of customers whose segment the rules give.

    Attributes
    ----------
    rules : tuple of SegmentRule
        One per segment, by number.
    agreement : float
        Share of the customers (of ``n_rows`` checked) the rules put in their own segment.
    n_rows : int
        Customers the tree was fitted and checked on (a seeded sample of large files).
    """

    rules: tuple[SegmentRule, ...]
    agreement: float
    n_rows: int

    def table(self) -> pd.DataFrame:
        """One row per segment (the index): ``rule``, ``coverage`` and ``precision``."""
        frame = pd.DataFrame(
            {
                "rule": [r.text for r in self.rules],
                "coverage": [r.coverage for r in self.rules],
                "precision": [r.precision for r in self.rules],
            },
            index=pd.Index([r.segment for r in self.rules], name="segment"),
        )
        return frame

    def to_dict(self) -> dict:
        """Plain data for a model file's manifest."""
        return {
            "agreement": self.agreement,
            "n_rows": self.n_rows,
            "rules": [
                {"segment": r.segment, "text": r.text, "coverage": r.coverage, "precision": r.precision}
                for r in self.rules
            ],
        }

    @classmethod
    def from_dict(cls, data: dict) -> SegmentRules:
        rules = tuple(
            SegmentRule(int(r["segment"]), str(r["text"]), float(r["coverage"]), float(r["precision"]))
            for r in data.get("rules", [])
        )
        return cls(rules=rules, agreement=float(data["agreement"]), n_rows=int(data["n_rows"]))

    def agreement_text(self) -> str:
        return (
            f"These rules put {self.agreement:.0%} of the customers in their own segment "
            f"(checked on {self.n_rows:,} customers)."
        )


@dataclass(frozen=True)
class _Feature:
    """One column the tree sees: a number, or "category is value" (0/1)."""

    column: str
    value: str | None = None  # the category value of a 0/1 indicator


def segment_rules(data: FeatureData, labels: np.ndarray, *, random_state: int = 0) -> SegmentRules:
    """Fit the rule tree to ``labels`` (the segment of each usable row of ``data``) and read its rules.

    Parameters
    ----------
    data : FeatureData
        The model input the segments were fitted on.
    labels : numpy.ndarray
        Segment numbers (1..k) of ``data``'s usable rows.
    random_state : int
        Seed of the sample of large files and of the tree's tie breaks.
    """
    labels = np.asarray(labels)
    segments = [int(s) for s in np.unique(labels)]
    rows = _sample(len(labels), random_state)
    matrix, features = _matrix(data, rows)
    y = labels if rows is None else labels[rows]
    tree = DecisionTreeClassifier(
        max_depth=MAX_DEPTH,
        min_samples_leaf=max(1, math.ceil(MIN_LEAF_SHARE * len(y))),
        random_state=random_state,
    ).fit(matrix, y)
    leaves = tree.apply(matrix)
    predicted = tree.classes_[np.argmax(tree.tree_.value[:, 0, :], axis=1)]  # per node
    paths = _leaf_paths(tree, matrix, features)
    rules = []
    for segment in segments:
        own = [leaf for leaf in paths if predicted[leaf] == segment]
        rules.append(_rule(segment, own, paths, leaves, y))
    agreement = float(np.mean(predicted[leaves] == y))
    return SegmentRules(rules=tuple(rules), agreement=agreement, n_rows=len(y))


def _rule(
    segment: int, own: list[int], paths: dict[int, str], leaves: np.ndarray, y: np.ndarray
) -> SegmentRule:
    members = y == segment
    if not own:
        return SegmentRule(segment, NO_RULE, 0.0, float("nan"))
    matched = np.isin(leaves, own)
    hits = int((matched & members).sum())
    text = " or ".join(f"({paths[leaf]})" if len(own) > 1 else paths[leaf] for leaf in own)
    precision = hits / int(matched.sum()) if matched.any() else float("nan")
    return SegmentRule(segment, text, hits / max(int(members.sum()), 1), precision)


def _sample(n: int, random_state: int) -> np.ndarray | None:
    if n <= FIT_SAMPLE:
        return None
    return np.sort(np.random.default_rng(random_state).choice(n, FIT_SAMPLE, replace=False))


def _matrix(data: FeatureData, rows: np.ndarray | None) -> tuple[np.ndarray, list[_Feature]]:
    columns, features = [], []
    for name in data.numeric.columns:
        values = data.filled_numeric(name)
        columns.append(values if rows is None else values[rows])
        features.append(_Feature(name))
    for name in data.categorical.columns:
        kinds = list(data.categories[name])
        if len(kinds) > MAX_CATEGORY_VALUES:
            continue
        values = arrow_text(data.filled_categorical(name))
        if rows is not None:
            values = values.take(pa.array(rows))
        for value in kinds if len(kinds) > 2 else kinds[:1]:  # of two values, one says it all
            hit = pc.fill_null(pc.equal(values, pa.scalar(value, pa.string())), False)
            columns.append(hit.to_numpy(zero_copy_only=False).astype(np.float64))
            features.append(_Feature(name, value))
    if not columns:
        return np.zeros((len(data.usable) if rows is None else len(rows), 1)), [_Feature("")]
    return np.column_stack(columns).astype(np.float64), features


def _leaf_paths(tree: DecisionTreeClassifier, matrix: np.ndarray, features: list[_Feature]) -> dict[int, str]:
    """Each leaf's conditions in words, bounds on one feature merged ("30 < Age ≤ 50")."""
    t = tree.tree_
    paths: dict[int, str] = {}

    def walk(node: int, bounds: dict[int, list[float | None]]) -> None:
        if t.children_left[node] == -1:
            paths[node] = _conditions(bounds, matrix, features)
            return
        j, threshold = int(t.feature[node]), float(t.threshold[node])
        low, high = bounds.get(j, [None, None])
        walk(t.children_left[node], {**bounds, j: [low, threshold if high is None else min(high, threshold)]})
        walk(t.children_right[node], {**bounds, j: [threshold if low is None else max(low, threshold), high]})

    walk(0, {})
    return paths


def _conditions(bounds: dict[int, list[float | None]], matrix: np.ndarray, features: list[_Feature]) -> str:
    words = []
    for j, (low, high) in sorted(bounds.items()):
        feature = features[j]
        if feature.value is not None:  # 0/1: a threshold of 0.5 says "is" or "is not"
            is_value = low is not None
            words.append(f"{feature.column} {'is' if is_value else 'is not'} {feature.value}")
            continue
        values = matrix[:, j]
        low_text = _format(_round_threshold(values, low)) if low is not None else None
        high_text = _format(_round_threshold(values, high)) if high is not None else None
        if low_text and high_text:
            words.append(f"{low_text} < {feature.column} ≤ {high_text}")
        elif low_text:
            words.append(f"{feature.column} > {low_text}")
        elif high_text:
            words.append(f"{feature.column} ≤ {high_text}")
    return " and ".join(words) if words else "every customer"


def _round_threshold(values: np.ndarray, threshold: float) -> float:
    """The roundest number t with the same split as ``threshold``: every value ≤ t or > t alike."""
    below = values[values <= threshold]
    above = values[values > threshold]
    if not len(below) or not len(above):
        return threshold
    return roundest_between(float(below.max()), float(above.min()))


def roundest_between(low: float, high: float) -> float:
    """The roundest number t with ``low <= t < high`` (fewest significant digits)."""
    if not low < high:
        return low
    step = 10.0 ** math.ceil(math.log10(high - low))
    for _ in range(30):
        candidate = math.floor(high / step) * step
        if candidate >= high:
            candidate -= step
        if candidate >= low:
            return round(candidate, 12)
        step /= 10
    return low


def _format(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6g}" if abs(value) >= 1 else f"{value:.6g}"
