"""Tests for segmentation.io.synthetic: schema, realism, determinism, personas."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.compose import make_column_transformer
from sklearn.metrics import adjusted_rand_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from segmentation.io.synthetic import (
    PERSONAS,
    customers_to_csv_bytes,
    generate_customers,
    generate_customers_with_personas,
)
from segmentation.prepare.schema import PRODUCT_CATEGORIES, SEED_CATEGORICAL, SEED_ID, SEED_NUMERIC
from tests.fixtures import REPO

SEED_COLUMNS = [SEED_ID, *SEED_NUMERIC, SEED_CATEGORICAL]


@pytest.fixture(scope="module")
def big() -> tuple[pd.DataFrame, np.ndarray]:
    return generate_customers_with_personas(20_000, seed=7, personas=len(PERSONAS))


def test_columns_and_ids() -> None:
    df = generate_customers(250)
    assert list(df.columns) == SEED_COLUMNS
    assert len(df) == 250
    assert df[SEED_ID].iloc[0] == "C0000001"
    assert df[SEED_ID].iloc[-1] == "C0000250"
    assert df[SEED_ID].is_unique
    assert df[SEED_ID].str.fullmatch(r"C[0-9]{7}").all()
    assert df.index.equals(pd.RangeIndex(250))


def test_ids_widen_when_n_needs_more_digits(monkeypatch: pytest.MonkeyPatch) -> None:
    import segmentation.io.synthetic as synthetic

    monkeypatch.setattr(synthetic, "ID_MIN_DIGITS", 2)
    assert synthetic._customer_ids(99).to_pylist()[-1] == "C99"
    ids = synthetic._customer_ids(100).to_pylist()
    assert ids[0] == "C001"
    assert ids[-1] == "C100"


def test_dtypes() -> None:
    df = generate_customers(500)
    assert df[SEED_ID].dtype == "str"
    assert df[SEED_CATEGORICAL].dtype == "str"
    for column in ("annual_income", "spending_score", "number_of_purchases", "age"):
        assert df[column].dtype == np.int64, column
    for column in ("years_with_company", "average_order_value", "activity_per_week"):
        assert df[column].dtype == np.float64, column


def test_values_are_realistic(big: tuple[pd.DataFrame, np.ndarray]) -> None:
    df, _ = big
    assert df["annual_income"].between(15_000, 250_000).all()
    assert df["spending_score"].between(1, 100).all()
    assert df["age"].between(18, 80).all()
    assert (df["number_of_purchases"] >= 0).all()
    for column in ("years_with_company", "average_order_value", "activity_per_week"):
        assert (df[column] >= 0).all(), column
    assert (df["years_with_company"] <= df["age"] - 18).all()
    # Rounded to 1 decimal / cents.
    for column, decimals in (("years_with_company", 1), ("average_order_value", 2), ("activity_per_week", 1)):
        scaled = df[column].to_numpy() * 10**decimals
        np.testing.assert_allclose(scaled, np.rint(scaled), atol=1e-6, err_msg=column)
    assert set(df[SEED_CATEGORICAL]) == set(PRODUCT_CATEGORIES)
    assert not df.isna().any().any()


def test_deterministic_for_a_seed() -> None:
    pd.testing.assert_frame_equal(generate_customers(300, seed=3), generate_customers(300, seed=3))
    first, labels_a = generate_customers_with_personas(300, seed=3)
    _, labels_b = generate_customers_with_personas(300, seed=3)
    np.testing.assert_array_equal(labels_a, labels_b)
    pd.testing.assert_frame_equal(first, generate_customers(300, seed=3))


def test_different_seeds_differ() -> None:
    a, b = generate_customers(300, seed=1), generate_customers(300, seed=2)
    assert not a.equals(b)
    assert (a["annual_income"] != b["annual_income"]).mean() > 0.9


def test_labels_match_public_frame() -> None:
    _df, labels = generate_customers_with_personas(400, seed=5, personas=4)
    assert labels.shape == (400,)
    assert set(np.unique(labels)) == {0, 1, 2, 3}


@pytest.mark.parametrize("personas", [0, -1, len(PERSONAS) + 1, 2.5, True])
def test_invalid_personas_raise(personas: object) -> None:
    with pytest.raises(ValueError, match="personas"):
        generate_customers(10, personas=personas)  # type: ignore[arg-type]


@pytest.mark.parametrize("n", [-1, 1.5])
def test_invalid_n_raises(n: object) -> None:
    with pytest.raises(ValueError, match="n must be"):
        generate_customers(n)  # type: ignore[arg-type]


def test_empty_frame_keeps_schema() -> None:
    df = generate_customers(0)
    assert list(df.columns) == SEED_COLUMNS
    assert len(df) == 0


@pytest.mark.parametrize("personas", range(1, len(PERSONAS) + 1))
def test_persona_shares(personas: int) -> None:
    n = 5_000
    _, labels = generate_customers_with_personas(n, personas=personas)
    shares = np.bincount(labels, minlength=personas) / n
    expected = np.array([p.share for p in PERSONAS[:personas]])
    expected /= expected.sum()
    # Counts are split exactly (largest remainder), only the order is random.
    np.testing.assert_allclose(shares, expected, atol=1 / n)
    assert shares.min() >= 0.08


def test_each_persona_has_a_dominant_category(big: tuple[pd.DataFrame, np.ndarray]) -> None:
    df, labels = big
    table = pd.crosstab(labels, df[SEED_CATEGORICAL], normalize="index")
    for index, persona in enumerate(PERSONAS):
        assert table.loc[index].idxmax() == persona.category
        assert 0.7 <= table.loc[index, persona.category] <= 0.8, persona.name
    first_four = [p.category for p in PERSONAS[:4]]
    assert len(set(first_four)) == 4


def test_personas_are_well_separated(big: tuple[pd.DataFrame, np.ndarray]) -> None:
    """Every pair of personas differs by >= 2 within-persona SDs on >= 2 features."""
    df, labels = big
    grouped = df[list(SEED_NUMERIC)].groupby(labels)
    means, sds = grouped.mean(), grouped.std()
    for i, j in combinations(range(len(PERSONAS)), 2):
        pooled = np.sqrt((sds.loc[i] ** 2 + sds.loc[j] ** 2) / 2)
        gaps = (means.loc[i] - means.loc[j]).abs() / pooled
        assert (gaps >= 2).sum() >= 2, (PERSONAS[i].name, PERSONAS[j].name, gaps.round(2).to_dict())


@pytest.mark.parametrize("personas", range(2, len(PERSONAS) + 1))
def test_kmeans_recovers_personas(personas: int) -> None:
    df, labels = generate_customers_with_personas(2_000, personas=personas)
    # n_init=10: a single k-means++ start can merge two personas (local optimum).
    model = make_pipeline(
        make_column_transformer(
            (StandardScaler(), list(SEED_NUMERIC)),
            (OneHotEncoder(), [SEED_CATEGORICAL]),
        ),
        KMeans(n_clusters=personas, random_state=0, n_init=10),
    )
    found = model.fit_predict(df)
    assert adjusted_rand_score(labels, found) > 0.9


def test_csv_bytes_round_trip() -> None:
    df = generate_customers(200, seed=11)
    data = customers_to_csv_bytes(df)
    text = data.decode("utf-8")
    assert "\r" not in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == SEED_COLUMNS
    assert len(rows) == 201
    assert rows[1][0] == "C0000001"
    back = pd.read_csv(io.BytesIO(data))
    pd.testing.assert_frame_equal(back, df)


def test_core_modules_do_not_import_streamlit() -> None:
    # A fresh interpreter: other tests may import streamlit in this process.
    code = (
        "import sys, segmentation.prepare.schema, segmentation.io.synthetic, segmentation.report.export; "
        "assert 'streamlit' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)
