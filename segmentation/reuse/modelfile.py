"""Model files: the fitted pipeline and a manifest, saved with skops; opening one runs nothing.

A model file is a skops file (``skops.io``) holding a dict of two entries:
``"pipeline"``, the fitted scikit-learn ``Pipeline``, and ``"manifest"``, a
JSON text describing what the model needs and what it learned (features,
settings, segment names and profiles, the thresholds behind ``atypical``,
library versions, a hash of the training data). No customer row is stored.

Opening a file (``read_model``) never unpickles: anything that is not a skops
file is refused by its first bytes, and a skops file is loaded only when every
type in it is one skops trusts by default or one of ``ALLOWED_TYPES`` (none),
as ``skops.io.get_untrusted_types`` reports before anything is built.
"""

from __future__ import annotations

import hashlib
import json
import platform
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import skops.io as sio
from sklearn.pipeline import Pipeline

from ..io.containers import ZipLimits, check_zip, open_zip, verify_sizes
from ..model.kmeans import model_input
from ..model.segment_name import segment_name
from ..report.errors import SegmentationError

FORMAT_VERSION = 1
# Types allowed beyond skops' default trusted ones. Empty on purpose: the pipeline
# holds only scikit-learn estimators and NumPy arrays, which skops trusts.
ALLOWED_TYPES: tuple[str, ...] = ()
ATYPICAL_PERCENTILE = 99.0
# A value farther outside the training range than this share of the range is "far outside".
RANGE_MARGIN = 0.25
_ZIP_MAGIC = b"PK\x03\x04"
# A model holds no customer rows: its arrays are centres, scales and categories, kilobytes
# even for a million customers. 100 MB unpacked is far beyond any real one, and the ratio
# stops a small file that unpacks to gigabytes of zeros (skops reads each array whole).
MODEL_LIMITS = ZipLimits(total_bytes=100 * 2**20)
_LIBRARIES = ("scikit-learn", "numpy", "scipy", "pandas", "pyarrow", "skops")


@dataclass(frozen=True)
class FeatureSpec:
    """One feature column as the model knows it.

    ``name`` is the header as in the training file; ``fill`` what fills a gap
    (median or most frequent value). Numeric features carry their training
    mean, standard deviation and range in original units; categorical ones
    their categories (``fixed`` when the list is the schema's, kept whole).
    """

    name: str
    kind: str  # "numeric" or "categorical"
    fill: float | str
    categories: tuple[str, ...] = ()
    fixed: bool = False
    mean: float = float("nan")
    sd: float = float("nan")
    minimum: float = float("nan")
    maximum: float = float("nan")


@dataclass(frozen=True)
class SegmentSpec:
    """One segment: number, name (as edited), training size, share, means, and its typical radius.

    ``distance_p99`` is the 99th percentile of the training customers' distance
    to the segment's centre, in the model's scaled space.
    """

    number: int
    name: str
    size: int
    share: float
    means: dict[str, float]
    distance_p99: float


@dataclass(frozen=True)
class Manifest:
    """What a model file says about its model; see the module docstring."""

    features: tuple[FeatureSpec, ...]
    segments: tuple[SegmentSpec, ...]
    scaling: str
    n_clusters: int
    random_state: int
    missing: str
    training_rows: int
    training_sha256: str
    versions: dict[str, str]
    range_margin: float = RANGE_MARGIN
    format_version: int = FORMAT_VERSION
    # Each segment's rule in plain words with its coverage and precision, and the rules' agreement
    # (``SegmentRules.to_dict``); None in files written before rules were kept.
    rules: dict[str, Any] | None = None

    @property
    def names(self) -> dict[int, str]:
        return {s.number: s.name for s in self.segments}

    @property
    def numeric(self) -> list[FeatureSpec]:
        return [f for f in self.features if f.kind == "numeric"]

    @property
    def categorical(self) -> list[FeatureSpec]:
        return [f for f in self.features if f.kind == "categorical"]

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, allow_nan=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        raw = json.loads(text)
        return cls(
            **{
                **raw,
                "features": tuple(
                    FeatureSpec(**{**f, "categories": tuple(f["categories"])}) for f in raw["features"]
                ),
                "segments": tuple(SegmentSpec(**{**s, "means": dict(s["means"])}) for s in raw["segments"]),
            }
        )


