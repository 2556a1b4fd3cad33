"""The data every page uses: synthetic customers, an upload (read once, refused with its reason) or a built table."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import PurePath

import streamlit as st

from segmentation import (
    DEFAULT_MAX_BYTES,
    Dataset,
    SegmentationError,
    Settings,
    load,
    select_and_prepare,
)
from segmentation.i18n import _
from segmentation.io.synthetic import customers_to_csv_bytes, generate_customers
from segmentation.model.settings import DEFAULT_SAMPLE_SIZE, DEFAULTS, K_MAX, K_MIN

from .keys import (
    AS_CATEGORICAL,
    FEATURES,
    K_RANGE,
    KEEP_EXTREMES,
    LAST_UPLOAD,
    MISSING,
    NAMES,
    PERSISTENT,
    PLACEHOLDERS,
    SAMPLE_SIZE,
    SCALING,
    SEED,
    SOURCE,
    UPLOAD_ERROR,
    UPLOAD_PREFIX,
    UPLOADER_GENERATION,
    K,
)
from .server import behind_pages, cached, log_work, server_cache


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
    seed: int | None = None  # synthetic customers: the seed they were drawn with

    @property
    def label(self) -> str:
        """The name people read, in the current language (a file's own name as it is)."""
        if self.kind == "synthetic" and self.seed is not None:
            return _("Synthetic customers (seed {seed})").format(seed=self.seed)
        return self.name

    @property
    def stem(self) -> str:
        if self.file_stem:
            return self.file_stem
        return PurePath(self.name).stem if self.kind == "upload" else "synthetic_customers"


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


def synthetic_bytes(n: int, seed: int) -> bytes:
    """Synthetic customers as CSV bytes, made once per (n, seed) while the budget allows."""
    return cached(("synthetic", n, seed), lambda: customers_to_csv_bytes(generate_customers(n, seed=seed)))


def use_synthetic() -> None:
    """Make synthetic customers (current sample size and seed) the data source."""
    n, seed = int(st.session_state[SAMPLE_SIZE]), int(st.session_state[SEED])
    data = synthetic_bytes(n, seed)
    _set_source(Source("synthetic", f"Synthetic customers (seed {seed})", data, data_key(data), seed=seed))
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
        log_work("upload refused", key, len(data), None, time.perf_counter() - start)
        return
    log_work("upload", key, len(data), dataset.n_rows, time.perf_counter() - start)
    st.session_state.pop(UPLOAD_ERROR, None)
    _set_source(Source("upload", name, data, key, encoding=encoding))


def upload_error() -> tuple[str, str] | None:
    """(file name, message) of the last refused upload, if any."""
    error = st.session_state.get(UPLOAD_ERROR)
    return (error[1], error[2]) if error else None


def uploader_key() -> str:
    return f"{UPLOAD_PREFIX}{st.session_state[UPLOADER_GENERATION]}"


def back_to_synthetic() -> None:
    """Button callback: synthetic data again, and an empty uploader."""
    st.session_state[UPLOADER_GENERATION] += 1
    use_synthetic()


def load_dataset(key: str, data: bytes, encoding: str | None = None) -> Dataset:
    """Read and analyse a file once per content and encoding (``key`` is its hash, with the encoding)."""
    limit = max(DEFAULT_MAX_BYTES, max_upload_mb() * 2**20)
    return cached(
        ("dataset", key),
        lambda: load(data, max_bytes=limit, encoding=encoding),
        cost=len(data),
        spinner="Reading the file…",
    )
