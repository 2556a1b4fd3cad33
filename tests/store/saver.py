"""A child process for the store's tests: ``python tests/store/saver.py URL NAME MODE [MARKER]``.

Saves a small segmentation under NAME. MODE ``hang`` stops inside the save's
transaction, after the item's row was written and before its customers,
writes MARKER and sleeps (the test then kills it); ``save`` just saves.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from segmentation import Settings, load, segment
from segmentation.store.records import snapshot_of
from segmentation.store.store import Store, open_store
from tests.fixtures import mall_like_csv


def main(url: str, name: str, mode: str, marker: str | None = None) -> int:
    run = segment(load(mall_like_csv(120, seed=3)), Settings(n_clusters=3))
    store = open_store(url)
    if mode == "hang":

        def hang(self, conn, item_id, data):
            Path(marker or "marker").write_text(str(item_id))
            time.sleep(600)

        Store._write_customers = hang  # type: ignore[method-assign]
    try:
        store.save(snapshot_of(run, name=name, fingerprint="child"))
    except Exception as exc:  # the concurrency test counts these
        print(type(exc).__name__, getattr(exc, "code", ""), flush=True)
        return 3
    print("saved", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
