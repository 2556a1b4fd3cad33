"""Describe each segment in the user's own units, and what sets it apart.

The central table is the origin document's analysis: the mean of every
feature per segment, unscaled. Around it: sizes and shares, the category mix,
standardised differences from the overall mean (for a heatmap), the features
that separate segments most, and a short editable name per segment.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy.stats import f as f_distribution

from ..prepare.columns import ParsedColumn, arrow_text
from ..prepare.outliers import over_rows
from ..prepare.roles import OUTCOME_VALUE
from ..prepare.validation import FeatureData
from ..report.text import shorten
from .kmeans import SegmentResult
from .segment_name import segment_name

STRONG_TRAIT = 0.5  # standard deviations from the overall mean
DOMINANT_CATEGORY = 0.5
MAX_TRAITS = 2
MAX_NAME = 40  # characters: a segment name fits a legend, a table cell and a heatmap row
SHORT_TRAIT = 14  # a second trait this short is kept whole beside a long first one
# Words put before the first trait of segments that would share a name, most extreme first.
RANK_WORDS = {
    2: ("very ", ""),
    3: ("very ", "", "slightly "),
    4: ("extremely ", "very ", "", "slightly "),
}
RANK_GAP = 0.1  # standard deviations between segments given different rank words
COMPARATIVE = {"extremely ": "far ", "very ": "much "}  # "much older", not "very older"
MISSING = "(missing)"
# Values that mark the positive case of a yes/no outcome, in the languages of real exports.
_POSITIVE = re.compile(r"(?i)^(yes|y|true|t|sim|s|si|sí|ja|oui|да|evet|positive|1)$")


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
    """

    summary: pd.DataFrame  # size, share, then the mean of each numeric feature
    category_mix: dict[str, pd.DataFrame]  # per categorical feature: share of each value
    differences: pd.DataFrame  # standardised difference from the overall mean, per feature
    separation: pd.DataFrame  # per feature: F statistic, p-value, eta squared, sorted
    names: dict[int, str]
    # Per outcome column (churn, response, ...): its rate or mean in each segment, e.g.
    # "Exited: share of 1" or "Churn: share of Yes"; empty when the file has none.
    outcomes: pd.DataFrame = field(default_factory=pd.DataFrame)

    def summary_with_names(self, names: dict[int, str] | None = None) -> pd.DataFrame:
        """The summary table with a name column, for display and export."""
        table = self.summary.copy()
        table.insert(0, "name", [segment_name(names or self.names, s) for s in table.index])
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
    names = name_segments(differences, mix)
    table = outcome_table(outcomes or {}, data.usable, group, segments)
    return SegmentProfiles(summary, mix, differences, separation, names, table)


def outcome_table(
    outcomes: Mapping[str, ParsedColumn], rows: np.ndarray, group: np.ndarray, segments: pd.Index
) -> pd.DataFrame:
    """Each outcome column's rate per segment, over ``rows`` (whose segments are ``group + 1``).

    A yes/no or 0/1 column gives the share of its positive value (``yes``,
    ``1``, ``Attrited Customer``: a value naming the outcome, else the rarer
    one); other numbers their mean; other text the share of each value.
    Cells without a value are left out of each share.
    """
    table = {}
    for name, column in outcomes.items():
        values = column.values
        if isinstance(values, np.ndarray):
            values = pd.Series(values[rows])
            levels = sorted(values.dropna().unique())
            if set(levels) <= {0.0, 1.0}:
                table[f"{name}: share of 1"] = _rate(values == 1, values.notna(), group, segments)
            else:
                table[f"{name}: mean"] = _rate(values.fillna(0), values.notna(), group, segments)
            continue
        values = pd.Series(values.to_numpy()[rows])
        present = values.notna()
        counts = values.value_counts()
        levels = [_positive_level(counts)] if len(counts) == 2 else list(counts.index)
        for level in levels:
            table[f"{name}: share of {level}"] = _rate(values == level, present, group, segments)
    return pd.DataFrame(table, index=segments)


def _positive_level(counts: pd.Series) -> str:
    for level in counts.index:
        if _POSITIVE.match(str(level).strip()) or OUTCOME_VALUE.search(str(level)):
            return str(level)
    return str(counts.index[-1])  # the rarer value: churners, responders


