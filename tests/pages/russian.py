"""What a reader of a page sees, and the English words left in it (for the Russian AppTests)."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from tests.pages.apptest import shown

# Words that are the same in Russian text: names of things, formats, the language's own name.
NOT_ENGLISH = {"CSV", "Excel", "Parquet", "PCA", "RFM", "English", "skops", "k", "MB", "UTF"}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z']+")

_TEXT_ELEMENTS = (
    "title",
    "header",
    "subheader",
    "markdown",
    "caption",
    "info",
    "warning",
    "error",
    "success",
)
_LABELLED = (
    "button",
    "selectbox",
    "multiselect",
    "slider",
    "number_input",
    "radio",
    "checkbox",
    "text_input",
)


def visible_texts(at: AppTest) -> list[str]:
    """Every text of the page and the sidebar a reader sees: headings, paragraphs, labels, help."""
    texts: list[str] = []
    for name in _TEXT_ELEMENTS:
        texts += [shown(str(element.value)) for element in getattr(at, name)]
    for name in _LABELLED:
        for widget in getattr(at, name):
            texts.append(shown(widget.label))
            if getattr(widget, "help", None):
                texts.append(shown(widget.help))
    texts += [shown(e.label) for e in at.expander]
    return [text for text in texts if text]


def english_words(texts: list[str], allowed: set[str] = frozenset()) -> list[str]:
    """The Latin-letter words in ``texts`` apart from names (``NOT_ENGLISH``, ``allowed``) and code."""
    found = []
    for text in texts:
        # Code, addresses, icons, file names and identifiers (segment_name) are not words to translate.
        text = re.sub(r"`[^`]*`|https?://\S+|:material/\w+:|\S+\.(?:csv|skops|parquet)\b|\w+_\w+", "", text)
        found += [w for w in LATIN_WORD.findall(text) if w not in NOT_ENGLISH and w not in allowed]
    return found
