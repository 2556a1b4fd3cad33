"""Choosing k: wall time of evaluate_k(k 2..10) on a loaded, prepared file.

    python -m bench.choosek customers.csv

Loading and preparing are timed separately; the target applies to
evaluate_k (silhouette, stability, Calinski-Harabasz, Davies-Bouldin per k).
"""

import json
import sys
import time
from pathlib import Path

from segmentation.model.analysis import Settings, select_and_prepare
from segmentation.model.choose_k import evaluate_k
from segmentation.prepare.dataset import load


def main(source: str) -> None:
    start = time.perf_counter()
    dataset = load(Path(source), max_bytes=1 << 40)
    _, data, _ = select_and_prepare(dataset, Settings())
    prepared = time.perf_counter()
    choice = evaluate_k(data, k_min=2, k_max=10)
    done = time.perf_counter()
    print(
        json.dumps(
            {
                "load_prepare_seconds": prepared - start,
                "evaluate_k_seconds": done - prepared,
                "suggested_k": choice.suggested_k,
                "n_rows_scored": choice.n_rows_scored,
                "table": choice.table.reset_index().to_dict(orient="records"),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
