"""The store's tests run on both backends: an SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest

from tests.store.postgres import create_database, missing_reason, postgres_server

_numbers = itertools.count()


@pytest.fixture(scope="session")
def postgres_base() -> Iterator[str]:
    reason = missing_reason()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the store's PostgreSQL tests must run on CI: {reason}")
        pytest.skip(reason)
    with postgres_server() as base:
        yield base


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    """A new, empty store's URL on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'segmentation.db'}"
    base = request.getfixturevalue("postgres_base")
    return create_database(base, f"store_{os.getpid()}_{next(_numbers)}")


@pytest.fixture(scope="session")
def runs():
    """Two periods of Mall-like customers (zero-padded IDs), the second numbered like the first."""
    from segmentation import Settings, load, segment
    from segmentation.reuse.matching import segment_like
    from segmentation.reuse.modelfile import model_bytes, read_model
    from tests.fixtures import mall_like_csv

    first_csv, second_csv = mall_like_csv(200, seed=7), mall_like_csv(240, seed=8)
    first = segment(load(first_csv), Settings(n_clusters=4))
    model = read_model(model_bytes(first))
    second, _ = segment_like(segment(load(second_csv), Settings(n_clusters=4)), model)
    return {
        "first": first,
        "second": second,
        "first_csv": first_csv,
        "second_csv": second_csv,
        "model": model,
    }
