"""Customer segments dashboard: navigation, the shared sidebar, and error containment."""

from __future__ import annotations

import logging

import streamlit as st

from pages import _orders as orders
from segmentation import SegmentationError
from segmentation.i18n import _, formats, ngettext
from segmentation.report.text import markdown_text
from segmentation.runtime.memory import give_freed_memory_back
from ui import keys, language, routing, sources, work

log = logging.getLogger("segmentation.app")

# An emoji favicon is drawn in the browser; without one, Streamlit makes the page's
# :material/ icon the favicon and fetches it from fonts.gstatic.com (closed networks: nothing external).
language.apply_language()
st.set_page_config(page_title=_("Customer segments"), page_icon="📊", layout="wide")
give_freed_memory_back()
sources.init_state()

page = st.navigation(routing.app_pages())
language.mark_visited(page.url_path)

sidebar = st.sidebar.container()  # filled after the page ran, so it shows the page's changes
language.language_switch()


def show_current_data() -> None:
    source = sources.current_source()
    with sidebar:
        st.caption(_("Your way through"))
        st.markdown(language.flow_steps(page.url_path))
        st.caption(_("Current data"))
        st.markdown(f"**{markdown_text(source.label)}**")
        built_from = orders.sidebar_note()
        if built_from:
            st.caption(markdown_text(built_from))
        k = st.session_state[keys.K]
        try:
            n_rows = work.current_n_rows()
            rows = ngettext("{n} row", "{n} rows", n_rows).format(n=formats.integer(n_rows))
            st.caption(f"{rows} · k = {k}")
        except SegmentationError:
            st.caption(f"k = {k}")


try:
    with routing.routed():
        page.run()
except SegmentationError as exc:
    st.error(markdown_text(exc.text()))
except Exception:
    log.exception("Unexpected error on page %s", page.title)
    st.error(
        _(
            "Something went wrong while showing this page. "
            "Try other settings or another file; the details are in the server log."
        )
    )
finally:
    show_current_data()
