"""Customer segments dashboard: navigation, the shared sidebar, and error containment."""

from __future__ import annotations

import logging

import streamlit as st

from pages import _orders as orders
from segmentation import SegmentationError
from segmentation.report.text import markdown_text
from segmentation.runtime.memory import give_freed_memory_back
from ui import keys, routing, sources, work

log = logging.getLogger("segmentation.app")

# An emoji favicon is drawn in the browser; without one, Streamlit makes the page's
# :material/ icon the favicon and fetches it from fonts.gstatic.com (closed networks: nothing external).
st.set_page_config(page_title="Customer segments", page_icon="📊", layout="wide")
give_freed_memory_back()
sources.init_state()

page = st.navigation(routing.app_pages())

sidebar = st.sidebar.container()  # filled after the page ran, so it shows the page's changes


def show_current_data() -> None:
    source = sources.current_source()
    with sidebar:
        st.caption("Current data")
        st.markdown(f"**{markdown_text(source.label)}**")
        built_from = orders.sidebar_note()
        if built_from:
            st.caption(markdown_text(built_from))
        try:
            st.caption(f"{work.current_n_rows():,} rows · k = {st.session_state[keys.K]}")
        except SegmentationError:
            st.caption(f"k = {st.session_state[keys.K]}")


try:
    with routing.routed():
        page.run()
except SegmentationError as exc:
    st.error(markdown_text(exc))
except Exception:
    log.exception("Unexpected error on page %s", page.title)
    st.error(
        "Something went wrong while showing this page. "
        "Try other settings or another file; the details are in the server log."
    )
finally:
    show_current_data()
