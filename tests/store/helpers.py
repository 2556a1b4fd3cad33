"""Snapshots of the shared runs, for the store's tests."""

from __future__ import annotations

import hashlib
from datetime import date

from segmentation.store.records import Snapshot, model_identity, snapshot_of


def snapshot(runs, which: str = "first", name: str = "October", **options) -> Snapshot:
    csv = runs[f"{which}_csv"]
    like = model_identity(runs["model"].manifest) if which == "second" else None
    options.setdefault("like_model_id", like)
    options.setdefault("period", date(2026, 10, 31) if which == "first" else date(2026, 11, 30))
    return snapshot_of(runs[which], name=name, fingerprint=hashlib.sha256(csv).hexdigest(), **options)
