"""The segmentation model: scale, one-hot encode, KMeans.

The fitted scikit-learn ``Pipeline`` is the model. After fitting, the KMeans
centres are put in a fixed order (largest segment first), so the same data
and settings always give the same segment numbers and ``pipeline.predict(X)
+ 1`` is the segment of every row, for the training rows and for new ones; 0
marks a row that was not segmented. The pipeline holds scikit-learn objects
and NumPy arrays only, so it can be saved and loaded with skops' default
trusted types (see ``modelfile``).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, RobustScaler, StandardScaler

from ..prepare.columns import arrow_text
from ..prepare.validation import FeatureData
from .settings import DEFAULT_K, DEFAULT_SCALING, DEFAULT_SEED, SCALINGS, Scaling

# Below this many rows several KMeans starts are cheap and give better segments;
# above it one k-means++ start is the usual trade-off (scikit-learn's "auto").
_MULTI_START_ROWS = 100_000
_INIT_SAMPLE_ROWS = 50_000
_PREDICT_BATCH_ROWS = 262_144


@dataclass(frozen=True)
class SegmentResult:
    """A fitted model and the segment of every input row (0 = not segmented).

    Shared between dashboard sessions, so it is read-only: the dataclass is
    frozen and its arrays are not writeable.

    Attributes
    ----------
    pipeline : Pipeline
        The model: ``pipeline.predict(model_input(data)) + 1`` gives the segments.
    segments : numpy.ndarray
        One segment number per input row, 0 for a row that was not segmented.
    n_clusters : int
        Number of segments.
    inertia : float
        KMeans' sum of squared distances to the centres.
    encoded_names : tuple of str
        Names of the model's encoded columns (numbers, then ``column_value`` one-hots).
    centers : numpy.ndarray
        Centres in the model's (scaled) space; row i belongs to segment i + 1.
    """

    pipeline: Pipeline
    segments: np.ndarray
    n_clusters: int
    inertia: float
    encoded_names: tuple[str, ...]
    centers: np.ndarray = field(repr=False)

    def __post_init__(self) -> None:
        self.segments.setflags(write=False)
        self.centers.setflags(write=False)

    @property
    def labels(self) -> np.ndarray:
        """Segment numbers of the rows the model used."""
        return self.segments[self.segments > 0]


def model_input(data: FeatureData) -> np.ndarray:
    """The usable rows, gaps filled, as one float32 matrix: numeric features, then category codes.

    float32 makes KMeans about twice as fast with the same segments. Categories
    become codes into ``data.categories`` (-1 for a value outside a fixed list),
    which one-hot encode far faster than text. One matrix, filled column by
    column, is the only full-size copy of the input: while fitting, the
    pipeline's scaler works in place on it (``copy=False``); a fitted pipeline
    copies again, so predicting leaves the caller's matrix as it was.
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


