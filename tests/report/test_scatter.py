"""The scatter's data: even per-segment sampling, centres over every customer, PCA axes."""

import numpy as np
import pytest

from segmentation import Settings, load, segment
from segmentation.io.synthetic import customers_to_csv_bytes, generate_customers
from segmentation.report.heatmap import differences_figure
from segmentation.report.scatter import (
    MAX_POINTS,
    WEBGL_FROM,
    pca_projection,
    sample_rows,
    scatter_data,
    scatter_figure,
)
from segmentation.report.text import shorten
from tests.fixtures import fitted_run


@pytest.fixture(scope="module")
def run():
    return fitted_run(3000, seed=7, n_clusters=4)


def test_small_data_draws_every_segmented_row():
    segments = np.array([1, 2, 0, 1, 3])
    assert sample_rows(segments, max_points=10).tolist() == [0, 1, 3, 4]


def test_large_data_is_sampled_evenly_within_each_segment():
    segments = np.repeat([1, 2, 3], [60_000, 30_000, 10_000])
    rows = sample_rows(segments, max_points=MAX_POINTS)
    assert len(rows) <= MAX_POINTS
    assert len(rows) > 0.99 * MAX_POINTS
    shares = np.bincount(segments[rows])[1:] / len(rows)
    np.testing.assert_allclose(shares, [0.6, 0.3, 0.1], atol=0.001)
    assert np.array_equal(rows, sample_rows(segments, max_points=MAX_POINTS))  # seeded


def test_a_tiny_segment_keeps_at_least_one_point():
    segments = np.concatenate([np.ones(100_000, dtype=int), [2]])
    rows = sample_rows(segments, max_points=1_000)
    assert 2 in segments[rows]


def test_points_carry_row_id_segment_and_features(run):
    names = {s: f"S{s}" for s in range(1, 5)}
    data = scatter_data(run, "annual_income", "average_order_value", names)
    assert data.n_shown == data.n_segmented == 3000
    assert data.id_column == "customer_id"
    first = data.points.iloc[0]
    assert first["customer_id"] == run.dataset.raw["customer_id"].iloc[int(first["row"])]
    assert first["annual_income"] == run.data.numeric["annual_income"].iloc[int(first["row"])]
    assert set(data.points["segment"]) == set(names.values())
    assert "annual_income" not in data.hover and "age" in data.hover


def test_centres_are_segment_means_over_all_customers(run):
    names = dict(run.names)
    data = scatter_data(run, "annual_income", "age", names, max_points=100)
    assert data.n_shown <= 100
    expected = run.profiles.summary.loc[1, ["annual_income", "age"]].to_numpy()
    np.testing.assert_allclose(data.centres.loc[names[1]].to_numpy(), expected)


def test_pca_axes(run):
    projection = pca_projection(run)
    assert projection.shape == (3000, 2)
    data = scatter_data(run, "ignored", "ignored", dict(run.names), projection=projection)
    assert (data.x, data.y) == ("PC1", "PC2")
    row = int(data.points["row"].iloc[5])
    assert data.points["PC1"].iloc[5] == pytest.approx(projection[row, 0])


def test_a_few_points_are_drawn_as_svg_and_many_with_webgl(run):
    many = scatter_figure(scatter_data(run, "annual_income", "age", dict(run.names)))
    few = scatter_figure(scatter_data(run, "annual_income", "age", dict(run.names), max_points=WEBGL_FROM))
    assert {t.type for t in many.data} == {"scattergl"}
    assert {t.type for t in few.data} == {"scatter"}
    assert [t.name for t in few.data] == [t.name for t in many.data]


def test_figure_is_webgl_with_row_ids_and_centres(run):
    data = scatter_data(run, "annual_income", "average_order_value", dict(run.names))
    fig = scatter_figure(data)
    segment_traces = [t for t in fig.data if t.name != "Segment centres"]
    assert len(segment_traces) == 4
    assert all(t.type == "scattergl" for t in fig.data)
    assert sum(len(t.x) for t in segment_traces) == data.n_shown
    rows = np.concatenate([np.asarray(t.customdata)[:, 0] for t in segment_traces]).astype(int)
    assert sorted(rows) == sorted(data.points["row"])
    centres = fig.data[-1]
    assert centres.name == "Segment centres" and len(centres.x) == 4


def test_figure_stays_small_however_many_customers():
    big = fitted_run(60_000, seed=3)
    data = scatter_data(big, "annual_income", "average_order_value", dict(big.names))
    assert data.n_shown <= MAX_POINTS < data.n_segmented
    assert len(scatter_figure(data).to_json()) < 2 * 1024 * 1024


def test_precomputed_rows_give_the_same_points_and_centres(run):
    """What the page passes on an axes change (sampled once per result); one axis twice works too."""
    names = dict(run.names)
    rows = sample_rows(run.result.segments, max_points=500)
    for x, y in [("annual_income", "age"), ("age", "age")]:
        plain = scatter_data(run, x, y, names, max_points=500)
        fast = scatter_data(run, x, y, names, max_points=500, rows=rows)
        assert plain.points.equals(fast.points)
        assert plain.centres.equals(fast.centres)
        assert (plain.n_shown, plain.n_segmented) == (fast.n_shown, fast.n_segmented)
        scatter_figure(fast)  # the same feature on both axes still draws


def test_differences_heatmap_covers_every_segment_and_feature(run):
    figure = differences_figure(run.profiles.differences, dict(run.names))
    heat = figure.data[0]
    assert len(heat.y) == 4 and heat.y[0].startswith("1. ")
    columns = list(run.profiles.differences.columns)
    assert list(heat.x) == [shorten(c, 24) for c in columns]  # long names cut on the axis
    assert [cell[1] for cell in heat.customdata[0]] == columns  # and whole on hover
    np.testing.assert_allclose(np.asarray(heat.z), run.profiles.differences.to_numpy())
    assert figure.layout.coloraxis.cmin == -figure.layout.coloraxis.cmax


def test_customers_without_a_value_on_an_axis_are_counted_not_drawn():
    frame = generate_customers(400, seed=3)
    frame["annual_income"] = frame["annual_income"].astype(str)
    frame.loc[frame.index[:30], "annual_income"] = ""
    gappy = segment(load(customers_to_csv_bytes(frame)), Settings(n_clusters=3))
    assert (gappy.result.segments > 0).all()  # the gaps were filled for the model
    data = scatter_data(gappy, "annual_income", "age", dict(gappy.names))
    assert data.n_unplaced == 30 and data.n_segmented == 400
    assert data.n_shown == len(data.points) == 370
    assert data.points["annual_income"].notna().all()
    assert not set(data.points["row"]) & set(range(30))
    # Axes without gaps draw everyone; the PCA axes use the filled values.
    assert scatter_data(gappy, "age", "spending_score", dict(gappy.names)).n_unplaced == 0
    pca = scatter_data(gappy, "PC1", "PC2", dict(gappy.names), projection=pca_projection(gappy))
    assert (pca.n_shown, pca.n_unplaced) == (400, 0)
