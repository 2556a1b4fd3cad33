"""The model: a scikit-learn Pipeline (impute, scale, one-hot, KMeans) with stable segment numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.cluster import KMeans
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, RobustScaler, StandardScaler

from segmentation import load
from segmentation.io.synthetic import customers_to_csv_bytes, generate_customers
from segmentation.model import kmeans as model
from segmentation.model.analysis import Settings, segment, select_and_prepare
from segmentation.model.kmeans import (
    DEFAULT_K,
    SCALINGS,
    build_pipeline,
    encoded_names,
    fit_segments,
    input_names,
    model_input,
    predict_segments,
    stable_order,
)
from segmentation.prepare.schema import PRODUCT_CATEGORIES, SEED_NUMERIC


def _last(step):
    """The step itself, or the last step of a nested Pipeline (e.g. impute then scale)."""
    return step.steps[-1][1] if isinstance(step, Pipeline) else step


def _data(csv: bytes, **settings):
    dataset = load(csv)
    _, data, _ = select_and_prepare(dataset, Settings(**settings))
    return data


@pytest.fixture(scope="module")
def seed_csv() -> bytes:
    return customers_to_csv_bytes(generate_customers(600, seed=3, personas=5))


@pytest.fixture(scope="module")
def seed_data(seed_csv):
    return _data(seed_csv)


# --- pipeline structure ----------------------------------------------------------------


def test_pipeline_structure_defaults(seed_data) -> None:
    pipeline = build_pipeline(seed_data)
    assert isinstance(pipeline, Pipeline)
    assert [name for name, _ in pipeline.steps] == ["prepare", "kmeans"]
    prepare = pipeline.named_steps["prepare"]
    kmeans = pipeline.named_steps["kmeans"]
    assert isinstance(prepare, ColumnTransformer)
    assert isinstance(kmeans, KMeans)
    assert DEFAULT_K == 5 and kmeans.n_clusters == 5
    transformers = {name: (step, columns) for name, step, columns in prepare.transformers}
    names = input_names(seed_data)  # the columns of model_input, which the transformers slice
    numeric_step, numeric_columns = transformers["numeric"]
    assert names[numeric_columns] == list(SEED_NUMERIC)
    assert isinstance(_last(numeric_step), StandardScaler)
    categorical_step, categorical_columns = transformers["categorical"]
    assert names[categorical_columns] == ["product_category"]
    onehot = _last(categorical_step)
    assert isinstance(onehot, OneHotEncoder)
    # Fixed categories: the encoder's category list is given up front, one entry per known value.
    assert onehot.categories != "auto"
    assert [len(c) for c in onehot.categories] == [len(PRODUCT_CATEGORIES)]


@pytest.mark.parametrize(
    ("scaling", "expected"),
    [("standard", StandardScaler), ("robust", RobustScaler), ("minmax", MinMaxScaler), ("none", None)],
)
def test_scaling_choice(seed_data, scaling: str, expected) -> None:
    pipeline = build_pipeline(seed_data, scaling=scaling, n_clusters=3)
    scaler = _last(pipeline.named_steps["prepare"].transformers[0][1])
    if expected is None:
        assert scaler == "passthrough"
    else:
        assert isinstance(scaler, expected)
    assert pipeline.named_steps["kmeans"].n_clusters == 3


def test_unknown_scaling_rejected(seed_data) -> None:
    with pytest.raises(ValueError, match="scaling"):
        build_pipeline(seed_data, scaling="log")


def test_scaling_effect_on_encoded_numbers(seed_data) -> None:
    def encode(scaling: str) -> np.ndarray:
        # A fresh input each time: the scalers work in place on the matrix they get.
        return (
            build_pipeline(seed_data, scaling=scaling)
            .named_steps["prepare"]
            .fit_transform(model_input(seed_data))
        )

    n = len(SEED_NUMERIC)
    standard = encode("standard")[:, :n]
    np.testing.assert_allclose(standard.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(standard.std(axis=0), 1, atol=1e-5)
    minmax = encode("minmax")[:, :n]
    np.testing.assert_allclose(minmax.min(axis=0), 0, atol=1e-6)
    np.testing.assert_allclose(minmax.max(axis=0), 1, atol=1e-6)
    robust = encode("robust")[:, :n]
    np.testing.assert_allclose(np.median(robust, axis=0), 0, atol=1e-5)
    none = encode("none")
    # No scaling: the numbers in the user's units (float32 precision at most).
    np.testing.assert_allclose(none[:, :n], seed_data.numeric[list(SEED_NUMERIC)].to_numpy(), rtol=1e-6)
    # One-hot block: one 1 per row, in the fixed category order.
    onehot = none[:, n:]
    assert onehot.shape[1] == len(PRODUCT_CATEGORIES)
    np.testing.assert_array_equal(onehot.sum(axis=1), 1)
    expected = (
        seed_data.categorical["product_category"]
        .map({c: i for i, c in enumerate(PRODUCT_CATEGORIES)})
        .to_numpy()
    )
    np.testing.assert_array_equal(onehot.argmax(axis=1), expected)


@pytest.mark.parametrize("scaling", SCALINGS)
def test_fit_leaves_the_data_unchanged(seed_csv, scaling: str) -> None:
    # The scaler works in place on model_input's matrix; that matrix must be a copy.
    data = _data(seed_csv)
    numeric_before = data.numeric.copy()
    categorical_before = data.categorical.copy()
    fit_segments(data, scaling=scaling)
    pd.testing.assert_frame_equal(data.numeric, numeric_before)
    pd.testing.assert_frame_equal(data.categorical, categorical_before)


def test_model_input_is_one_float32_matrix(seed_data) -> None:
    x = model_input(seed_data)
    assert x.dtype == np.float32 and x.shape == (seed_data.n_usable, len(input_names(seed_data)))
    n = len(SEED_NUMERIC)
    np.testing.assert_allclose(x[:, :n], seed_data.numeric[list(SEED_NUMERIC)].to_numpy(), rtol=1e-6)
    expected = (
        seed_data.categorical["product_category"]
        .map({c: i for i, c in enumerate(PRODUCT_CATEGORIES)})
        .to_numpy()
    )
    np.testing.assert_array_equal(x[:, n], expected)


def test_encoded_names(seed_data) -> None:
    result = fit_segments(seed_data)
    assert list(result.encoded_names) == [
        *SEED_NUMERIC,
        *(f"product_category_{c}" for c in PRODUCT_CATEGORIES),
    ]


def test_fixed_categories_kept_when_only_some_occur() -> None:
    frame = generate_customers(120, seed=1, personas=2)
    frame["product_category"] = np.where(np.arange(120) % 2 == 0, "Electronics", " FASHION ")
    data = _data(customers_to_csv_bytes(frame))
    result = fit_segments(data, n_clusters=3)
    for category in PRODUCT_CATEGORIES:
        assert f"product_category_{category}" in result.encoded_names
    encoded = result.pipeline.named_steps["prepare"].transform(model_input(data))
    assert encoded.shape[1] == len(SEED_NUMERIC) + 4
    # Normalised spellings land in the right columns; absent categories stay all zero.
    names = result.encoded_names
    assert encoded[:, names.index("product_category_electronics")].sum() == 60
    assert encoded[:, names.index("product_category_fashion")].sum() == 60
    assert encoded[:, names.index("product_category_home_goods")].sum() == 0
    assert encoded[:, names.index("product_category_beauty")].sum() == 0


def test_imputation_median_and_most_frequent() -> None:
    frame = generate_customers(200, seed=5, personas=3).astype({"annual_income": object})
    frame.loc[[3, 7], "annual_income"] = ""
    frame.loc[[4], "product_category"] = ""
    data = _data(customers_to_csv_bytes(frame.astype({"annual_income": str})))
    assert data.usable.all()  # impute keeps every row with at least one value
    pipeline = build_pipeline(data, scaling="none")
    encoded = pipeline.named_steps["prepare"].fit_transform(model_input(data))
    incomes = data.numeric["annual_income"]
    assert encoded[3, 0] == encoded[7, 0] == pytest.approx(incomes.median(), rel=1e-6)
    most_frequent = data.categorical["product_category"].value_counts().idxmax()
    names = list(encoded_names(data))
    assert encoded[4, names.index(f"product_category_{most_frequent}")] == 1


# --- fitting, determinism, numbering ---------------------------------------------------


@pytest.mark.parametrize("scaling", SCALINGS)
def test_same_data_same_labels_and_numbers(seed_csv, scaling: str) -> None:
    first = fit_segments(_data(seed_csv), scaling=scaling)
    second = fit_segments(_data(seed_csv), scaling=scaling)
    np.testing.assert_array_equal(first.segments, second.segments)
    np.testing.assert_array_equal(first.centers, second.centers)
    assert first.inertia == second.inertia


def test_segment_end_to_end_is_repeatable(seed_csv) -> None:
    runs = [segment(load(seed_csv)) for _ in range(2)]
    np.testing.assert_array_equal(runs[0].result.segments, runs[1].result.segments)
    assert runs[0].names == runs[1].names
    assert runs[0].labeled_csv() == runs[1].labeled_csv()
    assert runs[0].summary_csv() == runs[1].summary_csv()


@pytest.mark.parametrize("k", [2, 3, 5, 8])
def test_segments_numbered_largest_first(seed_data, k: int) -> None:
    result = fit_segments(seed_data, n_clusters=k)
    assert result.n_clusters == k
    assert set(np.unique(result.segments)) == set(range(1, k + 1))
    sizes = np.bincount(result.segments, minlength=k + 1)[1:]
    assert (np.diff(sizes) <= 0).all(), sizes
    np.testing.assert_array_equal(result.labels, result.segments[result.segments > 0])
    assert result.centers.shape == (k, len(result.encoded_names))


def test_centers_follow_segment_numbers(seed_data) -> None:
    result = fit_segments(seed_data)
    encoded = result.pipeline.named_steps["prepare"].transform(model_input(seed_data))
    distances = ((encoded[:, None, :] - result.centers[None, :, :]) ** 2).sum(axis=2)
    np.testing.assert_array_equal(distances.argmin(axis=1) + 1, result.labels)
    assert result.inertia == pytest.approx(distances.min(axis=1).sum(), rel=1e-6)
    np.testing.assert_array_equal(result.pipeline.named_steps["kmeans"].cluster_centers_, result.centers)


def test_personas_recovered(seed_csv) -> None:
    from sklearn.metrics import adjusted_rand_score

    from segmentation.io.synthetic import generate_customers_with_personas

    _, truth = generate_customers_with_personas(600, seed=3, personas=5)
    result = fit_segments(_data(seed_csv))
    assert adjusted_rand_score(truth, result.labels) > 0.95


def test_excluded_rows_get_segment_zero() -> None:
    frame = generate_customers(150, seed=2, personas=3).astype(str)
    frame.loc[[0, 10, 20], "age"] = ""
    data = _data(customers_to_csv_bytes(frame), missing="exclude")
    result = fit_segments(data)
    assert len(result.segments) == 150
    assert (result.segments[[0, 10, 20]] == 0).all()
    assert (np.delete(result.segments, [0, 10, 20]) > 0).all()
    sizes = np.bincount(result.labels)[1:]
    assert sizes.sum() == 147 and (np.diff(sizes) <= 0).all()


@pytest.mark.parametrize("k", [1, 0, 151])
def test_n_clusters_out_of_range(k: int) -> None:
    data = _data(customers_to_csv_bytes(generate_customers(150, seed=2)), n_clusters=2)
    with pytest.raises(ValueError, match="n_clusters"):
        fit_segments(data, n_clusters=k)


def test_different_seeds_may_differ_but_each_is_stable(seed_data) -> None:
    for seed in (0, 1):
        a = fit_segments(seed_data, random_state=seed, n_clusters=7)
        b = fit_segments(seed_data, random_state=seed, n_clusters=7)
        np.testing.assert_array_equal(a.segments, b.segments)


# --- the fitted pipeline is the model (issue 10.8, 10.9) -----------------------------------


@pytest.mark.parametrize("scaling", SCALINGS)
def test_pipeline_predicts_the_stored_segments(seed_data, scaling: str) -> None:
    result = fit_segments(seed_data, scaling=scaling, n_clusters=6)
    np.testing.assert_array_equal(result.pipeline.named_steps["kmeans"].labels_ + 1, result.labels)
    rows = model_input(seed_data)
    before = rows.copy()
    np.testing.assert_array_equal(result.pipeline.predict(rows) + 1, result.labels)
    result.pipeline.transform(rows)
    np.testing.assert_array_equal(rows, before)  # the caller's array is unchanged


def test_large_data_start_goes_through_kmeans_init(seed_data, monkeypatch) -> None:
    import segmentation.model.kmeans as model

    monkeypatch.setattr(model, "_MULTI_START_ROWS", 100)
    monkeypatch.setattr(model, "_INIT_SAMPLE_ROWS", 200)
    rows = model_input(seed_data)
    result = fit_segments(seed_data)
    kmeans = result.pipeline.named_steps["kmeans"]
    assert isinstance(kmeans.init, np.ndarray) and kmeans.n_init == 1
    # What the fit found (labels_) is what the model predicts for the same, untouched rows.
    np.testing.assert_array_equal(kmeans.labels_ + 1, result.labels)
    np.testing.assert_array_equal(result.pipeline.predict(rows) + 1, result.labels)
    assert len(np.unique(result.labels)) == DEFAULT_K


def test_model_holds_only_default_trusted_types(seed_data) -> None:
    import skops.io as sio

    result = fit_segments(seed_data)
    assert sio.get_untrusted_types(data=sio.dumps(result.pipeline)) == []


def test_shared_result_is_read_only(seed_data) -> None:
    import dataclasses

    result = fit_segments(seed_data)
    with pytest.raises(ValueError, match="read-only"):
        result.segments[0] = 2
    with pytest.raises(ValueError, match="read-only"):
        result.centers[0, 0] = 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.n_clusters = 3  # type: ignore[misc]


# --- stable_order ----------------------------------------------------------------------


def test_stable_order_sizes_then_centres() -> None:
    labels = np.array([0, 1, 1, 2, 2, 3, 3, 3])
    centers = np.array([[0.0, 0.0], [5.0, 1.0], [-1.0, 2.0], [9.0, 9.0]])
    # cluster 3 is largest; 1 and 2 tie on size, 2 has the smaller first coordinate.
    np.testing.assert_array_equal(stable_order(labels, centers), [3, 2, 1, 0])


def test_stable_order_counts_empty_clusters() -> None:
    labels = np.array([1, 1, 0])
    centers = np.array([[1.0], [2.0], [0.0]])
    np.testing.assert_array_equal(stable_order(labels, centers), [1, 0, 2])


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=0, max_value=6), min_size=2, max_size=6),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_numbering_ignores_raw_cluster_ids(sizes: list[int], seed: int) -> None:
    """Relabelling KMeans' raw ids (same clusters) never changes segment numbers."""
    rng = np.random.default_rng(seed)
    k = len(sizes)
    centers = rng.integers(-3, 3, size=(k, 2)).astype(float)  # ties on size and on coordinates
    centers[:, 1] += np.arange(k) * 10  # but distinct centres
    labels = rng.permutation(np.repeat(np.arange(k), sizes))

    def numbers(labels: np.ndarray, centers: np.ndarray) -> np.ndarray:
        order = stable_order(labels, centers)
        number_of = np.empty(k, dtype=int)
        number_of[order] = np.arange(1, k + 1)
        return number_of[labels]

    permutation = rng.permutation(k)  # raw id i becomes permutation[i]
    moved_centers = np.empty_like(centers)
    moved_centers[permutation] = centers
    np.testing.assert_array_equal(numbers(labels, centers), numbers(permutation[labels], moved_centers))
    counts = np.bincount(numbers(labels, centers), minlength=k + 1)[1:]
    assert (np.diff(counts) <= 0).all()


