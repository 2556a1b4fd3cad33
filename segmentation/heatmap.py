"""The heatmap of how each segment differs from the average customer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

MANY_FEATURES = 12
MAX_LABEL = 22


def differences_figure(differences: pd.DataFrame, names: dict[int, str]) -> go.Figure:
    """Standardised differences (segments × features) as a red-above, blue-below heatmap.

    Colours saturate at the 98th percentile so one extreme cell does not wash
    out the rest; the numbers in the cells stay exact. With many features the
    table is turned, one row per feature, which reads better.
    """
    table = differences.copy()
    table.index = [f"{s}. {names.get(s, f'Segment {s}')}" for s in table.index]
    values = np.abs(table.to_numpy()[np.isfinite(table.to_numpy())])
    limit = float(min(max(np.quantile(values, 0.98), 0.5), 3.0)) if values.size else 1.0
    many = table.shape[1] > MANY_FEATURES
    if many:
        table = table.T
        table.columns = [c if len(c) <= MAX_LABEL else c[: MAX_LABEL - 1] + "…" for c in table.columns]
    figure = px.imshow(
        table,
        color_continuous_scale="RdBu_r",
        zmin=-limit,
        zmax=limit,
        aspect="auto",
        text_auto=".1f",
        labels={"x": "segment" if many else "feature", "y": "", "color": "σ"},
    )
    figure.update_xaxes(side="top", tickangle=0 if many else -30)
    figure.update_layout(
        height=160 + (26 if many else 45) * len(table), margin={"l": 10, "r": 10, "t": 10, "b": 10}
    )
    return figure