@dataclass(frozen=True)
class SavedModel:
    """A model read from a file: the pipeline, its manifest, and the model id.

    ``model_id`` is the start of the SHA-256 of the file's bytes: the same file
    always has the same id, and any change to it gives another.
    """

    pipeline: Pipeline
    manifest: Manifest
    model_id: str


def build_manifest(run: Any, names: dict[int, str] | None = None) -> Manifest:
    """The manifest of a segmentation run (``analysis.Segmentation``), with ``names`` as edited."""
    data, result = run.data, run.result
    rows = model_input(data)
    training_sha256 = hashlib.sha256(np.ascontiguousarray(rows).tobytes()).hexdigest()
    own = result.pipeline.transform(rows).min(axis=1)
    labels = result.labels
    summary = run.profiles.summary
    names = {**run.names, **(names or {})}
    segments = tuple(
        SegmentSpec(
            number=int(number),
            name=str(segment_name(names, number)),
            size=int(summary.loc[number, "size"]),
            share=float(summary.loc[number, "share"]),
            means={c: _number(summary.loc[number, c]) for c in data.numeric.columns},
            distance_p99=_percentile(own[labels == number]),
        )
        for number in summary.index
    )
    return Manifest(
        features=_feature_specs(run),
        segments=segments,
        scaling=run.settings.scaling,
        n_clusters=result.n_clusters,
        random_state=run.settings.random_state,
        missing=data.missing_policy,
        training_rows=int(data.n_usable),
        training_sha256=training_sha256,
        versions={"python": platform.python_version(), **{lib: version(lib) for lib in _LIBRARIES}},
        rules=_rules(run),
    )


def _rules(run: Any) -> dict[str, Any] | None:
    rules = getattr(run.profiles, "rules", None)
    return rules.to_dict() if rules is not None else None


def _feature_specs(run: Any) -> tuple[FeatureSpec, ...]:
    data, fixed = run.data, run.selection.fixed_categories
    specs = []
    for name in data.numeric.columns:
        values = data.numeric[name].to_numpy()[data.usable]
        present = values[~np.isnan(values)]
        fill = data.fill_values.get(name, float(np.median(present)) if present.size else 0.0)
        specs.append(
            FeatureSpec(
                name=name,
                kind="numeric",
                fill=float(fill),
                mean=_number(present.mean()) if present.size else float("nan"),
                sd=_number(present.std()) if present.size else float("nan"),
                minimum=_number(present.min()) if present.size else float("nan"),
                maximum=_number(present.max()) if present.size else float("nan"),
            )
        )
    for name in data.categorical.columns:
        counts = data.categorical[name][data.usable].value_counts()
        fill = data.fill_values.get(name, str(counts.index[0]) if len(counts) else "")
        specs.append(
            FeatureSpec(
                name=name,
                kind="categorical",
                fill=str(fill),
                categories=tuple(data.categories[name]),
                fixed=name in fixed,
            )
        )
    return tuple(specs)


def _number(value: object) -> float:
    return float(value)  # type: ignore[arg-type]


def _percentile(distances: np.ndarray) -> float:
    return float(np.percentile(distances, ATYPICAL_PERCENTILE)) if distances.size else 0.0


def model_bytes(run: Any, names: dict[int, str] | None = None) -> bytes:
    """The model file of a segmentation run, as bytes (skops format).

    Parameters
    ----------
    run : Segmentation
        A finished run (``segmentation.segment``).
    names : dict of int to str, optional
        Segment names as edited by the user; the run's own names fill the rest.

    Returns
    -------
    bytes
        The file's content; ``read_model`` opens it.
    """
    manifest = build_manifest(run, names)
    return sio.dumps({"manifest": manifest.to_json(), "pipeline": run.result.pipeline})