def encoded_names(data: FeatureData) -> tuple[str, ...]:
    """Names of the encoded columns: numeric features, then ``column_value`` per category.

    Computed from ``data.categories`` rather than asked from the encoder, which
    sees integer codes and would need a custom naming function in the model.
    """
    onehots = [f"{name}_{value}" for name in data.categorical.columns for value in data.categories[name]]
    return (*data.numeric.columns, *onehots)


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
    # copy_x=True (KMeans centres a copy): ``fit_segments`` assigns the rows from the very
    # matrix the model was fitted on, which must stay exactly what the preparation gives.
    kmeans = KMeans(n_clusters=n_clusters, n_init=n_init, random_state=random_state, copy_x=True)
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

    The segments are what the fitted pipeline predicts for the same rows, plus
    one, so scoring the training rows again gives exactly these segments. Rows
    held out of the fit (extreme values, see ``FeatureData.held_out``) are then
    given their nearest segment by the fitted pipeline in the same way.
    Segment 1 is the largest; the same data and settings give the same numbers.

    Parameters
    ----------
    data : FeatureData
        Model input, from ``prepare``.
    n_clusters : int, default 5
        Number of segments.
    scaling : {"standard", "robust", "minmax", "none"}, default "standard"
        How numeric features are scaled before KMeans.
    random_state : int, default 42
        Seed of KMeans' starts.
    n_init : int or "auto", default "auto"
        KMeans starts; ``"auto"`` uses 4 up to 100,000 rows, and above that one
        start from centres found on a sample.

    Returns
    -------
    SegmentResult

    Raises
    ------
    ValueError
        Unless ``2 <= n_clusters <=`` the number of rows fitted on, or for an unknown ``scaling``.
    """
    full, data = data, data.for_fit()  # held-out rows: see assign_held_out below
    if not 2 <= n_clusters <= data.n_usable:
        raise ValueError(f"n_clusters must be between 2 and {data.n_usable}, not {n_clusters}")
    pipeline = build_pipeline(
        data, n_clusters=n_clusters, scaling=scaling, random_state=random_state, n_init=n_init
    )
    with ThreadPoolExecutor(max_workers=1) as helper:
        starting = None
        if n_init == "auto" and data.n_usable > _MULTI_START_ROWS:
            # Found on another thread while this one builds, scales and encodes every row.
            sample = _init_sample(data, random_state)
            starting = helper.submit(_sample_centres, pipeline, sample, n_clusters, random_state)
        rows = model_input(data)
        # pipeline.fit(rows), one step at a time so that the input (scaled in place by the
        # fit, so not model input any more) is let go before KMeans runs (figures: docs/benchmarks.md).
        encoded = pipeline.named_steps["prepare"].fit_transform(rows)
        del rows
        if starting is not None:
            pipeline.set_params(kmeans__init=starting.result(), kmeans__n_init=1)
    kmeans: KMeans = pipeline.named_steps["kmeans"].fit(encoded)
    reorder_segments(kmeans, stable_order(kmeans.labels_, kmeans.cluster_centers_))
    make_copying(pipeline)
    segments = np.zeros(len(data.usable), dtype=np.int64)
    # What pipeline.predict gives these rows, as scoring them later will: ``encoded`` is
    # exactly the preparation's output for them (KMeans centred a copy), so only the
    # assignment to the nearest centre is left. Not ``kmeans.labels_``: those were
    # computed on the centred copy and may differ for a row equally near two centres.
    segments[data.usable] = kmeans.predict(encoded) + 1
    del encoded
    assign_held_out(pipeline, full, segments)
    return SegmentResult(
        pipeline=pipeline,
        segments=segments,
        n_clusters=n_clusters,
        inertia=float(kmeans.inertia_),
        encoded_names=encoded_names(data),
        centers=kmeans.cluster_centers_.copy(),
    )


def reorder_segments(kmeans: KMeans, order: np.ndarray) -> None:
    """Put a fitted KMeans' centres in ``order``: raw cluster ``order[i]`` becomes cluster i.

    ``predict`` then answers in the new numbering; ``labels_`` follow.
    """
    order = np.asarray(order)
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    kmeans.cluster_centers_ = np.ascontiguousarray(kmeans.cluster_centers_[order])
    kmeans.labels_ = position[kmeans.labels_].astype(kmeans.labels_.dtype)


def make_copying(pipeline: Pipeline) -> None:
    """After the (memory-lean, in-place) fit, make the fitted scaler copy its input.

    Predicting or transforming then never changes the caller's array.
    """
    scaler = pipeline.named_steps["prepare"].named_transformers_.get("numeric")
    if scaler is not None and "copy" in scaler.get_params():  # "passthrough" never writes
        scaler.set_params(copy=True)


def assign_held_out(pipeline: Pipeline, data: FeatureData, segments: np.ndarray) -> None:
    """Give rows held out of the fit (extreme values) the segment of their nearest centre, in place."""
    held = data.held_out_rows()
    if held is not None:
        segments[held.usable] = predict_segments(pipeline, model_input(held))


def predict_segments(pipeline: Pipeline, rows: np.ndarray) -> np.ndarray:
    """``pipeline.predict(rows) + 1``, computed a slice of rows at a time.

    Each row is scaled, encoded and assigned on its own, so the answer is the
    same; slices spare the full-size scaled and encoded copies of a large input
    (figures in docs/benchmarks.md, “Figures behind the code”).
    """
    segments = np.empty(len(rows), dtype=np.int64)
    for start in range(0, len(rows), _PREDICT_BATCH_ROWS):
        stop = start + _PREDICT_BATCH_ROWS
        segments[start:stop] = pipeline.predict(rows[start:stop]) + 1
    return segments


def _init_sample(data: FeatureData, random_state: int) -> np.ndarray:
    """The model input of a seeded sample of _INIT_SAMPLE_ROWS usable rows, in file order."""
    rng = np.random.default_rng(random_state)
    chosen = np.flatnonzero(data.usable)[np.sort(rng.choice(data.n_usable, _INIT_SAMPLE_ROWS, replace=False))]
    rows = np.zeros(len(data.usable), dtype=bool)
    rows[chosen] = True
    return model_input(replace(data, usable=rows))


def _sample_centres(pipeline: Pipeline, sample: np.ndarray, n_clusters: int, random_state: int) -> np.ndarray:
    """Starting centres for a large fit: the best of several starts on a seeded sample.

    k-means++ over millions of rows costs more than it gains; centres found on
    a sample of _INIT_SAMPLE_ROWS rows are close to the final ones, so the full
    fit then needs few iterations, and several starts guard against a poor one.
    The centres are passed to KMeans as its ``init`` array, so the model holds
    no function of ours. A copy of the preparation step is fitted on the
    sample, so ``pipeline`` itself is not touched.
    """
    sample = clone(pipeline.named_steps["prepare"]).fit_transform(sample)
    return KMeans(n_clusters=n_clusters, n_init=4, random_state=random_state).fit(sample).cluster_centers_


def stable_order(labels: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """Raw cluster ids ordered largest first; ties broken by the centres' coordinates."""
    sizes = np.bincount(labels, minlength=len(centers))
    keys = [tuple(np.round(center, 9)) for center in centers]
    return np.array(sorted(range(len(centers)), key=lambda c: (-sizes[c], keys[c])))
