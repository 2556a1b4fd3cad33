"""Every page shows a hostile file's name, headers and values as plain text: no link, image or markup."""

from __future__ import annotations

import re

from tests.hostile import GOLD, HEADER, NAME, hostile_csv
from tests.pages.apptest import goto, open_app, upload

PAGES = ["pages/data.py", "pages/segments.py", "pages/choose_k.py", "pages/export.py", "pages/score.py"]
# Markdown that would make a link, an image, HTML, maths or a bare link, when not escaped.
MARKUP = [
    re.compile(r"(?<!\\)\]\s*\("),  # [text](url) and ![alt](url)
    re.compile(r"(?<!\\)<[a-zA-Z/!]"),  # an HTML tag or <autolink>
    re.compile(r"(?i)(https?:|www\.|\w@\w)"),  # a bare URL or e-mail address that GFM would link
    re.compile(r"(?<!\\)\$"),  # $maths$
]


def markdown_sources(at) -> list[str]:
    """Every Markdown source the script sent: bodies, and labels of metrics, expanders and buttons."""
    sources = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "error",
        "warning",
        "info",
        "success",
    ):
        sources += [element.value for element in getattr(at, kind)]
        sources += [element.value for element in getattr(at.sidebar, kind)]
    sources += [element.label for element in [*at.metric, *at.expander, *at.button, *at.download_button]]
    return sources


def plotly_specs(at) -> list[str]:
    return [element.proto.spec for element in at.get("plotly_chart")]


def assert_no_markup(at) -> None:
    for source in markdown_sources(at):
        for pattern in MARKUP:
            assert not pattern.search(source), f"markup {pattern.pattern!r} in {source!r}"
    for spec in plotly_specs(at):
        assert "<a " not in spec and "<img" not in spec and "xlink" not in spec
        assert "evil.example" not in spec or "&lt;a href" in spec


def test_a_hostile_file_is_plain_text_on_every_page():
    at = upload(open_app(), NAME, hostile_csv())
    assert not at.error, [e.value for e in at.error]
    shown = " ".join(markdown_sources(at))
    assert "report" in shown and "onerror" in shown, "the file name is shown, escaped"
    for page in PAGES:
        goto(at, page)
        assert_no_markup(at)
    segments = goto(at, "pages/segments.py")
    specs = " ".join(plotly_specs(segments))
    assert "&lt;a href=\\\"http:" in specs or "&lt;a href=" in specs  # the header reads as in the file
    assert any(GOLD in str(frame.value.columns.tolist()) for frame in segments.dataframe)  # tables: plain


def test_a_refused_hostile_file_is_named_in_plain_text():
    at = upload(open_app(), NAME, HEADER.encode() + b"\n")
    assert at.error and "could not be used" in at.error[0].value
    assert "still in use" in " ".join(c.value for c in at.caption)
    assert_no_markup(at)
