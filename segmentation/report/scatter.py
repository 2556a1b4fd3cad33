"""What the segment scatter plot draws: points, hover data and segment centres.

A browser cannot draw millions of points quickly, so at most ``max_points``
customers are drawn, sampled evenly within each segment (each segment keeps
its share); the centres are still computed over every customer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from sklearn.decomposition import PCA

from ..model.analysis import Segmentation
from ..model.kmeans import model_input
from ..model.segment_name import segment_name
from .text import plotly_template_text, plotly_text, shorten

MAX_POINTS = 20_000
WEBGL_FROM = 1_000  # more points than this are drawn with WebGL (Plotly Express's render_mode="auto")
PCA_AXES = ("PC1", "PC2")
MAX_HOVER_FEATURES = 6
AXIS_LABEL = 24  # characters of a column name on an axis; the hover text has it in full
LEGEND_LABEL = 40  # a generated name whole; longer typed names cut (in full on hover)
YEARS = (1800, 2200)  # whole numbers in this range read as years: no thousands separator
NARROW_RANGE = 12  # whole-number axes this narrow get a tick on every value


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
    label = np.array([segment_name(names, s) for s in range(run.result.n_clusters + 1)], dtype=object)
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
    """The interactive scatter: one trace per segment, centres as crosses.

    Drawn with WebGL (``Scattergl``) when more than ``WEBGL_FROM`` points are
    shown, as Plotly Express decides; a small file's few points are plain SVG,
    which a browser draws sooner than it sets up a WebGL context (and has no
    limit on the number of WebGL contexts open at once).

    Each point carries its row number (first in ``customdata``) so a box or
    lasso selection maps back to customers. Every name from the file is
    escaped for Plotly's pseudo-HTML; long names are shortened on the axes
    and in the legend and shown in full on hover. The legend sits below the
    plot, horizontally, so it never takes the plotting area's width.
    """
    fig = go.Figure()
    hover = _hover_template(data)
    trace = _trace_type(data)
    for name in data.centres.index:
        fig.add_trace(_segment_trace(data, name, hover, trace))
    fig.add_trace(
        trace(
            x=data.centres[data.x],
            y=data.centres[data.y],
            mode="markers",
            name="Segment centres",
            marker={"symbol": "x", "size": 16, "color": "black", "line": {"width": 1, "color": "white"}},
            text=[plotly_text(name) for name in data.centres.index],
            hovertemplate="%{text}<br>centre<extra></extra>",
        )
    )
    fig.update_xaxes(title_text=plotly_text(shorten(data.x, AXIS_LABEL)), **axis_format(data.points[data.x]))
    fig.update_yaxes(title_text=plotly_text(shorten(data.y, AXIS_LABEL)), **axis_format(data.points[data.y]))
    fig.update_layout(
        height=620,
        legend={"title_text": "Segment", "orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
        dragmode="select",
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
    )
    return fig


def _trace_type(data: ScatterData) -> type[go.Scatter] | type[go.Scattergl]:
    return go.Scattergl if data.n_shown > WEBGL_FROM else go.Scatter


def _segment_trace(
    data: ScatterData, name: str, hovertemplate: str, trace: type[go.Scatter] | type[go.Scattergl]
) -> go.Scatter | go.Scattergl:
    """The points of one segment; the legend shows its name shortened, the hover box in full."""
    points = data.points[data.points["segment"] == name]
    ids = points[data.id_column].map(plotly_text)
    custom = np.column_stack([points["row"].to_numpy(), ids.to_numpy(), *(points[c] for c in data.hover)])
    return trace(
        x=points[data.x],
        y=points[data.y],
        mode="markers",
        name=plotly_text(shorten(name, LEGEND_LABEL)),
        opacity=0.75,
        customdata=custom,
        hovertemplate=hovertemplate + f"<extra>{plotly_template_text(name)}</extra>",
    )


def _hover_template(data: ScatterData) -> str:
    """Hover text: the customer's id, then every shown feature under its full, escaped name."""
    lines = [f"<b>{plotly_template_text(data.id_column)} %{{customdata[1]}}</b>"]
    lines.append(f"{plotly_template_text(data.x)}: %{{x}}")
    if data.y != data.x:
        lines.append(f"{plotly_template_text(data.y)}: %{{y}}")
    lines.extend(
        f"{plotly_template_text(c)}: %{{customdata[{i}]}}" for i, c in enumerate(data.hover, start=2)
    )
    return "<br>".join(lines)


def axis_format(values: pd.Series) -> dict[str, object]:
    """Tick settings for a feature axis: whole numbers get whole ticks, years no thousands separator.

    Parameters
    ----------
    values : pandas.Series
        The values drawn on the axis.

    Returns
    -------
    dict
        Keyword arguments for ``update_xaxes``/``update_yaxes``: empty for
        fractional data; ``tickformat`` ``"d"`` (years: 2015, not 2,015) or
        ``",d"``, and a tick every 1 when the range is narrow.
    """
    finite = pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64)
    finite = finite[np.isfinite(finite)]
    if not finite.size or not np.all(finite == np.round(finite)):
        return {}
    low, high = float(finite.min()), float(finite.max())
    year_like = YEARS[0] <= low and high <= YEARS[1]
    settings: dict[str, object] = {"tickformat": "d" if year_like else ",d"}
    if high - low <= NARROW_RANGE:
        settings |= {"tick0": low, "dtick": 1}
    return settings
