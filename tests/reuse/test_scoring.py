"""Scoring new customers with a saved model, the drift report, and retraining that keeps numbers."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest

from segmentation import Settings, load, segment
from segmentation.io.synthetic import customers_to_csv_bytes, generate_customers
from segmentation.model.kmeans import model_input
from segmentation.report.errors import SegmentationError
from segmentation.reuse.drift import drift_report, population_stability_index, shares_figure
from segmentation.reuse.matching import segment_like
from segmentation.reuse.modelfile import model_bytes, read_model
from segmentation.reuse.scoring import score
from tests.fixtures import model_file

HUMAN = {
    "annual_income": "Annual Income",
    "spending_score": "Spending-Score",
    "number_of_purchases": "Number Of Purchases",
    "age": "AGE",
    "years_with_company": "years with company",
    "average_order_value": "AverageOrderValue",
    "activity_per_week": "Activity_Per_Week",
    "product_category": "Product Category",
}


@pytest.fixture(scope="module")
def training() -> pd.DataFrame:
    return generate_customers(1500, seed=21)


@pytest.fixture(scope="module")
def run(training):
    return segment(load(customers_to_csv_bytes(training)), Settings())


@pytest.fixture(scope="module")
def model(run):
    return read_model(model_file(run, {3: "Renamed by hand"}))


def _rows(csv_bytes: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(csv_bytes.decode("utf-8"))))


def redressed(frame: pd.DataFrame) -> bytes:
    """The same customers in another dress: ``;``, cp1252, decimal commas, human headers
    in another order, and an extra column."""
    other = frame.rename(columns=HUMAN)
    other["Notes"] = ["café crème" if i % 2 else "déjà vu" for i in range(len(other))]
    columns = list(other.columns)
    np.random.default_rng(0).shuffle(columns)
    text = other[columns].to_csv(sep=";", decimal=",", index=False)
    return text.encode("cp1252")


# --------------------------------------------------------------------------- scoring


def test_scoring_the_training_file_gives_its_segments(run, model, training) -> None:
    scoring = score(load(customers_to_csv_bytes(training)), model)
    np.testing.assert_array_equal(scoring.segments, run.result.segments)
    rows = _rows(scoring.labeled_csv())
    assert rows[0][-3:] == ["segment", "segment_name", "segment_fit"]
    assert rows[1][:-3] == _rows(customers_to_csv_bytes(training))[1]  # every cell as it was
    names = {int(row[-3]): row[-2] for row in rows[1:]}
    assert names[3] == "Renamed by hand"
    assert {row[-1] for row in rows[1:]} <= {"typical", "atypical"}


def test_a_redressed_file_gives_the_same_segments(run, model, training) -> None:
    dataset = load(redressed(training))
    assert dataset.read_report.delimiter == ";"
    scoring = score(dataset, model)
    np.testing.assert_array_equal(scoring.segments, run.result.segments)
    assert set(scoring.extra_columns) == {"Notes", "customer_id"}
    assert "extra-columns" in {p.code for p in scoring.problems}
    assert scoring.matched["annual_income"] == "Annual Income"


def test_a_missing_feature_refuses_the_file_naming_it(model, training) -> None:
    frame = training.drop(columns=["age"])
    with pytest.raises(SegmentationError) as error:
        score(load(customers_to_csv_bytes(frame)), model)
    assert error.value.code == "model-feature-missing"
    assert "'age'" in str(error.value)


def test_unknown_categories_are_scored_and_counted(model, training) -> None:
    frame = training.head(200).copy()
    frame.loc[:9, "product_category"] = "garden"
    frame.loc[10:12, "product_category"] = "toys"
    scoring = score(load(customers_to_csv_bytes(frame)), model)
    assert (scoring.segments > 0).all()
    assert scoring.unknown_categories == {"product_category": {"garden": 10, "toys": 3}}
    problem = next(p for p in scoring.problems if p.code == "unknown-category-scored")
    assert problem.count == 13
    assert drift_report(scoring).unknown_categories["product_category"]["garden"] == 10


def test_rows_without_any_value_are_noted(model, training) -> None:
    frame = training.head(50).astype(str)
    for column in HUMAN:
        frame.loc[4, column] = ""
    scoring = score(load(customers_to_csv_bytes(frame)), model)
    assert scoring.segments[4] == 0 and scoring.fit[4] == ""
    assert scoring.notes[4].startswith("not scored")
    rows = _rows(scoring.labeled_csv())
    assert rows[0][-1] == "segment_note" and rows[5][-1].startswith("not scored")
    assert "rows-not-scored" in {p.code for p in scoring.problems}


def test_far_out_rows_are_atypical_and_ordinary_ones_rarely(model) -> None:
    ordinary = generate_customers(4000, seed=99)
    scoring = score(load(customers_to_csv_bytes(ordinary)), model)
    assert (scoring.fit == "atypical").mean() <= 0.02
    far = ordinary.head(20).copy()
    far.loc[:9, "annual_income"] = far["annual_income"] * 50  # far outside the training range
    far.loc[10:, ["age", "spending_score"]] = [[18, 100]] * 10
    far.loc[10:, "number_of_purchases"] = 400
    scored = score(load(customers_to_csv_bytes(far)), model)
    assert (scored.fit[:20] == "atypical").all()


def test_the_scoring_does_not_change_the_model_input(run, model, training) -> None:
    rows = model_input(run.data)
    before = rows.copy()
    model.pipeline.predict(rows)
    np.testing.assert_array_equal(rows, before)


# --------------------------------------------------------------------------- drift


def test_drift_report_on_shifted_customers(model, training) -> None:
    same = drift_report(score(load(customers_to_csv_bytes(training)), model))
    assert same.psi == pytest.approx(0.0, abs=1e-12) and same.verdict == "stable"
    assert same.shifts["shift_sd"].abs().max() < 1e-9
    shifted = training.copy()
    shifted["annual_income"] = shifted["annual_income"] * 1.5
    report = drift_report(score(load(customers_to_csv_bytes(shifted)), model))
    assert report.shifts.loc["annual_income", "shift_sd"] > 0.5
    assert report.shares["share_now"].sum() == pytest.approx(1.0)
    assert any("PSI" in line for line in report.lines())
    assert len(shares_figure(report).data) == 2


def test_population_stability_index() -> None:
    assert population_stability_index([0.5, 0.5], [0.5, 0.5]) == 0.0
    assert population_stability_index([0.5, 0.5], [0.9, 0.1]) > 0.25


# --------------------------------------------------------------------------- retraining


def test_retraining_with_another_seed_keeps_the_numbering(model) -> None:
    next_month = generate_customers(1500, seed=22)
    dataset = load(customers_to_csv_bytes(next_month))
    retrained, matching = segment_like(segment(dataset, Settings(random_state=7)), model)
    scored = score(dataset, model)
    assert (retrained.result.segments == scored.segments).mean() >= 0.99
    assert len(matching.kept) == 5 and not matching.new and not matching.vanished
    assert retrained.names[3] == "Renamed by hand"
    assert (
        retrained.result.pipeline.predict(model_input(retrained.data)) + 1 == retrained.result.labels
    ).all()


def test_retraining_with_fewer_segments_reports_the_vanished(model, training) -> None:
    dataset = load(customers_to_csv_bytes(training))
    _, matching = segment_like(segment(dataset, Settings(n_clusters=4)), model)
    assert len(matching.vanished) >= 1
    assert any("vanished" in line for line in matching.lines())


def test_a_model_that_excluded_gaps_leaves_such_rows_unscored(training) -> None:
    model = read_model(
        model_bytes(segment(load(customers_to_csv_bytes(training)), Settings(missing="exclude")))
    )
    frame = training.head(30).astype(str)
    frame.loc[[3, 8], "age"] = "n/a"
    scoring = score(load(customers_to_csv_bytes(frame)), model)
    assert list(np.flatnonzero(scoring.segments == 0)) == [3, 8]
    assert scoring.notes[3] == "not scored: missing age"
    assert drift_report(scoring).n_scored == 28
