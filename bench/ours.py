"""Harness: the same core calls as ``python -m segmentation segment``, plus the inertia.

    python -m bench.ours customers.csv labeled.csv

load → segment(Settings()) (the CLI defaults: k=5, standard scaling,
impute, seed 42) → labeled_csv() written to a file. The last stdout line is
JSON with the inertia (the CLI itself does not print it).
"""

import json
import sys
from pathlib import Path

from segmentation.model.analysis import Settings, segment
from segmentation.prepare.dataset import load
from segmentation.runtime.memory import give_freed_memory_back


def main(source: str, target: str) -> None:
    give_freed_memory_back()  # as the CLI does
    dataset = load(Path(source))
    run = segment(dataset, Settings())
    run.labeled_csv(path=target)  # as the CLI writes it
    kmeans = run.result.pipeline.named_steps["kmeans"]
    print(
        json.dumps(
            {
                "inertia": run.result.inertia,
                "n_init": int(kmeans._n_init),
                "n_features": len(run.result.encoded_names),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
