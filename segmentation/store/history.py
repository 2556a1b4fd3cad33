"""History of one model lineage: segment sizes and shares over the saved periods, and drift.

A lineage is a model and the later periods numbered like it (segment 3 means
the same segment throughout). The drift of the latest period against the
first is the same measure the Score page shows for new customers: the
population stability index of the segment shares (``reuse.drift``), and each
feature's mean shift in the first period's standard deviations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..report.text import plotly_text
from ..reuse.drift import PSI_LARGE, PSI_MODERATE, population_stability_index
from ..reuse.modelfile import read_model
from .store import LOCAL_OWNER, SavedSegmentation, Store


@dataclass(frozen=True)
class History:
    """Sizes and shares per period (rows, in period order) and segment (columns), and the drift.

    ``shifts`` is indexed by numeric feature: ``mean_first``, ``mean_latest``, ``shift_sd``.
    """

    lineage: str
    periods: list[str]
    sizes: pd.DataFrame
    shares: pd.DataFrame
    names: dict[int, str]
    psi: float
    shifts: pd.DataFrame

    @property
    def verdict(self) -> str:
        if len(self.periods) < 2:
            return "one period only"
        if self.psi < PSI_MODERATE:
            return "stable"
        return "a moderate shift" if self.psi < PSI_LARGE else "a large shift"

    def lines(self) -> list[str]:
        first, latest = self.periods[0], self.periods[-1]
        count = "1 saved period" if len(self.periods) == 1 else f"{len(self.periods)} saved periods"
        lines = [f"{count} of this model: {', '.join(self.periods)}"]
        for number in self.shares.columns:
            values = " → ".join(f"{share:.1%}" for share in self.shares[number])
            lines.append(f"  {number} {self.names.get(int(number), '')}: {values}")
        if len(self.periods) > 1:
            lines.append(f"Drift of {latest!r} against {first!r}: PSI {self.psi:.3f} ({self.verdict})")
            for feature, row in self.shifts.iterrows():
                lines.append(
                    f"  {feature}: {row['mean_first']:.4g} → {row['mean_latest']:.4g} ({row['shift_sd']:+.2f} SD)"
                )
        return lines


def lineage_history(store: Store, name: str, owner: str = LOCAL_OWNER) -> History:
    """The history of the lineage ``name`` belongs to, over the owner's saved periods."""
    lineage = store.info(name, owner).lineage
    items = [store.load(i.name, owner) for i in store.list(owner) if i.lineage == lineage and i.readable]
    labels = [f"{item.info.period.isoformat()} {item.info.name}" for item in items]
    sizes = pd.DataFrame(
        [item.summary["size"].to_dict() for item in items], index=pd.Index(labels, name="period")
    ).fillna(0)
    sizes = sizes.reindex(columns=sorted(sizes.columns)).astype(np.int64)
    shares = sizes.div(sizes.sum(axis=1).where(lambda t: t > 0, 1), axis=0)
    first, latest = shares.iloc[0].to_numpy(), shares.iloc[-1].to_numpy()
    return History(
        lineage=lineage,
        periods=labels,
        sizes=sizes,
        shares=shares,
        names=dict(items[-1].names),
        psi=population_stability_index(first, latest),
        shifts=_mean_shifts(items[0], items[-1]),
    )


def _mean_shifts(first: SavedSegmentation, latest: SavedSegmentation) -> pd.DataFrame:
    """Each numeric feature's overall mean, first and latest, from the models' own training figures."""
    then = {f.name: f for f in read_model(first.model, name=first.info.name).manifest.numeric}
    now = {f.name: f for f in read_model(latest.model, name=latest.info.name).manifest.numeric}
    rows = {}
    for feature, spec in then.items():
        if feature in now:
            shift = (now[feature].mean - spec.mean) / spec.sd if spec.sd > 0 else 0.0
            rows[feature] = {"mean_first": spec.mean, "mean_latest": now[feature].mean, "shift_sd": shift}
    table = pd.DataFrame.from_dict(rows, orient="index", columns=["mean_first", "mean_latest", "shift_sd"])
    table.index.name = "feature"
    return table


def history_figure(history: History) -> go.Figure:
    """One line per segment: its share of customers in each saved period."""
    figure = go.Figure(
        [
            go.Scatter(
                x=[plotly_text(p) for p in history.periods],
                y=history.shares[number],
                mode="lines+markers",
                name=plotly_text(f"{number} {history.names.get(int(number), f'Segment {number}')}"),
                customdata=history.sizes[number],
                hovertemplate="%{y:.1%} (%{customdata:,} customers)<extra>%{fullData.name}</extra>",
            )
            for number in history.shares.columns
        ]
    )
    figure.update_layout(
        yaxis_tickformat=".0%",
        yaxis_title="share of customers",
        margin={"t": 30, "b": 10},
        legend={"orientation": "h"},
    )
    return figure
