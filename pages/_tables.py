"""Column settings for the pages' tables.

Here rather than in pages/segments.py, so that the Segments page's variables (its
segmentation of a file of a million customers, its scatter data) are freed as
soon as its run ends: a function defined in a page holds them through its
globals, in a reference cycle that only a full garbage collection breaks.
"""

from __future__ import annotations

import streamlit as st

from segmentation.report.text import markdown_text, shorten


def number_column(name: object, number_format: str, width: str | None = None) -> dict:
    """A numeric column whose long header is cut (full in its tooltip), so its numbers stay in view."""
    label = str(name)
    return st.column_config.NumberColumn(
        shorten(label, 24), format=number_format, help=markdown_text(label), width=width
    )
