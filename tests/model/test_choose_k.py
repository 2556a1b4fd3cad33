"""Choosing k: the score table, progress reporting and the suggestion."""

from __future__ import annotations

import itertools
import tracemalloc

import numpy as np
import pandas as pd
import pytest

from segmentation import load
from segmentation.io.synthetic import customers_to_csv_bytes, generate_customers
from segmentation.model.analysis import Settings, select_and_prepare
from segmentation.model.choose_k import (
    SILHOUETTE_SAMPLE,
    STABLE,
    WEAK_STRUCTURE,
    continuum_note,
    evaluate_k,
    segments_silhouette,
    suggest_k,
)
from segmentation.model.kmeans import model_input

pytestmark = pytest.mark.slow  # each test scores many k on thousands of customers

COLUMNS = ["inertia", "silhouette", "calinski_harabasz", "davies_bouldin", "stability"]


def _data(personas: int, seed: int, n: int = 2000):
    dataset = load(customers_to_csv_bytes(generate_customers(n, seed=seed, personas=personas)))
    _, data, _ = select_and_prepare(dataset, Settings())
    return data


@pytest.fixture(scope="module")
def five():
    data = _data(5, seed=0, n=1000)
    calls: list[tuple[float, str]] = []
    choice = evaluate_k(data, progress=lambda fraction, message: calls.append((fraction, message)))
    return data, choice, calls


def test_table_columns_and_k_range(five) -> None:
    _, choice, _ = five
    table = choice.table
    assert list(table.index) == list(range(2, 11))
    assert table.index.name == "k"
    assert list(table.columns) == COLUMNS
    assert np.isfinite(table.to_numpy(dtype=float)).all()


def test_scores_in_their_ranges(five) -> None:
    data, choice, _ = five
    table = choice.table
    assert (table["inertia"] > 0).all()
    assert table["silhouette"].between(-1, 1).all()
    assert (table["calinski_harabasz"] > 0).all()
    assert (table["davies_bouldin"] >= 0).all()
    assert table["stability"].between(-1, 1 + 1e-12).all()
    assert choice.n_rows_scored == data.n_usable == 1000
    # Inertia of k clusters is below that of one cluster (total sum of squares) for every k;
    # a sweep with several starts usually decreases, but only the overall drop is guaranteed enough
    # to test: the largest k fits far better than the smallest.
    assert table["inertia"].iloc[-1] < table["inertia"].iloc[0]


def test_progress_called_once_per_k(five) -> None:
    _, _, calls = five
    fractions = [f for f, _ in calls]
    assert len(calls) == 9
    assert all(b > a for a, b in itertools.pairwise(fractions))
    assert fractions[-1] == 1.0
    assert all(0 < f <= 1 for f in fractions)
    assert all(isinstance(m, str) and m for _, m in calls)
    assert "k = 2" in calls[0][1] and "k = 10" in calls[-1][1]


def test_suggestion_is_in_table_with_reason(five) -> None:
    _, choice, _ = five
    assert choice.suggested_k in choice.table.index
    assert f"k = {choice.suggested_k}" in choice.reason


def test_deterministic() -> None:
    data = _data(3, seed=2, n=500)
    a = evaluate_k(data, k_max=6)
    b = evaluate_k(data, k_max=6)
    pd.testing.assert_frame_equal(a.table, b.table)
    assert (a.suggested_k, a.reason) == (b.suggested_k, b.reason)


@pytest.mark.parametrize("personas", [3, 4, 5])
@pytest.mark.parametrize("seed", [0, 3, 7])
def test_suggests_number_of_personas(personas: int, seed: int) -> None:
    choice = evaluate_k(_data(personas, seed=seed))
    assert choice.suggested_k == personas, choice.table
    assert choice.table.loc[personas, "stability"] >= STABLE


@pytest.mark.filterwarnings("ignore:Number of distinct clusters:sklearn.exceptions.ConvergenceWarning")
def test_k_range_limits() -> None:
    data = _data(3, seed=1, n=30)
    choice = evaluate_k(data, k_min=3, k_max=50)
    assert list(choice.table.index) == list(range(3, 30))  # k_max clipped below the row count
    with pytest.raises(ValueError):
        evaluate_k(data, k_min=1)
    with pytest.raises(ValueError):
        evaluate_k(data, k_min=6, k_max=5)


