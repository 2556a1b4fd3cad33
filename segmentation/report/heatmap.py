"""The heatmap of how each segment differs from the average customer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from ..model.segment_name import segment_name
from .text import plotly_text, shorten

MANY_FEATURES = 12
MAX_LABEL = 24  # characters of a feature name on an axis; the hover text has it in full
MAX_SEGMENT_LABEL = 44  # "10. " and a generated name (at most 40) whole; longer typed names cut


def differences_figure(differences: pd.DataFrame, names: dict[int, str]) -> go.Figure:
    """Standardised differences (segments × features) as a red-above, blue-below heatmap.

    Colours saturate at the 98th percentile so one extreme cell does not wash
    out the rest; the numbers in the cells stay exact. With many features the
    table is turned, one row per feature, which reads better. Names from the
    file are shortened on the axes (in full on hover) and escaped for Plotly.
    """
    segments = [f"{s}. {segment_name(names, s)}" for s in differences.index]
    features = [str(c) for c in differences.columns]
    table = pd.DataFrame(
        differences.to_numpy(),
        index=_labels(segments, MAX_SEGMENT_LABEL),
        columns=_labels(features, MAX_LABEL),
    )
    values = np.abs(table.to_numpy()[np.isfinite(table.to_numpy())])
    limit = float(min(max(np.quantile(values, 0.98), 0.5), 3.0)) if values.size else 1.0
    many = table.shape[1] > MANY_FEATURES
    full = np.array([[(plotly_text(s), plotly_text(f)) for f in features] for s in segments], dtype=object)
    if many:
        table, full = table.T, full.transpose(1, 0, 2)
    figure = px.imshow(
        table,
        color_continuous_scale="RdBu_r",
        zmin=-limit,
        zmax=limit,
        aspect="auto",
        text_auto=".1f",
        labels={"x": "segment" if many else "feature", "y": "", "color": "σ"},
    )
    figure.update_traces(
        customdata=full, hovertemplate="%{customdata[0]}<br>%{customdata[1]}<br>%{z:.2f} σ<extra></extra>"
    )
    figure.update_xaxes(side="top", tickangle=None if many else -30)
    figure.update_layout(
        height=160 + (26 if many else 45) * len(table), margin={"l": 10, "r": 10, "t": 10, "b": 10}
    )
    return figure


def _labels(names: list[str], width: int) -> list[str]:
    """Axis labels: shortened, escaped for Plotly, and unique (a heatmap axis merges equal labels)."""
    labels: list[str] = []
    for name in names:
        label = plotly_text(shorten(name, width))
        while label in labels:
            label += "\u200b"  # invisible, keeps two shortened names apart
        labels.append(label)
    return labels
