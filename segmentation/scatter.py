"""What the segment scatter plot draws: points, hover data and segment centres.

A browser cannot draw millions of points quickly, so at most ``max_points``
customers are drawn, sampled evenly within each segment (each segment keeps
its share); the centres are still computed over every customer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
from sklearn.decomposition import PCA

from .analysis import Segmentation
from .model import model_input

MAX_POINTS = 20_000
PCA_AXES = ("PC1", "PC2")
MAX_HOVER_FEATURES = 6


@dataclass
class ScatterData:
    """Points to draw (one row per drawn customer) and one centre per segment."""

    points: pd.DataFrame  # columns: row, id column, segment, x, y, hover features
    centres: pd.DataFrame  # index segment name; columns x, y
    x: str
    y: str
    id_column: str
    hover: list[str]
    n_shown: int
    n_segmented: int
    n_unplaced: int = 0  # segmented customers with no value on a feature axis: not drawn


def sample_rows(segments: np.ndarray, max_points: int = MAX_POINTS, seed: int = 0) -> np.ndarray:
    """Positions of segmented rows to draw: all of them, or an even sample of each segment."""
    rows = np.flatnonzero(segments > 0)
    if len(rows) <= max_points:
        return rows
    rng = np.random.default_rng(seed)
    fraction = max_points / len(rows)
    picked = []
    for segment in np.unique(segments[rows]):
        members = rows[segments[rows] == segment]
        take = min(len(members), max(1, int(len(members) * fraction)))
        picked.append(rng.choice(members, size=take, replace=False))
    return np.sort(np.concatenate(picked))


def pca_projection(run: Segmentation) -> np.ndarray:
    """The segmented customers in the model's space, projected on its two main axes."""
    encoded = np.asarray(
        run.result.pipeline.named_steps["prepare"].transform(model_input(run.data)), dtype=np.float64
    )
    if encoded.shape[1] < 2:
        return np.column_stack([encoded[:, 0], np.zeros(len(encoded))])
    return PCA(n_components=2, random_state=0).fit_transform(encoded)


def scatter_data(
    run: Segmentation,
    x: str,
    y: str,
    names: dict[int, str],
    *,
    projection: np.ndarray | None = None,
    max_points: int = MAX_POINTS,
    rows: np.ndarray | None = None,
) -> ScatterData:
    """Points and centres for axes ``x`` and ``y`` (numeric features), or the PCA projection.

    Pass ``projection`` (from ``pca_projection``) to draw the PCA axes, and
    ``rows`` (from ``sample_rows``) when already drawn for this result, so that
    an axes change only costs the drawn rows. Centres on feature axes are the
    profiles' segment means, over every customer.
    """
    segments = run.result.segments
    if rows is None:
        rows = sample_rows(segments, max_points)
    numeric = run.data.numeric
    id_column = run.selection.id_column or "row"
    ids = (
        run.dataset.raw[run.selection.id_column]
        if run.selection.id_column
        else pd.Series(np.arange(1, len(segments) + 1).astype(str))
    )
    label = np.array([names.get(s, f"Segment {s}") for s in range(run.result.n_clusters + 1)], dtype=object)
    points = pd.DataFrame(
        {"row": rows, id_column: ids.iloc[rows].to_numpy(), "segment": label[segments[rows]]}
    )
    if projection is not None:
        x, y = PCA_AXES
        position = np.cumsum(segments > 0) - 1  # row -> its position among segmented rows
        points[x], points[y] = projection[position[rows], 0], projection[position[rows], 1]
        coordinates = pd.DataFrame(projection, columns=list(PCA_AXES))
        centres = coordinates.groupby(segments[segments > 0]).mean()
    else:
        centres = run.profiles.summary[list(dict.fromkeys([x, y]))]
    hover = [c for c in numeric.columns[:MAX_HOVER_FEATURES] if c not in (x, y)]
    for column in dict.fromkeys([x, y, *hover]):
        if column not in points:
            points[column] = numeric[column].iloc[rows].to_numpy()
    centres = centres.reindex(range(1, run.result.n_clusters + 1)).set_axis(label[1:])
    n_unplaced = 0
    if projection is None:
        # A gap was filled for the model, but a made-up position would mislead: such customers are not drawn.
        placed = points[x].notna() & points[y].notna()
        if not placed.all():
            points = points[placed].reset_index(drop=True)
            gaps = numeric[x].isna().to_numpy() | numeric[y].isna().to_numpy()
            n_unplaced = int((gaps & (segments > 0)).sum())
    return ScatterData(
        points, centres, x, y, id_column, hover, len(points), int((segments > 0).sum()), n_unplaced
    )


def scatter_figure(data: ScatterData) -> go.Figure:
    """The interactive scatter: one WebGL trace per segment, centres as crosses.

    Each point carries its row number (``customdata``) so a box or lasso
    selection maps back to customers. The segment name is the trace name, not
    hover data, which would repeat it in every point and double the payload.
    """
    fig = px.scatter(
        data.points,
        x=data.x,
        y=data.y,
        color="segment",
        category_orders={"segment": list(data.centres.index)},
        hover_name=data.id_column,
        hover_data=dict.fromkeys(data.hover, True),
        custom_data=["row"],
        render_mode="webgl",
        opacity=0.75,
    )
    fig.add_trace(
        go.Scattergl(
            x=data.centres[data.x],
            y=data.centres[data.y],
            mode="markers",
            name="Segment centres",
            marker={"symbol": "x", "size": 16, "color": "black", "line": {"width": 1, "color": "white"}},
            text=data.centres.index,
            hovertemplate="%{text}<br>centre<extra></extra>",
        )
    )
    fig.update_layout(
        height=520,
        legend_title_text="Segment",
        dragmode="select",
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
    )
    return fig
