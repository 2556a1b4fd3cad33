"""Where the time goes inside each stage: cProfile of one run, top functions by own time.

    python -m bench.profile customers.csv [top]

Not part of ``python -m bench`` (profiling overhead distorts the timings);
use it to find what to speed up.
"""

import cProfile
import io
import pstats
import sys
from pathlib import Path

from segmentation.model.analysis import Settings
from segmentation.model.kmeans import fit_segments
from segmentation.model.profiles import profile_segments
from segmentation.report.export import labeled_csv

from .stages import read, validate


def main(source: str, top: int = 12) -> None:
    settings = Settings()
    profiler = cProfile.Profile()
    state = {}

    def stage(name, fn, *args, **kwargs):
        profiler.enable()
        value = fn(*args, **kwargs)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(top)
        print(f"\n===== {name} =====")
        print("\n".join(line for line in out.getvalue().splitlines()[5:] if line.strip()))
        profiler.clear()
        state[name] = value
        return value

    table = stage("read", read, Path(source))
    _, _, data, _ = stage("validate", validate, table.raw, table.report.delimiter, settings)
    result = stage(
        "fit",
        fit_segments,
        data,
        n_clusters=settings.n_clusters,
        scaling=settings.scaling,
        random_state=settings.random_state,
    )
    profiles = stage("profile", profile_segments, data, result)
    stage(
        "export",
        labeled_csv,
        table.raw,
        result.segments,
        dict(profiles.names),
        notes=data.row_notes,
        delimiter=table.report.delimiter,
    )


if __name__ == "__main__":
    main(sys.argv[1], *(int(a) for a in sys.argv[2:3]))
