"""Fixtures shared by the whole suite."""

from __future__ import annotations

import gc
import os
import shutil
import sys
from collections.abc import Iterator

import pyarrow as pa
import pytest
import streamlit as st


@pytest.fixture(autouse=True)
def restores_process_settings() -> Iterator[None]:
    """Every test leaves the process-wide settings as it found them.

    The CLI's ``main``, the app's first script run and the memory tests set
    Arrow's memory pool (``give_freed_memory_back``), Python's thread switch
    interval and ``gc.freeze`` for the whole process; the next test gets the
    ones it started with. (glibc's mmap threshold cannot be read back; every
    entry point sets it to the same value, which the product runs with.)
    """
    pool, interval, frozen = pa.default_memory_pool(), sys.getswitchinterval(), gc.get_freeze_count()
    yield
    pa.set_memory_pool(pool)
    sys.setswitchinterval(interval)
    if not frozen and gc.get_freeze_count():
        gc.unfreeze()


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


@pytest.fixture(scope="session")
def spark() -> Iterator[object]:
    """One local[2] Spark session for every Spark test.

    Skipped, with the reason, where pyspark or Java is missing; under CI=true
    (where .ci/run installs both) a missing one fails instead.
    """
    from segmentation.scale.spark import spark_available, spark_session

    missing = None
    if not spark_available():
        missing = "pyspark is not installed (pip install -r requirements-spark.txt)"
    elif shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        missing = "Java is not installed (Spark needs Java 17 or newer)"
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Spark tests must run on CI: {missing}")
        pytest.skip(missing)
    session = spark_session("local[2]")
    session.conf.set("spark.sql.shuffle.partitions", "2")
    yield session
    session.stop()
