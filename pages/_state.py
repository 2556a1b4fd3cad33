"""Shared UI state and cached wrappers around the core.

The only module that knows session-state keys and Streamlit caches. Pages call
these helpers and read like UI; the work is done by ``segmentation``.

Caching: data is keyed by the SHA-256 of its bytes, results by that key plus
the hashable ``Settings``. Changing plot axes, renaming segments or switching
pages therefore never re-reads or refits. Nothing is written to disk.

Everything the server caches (generated and parsed files, segmentations,
projections, figures, k scores) lives in one ``BudgetedCache`` shared by all
sessions, bounded by ``SEGMENTATION_MEMORY_MB`` (default: a quarter of the
machine's memory) and counted in bytes really held; the least recently used
entry goes first and is rebuilt, behind a spinner, when a session needs it
again. Sessions share only identical work (same bytes, same settings) and get
private read-only views of it. What a person did (the uploaded file, feature
choices, segment names, k) stays in ``st.session_state`` and is never evicted.
The uploaded bytes held there are outside the budget: they are the one thing
the server cannot rebuild, so they are bounded by ``server.maxUploadSize`` per
session instead (docs/benchmarks.md measures both together).
"""

from __future__ import annotations

import hashlib
import logging
import os
import runpy
import sys
import threading
import time
from collections.abc import Callable, Hashable
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import TypeVar

import numpy as np
import pandas as pd
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
from segmentation.cache import MIB, BudgetedCache, default_budget_bytes
from segmentation.drift import DriftReport, drift_report
from segmentation.matching import Matching, segment_like
from segmentation.memory import freeze_long_lived_objects
from segmentation.modelfile import SavedModel, model_bytes, read_model
from segmentation.scoring import Scoring, score
from segmentation.settings import DEFAULT_SAMPLE_SIZE, DEFAULTS, K_MAX, K_MIN
from segmentation.synthetic import customers_to_csv_bytes, generate_customers
from segmentation.text import markdown_text

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
PLACEHOLDERS = "placeholders"
KEEP_EXTREMES = "keep_extremes"
FEATURES = "features"
AS_CATEGORICAL = "as_categorical"
SAMPLE_SIZE = "sample_size"
SEED = "seed"
K_RANGE = "k_range"
PERSISTENT = (K, SCALING, MISSING, PLACEHOLDERS, KEEP_EXTREMES, SAMPLE_SIZE, SEED, K_RANGE)
N_ROWS = "n_rows"  # (content hash, rows) of the current data


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
        PLACEHOLDERS: DEFAULTS.placeholders,
        KEEP_EXTREMES: DEFAULTS.keep_extremes,
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


def synthetic_bytes(n: int, seed: int) -> bytes:
    """Synthetic customers as CSV bytes, made once per (n, seed) while the budget allows."""
    return cached(("synthetic", n, seed), lambda: customers_to_csv_bytes(generate_customers(n, seed=seed)))


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
    start = time.perf_counter()
    try:
        # One large file's work at a time, the file read inside that turn: a page waiting
        # for its turn holds no file that the cache may have to evict meanwhile.
        with server_cache().admitted(len(data)), behind_pages(len(data)):
            dataset = load_dataset(key, data, encoding)
            select_and_prepare(dataset, Settings(n_clusters=K_MIN))
    except SegmentationError as exc:
        st.session_state[UPLOAD_ERROR] = (key, name, str(exc))
        _log_work("upload refused", key, len(data), None, time.perf_counter() - start)
        return
    _log_work("upload", key, len(data), dataset.n_rows, time.perf_counter() - start)
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


# One budgeted cache for the whole server process; st.cache_resource only keeps
# that single instance alive across reruns and sessions.
log = logging.getLogger("segmentation.app")
V = TypeVar("V")
SWITCH_INTERVAL_S = 0.001


@st.cache_resource(show_spinner=False)
def server_cache() -> BudgetedCache:
    """The cache every session shares, bounded by ``SEGMENTATION_MEMORY_MB``.

    Made once per server process, by its first script run, after the imports:
    also the moment to leave what they made out of garbage collections.
    """
    _log_to_server_output()
    freeze_long_lived_objects()
    # One session's large work (pandas, scikit-learn) holds the GIL in long stretches, and
    # the thread serving everyone else's pages waits up to the switch interval each time it
    # needs it: hundreds of times per page load. 1 ms instead of Python's 5 ms.
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    cache = BudgetedCache(budget_bytes=default_budget_bytes())
    log.info("memory budget for cached work: %d MB", cache.budget_bytes // MIB)
    return cache


def _log_to_server_output() -> None:
    """Streamlit configures only its own loggers; ours writes INFO lines to stderr too."""
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)


