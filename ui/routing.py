"""The navigation: the dashboard's pages, and every page run inside app.py's frame."""

from __future__ import annotations

import runpy
import threading
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

from segmentation.i18n import N_, _

from .sources import init_state

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
    ("pages/start.py", N_("Start"), ":material/home:"),
    ("pages/data.py", N_("Data"), ":material/table:"),
    ("pages/segments.py", N_("Segments"), ":material/scatter_plot:"),
    ("pages/choose_k.py", N_("Choose k"), ":material/tune:"),
    ("pages/export.py", N_("Export"), ":material/download:"),
    ("pages/score.py", N_("Score"), ":material/model_training:"),
)


def app_pages() -> list[st.Page]:
    """The ``st.Page`` entries of the navigation, titled in this run's language; the first is the default."""
    return [
        st.Page(path, title=_(title), icon=icon, default=position == 0)
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
    ``tests/pages/test_pages.py::test_a_page_opened_on_its_own_runs_inside_the_app``
    fails loudly if a Streamlit upgrade changes this behaviour.
    """
    if not getattr(_router, "active", False):
        runpy.run_path(str(APP_SCRIPT), run_name="__main__")
        st.stop()
    init_state()
