"""What a saved segmentation holds, built from a run, and its parts in portable form (JSON, Parquet)."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..model.analysis import Segmentation
from ..model.settings import Settings
from ..reuse.modelfile import Manifest, build_manifest, model_bytes

#: Version of what one saved item holds; an item of a higher version is refused, not misread.
ITEM_VERSION = 1


@dataclass(frozen=True)
class Snapshot:
    """A segmentation ready to be saved: everything ``Store.save`` writes, in one value.

    ``keys`` and ``segments`` are the customers (key as written in the file, segment
    number, 0 = not segmented); both ``None`` when saved without customers.
    ``like_model_id``: the model this one was numbered like (same lineage).
    """

    name: str
    period: date
    model: bytes
    model_id: str
    settings: Settings
    names: dict[int, str]
    summary: pd.DataFrame
    fingerprint: str
    source: dict[str, Any]
    key_column: str | None
    keys: np.ndarray | None
    segments: np.ndarray | None
    rules: Any = None
    like_model_id: str | None = None

    @property
    def n_customers(self) -> int:
        return 0 if self.keys is None else len(self.keys)


def snapshot_of(
    seg: Segmentation,
    *,
    name: str,
    fingerprint: str,
    names: dict[int, str] | None = None,
    period: date | None = None,
    source: dict[str, Any] | None = None,
    key_column: str | None = None,
    with_customers: bool = True,
    like_model_id: str | None = None,
    rules: Any = None,
) -> Snapshot:
    """The snapshot of a run with the names as shown (``names``: edits over the run's own).

    ``rules``: readable rules of the segments; by default the run's own ``rules`` if it has them.
    """
    shown = {**seg.names, **(names or {})}
    model = model_bytes(seg, shown)
    key_column = key_column or seg.selection.id_column
    keys = segments = None
    if with_customers and key_column is not None:
        keys = seg.dataset.raw[key_column].to_numpy(dtype=object, na_value="")
        segments = np.asarray(seg.result.segments, dtype=np.int32)
    return Snapshot(
        name=name.strip(),
        period=period or date.today(),
        model=model,
        model_id=model_identity(build_manifest(seg, shown)),
        settings=seg.settings,
        names={int(k): str(v) for k, v in shown.items()},
        summary=seg.profiles.summary_with_names(shown),
        fingerprint=fingerprint,
        source=dict(source or {}),
        key_column=key_column,
        keys=keys,
        segments=segments,
        rules=rules if rules is not None else getattr(seg, "rules", None),
        like_model_id=like_model_id,
    )


def model_identity(manifest: Manifest) -> str:
    """The same model gives the same id however often it is written (a skops file's bytes differ
    each time) and whatever its segments are called: a hash of its manifest without the names."""
    content = dataclasses.asdict(manifest)
    content.pop("versions", None)
    for spec in content["segments"]:
        spec.pop("name", None)
    text = json.dumps(content, sort_keys=True, allow_nan=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def settings_json(settings: Settings) -> str:
    return json.dumps(dataclasses.asdict(settings), sort_keys=True)


def settings_from_json(text: str) -> Settings:
    raw = json.loads(text)
    known = {f.name for f in dataclasses.fields(Settings)}
    values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items() if k in known}
    return Settings(**values)


def names_json(names: dict[int, str]) -> str:
    return json.dumps({str(k): v for k, v in sorted(names.items())}, ensure_ascii=False)


def names_from_json(text: str) -> dict[int, str]:
    return {int(k): str(v) for k, v in json.loads(text).items()}


def table_json(table: pd.DataFrame) -> str:
    """A per-segment table as JSON: its index (segment), column names exactly, cells (NaN as null)."""
    rows = [[_cell(v) for v in row] for row in table.itertuples(index=False, name=None)]
    return json.dumps(
        {"index": [int(i) for i in table.index], "columns": [str(c) for c in table.columns], "rows": rows},
        ensure_ascii=False,
        allow_nan=False,
    )


def table_from_json(text: str) -> pd.DataFrame:
    raw = json.loads(text)
    table = pd.DataFrame(raw["rows"], columns=raw["columns"], index=pd.Index(raw["index"], name="segment"))
    for column in table.columns:
        if column != "name":
            table[column] = pd.to_numeric(table[column], errors="coerce")
    return table


def _cell(value: object) -> object:
    if isinstance(value, (np.integer, int)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(float(value)) else float(value)
    return None if value is None else str(value)


def rules_json(rules: Any) -> str | None:
    """Rules of the segments in whatever plain form they have (dataclasses, dicts, lists, text)."""
    if rules is None:
        return None
    if dataclasses.is_dataclass(rules) and not isinstance(rules, type):
        rules = dataclasses.asdict(rules)
    elif hasattr(rules, "to_dict"):
        rules = rules.to_dict()
    return json.dumps(rules, ensure_ascii=False, default=str)


def customers_parquet(keys: np.ndarray, segments: np.ndarray) -> bytes:
    table = pa.table({"key": pa.array(keys, pa.string()), "segment": pa.array(segments, pa.int32())})
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


def customers_from_parquet(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    table = pq.read_table(io.BytesIO(data))
    keys = table.column("key").to_numpy(zero_copy_only=False).astype(object)
    return keys, table.column("segment").to_numpy().astype(np.int32)
