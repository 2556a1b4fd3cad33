"""The session's language: from the browser at first, then the sidebar's switch; the flow steps."""

from __future__ import annotations

import streamlit as st

from segmentation.i18n import LANGUAGE_NAMES, LANGUAGES, N_, _, language_of, set_language

LANGUAGE = "language"  # session key (and the switch's widget key)
VISITED = "visited_pages"  # url paths of the pages this session has opened

# The analyst's way through the dashboard, in order: (url path, step name).
FLOW = (("data", N_("Data")), ("segments", N_("Segments")), ("export", N_("Export")))


def apply_language() -> str:
    """Set this run's language: the switch's value, or the browser's language the first time."""
    if st.session_state.get(LANGUAGE) not in LANGUAGES:
        st.session_state[LANGUAGE] = language_of(st.context.locale)
    set_language(st.session_state[LANGUAGE])
    return st.session_state[LANGUAGE]


def language_switch() -> None:
    st.sidebar.segmented_control(
        _("Language"),
        LANGUAGES,
        key=LANGUAGE,
        format_func=lambda language: LANGUAGE_NAMES[language],
        selection_mode="single",
        required=True,
    )


def mark_visited(url_path: str) -> None:
    visited = st.session_state.setdefault(VISITED, set())
    visited.add(url_path or "start")


def flow_steps(current: str) -> str:
    """Markdown: each step of the flow with ✓ when seen and ▸ where the person is now."""
    visited = st.session_state.get(VISITED, set())
    lines = []
    for number, (path, name) in enumerate(FLOW, start=1):
        if path == current:
            mark, state = "▸", _("you are here")
        elif path in visited:
            mark, state = "✓", _("seen")
        else:
            mark, state = "○", _("not yet")
        label = f"**{_(name)}**" if path == current else _(name)
        lines.append(f"{mark} {number}. {label} · {state}")
    return "  \n".join(lines)
