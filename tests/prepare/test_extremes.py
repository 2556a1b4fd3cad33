"""A few corrupt or extreme rows never make a segment of their own.

The fixture is a generated bank export of 10,001 customers in which one shifted row
puts 60000 in a column of product counts (1-4).
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from segmentation import load
from segmentation.model.analysis import Settings, segment, select_and_prepare
from segmentation.model.choose_k import evaluate_k

SHIFTED = 4321  # 0-based row of the corrupt line
HEADER = [
    "RowNumber",
    "CustomerId",
    "CreditScore",
    "Geography",
    "Gender",
    "Age",
    "Tenure",
    "Balance",
    "NumOfProducts",
    "HasCrCard",
    "IsActiveMember",
    "EstimatedSalary",
    "Exited",
]


def bank_csv(n: int = 10_001, *, shifted: bool = True) -> bytes:
    rng = np.random.default_rng(7)
    rows = []
    for i in range(n):
        products = int(rng.choice([1, 2, 3, 4], p=[0.5, 0.46, 0.03, 0.01]))
        rows.append(
            [
                i + 1,
                15_600_000 + int(rng.integers(0, 99_999)) * 7 + i,
                int(rng.normal(650, 95)),
                str(rng.choice(["France", "Spain", "Germany"])),
                str(rng.choice(["Female", "Male"])),
                int(rng.integers(18, 90)),
                int(rng.integers(0, 11)),
                round(float(max(rng.normal(76_000, 62_000), 0)), 2),
                products,
                int(rng.integers(0, 2)),
                int(rng.integers(0, 2)),
                round(float(rng.uniform(100, 200_000)), 2),
                int(rng.random() < 0.2),
            ]
        )
    if shifted:
        # Balance slid one cell to the right: 60000 lands among the product counts.
        rows[SHIFTED][8] = 60000
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([HEADER, *rows])
    return out.getvalue().encode()


@pytest.fixture(scope="module")
def runs():
    with_row = load(bank_csv())
    return with_row, segment(with_row, Settings(n_clusters=4))


def test_the_shifted_row_makes_no_segment_of_its_own(runs) -> None:
    _, run = runs
    sizes = np.bincount(run.result.segments)[1:]
    assert len(sizes) == 4 and sizes.min() > 100
    [finding] = [p for p in run.report.problems if p.code == "extreme-rows"]
    assert finding.column == "NumOfProducts" and finding.lines == (SHIFTED + 2,)
    assert run.result.segments[SHIFTED] > 0
    assert "NumOfProducts" not in run.profiles.separation["feature"].head(1).tolist()
    # The profiles describe the rows the model was fitted on: no mean pulled up by 60000.
    assert run.profiles.summary["NumOfProducts"].max() < 5


def test_the_shifted_row_is_labeled_with_a_note(runs) -> None:
    _, run = runs
    rows = list(csv.reader(io.StringIO(run.labeled_csv().decode("utf-8"))))
    assert rows[0][-3:] == ["segment", "segment_name", "segment_note"]
    line = rows[SHIFTED + 1]
    assert line[0] == str(SHIFTED + 1) and line[-3] in {"1", "2", "3", "4"}
    assert line[-1] == "extreme value in NumOfProducts; assigned to the nearest segment"
    assert sum(1 for row in rows[1:] if row[-1]) == 1


def test_outcome_and_keys_are_not_features(runs) -> None:
    _, run = runs
    assert "Exited" in run.selection.outcomes and "Exited" not in run.selection.features
    assert run.selection.excluded["RowNumber"].startswith("row number")
    assert run.selection.excluded["CustomerId"].startswith("customer ID")
    assert list(run.profiles.outcomes.columns) == ["Exited: share of 1"]


@pytest.mark.slow
def test_the_choose_k_suggestion_is_unchanged(runs) -> None:
    with_row, _ = runs
    clean = load(bank_csv(shifted=False))
    settings = Settings(n_clusters=2)
    _, data, _ = select_and_prepare(with_row, settings)
    _, clean_data, _ = select_and_prepare(clean, settings)
    clean_data.usable[SHIFTED] = False  # the same rows as the fit rows of the file with the corrupt line
    choice = evaluate_k(data, k_min=2, k_max=5, n_bootstrap=1)
    reference = evaluate_k(clean_data, k_min=2, k_max=5, n_bootstrap=1)
    assert choice.suggested_k == reference.suggested_k
    assert choice.n_rows_scored == 10_000


def test_keep_extremes_keeps_the_row_in_the_fit(runs) -> None:
    with_row, _ = runs
    _, data, report = select_and_prepare(with_row, Settings(n_clusters=4, keep_extremes=True))
    assert data.fit_rows[SHIFTED] and data.row_notes[SHIFTED] == ""
    assert "extreme-rows" in {p.code for p in report.problems}


def test_sizes_count_every_customer_means_only_the_fitted_rows(runs) -> None:
    _, run = runs
    assert run.profiles.summary["size"].sum() == 10_001
    assert run.profiles.summary["share"].sum() == pytest.approx(1.0)
