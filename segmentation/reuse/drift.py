"""What changed between the training customers and newly scored ones.

Segment shares then and now with a population stability index (PSI), each
numeric feature's mean shift in training standard deviations, the share of
atypical customers, and category values the model had not seen. Plain data
for the CLI and the dashboard, plus the chart the dashboard draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..report.text import plotly_text
from .scoring import ATYPICAL, Scoring

# Floor for a share in the PSI, so an empty segment gives a large but finite index.
_PSI_FLOOR = 1e-4
# The usual reading of a PSI: below 0.1 stable, up to 0.25 a moderate shift, above it a large one.
PSI_MODERATE, PSI_LARGE = 0.1, 0.25


@dataclass(frozen=True)
class DriftReport:
    """The comparison of new customers with the training ones.

    Attributes
    ----------
    shares : pandas.DataFrame
        Indexed by segment: ``name``, ``share_then`` (training), ``share_now``, ``size_now``.
    psi : float
        Population stability index of the segment shares.
    shifts : pandas.DataFrame
        Indexed by numeric feature: ``mean_then``, ``mean_now``, ``shift_sd`` (in training SDs).
    atypical_share : float
        Share of the scored customers marked atypical.
    unknown_categories : dict
        Per categorical feature, values the model had not seen and their counts.
    n_rows, n_scored : int
        Rows in the new file, and how many were scored.
    """

    shares: pd.DataFrame
    psi: float
    shifts: pd.DataFrame
    atypical_share: float
    unknown_categories: dict[str, dict[str, int]]
    n_rows: int
    n_scored: int

    @property
    def verdict(self) -> str:
        if self.psi < PSI_MODERATE:
            return "stable"
        return "a moderate shift" if self.psi < PSI_LARGE else "a large shift"

    def lines(self) -> list[str]:
        """The report in plain lines, for the command line."""
        lines = [
            f"Scored {self.n_scored:,} of {self.n_rows:,} customers; "
            f"{self.atypical_share:.1%} atypical (fit no segment well).",
            f"Segment shares, training → now (PSI {self.psi:.3f}: {self.verdict}):",
        ]
        for number, row in self.shares.iterrows():
            lines.append(f"  {number} {row['name']}: {row['share_then']:.1%} → {row['share_now']:.1%}")
        if len(self.shifts):
            lines.append("Mean shift per feature, in training standard deviations:")
            for feature, row in self.shifts.iterrows():
                lines.append(
                    f"  {feature}: {row['mean_then']:.4g} → {row['mean_now']:.4g} ({row['shift_sd']:+.2f} SD)"
                )
        for column, counts in self.unknown_categories.items():
            values = ", ".join(f"{value!r} ({count:,})" for value, count in counts.items())
            lines.append(f"Unknown categories in {column}: {values}")
        return lines


def drift_report(scoring: Scoring) -> DriftReport:
    """Compare the scored customers with the model's training customers."""
    manifest = scoring.model.manifest
    scored = scoring.scored
    numbers = [s.number for s in manifest.segments]
    sizes = pd.Series(scoring.segments[scored]).value_counts().reindex(numbers, fill_value=0)
    now = sizes.to_numpy() / max(int(scored.sum()), 1)
    then = np.array([s.share for s in manifest.segments])
    shares = pd.DataFrame(
        {
            "name": [s.name for s in manifest.segments],
            "share_then": then,
            "share_now": now,
            "size_now": sizes.to_numpy(),
        },
        index=pd.Index(numbers, name="segment"),
    )
    n_scored = int(scored.sum())
    return DriftReport(
        shares=shares,
        psi=population_stability_index(then, now),
        shifts=_mean_shifts(scoring),
        atypical_share=float((scoring.fit == ATYPICAL).sum() / n_scored) if n_scored else 0.0,
        unknown_categories=scoring.unknown_categories,
        n_rows=len(scoring.segments),
        n_scored=n_scored,
    )


def population_stability_index(then: np.ndarray, now: np.ndarray) -> float:
    """PSI = Σ (now − then) · ln(now / then) over segments, shares floored at 1e-4."""
    then = np.maximum(np.asarray(then, dtype=np.float64), _PSI_FLOOR)
    now = np.maximum(np.asarray(now, dtype=np.float64), _PSI_FLOOR)
    return float(np.sum((now - then) * np.log(now / then)))


def _mean_shifts(scoring: Scoring) -> pd.DataFrame:
    rows = {}
    for spec in scoring.model.manifest.numeric:
        values = scoring.raw_numeric[spec.name][scoring.scored]
        mean_now = float(np.nanmean(values)) if np.isfinite(values).any() else float("nan")
        shift = (mean_now - spec.mean) / spec.sd if spec.sd > 0 else 0.0
        rows[spec.name] = {"mean_then": spec.mean, "mean_now": mean_now, "shift_sd": shift}
    table = pd.DataFrame.from_dict(rows, orient="index", columns=["mean_then", "mean_now", "shift_sd"])
    table.index.name = "feature"
    return table


def shares_figure(report: DriftReport) -> go.Figure:
    """Grouped bars: each segment's share in training and now."""
    # Names typed by a person or built from a file's headers: shown as plain text.
    labels = [plotly_text(f"{number} {name}") for number, name in report.shares["name"].items()]
    figure = go.Figure(
        [
            go.Bar(name="training", x=labels, y=report.shares["share_then"]),
            go.Bar(name="now", x=labels, y=report.shares["share_now"]),
        ]
    )
    figure.update_layout(
        barmode="group",
        yaxis_tickformat=".0%",
        yaxis_title="share of customers",
        margin={"t": 30, "b": 10},
        legend={"orientation": "h"},
    )
    return figure
