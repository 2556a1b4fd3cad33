"""Dashboard figure: size of the Segments scatter and cost of an axes-only rerun.

    python -m bench.figure customers.csv

There is no ``pages/segments.py`` in the repository yet, so this builds the
figure the Segments page is specified to show: ``px.scatter`` with
``render_mode="webgl"`` of at most 20,000 points, sampled evenly per segment
(each segment gets an equal quota, rows spread evenly through the segment),
coloured by segment name, hover showing customer_id and every feature, plus
the segment centres (per-segment means, in the user's units).

The segmentation itself runs once (as the page caches it); a rerun that only
changes the axes rebuilds the figure from those cached results.
"""

import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from segmentation.analysis import Settings, segment
from segmentation.dataset import load

MAX_POINTS = 20_000
AXES = [
    ("annual_income", "spending_score"),
    ("age", "average_order_value"),
    ("years_with_company", "activity_per_week"),
    ("number_of_purchases", "annual_income"),
]


def sample_rows(segments: np.ndarray, max_points: int = MAX_POINTS) -> np.ndarray:
    """Row positions: an equal quota per segment, spread evenly through each segment."""
    used = np.unique(segments[segments > 0])
    quota = max_points // max(len(used), 1)
    picks = []
    for s in used:
        rows = np.flatnonzero(segments == s)
        if len(rows) > quota:
            rows = rows[np.linspace(0, len(rows) - 1, quota).round().astype(np.int64)]
        picks.append(rows)
    return np.sort(np.concatenate(picks)) if picks else np.array([], dtype=np.int64)


def cached_frame(run) -> pd.DataFrame:
    """What the page would cache after segmenting: the sampled points with their labels."""
    rows = sample_rows(run.result.segments)
    features = run.selection.features
    frame = pd.DataFrame({name: run.dataset.columns[name].values[rows] if name in run.selection.numeric
                          else np.asarray(run.data.categorical[name].iloc[rows], dtype=object)
                          for name in features})
    frame.insert(0, "customer_id", run.dataset.raw[run.selection.id_column].iloc[rows].to_numpy(dtype=object))
    seg = run.result.segments[rows]
    frame["segment"] = seg
    frame["segment_name"] = [f"{s}: {run.names[int(s)]}" for s in seg]
    return frame


def build_figure(points: pd.DataFrame, centres: pd.DataFrame, features: list[str], x: str, y: str) -> go.Figure:
    fig = px.scatter(
        points, x=x, y=y, color="segment_name",
        # segment_name is the colour (each trace's name); listing it in hover_data, even as
        # False, would copy it into every point's customdata and double the JSON.
        hover_data={"customer_id": True, **{f: True for f in features}},
        render_mode="webgl", opacity=0.6,
    )
    fig.add_trace(go.Scatter(
        x=centres[x], y=centres[y], mode="markers", name="segment centres",
        marker=dict(symbol="x", size=14, color="black", line=dict(width=2)),
        text=[f"Segment {s}" for s in centres.index], hovertemplate="%{text}<extra></extra>",
    ))
    fig.update_layout(legend_title_text="Segment", height=600)
    return fig


def main(source: str, repeats: int = 7) -> None:
    start = time.perf_counter()
    run = segment(load(Path(source), max_bytes=1 << 40), Settings())
    segmented = time.perf_counter() - start
    features = run.selection.features
    numeric = run.selection.numeric
    start = time.perf_counter()
    points = cached_frame(run)
    centres = run.profiles.summary[numeric]
    sample_seconds = time.perf_counter() - start

    first = build_figure(points, centres, features, *AXES[0])
    payload = first.to_json()
    build, build_json = [], []
    for i in range(repeats):
        x, y = AXES[(i + 1) % len(AXES)]
        t0 = time.perf_counter()
        fig = build_figure(points, centres, features, x, y)
        t1 = time.perf_counter()
        fig.to_json()
        t2 = time.perf_counter()
        build.append(t1 - t0)
        build_json.append(t2 - t0)
    print(json.dumps({
        "rows": run.dataset.n_rows,
        "points": len(points),
        "segment_seconds": segmented,
        "sample_seconds": sample_seconds,
        "json_bytes": len(payload.encode("utf-8")),
        "rerun_build_seconds_median": statistics.median(build),
        "rerun_build_json_seconds_median": statistics.median(build_json),
        "rerun_build_json_seconds_all": build_json,
        "repeats": repeats,
    }))


if __name__ == "__main__":
    main(sys.argv[1], *(int(a) for a in sys.argv[2:3]))
