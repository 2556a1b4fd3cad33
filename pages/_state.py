"""Shared UI state and cached wrappers around the core.

The only module that knows session-state keys and Streamlit caches. Pages call
these helpers and read like UI; the work is done by ``segmentation``.

Caching: data is keyed by the SHA-256 of its bytes, results by that key plus
the hashable ``Settings``. Changing plot axes, renaming segments or switching
pages therefore never re-reads or refits. Nothing is written to disk.
"""

from __future__ import annotations

import hashlib
import runpy
import threading
from collections import OrderedDict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path, PurePath

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from segmentation import (
    DEFAULT_MAX_BYTES,
    Dataset,
    FeatureSelection,
    KChoice,
    Segmentation,
    SegmentationError,
    Settings,
    choose_features,
    evaluate_k,
    heatmap,
    load,
    scatter,
    segment,
    select_and_prepare,
)
from segmentation.drift import DriftReport, drift_report
from segmentation.matching import Matching, segment_like
from segmentation.modelfile import SavedModel, model_bytes, read_model
from segmentation.scoring import Scoring, score
from segmentation.settings import DEFAULT_SAMPLE_SIZE, DEFAULTS, K_MAX, K_MIN
from segmentation.synthetic import customers_to_csv_bytes, generate_customers

# Session-state keys. Keys of widgets are listed in PERSISTENT so their values
# survive page switches (Streamlit forgets a widget's state when it is not drawn).
SOURCE = "source"
UPLOAD_ERROR = "upload_error"
LAST_UPLOAD = "last_upload"  # (uploader's file id, content hash)
UPLOADER_GENERATION = "uploader_generation"
NAMES = "segment_names"
K = "k"
SCALING = "scaling"
MISSING = "missing"
FEATURES = "features"
AS_CATEGORICAL = "as_categorical"
SAMPLE_SIZE = "sample_size"
SEED = "seed"
K_RANGE = "k_range"
PERSISTENT = (K, SCALING, MISSING, SAMPLE_SIZE, SEED, K_RANGE)


@dataclass(frozen=True)
class Source:
    """The data currently analysed: synthetic customers or an uploaded file."""

    kind: str  # "synthetic", "upload" or "customers" (built from order lines, see pages/_orders.py)
    name: str
    data: bytes
    key: str  # SHA-256 of data (and the chosen encoding, if any)
    file_stem: str | None = None  # download names, when not derived from ``name``
    parent_key: str | None = None  # key of the data this source was built from (order lines)
    encoding: str | None = None  # None: detected

    @property
    def label(self) -> str:
        return self.name

    @property
    def stem(self) -> str:
        if self.file_stem:
            return self.file_stem
        return PurePath(self.name).stem if self.kind == "upload" else "synthetic_customers"


_router = threading.local()  # one script run per thread


@contextmanager
def routed():
    """app.py runs the page inside this; pages check it with ``page_setup``."""
    _router.active = True
    try:
        yield
    finally:
        _router.active = False


APP_SCRIPT = Path(__file__).resolve().parents[1] / "app.py"
# The dashboard's pages, in navigation order: (file, title, icon). app.py builds
# the navigation from this list, and ``page_setup`` needs the same list.
PAGES = (
    ("pages/data.py", "Data", ":material/table:"),
    ("pages/segments.py", "Segments", ":material/scatter_plot:"),
    ("pages/choose_k.py", "Choose k", ":material/tune:"),
    ("pages/export.py", "Export", ":material/download:"),
    ("pages/score.py", "Score", ":material/model_training:"),
)


def app_pages() -> list[st.Page]:
    """The ``st.Page`` entries of the navigation; the first is the default page."""
    return [
        st.Page(path, title=title, icon=icon, default=position == 0)
        for position, (path, title, icon) in enumerate(PAGES)
    ]


def page_setup() -> None:
    """Start of every page: make sure it runs inside app.py's navigation and frame.

    Because the pages live in ``pages/`` (the layout asks for that folder),
    Streamlit begins a fresh server (and every AppTest run) in its legacy
    folder mode until ``st.navigation`` is first called. In that mode a deep
    link such as ``/segments`` runs the page file alone: no set_page_config,
    no sidebar, no error containment. A page run on its own therefore runs
    app.py in its place (which calls ``st.navigation`` and runs this same page
    inside the frame) and then stops; no rerun, so a click that started the
    run is not lost. Public APIs only.
    ``tests/test_pages.py::test_a_page_opened_on_its_own_runs_inside_the_app``
    fails loudly if a Streamlit upgrade changes this behaviour.
    """
    if not getattr(_router, "active", False):
        runpy.run_path(str(APP_SCRIPT), run_name="__main__")
        st.stop()
    init_state()


