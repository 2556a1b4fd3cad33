"""Outcomes per segment: rate, overall rate and lift; tiny segments are flagged."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segmentation import load
from segmentation.model.analysis import Settings, segment
from segmentation.model.outcomes import OVERALL


def _churn_file(seed: int = 0) -> tuple[bytes, pd.DataFrame]:
    """Two groups by spend; the high spenders churn far more."""
    rng = np.random.default_rng(seed)
    n = 400
    high = np.arange(n) < 100
    frame = pd.DataFrame(
        {
            "spend": np.where(high, rng.normal(100, 5, n), rng.normal(20, 5, n)).round(1),
            "visits": rng.integers(1, 10, n),
            "Churn": np.where(rng.random(n) < np.where(high, 0.6, 0.1), "Yes", "No"),
            "balance_mean": rng.normal(50, 1, n).round(2),
        }
    )
    return frame.to_csv(index=False).encode(), frame


def test_rate_overall_and_lift_by_the_numbers() -> None:
    data, frame = _churn_file()
    seg = segment(load(data), Settings(n_clusters=2, features=("spend", "visits")))
    rates = seg.profiles.outcome_rates
    measure = "Churn: share of Yes"
    assert list(rates.by_segment.columns) == [measure]
    churned = frame["Churn"].eq("Yes").to_numpy()
    for segment_number in (1, 2):
        members = seg.result.segments == segment_number
        assert rates.by_segment.loc[segment_number, measure] == pytest.approx(churned[members].mean())
    assert rates.overall[measure] == pytest.approx(churned.mean())
    assert rates.lift.loc[2, measure] == pytest.approx(
        churned[seg.result.segments == 2].mean() / churned.mean()
    )
    table = rates.table()
    assert list(table.index) == [1, 2, OVERALL]
    assert table.loc[OVERALL, f"{measure} (lift)"] == 1.0


def test_a_numeric_outcome_gives_its_mean() -> None:
    rng = np.random.default_rng(1)
    n = 200
    frame = pd.DataFrame({"x": rng.normal(size=n).round(3), "y": rng.integers(0, 2, n)})
    frame.loc[:9, "y"] = np.nan
    seg = segment(load(frame.to_csv(index=False).encode()), Settings(n_clusters=2))
    rates = seg.profiles.outcome_rates
    assert list(rates.overall.index) == ["y: share of 1"]
    assert rates.overall["y: share of 1"] == pytest.approx(frame["y"].mean())  # gaps left out


def test_tiny_segments_are_flagged() -> None:
    """A cluster of 12 among 600 customers (2%): too few, flagged with its size and share."""
    rng = np.random.default_rng(2)
    big = rng.normal(0, 1, (588, 2))
    tiny = rng.normal(12, 0.2, (12, 2))
    frame = pd.DataFrame(np.vstack([big, tiny]), columns=["a", "b"])
    seg = segment(load(frame.to_csv(index=False).encode()), Settings(n_clusters=3, keep_extremes=True))
    sizes = seg.profiles.summary["size"]
    tiny_segments = seg.profiles.tiny_segments()
    expected = {int(s) for s in sizes.index if sizes[s] < 30 or sizes[s] / sizes.sum() < 0.02}
    assert set(tiny_segments) == expected and expected
    [(number, note)] = [(s, n) for s, n in tiny_segments.items() if sizes[s] == 12]
    assert note.startswith(f"Segment {number} is tiny: 12 of 600 customers (2.0%)")


def test_no_tiny_flag_for_sizeable_segments() -> None:
    data, _ = _churn_file()
    seg = segment(load(data), Settings(n_clusters=2, features=("spend", "visits")))
    assert seg.profiles.tiny_segments() == {}
