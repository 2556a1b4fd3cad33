"""Dashboard figure: size of the Segments scatter and cost of an axes-only rerun.

    python -m bench.figure customers.csv [repeats]

Measures exactly what pages/segments.py does: ``segmentation.report.scatter.scatter_data``
(sample of at most 20,000 customers, hover features, segment centres) and
``segmentation.report.scatter.scatter_figure``, then ``fig.to_json()`` (what
``st.plotly_chart`` serialises). The segmentation runs once, as the page caches
it; an axes-only rerun = scatter_data + scatter_figure + to_json on the cached
segmentation. Prints one JSON line.
"""

import json
import statistics
import sys
import time
from itertools import permutations
from pathlib import Path

from segmentation.model.analysis import Settings, segment
from segmentation.prepare.dataset import load
from segmentation.report.scatter import scatter_data, scatter_figure


def axis_pairs(numeric: list[str], default: tuple[str, str], count: int) -> list[tuple[str, str]]:
    """``count`` distinct (x, y) pairs of numeric features, other than the default pair."""
    pairs = [p for p in permutations(numeric, 2) if p != default]
    step = max(1, len(pairs) // count)
    return pairs[::step][:count]


def main(source: str, repeats: int = 7) -> None:
    start = time.perf_counter()
    run = segment(load(Path(source), max_bytes=1 << 40), Settings())
    segmented = time.perf_counter() - start
    names = dict(run.profiles.names)  # what state.segment_names returns without user edits
    numeric = list(run.data.numeric.columns)
    # The page's default axes for the synthetic data.
    default = ("annual_income", "average_order_value")
    if not set(default) <= set(numeric):
        default = (numeric[0], numeric[1])

    t0 = time.perf_counter()
    data = scatter_data(run, *default, names)
    t1 = time.perf_counter()
    fig = scatter_figure(data)
    t2 = time.perf_counter()
    payload = fig.to_json()
    t3 = time.perf_counter()
    first = {"scatter_data": t1 - t0, "scatter_figure": t2 - t1, "to_json": t3 - t2}

    timings = []
    pairs = axis_pairs(numeric, default, repeats)
    for x, y in pairs:
        a = time.perf_counter()
        d = scatter_data(run, x, y, names)
        b = time.perf_counter()
        f = scatter_figure(d)
        c = time.perf_counter()
        f.to_json()
        e = time.perf_counter()
        timings.append(
            {"x": x, "y": y, "scatter_data": b - a, "scatter_figure": c - b, "to_json": e - c, "total": e - a}
        )
    print(
        json.dumps(
            {
                "rows": run.dataset.n_rows,
                "points": data.n_shown,
                "segmented": data.n_segmented,
                "default_axes": list(default),
                "segment_seconds": segmented,
                "first_build": first,
                "json_bytes": len(payload.encode("utf-8")),
                "repeats": len(timings),
                "rerun_seconds_median": statistics.median(t["total"] for t in timings),
                "rerun_scatter_data_median": statistics.median(t["scatter_data"] for t in timings),
                "rerun_scatter_figure_median": statistics.median(t["scatter_figure"] for t in timings),
                "rerun_to_json_median": statistics.median(t["to_json"] for t in timings),
                "rerun_seconds_all": [t["total"] for t in timings],
                "reruns": timings,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], *(int(a) for a in sys.argv[2:3]))
