"""Outcomes per segment: the churn (response, attrition, ...) rate of each segment, overall, and the lift.

Outcome columns are left out of the features (see ``prepare.features``) so
that the segments can be read against them: a segment with twice the overall
churn rate has a lift of 2.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..prepare.columns import ParsedColumn
from ..prepare.roles import OUTCOME_VALUE

# Values that mark the positive case of a yes/no outcome, in the languages of real exports.
_POSITIVE = re.compile(r"(?i)^(yes|y|true|t|sim|s|si|sí|ja|oui|да|evet|positive|1)$")
LIFT = "lift"
OVERALL = "all customers"


@dataclass
class OutcomeRates:
    """Each outcome measure's rate (or mean) per segment and over every customer profiled.

    Attributes
    ----------
    by_segment : pandas.DataFrame
        Index segment; one column per measure, e.g. "Exited: share of 1", "Churn: share of Yes",
        "Balance: mean". Empty when the file has no outcome column.
    overall : pandas.Series
        Per measure, its value over all the customers profiled.
    """

    by_segment: pd.DataFrame
    overall: pd.Series

    @property
    def lift(self) -> pd.DataFrame:
        """Each segment's value over the overall one (2 = twice the overall churn rate)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.by_segment / self.overall.replace(0, np.nan)

    def table(self) -> pd.DataFrame:
        """Per segment, each measure then its lift; the last row is every customer (lift 1)."""
        columns: dict[str, pd.Series] = {}
        lift = self.lift
        for measure in self.by_segment.columns:
            columns[measure] = self.by_segment[measure]
            columns[f"{measure} ({LIFT})"] = lift[measure]
        frame = pd.DataFrame(columns, index=self.by_segment.index)
        overall = {m: self.overall[m] for m in self.by_segment.columns}
        overall |= {f"{m} ({LIFT})": 1.0 for m in self.by_segment.columns}
        frame.index = frame.index.astype(object)
        frame.loc[OVERALL] = pd.Series(overall)
        return frame


def outcome_rates(
    outcomes: Mapping[str, ParsedColumn], rows: np.ndarray, group: np.ndarray, segments: pd.Index
) -> OutcomeRates:
    """Each outcome column's rate per segment, over ``rows`` (whose segments are ``group + 1``).

    A yes/no or 0/1 column gives the share of its positive value (``yes``,
    ``1``, ``Attrited Customer``: a value naming the outcome, else the rarer
    one); other numbers their mean; other text the share of each value.
    Cells without a value are left out of each share.
    """
    rates: dict[str, np.ndarray] = {}
    overall: dict[str, float] = {}
    for name, column in outcomes.items():
        for measure, hits, present in _measures(name, column, rows):
            rates[measure], overall[measure] = _rate(hits, present, group, len(segments))
    return OutcomeRates(pd.DataFrame(rates, index=segments), pd.Series(overall, dtype=np.float64))


def _measures(name: str, column: ParsedColumn, rows: np.ndarray) -> list[tuple[str, pd.Series, pd.Series]]:
    values = column.values
    if isinstance(values, np.ndarray):
        series = pd.Series(values[rows])
        levels = sorted(series.dropna().unique())
        if set(levels) <= {0.0, 1.0}:
            return [(f"{name}: share of 1", series == 1, series.notna())]
        return [(f"{name}: mean", series.fillna(0), series.notna())]
    series = pd.Series(values.to_numpy()[rows])
    present = series.notna()
    counts = series.value_counts()
    levels = [_positive_level(counts)] if len(counts) == 2 else list(counts.index)
    return [(f"{name}: share of {level}", series == level, present) for level in levels]


def _positive_level(counts: pd.Series) -> str:
    for level in counts.index:
        if _POSITIVE.match(str(level).strip()) or OUTCOME_VALUE.search(str(level)):
            return str(level)
    return str(counts.index[-1])  # the rarer value: churners, responders


def _rate(hits: pd.Series, present: pd.Series, group: np.ndarray, k: int) -> tuple[np.ndarray, float]:
    ok = present.to_numpy(dtype=bool)
    weights = hits.to_numpy(dtype=np.float64, na_value=0)[ok]
    numerator = np.bincount(group[ok], weights=weights, minlength=k)
    denominator = np.bincount(group[ok], minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        overall = float(numerator.sum() / denominator.sum()) if denominator.sum() else float("nan")
        return numerator / denominator, overall