def test_a_large_fit_starts_from_sample_centres_and_keeps_the_model_in_file_units() -> None:
    """Above 100,000 rows the start comes from a sample; the pipeline's scaler must still learn the
    file's own means (not those of rows scaled twice), so the planted personas come out as segments."""
    data = _data(customers_to_csv_bytes(generate_customers(120_000, seed=11)))
    result = fit_segments(data)
    scaler = result.pipeline.named_steps["prepare"].named_transformers_["numeric"]
    income = data.numeric[SEED_NUMERIC[0]].to_numpy()
    assert scaler.mean_[0] == pytest.approx(income.mean(), rel=1e-3)
    sizes = np.bincount(result.segments)[1:]
    assert len(sizes) == 5 and sizes.min() > 0.1 * len(income)
    assert np.array_equal(result.pipeline.predict(model_input(data)) + 1, result.segments)


def test_predicting_in_slices_gives_the_whole_predict_plus_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Slices of 1,000 rows, the last one short, answer exactly as one predict of all 2,500 rows."""
    data = _data(customers_to_csv_bytes(generate_customers(2_500, seed=4)))
    pipeline = fit_segments(data).pipeline
    monkeypatch.setattr(model, "_PREDICT_BATCH_ROWS", 1_000)
    rows = model_input(data)
    assert np.array_equal(predict_segments(pipeline, rows), pipeline.predict(rows) + 1)
    assert np.array_equal(rows, model_input(data))  # the caller's rows are left as they were
