"""How to change what a finding reports, in the dashboard's words (its widgets and pages).

The core's messages name no command-line flag; the CLI adds its own hints
(``segmentation/cli/hints.py``) and the pages add these.
"""

from __future__ import annotations

import streamlit as st

from segmentation.report.errors import SegmentationError
from segmentation.report.findings import Problem

from . import keys

#: Errors (``SegmentationError`` codes): what to do, on the dashboard.
ERROR_HINTS = {
    "model-unreadable": "The Export page saves one.",
}


def problem_text(problem: Problem) -> str:
    """The finding's message, then how to change it on the Data page when there is a way."""
    hint = None
    if problem.code == "extreme-rows" and not st.session_state.get(keys.KEEP_EXTREMES):
        hint = "Tick “Keep rows with extreme values in the fit” to keep them."
    return f"{problem.message} {hint}" if hint else problem.message


def error_text(error: SegmentationError) -> str:
    """The error's message, then what to do about it on the dashboard when the core's words are not enough."""
    hint = ERROR_HINTS.get(error.code)
    return f"{error} {hint}" if hint else str(error)