def cached(key: Hashable, build: Callable[[], V], *, cost: int = 0, spinner: str | None = None) -> V:
    """``build()`` once per key for all sessions, within the memory budget; a spinner while it runs.

    The one way pages cache work: keys start with what is built and hold the
    content hash and settings it depends on. Large work runs behind other
    sessions' pages (see ``behind_pages``).
    """

    @contextmanager
    def building():
        with st.spinner(spinner) if spinner else nullcontext(), behind_pages(cost):
            yield

    return server_cache().get_or_build(key, build, cost=cost, while_building=building)


BACKGROUND_NICENESS = 10


@contextmanager
def behind_pages(cost: int):
    """Run large work (``cost`` input bytes or more than the cache's small_bytes) at a lower CPU priority.

    Another session's page is a few tenths of a second of work; reading or
    fitting a file of a million customers is seconds. On a busy server the
    operating system then gives the pages the CPU first and the large work
    what is left. Linux sets the priority of each thread on its own (raising
    it back needs privileges, so an unprivileged server's script thread keeps
    the lower priority for the rest of its run, which had to wait for this
    work anyway). Elsewhere this does nothing.
    """
    thread = threading.get_native_id()
    try:
        before = os.getpriority(os.PRIO_PROCESS, thread)
        if cost >= server_cache().small_bytes:
            os.setpriority(os.PRIO_PROCESS, thread, max(before, BACKGROUND_NICENESS))
    except (AttributeError, OSError):
        before = None
    try:
        yield
    finally:
        if before is not None:
            with suppress(OSError):  # not allowed to raise it again without privileges
                os.setpriority(os.PRIO_PROCESS, thread, before)


def _log_work(what: str, key: str, size: int, rows: int | None, seconds: float, detail: str = "") -> None:
    """One server-log line: sizes, rows, seconds and memory; never file names or cells."""
    stats = server_cache().stats()
    log.info(
        "%s: data %s, %.1f MB, %s rows%s, %.2f s; cache holds %.0f of %.0f MB in %d entries "
        "(%d evicted so far, %.0f MB of them still in use); process RSS %.0f MB",
        what,
        key[:12],
        size / MIB,
        f"{rows:,}" if rows is not None else "?",
        detail,
        seconds,
        stats.held_bytes / MIB,
        stats.budget_bytes / MIB,
        stats.entries,
        stats.evictions,
        stats.still_held_bytes / MIB,
        _rss_mb(),
    )


def _rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return float("nan")


def load_dataset(key: str, data: bytes, encoding: str | None = None) -> Dataset:
    """Read and analyse a file once per content and encoding (``key`` is its hash, with the encoding)."""
    limit = max(DEFAULT_MAX_BYTES, max_upload_mb() * 2**20)
    return cached(
        ("dataset", key),
        lambda: load(data, max_bytes=limit, encoding=encoding),
        cost=len(data),
        spinner="Reading the file…",
    )


def proposed_features(key: str, dataset: Dataset) -> FeatureSelection:
    """The core's own proposal, before any user choice."""
    return cached(("features", key), lambda: choose_features(dataset.columns))


def run_segmentation(key: str, settings: Settings, dataset: Callable[[], Dataset]) -> Segmentation:
    """Fit once per (file content, settings); every session gets a private read-only view.

    ``dataset`` is only called on a miss, inside the fit's turn: a cached
    result holds its own data, so the file is not read again just to find the
    result in the cache, and a session waiting for its turn holds no file.
    """
    seconds: list[float] = []

    def fit(data: Dataset) -> Segmentation:
        start = time.perf_counter()
        seg = segment(data, settings)
        seconds.append(time.perf_counter() - start)
        return seg

    cache_key = ("segmentation", key, settings)
    seg = cached(cache_key, lambda: fit(dataset()), cost=_cost(), spinner="Finding segments…")
    if seconds:  # built here, not found in the cache
        detail = f", k={settings.n_clusters}, {settings.scaling} scaling"
        _log_work("fit", key, _cost(), seg.report.n_usable, seconds[0], detail)
    return seg


def _cost() -> int:
    """Input size of the current file: how much memory work on it will take, relatively."""
    return len(current_source().data)


def current_dataset() -> Dataset:
    source = current_source()
    dataset = load_dataset(source.key, source.data, source.encoding)
    st.session_state[N_ROWS] = (source.key, dataset.n_rows)
    return dataset


