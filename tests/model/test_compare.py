"""Two segments compared: means, differences in standard deviations and category shares, checked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segmentation import Settings, load, segment
from segmentation.model.compare import compare_segments, overall_means, profile_rows


def grouped_csv(n: int = 300, seed: int = 4) -> bytes:
    """Three well-apart groups: income differs a lot, visits a little, tier by group."""
    rng = np.random.default_rng(seed)
    group = np.arange(n) % 3
    frame = pd.DataFrame(
        {
            "customer_id": [f"C{i}" for i in range(n)],
            "income": np.round(30 + 40 * group + rng.normal(0, 3, n), 1),
            "visits": np.round(10 + group + rng.normal(0, 2, n), 1),
            "tier": np.where(rng.random(n) < 0.8, np.array(["gold", "silver", "bronze"])[group], "other"),
        }
    )
    return frame.to_csv(index=False).encode()


@pytest.fixture(scope="module")
def run():
    return segment(load(grouped_csv()), Settings(n_clusters=3))


def frame_of(run) -> pd.DataFrame:
    rows = profile_rows(run)
    raw = run.dataset.raw[rows]
    return pd.DataFrame(
        {
            "segment": run.result.segments[rows],
            "income": pd.to_numeric(raw["income"]).to_numpy(),
            "visits": pd.to_numeric(raw["visits"].replace("", None)).to_numpy(dtype=float),
            "tier": raw["tier"].to_numpy(),
        }
    )


def in_sd(a: pd.Series, b: pd.Series, everyone: pd.Series) -> float:
    return (a.mean() - b.mean()) / everyone.std(ddof=0)


@pytest.mark.parametrize("second", [2, None])
def test_means_and_differences_match_a_direct_computation(run, second):
    frame = frame_of(run)
    a = frame[frame.segment == 1]
    b = frame[frame.segment == second] if second else frame[frame.segment != 1]
    comparison = compare_segments(run, 1, second)
    assert comparison.sizes == (len(a), len(b))
    for feature in ("income", "visits"):
        row = comparison.numeric.loc[feature]
        assert row["first_mean"] == pytest.approx(a[feature].mean())
        assert row["second_mean"] == pytest.approx(b[feature].mean())
        assert row["difference_sd"] == pytest.approx(in_sd(a[feature], b[feature], frame[feature]))


def test_category_shares_match_and_sum_to_one(run):
    frame = frame_of(run)
    a, b = frame[frame.segment == 2], frame[frame.segment == 3]
    shares = compare_segments(run, 2, 3).categories.set_index("value")
    for value in ("gold", "silver", "bronze", "other"):
        assert shares.loc[value, "first_share"] == pytest.approx((a.tier == value).mean())
        assert shares.loc[value, "second_share"] == pytest.approx((b.tier == value).mean())
        expected = 100 * ((a.tier == value).mean() - (b.tier == value).mean())
        assert shares.loc[value, "difference_points"] == pytest.approx(expected)
        indicator = (frame.tier == value).astype(float)
        assert shares.loc[value, "difference_sd"] == pytest.approx(expected / 100 / indicator.std(ddof=0))
    assert shares["first_share"].sum() == pytest.approx(1.0)


def test_two_segments_differ_by_the_difference_of_their_heatmap_rows(run):
    differences = run.profiles.differences
    for first, second in ((1, 2), (3, 1)):
        numeric = compare_segments(run, first, second).numeric["difference_sd"]
        for feature in ("income", "visits"):
            expected = differences.loc[first, feature] - differences.loc[second, feature]
            assert numeric[feature] == pytest.approx(expected)


def test_features_are_ranked_by_their_largest_difference(run):
    ranking = compare_segments(run, 1, 3).ranking
    assert ranking["feature"].iloc[-1] == "visits"  # the groups' visits differ least
    sizes = ranking["difference_sd"].abs().to_numpy()
    assert (np.diff(sizes) <= 0).all()
    assert set(ranking["kind"]) == {"number", "category"}
    tier = ranking[ranking.feature == "tier"].iloc[0]
    assert tier["value"] in {"gold", "silver", "bronze"}


def test_swapping_the_segments_flips_the_signs(run):
    one, other = compare_segments(run, 1, 2), compare_segments(run, 2, 1)
    assert one.numeric["difference_sd"].to_dict() == pytest.approx(
        (-other.numeric["difference_sd"]).to_dict()
    )


def test_overall_means_are_over_the_profiled_customers(run):
    frame = frame_of(run)
    means = overall_means(run)
    assert means["income"] == pytest.approx(frame.income.mean())
    sizes = run.profiles.summary["size"]
    weighted = (run.profiles.summary["visits"] * sizes).sum() / sizes.sum()
    assert means["visits"] == pytest.approx(weighted)


@pytest.mark.parametrize(("first", "second"), [(0, 1), (1, 4), (2, 2)])
def test_segments_the_run_does_not_have_are_refused(run, first, second):
    with pytest.raises(ValueError):
        compare_segments(run, first, second)


def test_gaps_are_left_out_of_the_means():
    data = grouped_csv().decode().splitlines()
    header, rows = data[0], data[1:]
    rows = [
        ",".join([*r.split(",")[:2], "", r.split(",")[3]]) if i % 10 == 0 else r for i, r in enumerate(rows)
    ]
    run = segment(load(("\n".join([header, *rows]) + "\n").encode()), Settings(n_clusters=3))
    frame = frame_of(run)
    a, b = frame[frame.segment == 1], frame[frame.segment != 1]
    row = compare_segments(run, 1).numeric.loc["visits"]
    assert row["first_mean"] == pytest.approx(a.visits.mean())  # pandas skips the gaps
    assert row["second_mean"] == pytest.approx(b.visits.mean())
