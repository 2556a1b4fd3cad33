"""Cached work on the current data: features, the segmentation, k scores, projections and figures."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from segmentation import (
    Dataset,
    FeatureSelection,
    KChoice,
    Segmentation,
    SegmentationError,
    Settings,
    choose_features,
    evaluate_k,
    segment,
)
from segmentation.model.settings import DEFAULTS
from segmentation.report import heatmap, scatter
from segmentation.report.text import markdown_text
from segmentation.reuse.matching import Matching, segment_like
from segmentation.reuse.modelfile import SavedModel

from .keys import (
    AS_CATEGORICAL,
    FEATURES,
    KEEP_EXTREMES,
    LIKE_MODEL,
    MISSING,
    N_ROWS,
    NAMES,
    PLACEHOLDERS,
    SCALING,
    K,
)
from .server import cached, log_work, server_cache
from .sources import current_source, source_dataset


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
        log_work("fit", key, _cost(), seg.report.n_usable, seconds[0], detail)
    return seg


def _cost() -> int:
    """Input size of the current file: how much memory work on it will take, relatively."""
    return len(current_source().data)


def current_dataset() -> Dataset:
    source = current_source()
    dataset = source_dataset(source)
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
        log_work("choose-k", current_source().key, _cost(), usable[0], seconds[0], detail)
    return choice


def _k_key(k_min: int, k_max: int) -> tuple:
    settings = replace(current_settings(), n_clusters=DEFAULTS.n_clusters)  # k itself does not matter
    return "choose_k", current_source().key, settings, k_min, k_max


def pca_projection(key: str, seg: Segmentation) -> np.ndarray:
    """The core's 2-D PCA of the segmented customers, cached per result."""
    return cached(("pca", key), lambda: scatter.pca_projection(seg), cost=_cost(), spinner="Projecting…")


def segments_silhouette(key: str, seg: Segmentation) -> float:
    """The silhouette of the current segments (on a sample), cached per result."""
    from segmentation.model.choose_k import segments_silhouette as silhouette

    return cached(
        ("silhouette", key), lambda: silhouette(seg.data, seg.result, random_state=seg.settings.random_state)
    )


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