def data_key(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def init_state() -> None:
    """Defaults on first run; keep widget values alive across pages."""
    defaults = {
        SAMPLE_SIZE: DEFAULT_SAMPLE_SIZE,
        SEED: DEFAULTS.random_state,
        K: DEFAULTS.n_clusters,
        SCALING: DEFAULTS.scaling,
        MISSING: DEFAULTS.missing,
        K_RANGE: (K_MIN, K_MAX),
        UPLOADER_GENERATION: 0,
        NAMES: {},
    }
    for key, value in defaults.items():
        st.session_state.setdefault(key, value)
    for key in PERSISTENT:
        st.session_state[key] = st.session_state[key]
    if SOURCE not in st.session_state:
        use_synthetic()


# ---------------------------------------------------------------- data source


@st.cache_data(show_spinner=False, max_entries=8)
def synthetic_bytes(n: int, seed: int) -> bytes:
    return customers_to_csv_bytes(generate_customers(n, seed=seed))


def use_synthetic() -> None:
    """Make synthetic customers (current sample size and seed) the data source."""
    n, seed = int(st.session_state[SAMPLE_SIZE]), int(st.session_state[SEED])
    data = synthetic_bytes(n, seed)
    _set_source(Source("synthetic", f"Synthetic customers (seed {seed})", data, data_key(data)))
    st.session_state.pop(UPLOAD_ERROR, None)


def refresh_synthetic() -> None:
    """Regenerate synthetic data after the sample size or seed changed."""
    if current_source().kind == "synthetic":
        use_synthetic()


def current_source() -> Source:
    return st.session_state[SOURCE]


def _set_source(source: Source) -> None:
    previous = st.session_state.get(SOURCE)
    st.session_state[SOURCE] = source
    if previous is None or previous.key != source.key:
        # New file: feature choices made for the previous file do not apply.
        st.session_state.pop(FEATURES, None)
        st.session_state.pop(AS_CATEGORICAL, None)


def set_source(source: Source) -> None:
    """Make ``source`` the data every page uses (e.g. a customers table built from order lines)."""
    _set_source(source)
    st.session_state.pop(UPLOAD_ERROR, None)


def max_upload_mb() -> int:
    return int(st.get_option("server.maxUploadSize"))


def try_upload(name: str, data: bytes, upload_id: str | None = None, encoding: str | None = None) -> None:
    """Make an uploaded file the source if it can be read; else keep the previous one.

    A readable file that cannot be segmented (e.g. no usable column) is refused
    too, so the pages always have something to show. The reason is kept in
    ``upload_error`` until another file is chosen. ``upload_id`` (the
    uploader's id for this upload) saves hashing the same file on every rerun.
    ``encoding`` is the user's choice of encoding (None: detect); it is part
    of the key, since the same bytes read in another encoding are other data.
    """
    seen = st.session_state.get(LAST_UPLOAD)
    if upload_id is not None and seen and seen[0] == upload_id:
        key = seen[1]
    else:
        key = data_key(data)
        st.session_state[LAST_UPLOAD] = (upload_id, key)
    if encoding is not None:
        key = f"{key}:{encoding}"
    if key in (current_source().key, current_source().parent_key):
        return  # already in use, or what the current customers table was built from
    error = st.session_state.get(UPLOAD_ERROR)
    if error and error[0] == key:
        return  # already refused this exact file
    try:
        dataset = load_dataset(key, data, encoding)
        select_and_prepare(dataset, Settings(n_clusters=K_MIN))
    except SegmentationError as exc:
        st.session_state[UPLOAD_ERROR] = (key, name, str(exc))
        return
    st.session_state.pop(UPLOAD_ERROR, None)
    _set_source(Source("upload", name, data, key, encoding=encoding))


def upload_error() -> tuple[str, str] | None:
    """(file name, message) of the last refused upload, if any."""
    error = st.session_state.get(UPLOAD_ERROR)
    return (error[1], error[2]) if error else None


def uploader_key() -> str:
    return f"upload_{st.session_state[UPLOADER_GENERATION]}"


def back_to_synthetic() -> None:
    """Button callback: synthetic data again, and an empty uploader."""
    st.session_state[UPLOADER_GENERATION] += 1
    use_synthetic()


# ---------------------------------------------------------------- cached core


@st.cache_resource(show_spinner=False, max_entries=8)
def load_dataset(key: str, _data: bytes, encoding: str | None = None) -> Dataset:
    """Read and analyse a file once per content and encoding (``key`` is its hash)."""
    return load(_data, max_bytes=max(DEFAULT_MAX_BYTES, max_upload_mb() * 2**20), encoding=encoding)


@st.cache_resource(show_spinner=False, max_entries=8)
def proposed_features(key: str, _dataset: Dataset) -> FeatureSelection:
    """The core's own proposal, before any user choice."""
    return choose_features(_dataset.columns)


@st.cache_resource(show_spinner=False, max_entries=32)
def run_segmentation(key: str, settings: Settings, _dataset: Dataset) -> Segmentation:
    """Fit once per (file content, settings); shared read-only, never mutated."""
    return segment(_dataset, settings)


def current_dataset() -> Dataset:
    source = current_source()
    return load_dataset(source.key, source.data, source.encoding)


def current_settings() -> Settings:
    ss = st.session_state
    features = ss.get(FEATURES)
    return Settings(
        n_clusters=int(ss[K]),
        scaling=ss[SCALING],
        missing=ss[MISSING],
        features=tuple(features) if features is not None else None,
        as_categorical=tuple(ss.get(AS_CATEGORICAL) or ()),
    )


def current_segmentation() -> Segmentation:
    """The segmentation of the current data with the current settings.

    Raises ``SegmentationError`` when these settings cannot segment the data.
    """
    return matched_segmentation(fresh_segmentation())[0]


def fresh_segmentation() -> Segmentation:
    """The segmentation of the current data and settings, numbered by its own rule."""
    source = current_source()
    return run_segmentation(source.key, current_settings(), current_dataset())


def set_features(chosen: list[str], proposal: FeatureSelection) -> None:
    """Store the user's feature choice; ``None`` when it is the proposal."""
    same = sorted(chosen) == sorted(proposal.features)
    st.session_state[FEATURES] = None if same else tuple(chosen)


def set_as_categorical(chosen: list[str]) -> None:
    st.session_state[AS_CATEGORICAL] = tuple(chosen)


def result_key(seg: Segmentation) -> str:
    return f"{current_source().key}:{seg.settings!r}"


# ---------------------------------------------------------------- segment names


def segment_names(seg: Segmentation) -> dict[int, str]:
    """The names shown and exported: the core's names with the user's edits."""
    edited = st.session_state[NAMES].get(result_key(seg), {})
    return {**seg.names, **edited}


def set_segment_names(seg: Segmentation, names: dict[int, str]) -> bool:
    """Keep the user's names (blank ones fall back to the core's); True if they changed."""
    edited = {
        int(s): str(n).strip()
        for s, n in names.items()
        if isinstance(n, str) and n.strip() and n.strip() != seg.names.get(int(s))
    }
    key = result_key(seg)
    if st.session_state[NAMES].get(key, {}) == edited:
        return False
    st.session_state[NAMES][key] = edited
    return True


# ---------------------------------------------------------------- choose k


@st.cache_resource(show_spinner=False)
def _k_choices() -> OrderedDict:
    return OrderedDict()


def cached_k_choice(seg: Segmentation, k_min: int, k_max: int) -> KChoice | None:
    return _k_choices().get(_k_key(seg, k_min, k_max))


def choose_k(
    seg: Segmentation, k_min: int, k_max: int, progress: Callable[[float, str], None] | None = None
) -> KChoice:
    """Score k_min..k_max on the current model input; remembered per data and settings.

    Not ``st.cache_*``: a cached function would record and replay the progress
    bar updates. A small bounded dictionary in a cached resource does the job.
    """
    store = _k_choices()
    key = _k_key(seg, k_min, k_max)
    if key not in store:
        store[key] = evaluate_k(
            seg.data,
            k_min=k_min,
            k_max=k_max,
            scaling=seg.settings.scaling,
            random_state=seg.settings.random_state,
            progress=progress,
        )
        while len(store) > 16:
            store.popitem(last=False)
    return store[key]


def _k_key(seg: Segmentation, k_min: int, k_max: int) -> tuple:
    settings = replace(seg.settings, n_clusters=DEFAULTS.n_clusters)  # k itself does not matter
    return current_source().key, settings, k_min, k_max


# ---------------------------------------------------------------- plotting helpers


@st.cache_resource(show_spinner=False, max_entries=16)  # user data is never pickled
def pca_projection(key: str, _seg: Segmentation) -> np.ndarray:
    """The core's 2-D PCA of the segmented customers, cached per result."""
    return scatter.pca_projection(_seg)


@st.cache_resource(show_spinner=False, max_entries=16)
def scatter_rows(key: str, _seg: Segmentation) -> np.ndarray:
    """The customers the scatter draws, sampled once per result (not on every axes change)."""
    rows = scatter.sample_rows(_seg.result.segments)
    rows.setflags(write=False)  # shared between sessions
    return rows


def differences_figure(key: str, seg: Segmentation, names: dict[int, str]) -> go.Figure:
    """The heatmap of how segments differ; built once per result and names, not on every rerun."""
    return _differences_figure(key, tuple(sorted(names.items())), seg)


@st.cache_resource(show_spinner=False, max_entries=16)  # st.plotly_chart does not modify it
def _differences_figure(key: str, names: tuple[tuple[int, str], ...], _seg: Segmentation) -> go.Figure:
    return heatmap.differences_figure(_seg.profiles.differences, dict(names))


def download_name(suffix: str) -> str:
    return f"{current_source().stem}_{suffix}.csv"


# ---------------------------------------------------------------- model files and scoring


def model_file(seg: Segmentation, names: dict[int, str]) -> bytes:
    """The model file of a result with the names as shown (edited ones included)."""
    return _model_file(result_key(seg), tuple(sorted(names.items())), seg)


@st.cache_resource(show_spinner=False, max_entries=8)  # bytes: nobody can change them
def _model_file(key: str, names: tuple[tuple[int, str], ...], _seg: Segmentation) -> bytes:
    return model_bytes(_seg, dict(names))


def model_download_name() -> str:
    return f"{current_source().stem}_model.skops"


def open_model(name: str, data: bytes) -> SavedModel:
    """Open an uploaded model file once per content; raises ``SegmentationError`` if refused."""
    return _opened_model(data_key(data), data, name)


@st.cache_resource(show_spinner=False, max_entries=8)  # a refusal raises, so it is never cached
def _opened_model(key: str, _data: bytes, _name: str) -> SavedModel:
    return read_model(_data, name=_name)


def scored_customers(model: SavedModel, name: str, data: bytes) -> tuple[Scoring, DriftReport]:
    """Score an uploaded customer file with a model; cached per (model, file content)."""
    key = data_key(data)
    return _scored(model.model_id, key, model, load_dataset(key, data))


@st.cache_resource(show_spinner=False, max_entries=8)  # shared read-only: frozen, arrays not writeable
def _scored(model_id: str, key: str, _model: SavedModel, _dataset: Dataset) -> tuple[Scoring, DriftReport]:
    scoring = score(_dataset, _model)
    return scoring, drift_report(scoring)


@st.cache_resource(show_spinner=False, max_entries=8)
def scored_csv(model_id: str, key: str, _scoring: Scoring) -> bytes:
    """The scored customers' CSV, the same bytes ``python -m segmentation score`` writes."""
    return _scoring.labeled_csv()


# A saved model whose numbering and names the current segments keep (retraining "like" it).
LIKE_MODEL = "like_model"


def numbered_like() -> SavedModel | None:
    return st.session_state.get(LIKE_MODEL)


def number_like(model: SavedModel | None) -> None:
    """Number the current data's segments like ``model`` from now on (``None``: stop)."""
    if model is None:
        st.session_state.pop(LIKE_MODEL, None)
    else:
        st.session_state[LIKE_MODEL] = model


def matched_segmentation(seg: Segmentation) -> tuple[Segmentation, Matching | None]:
    """``seg`` renumbered like the chosen model, and the match; unchanged when none is chosen.

    When the model does not fit the current data (a feature is missing), the
    choice is dropped with a message rather than breaking every page.
    """
    model = numbered_like()
    if model is None:
        return seg, None
    try:
        return _matched(result_key(seg), model.model_id, seg, model)
    except SegmentationError as exc:
        number_like(None)
        st.toast(f"Segments are numbered afresh: {exc}")
        return seg, None


@st.cache_resource(show_spinner=False, max_entries=8)  # shared read-only, like run_segmentation
def _matched(
    key: str, model_id: str, _seg: Segmentation, _model: SavedModel
) -> tuple[Segmentation, Matching]:
    return segment_like(_seg, _model)
