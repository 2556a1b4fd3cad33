"""Helpers of the page tests (Streamlit's AppTest): open the app, switch pages, upload, read text."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).parents[2] / "app.py"
PAGES = ["pages/data.py", "pages/segments.py", "pages/choose_k.py", "pages/export.py", "pages/score.py"]
TIMEOUT = 60


def open_app(language: str = "en", page: str = "pages/data.py") -> AppTest:
    """The app in ``language`` (as the browser's or the sidebar switch's), on ``page`` (the Data page)."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.session_state["language"] = language
    at.run()
    assert not at.exception
    if page != "pages/start.py":
        goto(at, page)
    return at


def goto(at: AppTest, page: str) -> AppTest:
    at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def shown(markdown: str) -> str:
    """The text a reader sees for Markdown source: escapes and invisible word joiners removed."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")


def sidebar_text(at: AppTest) -> str:
    return shown(
        " ".join(m.value for m in at.sidebar.markdown) + " " + " ".join(c.value for c in at.sidebar.caption)
    )


def means_table(at: AppTest):
    tables = [d.value for d in at.dataframe if {"name", "size", "share"} <= set(d.value.columns)]
    assert tables, "no per-segment means table on the page"
    return tables[0]


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader[0].upload(name, data, "text/csv").run()
    assert not at.exception, [e.message for e in at.exception]
    return at
