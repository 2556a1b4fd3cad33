"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session")
def spark() -> Iterator[object]:
    """One local[2] Spark session for every Spark test.

    Skipped, with the reason, where pyspark or Java is missing; under CI=true
    (where .ci/run installs both) a missing one fails instead.
    """
    from segmentation.spark import spark_available, spark_session

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
