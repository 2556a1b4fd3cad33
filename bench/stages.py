"""One process, one size: time and RSS of each pipeline stage.

    python -m bench.stages customers.csv

Stages (the same calls ``segment`` and the CLI make, in order):
read (reader.read_csv), validate (analyze_table + choose_features +
prepare), fit (fit_segments), profile (profile_segments), export
(labeled_csv). Prints one JSON line.
"""

import json
import sys
import tempfile
from pathlib import Path

from segmentation.io.reader import read_csv
from segmentation.model.analysis import Settings
from segmentation.model.kmeans import fit_segments
from segmentation.model.profiles import profile_segments
from segmentation.prepare.columns import analyze_table
from segmentation.prepare.features import choose_features
from segmentation.prepare.validation import prepare
from segmentation.report.export import labeled_csv
from segmentation.runtime.memory import give_freed_memory_back, release_freed_memory

from ._proc import StageTimer, memory_kib


def read(source):
    table = read_csv(source, max_bytes=1 << 40)  # lifted: the CLI refuses files over 200 MB
    release_freed_memory()  # as dataset.load does
    return table


def validate(raw, delimiter, settings):
    # dataset.load's analysis, then analysis.select_and_prepare, with their releases.
    columns = analyze_table(raw, delimiter=delimiter)
    release_freed_memory()
    selection = choose_features(
        columns,
        max_categories=settings.max_categories,
        features=settings.features,
        as_categorical=settings.as_categorical,
    )
    data, report = prepare(columns, selection, missing=settings.missing, n_clusters=settings.n_clusters)
    release_freed_memory()
    return columns, selection, data, report


def main(source: str) -> None:
    give_freed_memory_back()  # as the CLI does
    settings = Settings()
    timer = StageTimer()
    baseline = memory_kib()["VmRSS"] / 1024
    table = timer.run("read", read, Path(source))
    _, _, data, _ = timer.run("validate", validate, table.raw, table.report.delimiter, settings)
    result = timer.run(
        "fit",
        fit_segments,
        data,
        n_clusters=settings.n_clusters,
        scaling=settings.scaling,
        random_state=settings.random_state,
    )
    profiles = timer.run("profile", profile_segments, data, result)
    with tempfile.TemporaryDirectory() as folder:  # written to a file, as the CLI does
        target = Path(folder) / "labeled.csv"
        timer.run(
            "export",
            labeled_csv,
            table.raw,
            result.segments,
            dict(profiles.names),
            notes=data.row_notes,
            delimiter=table.report.delimiter,
            path=target,
        )
        export_bytes = target.stat().st_size
    print(
        json.dumps(
            {
                "rows": len(table.raw),
                "stages": timer.stages,
                "baseline_rss_mib": baseline,
                "process_peak_mib": memory_kib()["VmHWM"] / 1024,
                "peak_reset_works": timer.peak_reset_works,
                "export_bytes": export_bytes,
                "inertia": result.inertia,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