def preview_rows(dataset: Dataset, n: int = 100) -> pd.DataFrame:
    """The file's first ``n`` rows exactly as read, copied: unlike a slice, they keep no
    reference to the whole file (a slice of Arrow columns shares their buffers)."""
    return dataset.raw.take(range(min(n, dataset.n_rows)))


def current_n_rows() -> int:
    """Rows of the current data, remembered per session so the sidebar never re-reads an evicted file."""
    known = st.session_state.get(N_ROWS)
    if known and known[0] == current_source().key:
        return known[1]
    return current_dataset().n_rows


def current_settings() -> Settings:
    ss = st.session_state
    features = ss.get(FEATURES)
    return Settings(
        n_clusters=int(ss[K]),
        scaling=ss[SCALING],
        missing=ss[MISSING],
        features=tuple(features) if features is not None else None,
        as_categorical=tuple(ss.get(AS_CATEGORICAL) or ()),
        placeholders=ss[PLACEHOLDERS],
        keep_extremes=bool(ss[KEEP_EXTREMES]),
    )


def current_segmentation() -> Segmentation:
    """The segmentation of the current data with the current settings.

    Raises ``SegmentationError`` when these settings cannot segment the data.
    """
    return matched_segmentation(fresh_segmentation())[0]


def fresh_segmentation() -> Segmentation:
    """The segmentation of the current data and settings, numbered by its own rule."""
    source = current_source()
    return run_segmentation(source.key, current_settings(), current_dataset)


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


def use_k(k: int) -> None:
    """Button callback: segment with ``k`` from now on."""
    st.session_state[K] = k


def cached_k_choice(k_min: int, k_max: int) -> KChoice | None:
    """The k scores of the current data and settings, if already computed."""
    return server_cache().get(_k_key(k_min, k_max))


def choose_k(k_min: int, k_max: int, progress: Callable[[float, str], None] | None = None) -> KChoice:
    """Score k_min..k_max on the current model input; remembered per data and settings.

    Not ``st.cache_*``: a cached function would record and replay the progress
    bar updates. The budgeted cache only runs ``evaluate_k`` on a miss; the
    segmentation it scores is fetched inside that turn, so a session waiting
    for it holds nothing large.
    """

    seconds: list[float] = []
    usable: list[int] = []

    def score() -> KChoice:
        seg = fresh_segmentation()
        usable.append(seg.report.n_usable)
        start = time.perf_counter()
        choice = evaluate_k(
            seg.data,
            k_min=k_min,
            k_max=k_max,
            scaling=seg.settings.scaling,
            random_state=seg.settings.random_state,
            progress=progress,
        )
        seconds.append(time.perf_counter() - start)
        return choice

    choice = cached(_k_key(k_min, k_max), score, cost=_cost())
    if seconds:
        detail = f", k from {k_min} to {k_max}, {choice.n_rows_scored:,} rows scored"
        _log_work("choose-k", current_source().key, _cost(), usable[0], seconds[0], detail)
    return choice


def _k_key(k_min: int, k_max: int) -> tuple:
    settings = replace(current_settings(), n_clusters=DEFAULTS.n_clusters)  # k itself does not matter
    return "choose_k", current_source().key, settings, k_min, k_max


# ---------------------------------------------------------------- plotting helpers


def pca_projection(key: str, seg: Segmentation) -> np.ndarray:
    """The core's 2-D PCA of the segmented customers, cached per result."""
    return cached(("pca", key), lambda: scatter.pca_projection(seg), cost=_cost(), spinner="Projecting…")


def scatter_rows(key: str, seg: Segmentation) -> np.ndarray:
    """The customers the scatter draws, sampled once per result (not on every axes change)."""
    return cached(("scatter_rows", key), lambda: scatter.sample_rows(seg.result.segments))


def differences_figure(key: str, seg: Segmentation, names: dict[int, str]) -> go.Figure:
    """The heatmap of how segments differ; built once per result and names, not on every rerun.

    Shared as it is between sessions with the same result and names; st.plotly_chart does not modify it.
    """
    named = tuple(sorted(names.items()))
    return cached(
        ("heatmap", key, named), lambda: heatmap.differences_figure(seg.profiles.differences, dict(named))
    )


def download_name(suffix: str) -> str:
    return f"{current_source().stem}_{suffix}.csv"


# ---------------------------------------------------------------- model files and scoring


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
        return cached(("matched", result_key(seg), model.model_id), lambda: segment_like(seg, model))
    except SegmentationError as exc:
        number_like(None)
        st.toast(f"Segments are numbered afresh: {markdown_text(exc)}")
        return seg, None
