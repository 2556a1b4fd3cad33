"""Rare flags and nearly constant columns are left out of the default features, with their reasons."""

from __future__ import annotations

import numpy as np
import pandas as pd

from segmentation.prepare.dataset import load
from segmentation.prepare.features import choose_features
from segmentation.prepare.informative import NEAR_CONSTANT_SHARE, RARE_SHARE


def _columns(frame: pd.DataFrame):
    return load(frame.to_csv(index=False).encode()).columns


def _base(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"income": rng.normal(50, 10, n).round(1), "visits": rng.integers(0, 30, n)})


def test_rare_flag_left_out_common_flag_kept() -> None:
    n = 1000
    frame = _base(n)
    frame["complained"] = (np.arange(n) < 30).astype(int)  # 3%
    frame["accepted_offer"] = (np.arange(n) < 80).astype(int)  # 8%
    frame["plan"] = np.where(np.arange(n) < 20, "premium", "basic")  # 2%, as text
    selection = choose_features(_columns(frame))
    assert "complained" not in selection.features and "plan" not in selection.features
    assert selection.excluded["complained"].startswith(
        "rare flag: only 3.0% of customers have 1 (the others 0)"
    )
    assert "premium" in selection.excluded["plan"]
    assert f"under {RARE_SHARE:.0%}" in selection.excluded["complained"]
    assert {"income", "visits", "accepted_offer"} <= set(selection.features)


def test_nearly_constant_left_out_varied_kept() -> None:
    n = 1000
    frame = _base(n, seed=1)
    values = np.zeros(n)
    values[:30] = np.arange(1, 31)  # 97% zeros, the rest all different
    frame["returns"] = values
    frame["children"] = np.arange(n) % 4  # 25% each
    selection = choose_features(_columns(frame))
    assert selection.excluded["returns"].startswith(
        "nearly constant: 97.0% of customers have the same value (0)"
    )
    assert "children" in selection.features
    assert NEAR_CONSTANT_SHARE == 0.95


def test_nearly_constant_is_counted_exactly_on_large_files() -> None:
    """Over the sample size the share is still exact: 94.9% stays in, 95.1% goes out."""
    n = 60_000
    frame = _base(n, seed=2)
    below, above = np.arange(n, dtype=float), np.arange(n, dtype=float)
    below[: int(0.949 * n)] = 0
    above[: int(0.951 * n)] = 0
    frame["below"], frame["above"] = below, above
    selection = choose_features(_columns(frame))
    assert "below" in selection.features
    assert selection.excluded["above"].startswith("nearly constant: 95.1%")


def test_the_analysts_choice_wins() -> None:
    n = 500
    frame = _base(n, seed=3)
    frame["complained"] = (np.arange(n) < 5).astype(int)
    selection = choose_features(_columns(frame), features=["income", "complained"])
    assert selection.features == ["income", "complained"]


def test_mostly_gaps_left_out() -> None:
    n = 200
    frame = _base(n, seed=4)
    frame["score_2019"] = np.where(np.arange(n) < 150, np.nan, 1.0 * np.arange(n))
    selection = choose_features(_columns(frame))
    assert selection.excluded["score_2019"] == "75% of the cells are missing"
