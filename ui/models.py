"""Model files on the pages: the download, opening an upload, scoring with it, numbering like it."""

from __future__ import annotations

from segmentation import (
    Segmentation,
)
from segmentation.reuse.drift import DriftReport, drift_report
from segmentation.reuse.modelfile import SavedModel, model_bytes, read_model
from segmentation.reuse.scoring import Scoring, score

from .server import cached
from .sources import current_source, data_key, load_dataset
from .work import result_key


def model_file(seg: Segmentation, names: dict[int, str]) -> bytes:
    """The model file of a result with the names as shown (edited ones included)."""
    return cached(
        ("model file", result_key(seg), tuple(sorted(names.items()))), lambda: model_bytes(seg, names)
    )


def model_download_name() -> str:
    return f"{current_source().stem}_model.skops"


def open_model(name: str, data: bytes) -> SavedModel:
    """Open an uploaded model file once per content; raises ``SegmentationError`` if refused
    (a refusal raises, so it is never cached)."""
    return cached(("model", data_key(data)), lambda: read_model(data, name=name), cost=len(data))


def scored_customers(model: SavedModel, key: str, data: bytes) -> tuple[Scoring, DriftReport]:
    """Score an uploaded customer file (``key``: the hash of ``data``) with a model; cached per
    (model, file content). The file is read only when the scores are not in the cache."""

    def build() -> tuple[Scoring, DriftReport]:
        scoring = score(load_dataset(key, data), model)
        return scoring, drift_report(scoring)

    return cached(("scored", model.model_id, key), build, cost=len(data), spinner="Scoring…")


def scored_csv(key: str, scoring: Scoring) -> bytes:
    """The scored customers' CSV, the same bytes ``python -m segmentation score`` writes."""
    return cached(("scored csv", scoring.model.model_id, key), scoring.labeled_csv)