def save_model(run: Any, path: str | Path, names: dict[int, str] | None = None) -> str:
    """Write the model file of ``run`` to ``path`` and return its model id."""
    data = model_bytes(run, names)
    Path(path).write_bytes(data)
    return model_id(data)


def model_id(data: bytes) -> str:
    """The id of a model file: the first 16 hex digits of the SHA-256 of its bytes."""
    return hashlib.sha256(data).hexdigest()[:16]


def read_model(source: str | Path | bytes, *, name: str | None = None) -> SavedModel:
    """Open a model file without running anything in it.

    Parameters
    ----------
    source : str, Path or bytes
        A path, or the file's bytes (an upload).
    name : str, optional
        How to call the file in messages (default: the path, or "The file").

    Returns
    -------
    SavedModel

    Raises
    ------
    SegmentationError
        ``model-not-skops`` (a pickle, joblib or any non-skops file),
        ``model-untrusted`` (a skops file holding other types),
        ``model-unreadable`` (damaged or not one of our model files),
        ``zip-too-large``, ``zip-ratio`` or ``zip-size-mismatch`` (a file that
        would unpack too far: refused before anything is inflated),
        ``file-missing``.
    """
    if isinstance(source, bytes):
        data, label = source, name or "The file"
    else:
        label = name or str(source)
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise SegmentationError(
                "file-missing", path=str(source), reason=exc.strerror or str(exc)
            ) from None
    if not data.startswith(_ZIP_MAGIC):
        hint = " (it looks like a pickle or joblib file)" if data[:1] in (b"\x80", b"x") else ""
        raise SegmentationError("model-not-skops", name=label, hint=hint)
    _check_bounds(data, label)
    content = _load_trusted(data, label)
    return SavedModel(*_parts(content, label), model_id=model_id(data))


def _check_bounds(data: bytes, label: str) -> None:
    """Refuse a zip that would unpack too far, before skops inflates anything."""
    try:
        with open_zip(data, label=label) as archive:
            check_zip(archive, MODEL_LIMITS, label=label)
            verify_sizes(data, archive, label=label)
    except SegmentationError as exc:
        if exc.code != "zip-damaged":
            raise
        raise SegmentationError("model-unreadable", name=label, reason=exc.fields["reason"]) from None


def _load_trusted(data: bytes, label: str) -> object:
    """``skops.io.loads`` after checking every type against the allow-list."""
    try:
        untrusted = sio.get_untrusted_types(data=data)
    except Exception as exc:  # not a skops file: a zip of something else, or damaged
        raise SegmentationError("model-unreadable", name=label, reason=_reason(exc)) from None
    refused = sorted(set(untrusted) - set(ALLOWED_TYPES))
    if refused:
        raise SegmentationError("model-untrusted", name=label, types=", ".join(refused))
    try:
        return sio.loads(data, trusted=list(ALLOWED_TYPES) or None)
    except Exception as exc:
        raise SegmentationError("model-unreadable", name=label, reason=_reason(exc)) from None


def _parts(content: object, label: str) -> tuple[Pipeline, Manifest]:
    if not (
        isinstance(content, dict)
        and isinstance(content.get("pipeline"), Pipeline)
        and isinstance(content.get("manifest"), str)
    ):
        raise SegmentationError("model-unreadable", name=label, reason="it holds no segmentation model")
    try:
        manifest = Manifest.from_json(content["manifest"])
    except (ValueError, TypeError, KeyError) as exc:
        raise SegmentationError(
            "model-unreadable", name=label, reason=f"bad manifest ({_reason(exc)})"
        ) from None
    if manifest.format_version != FORMAT_VERSION:
        raise SegmentationError(
            "model-unreadable",
            name=label,
            reason=f"format version {manifest.format_version} is not supported",
        )
    return content["pipeline"], manifest


def _reason(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:200]