def _rate(hits: pd.Series, present: pd.Series, group: np.ndarray, segments: pd.Index) -> np.ndarray:
    k = len(segments)
    ok = present.to_numpy(dtype=bool)
    numerator = np.bincount(group[ok], weights=hits.to_numpy(dtype=np.float64, na_value=0)[ok], minlength=k)
    denominator = np.bincount(group[ok], minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        return numerator / denominator


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


def name_segments(differences: pd.DataFrame, mix: dict[str, pd.DataFrame]) -> dict[int, str]:
    """Short names from each segment's strongest traits, e.g. "High income, low spending score".

    At most ``MAX_TRAITS`` traits and ``MAX_NAME`` characters (long column
    names are cut in the middle). Segments that would share a name are told
    apart by rank on their first trait ("Very low X", "Low X", "Slightly low
    X"), so a lower segment is never "Low X (2)"; a number is the last resort.
    """
    numeric_columns = [c for c in differences.columns if " = " not in c]
    traits: dict[int, list[tuple[str, str, float]]] = {}
    for segment in differences.index:
        row = differences.loc[segment]
        strongest = row[numeric_columns].abs().sort_values(ascending=False)
        numeric = [
            (c, "", float(row[c])) for c in strongest.index[:MAX_TRAITS] if strongest[c] >= STRONG_TRAIT
        ]
        categories = [("", value, 0.0) for value in _dominant_categories(segment, mix)]
        traits[int(segment)] = (numeric + categories)[:MAX_TRAITS]
    prefixes = _rank_prefixes(traits)
    names = {s: _join_traits(t, prefixes.get(s, "")) for s, t in traits.items()}
    return _unique(names)


def _rank_prefixes(traits: dict[int, list[tuple[str, str, float]]]) -> dict[int, str]:
    """Rank words for segments whose names would be equal, most extreme first.

    Only segments whose first trait is the same numeric feature on the same
    side can be ranked; others that share a name are numbered by ``_unique``.
    """
    groups: dict[tuple[str, str, bool], list[int]] = {}
    for segment, parts in traits.items():
        first = parts[0] if parts else ("", "", False)
        groups.setdefault((_join_traits(parts, ""), first[0], first[2] > 0), []).append(segment)
    prefixes: dict[int, str] = {}
    for (_, column, _), members in groups.items():
        if len(members) < 2 or not column or len(members) > len(RANK_WORDS):
            continue
        ranked = sorted(members, key=lambda s: -abs(traits[s][0][2]))
        strengths = [abs(traits[s][0][2]) for s in ranked]
        if np.min(-np.diff(strengths)) < RANK_GAP:
            continue  # as high (or low) as each other: a rank word would mislead, a number does not
        prefixes.update(zip(ranked, RANK_WORDS[len(members)], strict=True))
    return prefixes


def _join_traits(parts: list[tuple[str, str, float]], prefix: str) -> str:
    """The traits as a name of at most ``MAX_NAME`` characters, long words cut in the middle."""
    words = [
        _trait(feature_label(column), high=z > 0, prefix=prefix if i == 0 else "") if column else category
        for i, (column, category, z) in enumerate(parts)
    ]
    if not words:
        return "Typical customers"
    room = MAX_NAME - 2 * (len(words) - 1)  # ", " between words
    if len(words) == 2 and sum(map(len, words)) > room:
        # A short second trait ("older", a category) stays whole beside a cut first one;
        # of two long traits the stronger one stays, readable, rather than two cut ones.
        short = len(words[1]) <= SHORT_TRAIT
        words = [shorten(words[0], room - len(words[1])), words[1]] if short else words[:1]
    label = shorten(", ".join(words), MAX_NAME)
    return label[0].upper() + label[1:]


def _trait(label: str, *, high: bool, prefix: str = "") -> str:
    if label == "age":
        word = "older" if high else "younger"
        return f"{COMPARATIVE.get(prefix, prefix)}{word}" if prefix else word
    return f"{prefix}{'high' if high else 'low'} {label}"


def _dominant_categories(segment: int, mix: dict[str, pd.DataFrame]) -> list[str]:
    found = []
    for shares in mix.values():
        shares = shares.drop(columns=MISSING, errors="ignore")  # a gap is not a trait
        if shares.empty:
            continue
        of_segment = shares.loc[segment]
        top = str(of_segment.idxmax())  # the columns are the category labels (text)
        share, overall = of_segment[top], shares.mean()[top]
        if share >= DOMINANT_CATEGORY and share > overall * 1.2:
            found.append(str(top).replace("_", " "))
    return found[:1]


def feature_label(column: str) -> str:
    """``Annual Income (k$)`` → ``annual income``; ``spending_score`` → ``spending score``."""
    plain = re.sub(r"\(.*?\)", "", column)
    plain = re.sub(r"([a-z])([A-Z])", r"\1 \2", plain)
    return " ".join(re.sub(r"[_\-]+", " ", plain).split()).lower()


def _unique(names: dict[int, str]) -> dict[int, str]:
    """Equal names numbered "X (2)", "X (3)", cut so that the number still fits in ``MAX_NAME``."""
    seen: dict[str, int] = {}
    taken = set(names.values())  # a base name may itself look like "X (2)"
    unique = {}
    for segment, name in names.items():
        seen[name] = seen.get(name, 0) + 1
        new = name
        if seen[name] > 1:
            count = seen[name]
            while (new := _numbered(name, count)) in taken:
                count += 1
            seen[name] = count
        taken.add(new)
        unique[segment] = new
    return unique


def _numbered(name: str, count: int) -> str:
    suffix = f" ({count})"
    return shorten(name, MAX_NAME - len(suffix)) + suffix
