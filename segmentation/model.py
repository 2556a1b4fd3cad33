"""The segmentation model: scale, one-hot encode, KMeans.

The fitted scikit-learn ``Pipeline`` is the model. Raw KMeans labels are
renumbered by a fixed rule (largest segment first) so the same data and
settings always give the same segment numbers, starting at 1; 0 marks a row
that was not segmented.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sklearn.cluster import KMeans
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, RobustScaler, StandardScaler

from .columns import arrow_text
from .settings import DEFAULT_K, DEFAULT_SCALING, DEFAULT_SEED, SCALINGS, Scaling
from .validation import FeatureData

# Below this many rows several KMeans starts are cheap and give better segments;
# above it one k-means++ start is the usual trade-off (scikit-learn's "auto").
_MULTI_START_ROWS = 100_000
_INIT_SAMPLE_ROWS = 50_000


@dataclass
class SegmentResult:
    """A fitted model and the segment of every input row (0 = not segmented)."""

    pipeline: Pipeline
    segments: np.ndarray
    n_clusters: int
    inertia: float
    encoded_names: list[str]
    centers: np.ndarray  # in the model's (scaled) space, row i = segment i + 1

    @property
    def labels(self) -> np.ndarray:
        """Segment numbers of the rows the model used."""
        return self.segments[self.segments > 0]


def model_input(data: FeatureData) -> np.ndarray:
    """The usable rows, gaps filled, as one float32 matrix: numeric features, then category codes.

    float32 makes KMeans about twice as fast with the same segments. Categories
    become codes into ``data.categories`` (-1 for a value outside a fixed list),
    which one-hot encode far faster than text. One matrix, filled column by
    column, is the only full-size copy of the input: the pipeline's scaler
    works in place on it (``copy=False``), so build a fresh one for each call.
    """
    numeric, categorical = list(data.numeric.columns), list(data.categorical.columns)
    matrix = np.empty((data.n_usable, len(numeric) + len(categorical)), dtype=np.float32, order="F")
    for j, name in enumerate(numeric):
        matrix[:, j] = data.filled_numeric(name)
    for j, name in enumerate(categorical, start=len(numeric)):
        codes = pc.index_in(
            arrow_text(data.filled_categorical(name)), value_set=pa.array(data.categories[name], pa.string())
        )
        matrix[:, j] = pc.fill_null(codes, -1).to_numpy(zero_copy_only=False)
    return matrix


def input_names(data: FeatureData) -> list[str]:
    """The columns of ``model_input``, in order."""
    return [*data.numeric.columns, *data.categorical.columns]


class CategoryNames:
    """Names one-hot columns ``column_value`` although the encoder sees integer codes."""

    def __init__(self, categories: dict[str, list[str]]):
        self.categories = categories

    def __call__(self, feature: str, code: object) -> str:
        values = self.categories.get(feature)
        if values is None:  # scikit-learn's own dry run with placeholder arguments
            return f"{feature}_{code}"
        return f"{feature}_{values[int(code)]}"


def build_preprocessor(data: FeatureData, *, scaling: Scaling = DEFAULT_SCALING) -> ColumnTransformer:
    """Scale numbers, one-hot encode categories (fixed lists kept whole, unknown values all zero)."""
    if scaling not in SCALINGS:
        raise ValueError(f"scaling must be one of {SCALINGS}, not {scaling!r}")
    scaler = {
        "standard": StandardScaler(copy=False),
        "robust": RobustScaler(copy=False),
        "minmax": MinMaxScaler(copy=False),
        "none": "passthrough",
    }[scaling]
    n_numeric, names = len(data.numeric.columns), list(data.categorical.columns)
    transformers = []
    if n_numeric:
        transformers.append(("numeric", scaler, slice(0, n_numeric)))
    if names:
        onehot = OneHotEncoder(
            categories=[np.arange(len(data.categories[name]), dtype=np.float32) for name in names],
            handle_unknown="ignore",
            sparse_output=False,
            dtype=np.float32,
            feature_name_combiner=CategoryNames(data.categories),
        )
        transformers.append(("categorical", onehot, slice(n_numeric, n_numeric + len(names))))
    return ColumnTransformer(transformers, verbose_feature_names_out=False)


def build_pipeline(
    data: FeatureData,
    *,
    n_clusters: int = DEFAULT_K,
    scaling: Scaling = DEFAULT_SCALING,
    random_state: int = DEFAULT_SEED,
    n_init: int | Literal["auto"] = "auto",
) -> Pipeline:
    """The whole model, unfitted. ``n_init="auto"``: 4 starts for small data; for large
    data ``fit_segments`` starts from centres found on a sample (see ``_sample_centres``)."""
    if n_init == "auto":
        n_init = 4 if data.n_usable <= _MULTI_START_ROWS else 1
    # copy_x=False: KMeans may centre its input in place; that input is always the
    # preprocessor's fresh output, so no copy of a large matrix is needed.
    kmeans = KMeans(n_clusters=n_clusters, n_init=n_init, random_state=random_state, copy_x=False)
    return Pipeline([("prepare", build_preprocessor(data, scaling=scaling)), ("kmeans", kmeans)])


def fit_segments(
    data: FeatureData,
    *,
    n_clusters: int = DEFAULT_K,
    scaling: Scaling = DEFAULT_SCALING,
    random_state: int = DEFAULT_SEED,
    n_init: int | Literal["auto"] = "auto",
) -> SegmentResult:
    """Fit the pipeline on the usable rows and number the segments stably.

    Rows held out of the fit (extreme values, see ``FeatureData.held_out``) are
    then given their nearest segment by the fitted pipeline.
    """
    full, data = data, data.for_fit()  # held-out rows: see assign_held_out below
    if not 2 <= n_clusters <= data.n_usable:
        raise ValueError(f"n_clusters must be between 2 and {data.n_usable}, not {n_clusters}")
    pipeline = build_pipeline(
        data, n_clusters=n_clusters, scaling=scaling, random_state=random_state, n_init=n_init
    )
    encoded = pipeline.named_steps["prepare"].fit_transform(model_input(data))
    kmeans: KMeans = pipeline.named_steps["kmeans"]
    if n_init == "auto" and len(encoded) > _MULTI_START_ROWS:
        kmeans.set_params(init=_sample_centres(encoded, n_clusters, random_state), n_init=1)
    kmeans.fit(encoded)
    order = stable_order(kmeans.labels_, kmeans.cluster_centers_)
    number_of = np.empty(n_clusters, dtype=np.int64)
    number_of[order] = np.arange(1, n_clusters + 1)
    segments = np.zeros(len(data.usable), dtype=np.int64)
    segments[data.usable] = number_of[kmeans.labels_]
    assign_held_out(pipeline, full, segments, number_of)
    return SegmentResult(
        pipeline=pipeline,
        segments=segments,
        n_clusters=n_clusters,
        inertia=float(kmeans.inertia_),
        encoded_names=list(pipeline.named_steps["prepare"].get_feature_names_out(input_names(data))),
        centers=kmeans.cluster_centers_[order],
    )


def assign_held_out(
    pipeline: Pipeline, data: FeatureData, segments: np.ndarray, number_of: np.ndarray
) -> None:
    """Give rows held out of the fit (extreme values) the segment of their nearest centre, in place."""
    held = data.held_out_rows()
    if held is not None:
        segments[held.usable] = number_of[pipeline.predict(model_input(held))]


def _sample_centres(encoded: np.ndarray, n_clusters: int, random_state: int) -> np.ndarray:
    """Starting centres for a large fit: the best of several starts on a seeded sample.

    k-means++ over millions of rows costs more than it gains; centres found on
    a sample of _INIT_SAMPLE_ROWS rows are close to the final ones, so the full
    fit then needs few iterations, and several starts guard against a poor one.
    """
    rng = np.random.default_rng(random_state)
    sample = encoded[np.sort(rng.choice(len(encoded), _INIT_SAMPLE_ROWS, replace=False))]
    return KMeans(n_clusters=n_clusters, n_init=4, random_state=random_state).fit(sample).cluster_centers_


def stable_order(labels: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """Raw cluster ids ordered largest first; ties broken by the centres' coordinates."""
    sizes = np.bincount(labels, minlength=len(centers))
    keys = [tuple(np.round(center, 9)) for center in centers]
    return np.array(sorted(range(len(centers)), key=lambda c: (-sizes[c], keys[c])))
