"""Text from a file shown as plain text: one escaping helper per kind of output.

A file's name, its headers and its cells are data, never markup. Each output
interprets some characters: Streamlit's Markdown (links, images, emphasis,
``$…$`` maths, ``:material/…:`` icons, emoji shortcodes, bare URLs), Plotly's
pseudo-HTML (``<a>``, ``<b>``, ``<br>``, entities) and the terminal (escape
sequences, carriage returns). Every helper returns a string that *reads* the
same as the input once rendered, with invisible controls made visible, so a
header ``a<b`` still shows as ``a<b``. Downloads never go through these.
"""

from __future__ import annotations

import re
import string
import unicodedata

# Right-to-left and other bidirectional controls reorder what follows them;
# zero-width characters hide text. Both are shown as ``<U+XXXX>``.
BIDI_AND_INVISIBLE = frozenset(
    "\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff"
)
MARKDOWN_SPECIAL = frozenset(string.punctuation)  # CommonMark escapes any ASCII punctuation
WORD_JOINER = "\u2060"  # splits ``:smile:``/``https://`` for the renderer, invisible to a reader
_URL_SCHEME = re.compile(r"(?i)(https?|ftp|mailto|www)")


def visible_controls(text: object) -> str:
    """``text`` with control, bidirectional and zero-width characters written as ``<U+XXXX>``.

    Parameters
    ----------
    text : object
        Any value; it is converted with ``str``.

    Returns
    -------
    str
        The same text; each control character (C0, DEL, C1, bidi marks and
        overrides, zero-width characters) replaced by its code point.
    """
    return "".join(_visible(char) for char in str(text))


def _visible(char: str) -> str:
    if char in BIDI_AND_INVISIBLE or unicodedata.category(char) == "Cc":
        return f"<U+{ord(char):04X}>"
    return char


def markdown_text(text: object) -> str:
    """``text`` escaped so that Streamlit's Markdown shows it literally.

    Every ASCII punctuation character gets a backslash (CommonMark), which
    stops links, images, HTML, emphasis, headings, lists, tables, ``$`` maths
    and Streamlit's ``:color[…]`` directives. Streamlit replaces ``:name:``
    shortcodes and links bare URLs and e-mail addresses after parsing, where
    backslashes are gone, so an invisible word joiner is put after each ``:``
    and ``@`` and inside ``www``/``http`` so those no longer match. Controls
    become ``<U+XXXX>``.

    Parameters
    ----------
    text : object
        A file name, header, cell or typed name; converted with ``str``.

    Returns
    -------
    str
        Markdown source that renders as the original text.
    """
    escaped = []
    for char in visible_controls(text):
        if char in MARKDOWN_SPECIAL:
            escaped.append("\\" + char)
            if char in ":@":
                escaped.append(WORD_JOINER)
        else:
            escaped.append(char)
    return _URL_SCHEME.sub(lambda m: m.group(0)[0] + WORD_JOINER + m.group(0)[1:], "".join(escaped))


def plotly_text(text: object) -> str:
    """``text`` escaped for Plotly's pseudo-HTML (titles, legends, ticks, hover text, annotations).

    Parameters
    ----------
    text : object
        A header, category value or segment name; converted with ``str``.

    Returns
    -------
    str
        The text with ``&``, ``<`` and ``>`` as entities (Plotly shows them as
        the characters) and controls as ``<U+XXXX>`` (escaped in turn).
    """
    plain = visible_controls(text)
    return plain.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plotly_template_text(text: object) -> str:
    """``plotly_text`` for the fixed part of a hover template: ``%{…}`` is not a placeholder.

    Parameters
    ----------
    text : object
        A header or name put into a ``hovertemplate``.

    Returns
    -------
    str
        The escaped text with ``%`` written as an entity, so Plotly neither
        substitutes ``%{x}`` from a header nor misreads a percent sign.
    """
    return plotly_text(text).replace("%", "&#37;")


def terminal_text(text: object) -> str:
    """``text`` safe to print: no escape sequence, carriage return or bidi control reaches the terminal.

    Parameters
    ----------
    text : object
        A header, cell or message; converted with ``str``.

    Returns
    -------
    str
        The text with every control character (including tabs and line
        breaks inside a value) written as ``<U+XXXX>``.
    """
    return visible_controls(text)


def shorten(text: str, width: int = 24) -> str:
    """``text`` cut in the middle with ``…`` to at most ``width`` characters.

    Parameters
    ----------
    text : str
        A long column or segment name.
    width : int, default 24
        The longest result.

    Returns
    -------
    str
        ``text`` itself when it fits; else its start and end around ``…``,
        which keeps both the prefix and a distinguishing suffix such as ``_12_mon_1``.
    """
    if len(text) <= width:
        return text
    head = (width - 1) // 2
    tail = width - 1 - head
    return f"{text[:head]}…{text[len(text) - tail :]}"


def statistic_text(value: float, digits: int = 1) -> str:
    """A statistic for a table: ``1,234.5``, or ``∞ (perfect separation)`` for an infinite F.

    Parameters
    ----------
    value : float
        The statistic; ``inf`` when the groups do not vary within themselves.
    digits : int, default 1
        Decimals shown.

    Returns
    -------
    str
        The formatted number; ``"∞ (perfect separation)"`` for ``+inf``, ``"–"`` for NaN.
    """
    if value == float("inf"):
        return "∞ (perfect separation)"
    if value != value:  # NaN
        return "–"
    return f"{value:,.{digits}f}"