def _table(silhouette: list[float], stability: list[float], start: int = 2) -> pd.DataFrame:
    n = len(silhouette)
    return pd.DataFrame(
        {
            "inertia": np.linspace(100, 10, n),
            "silhouette": silhouette,
            "calinski_harabasz": np.full(n, 50.0),
            "davies_bouldin": np.full(n, 1.0),
            "stability": stability,
        },
        index=pd.RangeIndex(start, start + n, name="k"),
    )


def test_suggest_best_silhouette_among_stable() -> None:
    k, reason = suggest_k(_table([0.7, 0.5, 0.6, 0.3], [0.5, 0.95, 0.9, 0.99]))
    assert k == 4  # k = 2 has the best silhouette but is unstable
    assert "stable" in reason


def test_suggest_when_nothing_is_stable() -> None:
    k, reason = suggest_k(_table([0.2, 0.4, 0.3], [0.1, 0.2, 0.3]))
    assert k == 3
    assert "no k gives stable" in reason


def test_near_tied_silhouettes_broken_by_calinski_harabasz() -> None:
    """Merging two close personas barely moves the silhouette; the variance ratio decides."""
    table = _table([0.48, 0.515, 0.513, 0.47], [0.99, 1.0, 1.0, 0.9])
    table["calinski_harabasz"] = [1800.0, 2500.0, 2900.0, 2400.0]
    k, reason = suggest_k(table)
    assert k == 4
    assert "Calinski-Harabasz" in reason and "stable" in reason
    # A clear silhouette lead is not overruled.
    table.loc[3, "silhouette"] = 0.6
    assert suggest_k(table)[0] == 3


def test_suggest_without_silhouette() -> None:
    k, reason = suggest_k(_table([np.nan, np.nan], [0.9, 0.9], start=3))
    assert k == 3
    assert "smallest" in reason


def test_the_silhouette_of_a_large_file_is_computed_in_small_blocks() -> None:
    # All pairwise distances of the 10,000 sampled rows at once would be 760 MB
    # (scikit-learn's default working memory is 1 GB); a dashboard server with
    # several sessions cannot spare that for one person's Choose k.
    data = _data(4, seed=1, n=SILHOUETTE_SAMPLE + 2000)
    tracemalloc.start()
    try:
        choice = evaluate_k(data, k_min=2, k_max=3)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert choice.table["silhouette"].notna().all()
    assert peak < 200 * 2**20


def _numbers_csv(points: np.ndarray) -> bytes:
    frame = pd.DataFrame(points, columns=[f"x{i}" for i in range(points.shape[1])])
    return frame.to_csv(index=False).encode()


def test_a_continuum_is_called_a_continuum() -> None:
    """Uniform customers have no natural groups: the best silhouette is low and the note says so."""
    rng = np.random.default_rng(3)
    _, data, _ = select_and_prepare(load(_numbers_csv(rng.uniform(0, 1, (600, 4)))), Settings())
    choice = evaluate_k(data, k_min=2, k_max=6)
    assert choice.best_silhouette < WEAK_STRUCTURE
    assert choice.structure_note is not None and "continuum" in choice.structure_note
    assert f"{choice.best_silhouette:.2f}" in choice.structure_note


def test_clear_groups_get_no_continuum_note() -> None:
    rng = np.random.default_rng(4)
    centres = np.array([[0, 0], [10, 0], [0, 10]])
    points = np.vstack([c + rng.normal(0, 0.5, (200, 2)) for c in centres])
    _, data, _ = select_and_prepare(load(_numbers_csv(points)), Settings())
    choice = evaluate_k(data, k_min=2, k_max=5)
    assert choice.best_silhouette >= WEAK_STRUCTURE
    assert choice.structure_note is None
    assert continuum_note(0.3) is None and continuum_note(float("nan")) is None
    assert "these segments" in continuum_note(0.1)


def test_segments_silhouette_matches_the_full_computation() -> None:
    from sklearn.metrics import silhouette_score

    from segmentation.model.kmeans import fit_segments

    data = _data(4, seed=2, n=800)
    result = fit_segments(data, n_clusters=4)
    encoded = result.pipeline[:-1].transform(model_input(data.for_fit()))
    expected = silhouette_score(encoded, result.segments[data.for_fit().usable])
    assert segments_silhouette(data, result) == pytest.approx(expected, abs=1e-6)  # no sample: float32 only
