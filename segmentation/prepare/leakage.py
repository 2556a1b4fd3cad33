"""Find columns derived from an outcome: a classifier's output, a predicted probability, a score.

Segments formed on such a column are circular: one segment then "explains"
churn because a model's churn prediction was one of its features. A column is
taken for derived from an outcome column when

- its header names a model's output (classifier, prediction, probability,
  propensity, ... in the languages the product reads), or a score together
  with the outcome's own name or word (``churn_score``); or
- its content predicts the outcome almost perfectly: AUC at least ``MIN_AUC``
  for a yes/no (or few-valued) outcome, absolute correlation at least
  ``MIN_CORRELATION`` for a numeric one.

Such a column is left out by default with the reason "derived from the
outcome COLUMN"; the analyst's own feature choice puts it back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .columns import ParsedColumn
from .roles import column_key, header_words

MIN_AUC = 0.95
MIN_CORRELATION = 0.9
# Content checks read a seeded sample of this many rows: ranks of a million rows per column would
# add seconds; on this sample an AUC near 0.95 is off by about 0.002.
CONTENT_SAMPLE = 50_000
MIN_ROWS = 30  # fewer rows with both values present tell nothing
MAX_LEVELS = 20  # category features compared by their outcome rate per value

# A model's output, alone enough (with an outcome in the file): English, Russian, Portuguese,
# Spanish, German, French. Matched against header words, by prefix.
_MODEL_OUTPUT = (
    "classifier", "classification", "predict", "predicted", "prediction", "pred", "prob",
    "proba", "probability", "propensity", "likelihood", "logit", "posterior",
    "классификатор", "прогноз", "предсказ", "вероятность", "склонность", "скоринг",
    "classificador", "previsão", "previsao", "predição", "predicao", "probabilidade", "propensão",
    "propensao", "clasificador", "predicción", "prediccion", "probabilidad", "propensión", "propension",
    "klassifikator", "vorhersage", "prognose", "wahrscheinlichkeit", "neigung",
    "classifieur", "classificateur", "prédiction", "prediction", "probabilité", "probabilite",
    "propension",
)  # fmt: skip
# A score is derived from an outcome only when the header also names that outcome (``churn_score``,
# ``score_attrition``); "Spending Score" is a trait.
_SCORE = (
    "score", "scoring", "rating", "risk", "скор", "балл", "оценка", "риск", "pontuação", "pontuacao",
    "escore", "risco", "puntuación", "puntuacion", "puntaje", "riesgo", "punktzahl", "risiko",
    "note", "risque",
)  # fmt: skip
_OUTCOME_WORDS = (
    "churn", "attrition", "attrited", "exited", "cancel", "default", "fraud", "response", "conversion",
    "target", "отток", "уход", "cancelamento", "evasão", "evasao", "abandono", "baja", "kündigung",
    "abwanderung", "résiliation", "resiliation", "attrition",
)  # fmt: skip


@dataclass(frozen=True)
class DerivedColumn:
    """A column found to carry an outcome, and the evidence.

    Attributes
    ----------
    column : str
        The column.
    outcome : str
        The outcome column it is derived from.
    evidence : str
        Why, in words: its header, or how well it predicts the outcome.
    """

    column: str
    outcome: str
    evidence: str

    @property
    def reason(self) -> str:
        """The reason shown beside the column left out."""
        return (
            f"derived from the outcome {self.outcome}: {self.evidence}; segments formed on it would only "
            "restate the outcome (add it to the features to use it anyway)"
        )


def derived_columns(
    columns: Mapping[str, ParsedColumn], candidates: Sequence[str], outcomes: Sequence[str]
) -> list[DerivedColumn]:
    """The ``candidates`` (proposed features) that carry one of the ``outcomes``, by name or content."""
    if not outcomes:
        return []
    rows = _sample_rows(len(next(iter(columns.values())).values))
    targets = {name: _outcome_targets(columns[name], rows) for name in outcomes}
    found = []
    for name in candidates:
        if name in outcomes:
            continue
        derived = _by_name(name, outcomes) or _by_content(name, columns[name], targets, rows)
        if derived is not None:
            found.append(derived)
    return found


def _words_start(words: Sequence[str], stems: Sequence[str]) -> bool:
    """A word is a stem or, for stems of six letters or more, starts with it (not "problem" for "prob")."""
    return any(word == stem or (len(stem) >= 6 and word.startswith(stem)) for word in words for stem in stems)


def _by_name(name: str, outcomes: Sequence[str]) -> DerivedColumn | None:
    words = header_words(name)
    key = column_key(name)
    named = [o for o in outcomes if len(column_key(o)) >= 3 and column_key(o) in key]
    mentions_outcome = bool(named) or _words_start(words, _OUTCOME_WORDS)
    outcome = named[0] if named else outcomes[0]
    if _words_start(words, _MODEL_OUTPUT):
        return DerivedColumn(
            name, outcome, "named like a model's output (a classifier, prediction or probability)"
        )
    if mentions_outcome and _words_start(words, _SCORE):
        return DerivedColumn(name, outcome, "named like a score of the outcome")
    return None


def _by_content(
    name: str, column: ParsedColumn, targets: Mapping[str, list[np.ndarray]], rows: np.ndarray | None
) -> DerivedColumn | None:
    values = _feature_values(column, rows)
    if values is None:
        return None
    category = not isinstance(column.values, np.ndarray)
    for outcome, levels in targets.items():
        for target in levels:
            strength = _strength(_rate_per_value(values, target) if category else values, target)
            if strength is not None:
                return DerivedColumn(name, outcome, strength)
    return None


def _strength(values: np.ndarray, target: np.ndarray) -> str | None:
    """In words, how well ``values`` predict ``target`` when almost perfectly; else None."""
    present = ~(np.isnan(values) | np.isnan(target))
    if present.sum() < MIN_ROWS:
        return None
    x, y = values[present], target[present]
    if np.ptp(x) == 0:
        return None
    if set(np.unique(y)) <= {0.0, 1.0}:
        auc = area_under_curve(x, y == 1)
        if auc is not None and max(auc, 1 - auc) >= MIN_AUC:
            return f"it predicts the outcome almost perfectly (AUC {max(auc, 1 - auc):.2f})"
        return None
    if np.ptp(y) == 0:
        return None
    correlation = float(np.corrcoef(x, y)[0, 1])
    if abs(correlation) >= MIN_CORRELATION:
        return f"it moves with the outcome almost exactly (correlation {correlation:.2f})"
    return None


def _rate_per_value(codes: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Each row's category replaced by the outcome's mean over that category: a category that
    holds the outcome (``Status = Churned customer``) then predicts it as well as a score."""
    present = ~(np.isnan(codes) | np.isnan(target))
    index = np.where(present, codes, 0).astype(np.int64)
    n = int(index.max()) + 1 if len(index) else 1
    sums = np.bincount(index[present], weights=target[present], minlength=n)
    counts = np.bincount(index[present], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = sums / counts
    return np.where(present, rate[index], np.nan)


def area_under_curve(scores: np.ndarray, positive: np.ndarray) -> float | None:
    """ROC AUC of ``scores`` for ``positive`` (Mann-Whitney, ties counted half); None with one class."""
    n_pos = int(positive.sum())
    n_neg = len(positive) - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    ranks = average_ranks(scores)
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1..n, tied values sharing their mean rank (as ``scipy.stats.rankdata``, whose import
    would add a second to every command that reads a file)."""
    order = np.argsort(values, kind="mergesort")
    ordered = values[order]
    starts_group = np.r_[True, ordered[1:] != ordered[:-1]]
    group = np.cumsum(starts_group) - 1
    starts = np.flatnonzero(starts_group)
    ends = np.r_[starts[1:], len(values)]
    ranks = np.empty(len(values), dtype=np.float64)
    ranks[order] = ((starts + 1 + ends) / 2.0)[group]
    return ranks


def _sample_rows(n: int) -> np.ndarray | None:
    if n <= CONTENT_SAMPLE:
        return None
    return np.sort(np.random.default_rng(0).choice(n, CONTENT_SAMPLE, replace=False))


def _take(values: np.ndarray | pd.Series, rows: np.ndarray | None) -> np.ndarray | pd.Series:
    if rows is None:
        return values
    return values[rows] if isinstance(values, np.ndarray) else values.iloc[rows].reset_index(drop=True)


def _outcome_targets(column: ParsedColumn, rows: np.ndarray | None) -> list[np.ndarray]:
    """The outcome as 0/1 per level (a yes/no outcome: once) or as numbers; NaN where it has no value."""
    values = _take(column.values, rows)
    if isinstance(values, np.ndarray):
        levels = np.unique(values[~np.isnan(values)])
        if len(levels) <= 2 or len(levels) > MAX_LEVELS:
            return [values.astype(np.float64) if len(levels) > 2 else _indicator(values, list(levels[-1:]))]
        return [_indicator(values, [level]) for level in levels]
    text = values.astype(object)
    present = text.notna().to_numpy()
    kinds = list(pd.unique(text[present]))
    chosen = kinds[:1] if len(kinds) == 2 else kinds[:MAX_LEVELS]
    out = []
    for level in chosen:
        target = (text == level).to_numpy(dtype=np.float64)
        target[~present] = np.nan
        out.append(target)
    return out


def _indicator(values: np.ndarray, levels: Sequence[float]) -> np.ndarray:
    target = np.isin(values, levels).astype(np.float64)
    target[np.isnan(values)] = np.nan
    return target


def _feature_values(column: ParsedColumn, rows: np.ndarray | None) -> np.ndarray | None:
    """A feature as numbers: its values, or for a few-valued category, a code per value (sorted later)."""
    values = _take(column.values, rows)
    if isinstance(values, np.ndarray):
        return values.astype(np.float64)
    if column.info.n_distinct > MAX_LEVELS:
        return None
    codes, _ = pd.factorize(values.astype(object))
    return np.where(codes < 0, np.nan, codes).astype(np.float64)
