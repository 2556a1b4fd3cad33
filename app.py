"""Customer segments dashboard: navigation, the shared sidebar, and error containment."""

from __future__ import annotations

import logging

import streamlit as st

from pages import _state as state
from segmentation import SegmentationError
from segmentation.memory import map_large_blocks_separately

log = logging.getLogger("segmentation.app")

st.set_page_config(page_title="Customer segments", layout="wide")
map_large_blocks_separately()  # freed arrays go back to the system, not the heap
state.init_state()

page = st.navigation(
    [
        st.Page("pages/data.py", title="Data", icon=":material/table:", default=True),
        st.Page("pages/segments.py", title="Segments", icon=":material/scatter_plot:"),
        st.Page("pages/choose_k.py", title="Choose k", icon=":material/tune:"),
        st.Page("pages/export.py", title="Export", icon=":material/download:"),
    ]
)

sidebar = st.sidebar.container()  # filled after the page ran, so it shows the page's changes


def show_current_data() -> None:
    source = state.current_source()
    with sidebar:
        st.caption("Current data")
        st.markdown(f"**{source.label}**")
        try:
            st.caption(f"{state.current_n_rows():,} rows · k = {st.session_state[state.K]}")
        except SegmentationError:
            st.caption(f"k = {st.session_state[state.K]}")


try:
    with state.routed():
        page.run()
except SegmentationError as exc:
    st.error(str(exc))
except Exception:
    log.exception("Unexpected error on page %s", page.title)
    st.error(
        "Something went wrong while showing this page. "
        "Try other settings or another file; the details are in the server log."
    )
finally:
    show_current_data()
