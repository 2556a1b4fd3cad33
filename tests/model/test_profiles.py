"""Segment profiles: means in the user's units, sizes, category mix, differences, separation, names."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest

from segmentation import load
from segmentation.io.synthetic import customers_to_csv_bytes, generate_customers
from segmentation.model.analysis import Settings, segment
from segmentation.model.profiles import feature_label, name_segments
from segmentation.prepare.schema import PRODUCT_CATEGORIES, SEED_NUMERIC
from tests.fixtures import DATASETS, fitted_run


def _with_gaps() -> bytes:
    """Seed-schema customers with empty cells, an 'NA', a non-number and an unknown category."""
    frame = generate_customers(400, seed=11, personas=4).astype(str)
    frame.loc[[1, 2, 3], "annual_income"] = ""
    frame.loc[[5], "age"] = "NA"
    frame.loc[[8], "spending_score"] = "n/a"
    frame.loc[[9, 12], "product_category"] = ""
    frame.loc[[13], "product_category"] = "garden"
    return customers_to_csv_bytes(frame)


@pytest.fixture(scope="module", params=["impute", "exclude"])
def run(request):
    return segment(load(_with_gaps()), Settings(missing=request.param))


def _parsed_raw(run, column: str) -> pd.Series:
    """The column parsed independently from the raw text cells (missing -> NaN)."""
    return pd.to_numeric(run.dataset.raw[column].astype(object), errors="coerce").astype(float)


def test_summary_sizes_and_shares(run) -> None:
    summary = run.profiles.summary
    k = run.result.n_clusters
    assert list(summary.index) == list(range(1, k + 1))
    assert summary.index.name == "segment"
    assert list(summary.columns[:2]) == ["size", "share"]
    assert list(summary.columns[2:]) == list(SEED_NUMERIC)
    segments = run.result.segments
    expected_sizes = [(segments == s).sum() for s in range(1, k + 1)]
    assert summary["size"].tolist() == expected_sizes
    assert summary["size"].sum() == run.report.n_usable == (segments > 0).sum()
    assert summary["share"].sum() == pytest.approx(1.0)
    np.testing.assert_allclose(summary["share"], summary["size"] / summary["size"].sum())
    assert summary["size"].is_monotonic_decreasing


def test_means_in_original_units(run) -> None:
    """Each mean equals a groupby of the raw cells parsed independently (gaps skipped, not imputed)."""
    segments = pd.Series(run.result.segments)
    summary = run.profiles.summary
    for column in SEED_NUMERIC:
        values = _parsed_raw(run, column)
        expected = values[segments > 0].groupby(segments[segments > 0]).mean()
        np.testing.assert_allclose(
            summary[column].to_numpy(), expected.reindex(summary.index).to_numpy(), rtol=1e-9, err_msg=column
        )


def test_means_on_mall_customers_file() -> None:
    path = DATASETS / "Mall_Customers.csv"
    if not path.exists():
        pytest.skip(f"shared dataset not found: {path}")
    with open(path, newline="", encoding="ascii") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    run = segment(load(path))
    frame = pd.DataFrame(body, columns=header)
    segments = pd.Series(run.result.segments)
    assert (segments > 0).all()
    for column in ("Age", "Annual Income (k$)", "Spending Score (1-100)"):
        expected = frame[column].astype(float).groupby(segments).mean()
        np.testing.assert_allclose(run.profiles.summary[column], expected, rtol=1e-12)


def test_means_with_decimal_commas_and_semicolons() -> None:
    rng = np.random.default_rng(4)
    lines = ["id;spend;visits;region"]
    spend = rng.normal(100, 30, 120).round(2)
    visits = rng.integers(1, 20, 120)
    for i in range(120):
        lines.append(f"{i};{str(spend[i]).replace('.', ',')};{visits[i]};{'north' if i % 3 else 'south'}")
    run = segment(load("\n".join(lines).encode()), Settings(n_clusters=3))
    segments = pd.Series(run.result.segments)
    expected = pd.Series(spend).groupby(segments).mean()
    np.testing.assert_allclose(run.profiles.summary["spend"], expected, rtol=1e-9)


def test_category_mix(run) -> None:
    mix = run.profiles.category_mix
    assert set(mix) == {"product_category"}
    shares = mix["product_category"]
    assert list(shares.columns[:4]) == list(PRODUCT_CATEGORIES)
    assert list(shares.index) == list(run.profiles.summary.index)
    np.testing.assert_allclose(shares.sum(axis=1), 1.0)
    assert ((shares >= 0) & (shares <= 1)).all().all()
    # Against an independent crosstab of the normalised categories of the used rows.
    used = run.result.segments > 0
    values = run.data.categorical["product_category"][used].fillna("(missing)").astype(object)
    table = pd.crosstab(run.result.segments[used], values.to_numpy(), normalize="index")
    for column in PRODUCT_CATEGORIES:
        expected = table.get(column, 0.0)
        np.testing.assert_allclose(shares[column], expected, err_msg=column)


def test_standardised_differences(run) -> None:
    differences = run.profiles.differences
    k = run.result.n_clusters
    assert list(differences.index) == list(range(1, k + 1))
    for column in SEED_NUMERIC:
        assert column in differences.columns
    for category in PRODUCT_CATEGORIES:
        assert f"product_category = {category}" in differences.columns
    assert np.isfinite(differences.to_numpy()).all()
    # A feature with complete data: (segment mean - overall mean) / overall std.
    used = run.result.segments > 0
    values = _parsed_raw(run, "number_of_purchases")[used]
    labels = run.result.segments[used]
    expected = (values.groupby(labels).mean() - values.mean()) / values.std(ddof=0)
    np.testing.assert_allclose(differences["number_of_purchases"], expected, rtol=1e-9, atol=1e-12)
    # Size-weighted differences average to zero for every feature.
    sizes = run.profiles.summary["size"].to_numpy()
    np.testing.assert_allclose(sizes @ differences.to_numpy(), 0, atol=1e-6 * sizes.sum())


def test_separation_sorted_by_eta_squared(run) -> None:
    separation = run.profiles.separation
    assert list(separation.columns) == ["feature", "f_statistic", "p_value", "eta_squared"]
    assert len(separation) > 0
    eta = separation["eta_squared"].to_numpy(dtype=float)
    assert (np.diff(eta) <= 1e-12).all()
    assert ((eta >= 0) & (eta <= 1 + 1e-12)).all()
    assert separation["feature"].is_unique
    p = separation["p_value"].to_numpy(dtype=float)
    assert ((p >= 0) & (p <= 1)).all()
    # eta squared of a complete feature, computed independently.
    used = run.result.segments > 0
    values = _parsed_raw(run, "number_of_purchases")[used].to_numpy()
    labels = run.result.segments[used]
    total = ((values - values.mean()) ** 2).sum()
    between = sum(
        (labels == s).sum() * (values[labels == s].mean() - values.mean()) ** 2 for s in np.unique(labels)
    )
    row = separation.set_index("feature").loc["number_of_purchases"]
    assert row["eta_squared"] == pytest.approx(between / total, rel=1e-9)
    # Personas are clear, so the top features separate segments strongly.
    assert eta[0] > 0.5


def test_names_short_unique_nonempty(run) -> None:
    names = run.profiles.names
    assert set(names) == set(range(1, run.result.n_clusters + 1))
    assert all(isinstance(n, str) and n.strip() for n in names.values())
    assert len(set(names.values())) == len(names)
    assert all(len(n) <= 80 for n in names.values())
    table = run.profiles.summary_with_names()
    assert table["name"].tolist() == [names[s] for s in table.index]
    renamed = run.profiles.summary_with_names({1: "VIP"})
    assert renamed.loc[1, "name"] == "VIP"


def test_names_unique_even_when_traits_coincide() -> None:
    columns = ["income", "visits"]
    differences = pd.DataFrame(0.0, index=pd.RangeIndex(1, 5, name="segment"), columns=columns)
    names = name_segments(differences, {})
    assert len(set(names.values())) == 4
    assert all(n for n in names.values())


def test_names_unique_when_a_category_looks_like_a_numbered_name() -> None:
    """A category value such as "typical customers (2)" must not produce a duplicate name."""
    index = pd.RangeIndex(1, 4, name="segment")
    differences = pd.DataFrame(0.0, index=index, columns=["income"])
    # Segments 1 and 2 have no dominant value ("Typical customers", "Typical customers (2)");
    # segment 3 is dominated by a value that reads exactly like the second one.
    mix = {
        "kind": pd.DataFrame(
            {
                "a": [0.4, 0.4, 0.0],
                "b": [0.3, 0.3, 0.0],
                "c": [0.3, 0.3, 0.0],
                "typical customers (2)": [0.0, 0.0, 1.0],
            },
            index=index,
        )
    }
    names = name_segments(differences, mix)
    assert len(set(names.values())) == 3, names


def test_names_describe_traits() -> None:
    index = pd.RangeIndex(1, 3, name="segment")
    differences = pd.DataFrame({"Annual Income (k$)": [1.2, -1.2], "Age": [-0.8, 0.9]}, index=index)
    names = name_segments(differences, {})
    assert names[1] == "High annual income, younger"
    assert names[2] == "Low annual income, older"


@pytest.mark.parametrize(
    ("column", "label"),
    [
        ("Annual Income (k$)", "annual income"),
        ("spending_score", "spending score"),
        ("AnnualIncome", "annual income"),
        ("years-with-company", "years with company"),
    ],
)
def test_feature_label(column: str, label: str) -> None:
    assert feature_label(column) == label


def test_summary_csv_matches_profiles(run) -> None:
    rows = list(csv.reader(io.StringIO(run.summary_csv().decode("utf-8"))))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["segment", "name", "size", "share"]
    assert len(body) == run.result.n_clusters
    summary = run.profiles.summary
    for row in body:
        segment_number = int(row[0])
        assert row[1] == run.names[segment_number]
        assert int(row[2]) == summary.loc[segment_number, "size"]
        assert float(row[3]) == pytest.approx(summary.loc[segment_number, "share"])
        for column, cell in zip(header[4:], row[4:], strict=False):
            if column in summary.columns:
                assert float(cell) == pytest.approx(summary.loc[segment_number, column], rel=1e-9)
        rule = run.profiles.rules.table().loc[segment_number]
        assert row[header.index("rule")] == rule["rule"]
        assert float(row[header.index("rule coverage")]) == pytest.approx(rule["coverage"])
    assert set(summary.columns) < set(header)


def test_missing_category_is_never_a_segment_name():
    """Rows whose category is missing may cluster together; "(missing)" must not name them."""
    rows = (
        ["income,channel"]
        + [f"{20 + i % 5},{'web' if i % 2 else 'shop'}" for i in range(50)]
        + [f"{80 + i % 5}," for i in range(30)]
    )
    run = segment(load("\n".join(rows).encode()), Settings(n_clusters=2))
    assert all("missing" not in name for name in run.names.values())
    assert "(missing)" in run.profiles.category_mix["channel"].columns


def test_outcomes_are_shown_per_segment_not_used_as_features() -> None:
    """A yes/no outcome gives the share of "Yes" per segment; a 0/1 one the share of 1; others the mean."""
    frame = generate_customers(600, seed=3, personas=3)
    rng = np.random.default_rng(0)
    high = frame["annual_income"] > frame["annual_income"].median()
    frame["Churn"] = np.where(high, "No", np.where(rng.random(600) < 0.6, "Yes", "No"))
    frame["Exited"] = (frame["Churn"] == "Yes").astype(int)
    run = segment(load(customers_to_csv_bytes(frame)), Settings(n_clusters=3, features=tuple(SEED_NUMERIC)))
    assert {"Churn", "Exited"} <= set(run.selection.outcomes)
    outcomes = run.profiles.outcomes
    assert list(outcomes.columns) == ["Churn: share of Yes", "Exited: share of 1"]
    assert outcomes.index.tolist() == [1, 2, 3]
    np.testing.assert_allclose(outcomes["Churn: share of Yes"], outcomes["Exited: share of 1"])
    labels = run.result.segments
    for segment_number in (1, 2, 3):
        rows = labels == segment_number
        expected = (frame.loc[rows, "Churn"] == "Yes").mean()
        assert outcomes.loc[segment_number, "Churn: share of Yes"] == pytest.approx(expected)


def test_no_outcome_column_gives_an_empty_table() -> None:
    run = fitted_run(120, seed=2, n_clusters=3)
    assert run.profiles.outcomes.empty
