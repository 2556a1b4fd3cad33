"""The escaping helpers: hostile text from a file is shown literally, never as markup."""

from __future__ import annotations

import re

import pytest

from segmentation.report.text import (
    WORD_JOINER,
    markdown_text,
    plotly_template_text,
    plotly_text,
    shorten,
    terminal_text,
    visible_controls,
)

HOSTILE = [
    "[report](http://evil.example/f) <img src=x onerror=alert(1)>.csv",
    "![x](http://evil.example/i.png)",
    "<a href='http://evil.example/c'>gold</a>",
    "$x^2$ costs $5",
    ":material/home: :smile: :red[alert]",
    "# heading",
    "- item",
    "*em* __strong__ ~~gone~~ `code`",
    "www.evil.example and mail@evil.example",
    "a<b & c>d",
]


def unescape_markdown(source: str) -> str:
    """What CommonMark shows for backslash escapes (and the invisible joiners removed)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", source).replace(WORD_JOINER, "")


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_text_escapes_every_markup_character_and_reads_the_same(text):
    escaped = markdown_text(text)
    assert unescape_markdown(escaped) == text
    for char in "[]()<>!$*_#`~:-":
        assert not re.search(rf"(?<!\\){re.escape(char)}", escaped), (char, escaped)


def test_markdown_text_breaks_shortcodes_bare_urls_and_email_addresses():
    escaped = markdown_text(":smile: :material/home: http://evil.example www.evil.example a@evil.example")
    assert ":smile:" not in escaped and "\\:\u2060smile" in escaped
    assert "http" not in escaped and "www" not in escaped
    assert "\\@\u2060evil" in escaped


def test_controls_and_bidi_marks_are_made_visible():
    text = "abc\u202edcba\u200f\x1b[31mred\x07\r\n\u2066x\u2069"
    shown = visible_controls(text)
    assert shown == "abc<U+202E>dcba<U+200F><U+001B>[31mred<U+0007><U+000D><U+000A><U+2066>x<U+2069>"
    assert terminal_text(text) == shown
    assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in terminal_text(text))
    assert "\u202e" not in markdown_text(text) and "\u202e" not in plotly_text(text)


def test_non_ascii_text_is_untouched():
    assert terminal_text("Годовой доход € “VIP”") == "Годовой доход € “VIP”"
    assert markdown_text("Годовой доход") == "Годовой доход"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<a href='http://evil.example/c'>gold</a>", "&lt;a href='http://evil.example/c'&gt;gold&lt;/a&gt;"),
        ("a<b", "a&lt;b"),
        ("<b>bold</b><br>x", "&lt;b&gt;bold&lt;/b&gt;&lt;br&gt;x"),
        ("R&D &lt;", "R&amp;D &amp;lt;"),
        ("plain income", "plain income"),
    ],
)
def test_plotly_text_escapes_its_pseudo_html(text, expected):
    assert plotly_text(text) == expected


def test_plotly_template_text_is_no_placeholder():
    assert plotly_template_text("rate %{y} <i>") == "rate &#37;{y} &lt;i&gt;"


def test_shorten_cuts_in_the_middle():
    name = "Naive_Bayes_Classifier_Attrition_Flag_Card_Category_Contacts_Count_12_mon_Dependent_count_1"
    short = shorten(name, 24)
    assert len(short) == 24 and short.startswith("Naive_Bayes") and short.endswith("count_1") and "…" in short
    assert shorten("income", 24) == "income"
