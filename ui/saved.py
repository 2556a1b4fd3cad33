"""Saved segmentations on the pages: whose they are (sign-in), the store, saving and reopening.

Without ``[auth]`` in ``secrets.toml`` the dashboard serves one person: saved
work belongs to the local owner. With it, work belongs to the signed-in
person, keyed by the provider's identity (issuer and subject, never the email
which can change hands); a visitor who is not signed in sees none and cannot
save. A shared space exists only when ``SEGMENTATION_SHARED_SPACE`` names one.
"""

from __future__ import annotations

import os
from datetime import date

import streamlit as st

from segmentation import SegmentationError
from segmentation.reuse.modelfile import read_model
from segmentation.store.records import model_identity, snapshot_of
from segmentation.store.store import LOCAL_OWNER, SavedInfo, SavedSegmentation, Store, open_store

from .keys import (
    AS_CATEGORICAL,
    FEATURES,
    KEEP_EXTREMES,
    MISSING,
    NAMES,
    PLACEHOLDERS,
    REOPENED,
    SAMPLE_SIZE,
    SAVE_NOTICE,
    SCALING,
    SEED,
    SPACE,
    K,
)
from .sources import current_source, use_synthetic
from .work import current_segmentation, number_like, numbered_like, result_key, segment_names

SHARED_VARIABLE = "SEGMENTATION_SHARED_SPACE"
MINE = "My saved work"


def sign_in_configured() -> bool:
    """True when ``[auth]`` is set in secrets.toml (Streamlit's own st.login)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file, or one that cannot be parsed: no sign-in
        return False


def signed_in_owner() -> str | None:
    """Whose work the session sees: the local person, the signed-in person, or None (a visitor)."""
    if not sign_in_configured():
        return LOCAL_OWNER
    if not st.user.is_logged_in:
        return None
    return f"{st.user.get('iss') or ''} {st.user.get('sub') or ''}"


def shared_space() -> str | None:
    return os.environ.get(SHARED_VARIABLE) or None


def current_owner() -> str | None:
    """The owner of the space shown: the person's own, or the shared space when chosen."""
    owner = signed_in_owner()
    space = shared_space()
    if owner is not None and space and st.session_state.get(SPACE) == space:
        return f"shared:{space}"
    return owner


@st.cache_resource(show_spinner=False)
def _store(url: str | None) -> Store:
    return open_store(url)


def store() -> Store:
    """The server's one store (its engine pools connections for every session)."""
    return _store(os.environ.get("SEGMENTATION_STORE_URL"))


def save_current(name: str, period: date, with_customers: bool) -> SavedInfo:
    """Save the segmentation the pages show, with the names as edited, for the current owner."""
    owner = current_owner()
    if owner is None:
        raise PermissionError("not signed in")
    seg = current_segmentation()
    source = current_source()
    like = numbered_like()
    snapshot = snapshot_of(
        seg,
        name=name,
        fingerprint=source.key,
        names=segment_names(seg),
        period=period,
        source=_source_record(),
        with_customers=with_customers,
        like_model_id=model_identity(like.manifest) if like is not None else None,
    )
    return store().save(snapshot, owner)


def _source_record() -> dict[str, object]:
    source = current_source()
    record: dict[str, object] = {"kind": source.kind, "name": source.name, "stem": source.stem}
    if source.kind == "synthetic":
        record |= {"n": int(st.session_state[SAMPLE_SIZE]), "seed": int(st.session_state[SEED])}
    return record


def reopen(name: str) -> SavedSegmentation:
    """Bring a saved segmentation back on the Segments and Export pages.

    Its settings, names and model numbering come back; synthetic data is made
    again from its size and seed. An uploaded file has to be uploaded again
    (``reopened_needs_file`` says so) for the pages to show it.
    """
    owner = current_owner()
    if owner is None:
        raise PermissionError("not signed in")
    item = store().load(name, owner)
    source = item.info.source
    if source.get("kind") == "synthetic" and "n" in source and "seed" in source:
        st.session_state[SAMPLE_SIZE], st.session_state[SEED] = int(source["n"]), int(source["seed"])
        use_synthetic()
    settings = item.settings
    st.session_state[K] = settings.n_clusters
    st.session_state[SCALING] = settings.scaling
    st.session_state[MISSING] = settings.missing
    st.session_state[PLACEHOLDERS] = settings.placeholders
    st.session_state[KEEP_EXTREMES] = settings.keep_extremes
    st.session_state[FEATURES] = settings.features
    st.session_state[AS_CATEGORICAL] = settings.as_categorical
    number_like(read_model(item.model, name=name))  # the saved numbering and names
    st.session_state[REOPENED] = (item.info.name, item.info.fingerprint, item.names)
    return item


def reopened() -> tuple[str, bool] | None:
    """(name, whether the current data is the saved data) of the segmentation reopened last."""
    value = st.session_state.get(REOPENED)
    if not value:
        return None
    return value[0], value[1] == current_source().key


def apply_reopened_names() -> None:
    """After a reopen, the names as saved are the names shown (when the data is the saved data)."""
    value = st.session_state.get(REOPENED)
    if not value or value[1] != current_source().key:
        return
    try:
        seg = current_segmentation()
    except SegmentationError:
        return
    edited = {n: s for n, s in value[2].items() if seg.names.get(n) != s}
    st.session_state[NAMES][result_key(seg)] = edited


def notice(text: str) -> None:
    st.session_state[SAVE_NOTICE] = text


def pop_notice() -> str | None:
    return st.session_state.pop(SAVE_NOTICE, None)
