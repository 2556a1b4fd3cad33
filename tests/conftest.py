"""Fixtures shared by the whole suite."""

from __future__ import annotations

import pytest
import streamlit as st


@pytest.fixture
def captured(monkeypatch) -> dict[str, bytes]:
    """What each download button offers, by file name.

    A spy on the public ``st.download_button``: it records the file name and
    the data (calling it when the page defers it) and then draws the button.
    """
    files: dict[str, bytes] = {}
    original = st.download_button

    def download_button(label, data, *args, file_name=None, **kwargs):
        if file_name:
            files[file_name] = data() if callable(data) else data
        return original(label, data, *args, file_name=file_name, **kwargs)

    monkeypatch.setattr(st, "download_button", download_button)
    return files
