"""Tests for segmentation.prepare.validation: FeatureData, the report, policies and failures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segmentation.io.synthetic import customers_to_csv_bytes, generate_customers
from segmentation.prepare.dataset import load
from segmentation.prepare.features import choose_features
from segmentation.prepare.schema import PRODUCT_CATEGORIES, SEED_CATEGORICAL, SEED_NUMERIC
from segmentation.prepare.validation import prepare
from segmentation.report.errors import SegmentationError
from tests.fixtures import csv_bytes


def run(data: bytes, **kwargs):
    ds = load(data)
    selection = choose_features(ds.columns)
    return (ds, selection, *prepare(ds.columns, selection, **kwargs))


SEED_HEADER = ["customer_id", *SEED_NUMERIC, SEED_CATEGORICAL]


def seed_file(categories: list[str], *, gaps: dict[int, int] | None = None) -> bytes:
    """A seed-schema file, one row per category; ``gaps`` blanks column j of row i."""
    rows: list[list[object]] = [SEED_HEADER]
    for i, category in enumerate(categories):
        row: list[object] = [
            f"C{i:03d}",
            40000 + 997 * i,
            10 + 7 * i % 90,
            3 + i % 5,
            20 + 3 * i % 50,
            i % 9,
            50.5 + 13 * i % 70,
            1.5 + i % 4,
            category,
        ]
        rows.append(row)
    for i, j in (gaps or {}).items():
        rows[i + 1][j] = ""
    return csv_bytes(rows)


# --- seed categories ---------------------------------------------------------------


def test_seed_categories_always_all_four_and_normalised() -> None:
    ds, selection, data, report = run(
        seed_file(["Home Goods", " ELECTRONICS ", "home-goods", "Electronics", "HOME GOODS", "electronics"]),
        n_clusters=2,
    )
    assert selection.schema == "seed"
    assert data.categories == {SEED_CATEGORICAL: list(PRODUCT_CATEGORIES)}
    assert data.categorical[SEED_CATEGORICAL].tolist() == [
        "home_goods",
        "electronics",
        "home_goods",
        "electronics",
        "home_goods",
        "electronics",
    ]
    assert report.unknown_categories == {}
    assert not [p for p in report.problems if "not a known category" in p.message]
    # The raw text is untouched.
    assert ds.raw[SEED_CATEGORICAL].tolist()[1] == " ELECTRONICS "


def test_unknown_seed_categories_counted_with_examples_and_warning() -> None:
    _, _, data, report = run(
        seed_file(["electronics", "Toys", "toys", "Garden", "fashion", "beauty", "Toys"]), n_clusters=2
    )
    assert report.unknown_categories == {SEED_CATEGORICAL: {"toys": 3, "garden": 1}}
    warnings = [p for p in report.by_severity("warning") if p.column == SEED_CATEGORICAL]
    assert len(warnings) == 1
    assert "4 cells are not a known category" in warnings[0].message
    assert "'toys' (3)" in warnings[0].message and "'garden' (1)" in warnings[0].message
    assert "electronics, fashion, home_goods, beauty" in warnings[0].message
    assert data.categories[SEED_CATEGORICAL] == list(PRODUCT_CATEGORIES)


def test_generic_categories_are_the_observed_values() -> None:
    rows = [["Age", "Plan"]] + [[20 + i % 5, ["Gold", "Basic", "", "Basic"][i % 4]] for i in range(12)]
    _, _, data, _ = run(csv_bytes(rows), n_clusters=2)
    assert data.categories == {"Plan": ["Basic", "Gold"]}
    assert data.categorical["Plan"].isna().sum() == 3


def test_numeric_codes_as_categories() -> None:
    rows = [["Channel", "Spend"]] + [[1 + i % 2, 100 + 10 * (i % 6)] for i in range(12)]
    ds = load(csv_bytes(rows))
    selection = choose_features(ds.columns, as_categorical=["Channel"])
    data, _ = prepare(ds.columns, selection, n_clusters=2)
    assert data.categories == {"Channel": ["1", "2"]}
    assert data.categorical["Channel"].tolist()[:3] == ["1", "2", "1"]


# --- the report ----------------------------------------------------------------------


def test_report_counts_missing_per_column_and_sentinels() -> None:
    rows = [
        ["Age", "Income", "Segment"],
        [30, 100, "A"],
        ["", 200, "B"],
        [40, "n/a", "-"],
        [50, "null", "A"],
        [" ", "?", "B"],
        [35, 300, "Não informado"],
        [33, 120, "NA"],
    ]
    _, _, data, report = run(csv_bytes(rows), n_clusters=2)
    assert report.n_rows == 7
    assert report.columns["Age"].n_missing == 2
    assert report.columns["Income"].n_missing == 3
    assert report.columns["Income"].sentinels == {"n/a": 1, "null": 1, "?": 1}
    assert report.columns["Segment"].n_missing == 2
    segment = data.categorical["Segment"]
    assert segment.isna().tolist() == [False, False, True, False, False, True, False]
    assert segment.dropna().tolist() == ["A", "B", "A", "B", "NA"]
    messages = [p.message for p in report.by_severity("warning")]
    assert "Age: 2 cells are empty; filled in with the column's median." in messages
    assert "Income: 1 cell is 'n/a', read as missing (a gap); filled in with the column's median." in messages
    assert (
        "Segment: 1 cell is 'Não informado', read as missing (a gap); filled in with the most frequent value."
        in messages
    )


def test_report_gives_non_numeric_examples_with_lines() -> None:
    rows = [["Spend", "Age"]] + [[10 * i, 20 + i % 5] for i in range(1, 61)]
    for row, value in [(4, "abc"), (9, "12 kg"), (15, "x"), (20, "y"), (30, "z"), (40, "w")]:
        rows[row][0] = value
    _, _, _, report = run(csv_bytes(rows), n_clusters=2)
    info = report.columns["Spend"]
    assert info.n_non_numeric == 6
    assert info.non_numeric_examples == [(5, "abc"), (10, "12 kg"), (16, "x"), (21, "y"), (31, "z")]
    [problem] = [p for p in report.problems if "not numbers" in p.message]
    assert problem.severity == "warning"
    assert problem.column == "Spend"
    assert "6 cells are not numbers (line 5: 'abc'; line 10: '12 kg'; line 16: 'x'; " in problem.message
    assert "'w'" not in problem.message


def test_report_lists_constant_and_excluded_columns() -> None:
    rows = [["id", "Z_Revenue", "Age", "Spend"]] + [[i, 11, 20 + i % 5, 3 * (i % 4)] for i in range(10)]
    _, selection, _, report = run(csv_bytes(rows), n_clusters=2)
    assert selection.features == ["Age", "Spend"]
    infos = {p.column: p.message for p in report.by_severity("info")}
    assert (
        infos["Z_Revenue"]
        == "Z_Revenue: left out — the same value in every row: it cannot tell customers apart."
    )
    assert infos["id"].startswith("id: left out — customer ID")
    assert report.columns["Z_Revenue"].constant is True


def test_report_notes_decimal_commas() -> None:
    data = b"CD;T;N\n" + b"".join(f"T{i};{i},5;{i % 3}\n".encode() for i in range(8))
    _, _, features, report = run(data, n_clusters=2)
    assert features.numeric["T"].tolist() == [i + 0.5 for i in range(8)]
    assert any(p.column == "T" and "decimal commas" in p.message for p in report.by_severity("info"))


def test_report_notes_thousands_separators() -> None:
    data = b"CD;Renda;N\n" + b"".join(f"T{i};{i}.250,5;{i % 3}\n".encode() for i in range(1, 9))
    _, _, features, report = run(data, n_clusters=2)
    assert features.numeric["Renda"].tolist() == [i * 1000 + 250.5 for i in range(1, 9)]
    notes = [p.message for p in report.by_severity("info") if p.column == "Renda"]
    assert notes == ["Renda: thousands separators ignored (1.234,5 = 1234.5)."]


def test_order_line_note_is_a_warning() -> None:
    rows = [["CUSTOMERNAME", "SALES"]] + [[f"Shop {i % 3}", 10.5 * (i % 5)] for i in range(12)]
    _, _, _, report = run(csv_bytes(rows), n_clusters=2)
    assert any("order lines" in p.message for p in report.by_severity("warning"))


# --- missing policy, rows ---------------------------------------------------------------


GAP_ROWS = [
    ["Age", "Income", "Plan"],
    [30, 100, "A"],
    ["", 200, "B"],
    [40, "", "A"],
    ["", "", ""],
    [50, 120, "B"],
    [45, 130, "A"],
    [28, 90, ""],
]


def test_impute_keeps_rows_with_some_values() -> None:
    _, _, data, report = run(csv_bytes(GAP_ROWS), n_clusters=2)
    assert data.missing_policy == "impute"
    assert data.usable.tolist() == [True, True, True, False, True, True, True]
    assert data.row_notes.tolist() == [
        "",
        "",
        "",
        "not segmented: blank row",
        "",
        "",
        "",
    ]
    assert report.n_usable == 6 and report.n_excluded == 1
    # Values stay missing in FeatureData: imputation belongs to the model pipeline.
    assert data.numeric["Age"].isna().tolist() == [False, True, False, True, False, False, False]


def test_exclude_keeps_every_row_with_a_reason() -> None:
    _, _, data, report = run(csv_bytes(GAP_ROWS), missing="exclude", n_clusters=2)
    assert data.missing_policy == "exclude"
    assert len(data.numeric) == len(data.categorical) == len(data.usable) == len(data.row_notes) == 7
    assert data.usable.tolist() == [True, False, False, False, True, True, False]
    assert data.row_notes.tolist() == [
        "",
        "not segmented: missing Age",
        "not segmented: missing Income",
        "not segmented: blank row",
        "",
        "",
        "not segmented: missing Plan",
    ]
    assert report.n_usable == 3
    assert any("these rows are left out of the segments" in p.message for p in report.problems)


def test_feature_data_has_one_entry_per_input_row() -> None:
    ds, _selection, data, _ = run(csv_bytes(GAP_ROWS), n_clusters=2)
    assert data.numeric.index.tolist() == list(range(7))
    assert data.numeric.dtypes.tolist() == [np.dtype("float64")] * 2
    assert data.numeric["Income"].tolist()[:2] == [100.0, 200.0]
    assert isinstance(data.usable, np.ndarray) and data.usable.dtype == bool
    assert len(ds.raw) == 7


def test_unknown_missing_policy_rejected() -> None:
    ds = load(csv_bytes(GAP_ROWS))
    with pytest.raises(ValueError, match="missing must be one of"):
        prepare(ds.columns, choose_features(ds.columns), missing="drop")  # type: ignore[arg-type]


# --- failures ------------------------------------------------------------------------------


def test_no_usable_feature_column_raises() -> None:
    rows = [["customer_id", "signup", "country"]] + [
        [f"C{i}", f"2021-01-{i + 1:02d}", "PT"] for i in range(8)
    ]
    ds = load(csv_bytes(rows))
    selection = choose_features(ds.columns)
    assert selection.features == []
    with pytest.raises(SegmentationError, match="No column can be used to segment customers") as caught:
        prepare(ds.columns, selection)
    message = str(caught.value)
    assert "customer_id: customer ID" in message
    assert "signup: date: not used" in message
    assert "country: the same value in every row" in message


def test_fewer_usable_rows_than_clusters_raises() -> None:
    ds = load(csv_bytes(GAP_ROWS))
    selection = choose_features(ds.columns)
    with pytest.raises(
        SegmentationError, match="Only 6 customer rows can be used, fewer than the 7 segments"
    ):
        prepare(ds.columns, selection, n_clusters=7)
    with pytest.raises(SegmentationError, match=r"Only 3 customer rows .* switch the missing-value policy"):
        prepare(ds.columns, selection, missing="exclude", n_clusters=4)
    data, _ = prepare(ds.columns, selection, missing="exclude", n_clusters=3)
    assert data.n_usable == 3


# --- synthetic data loads as the seed schema ----------------------------------------------------


def test_generated_csv_loads_as_seed_schema_with_all_features() -> None:
    frame = generate_customers(300, seed=3)
    ds = load(customers_to_csv_bytes(frame))
    selection = choose_features(ds.columns)
    assert selection.schema == "seed"
    assert selection.numeric == list(SEED_NUMERIC)
    assert selection.categorical == [SEED_CATEGORICAL]
    assert len(selection.features) == 8
    assert selection.id_column == "customer_id"
    data, report = prepare(ds.columns, selection)
    assert data.n_usable == 300
    assert report.unknown_categories == {}
    assert data.categories[SEED_CATEGORICAL] == list(PRODUCT_CATEGORIES)
    assert ds.raw["customer_id"].tolist() == frame["customer_id"].tolist()
    np.testing.assert_allclose(data.numeric["annual_income"], frame["annual_income"].astype(float))
    assert (
        pd.Series(data.categorical[SEED_CATEGORICAL]).tolist() == frame[SEED_CATEGORICAL].astype(str).tolist()
    )


# --- one true message per problem -------------------------------------------------------------


def generated_rows(n: int = 80, seed: int = 4) -> list[list[object]]:
    rng = np.random.default_rng(seed)
    rows: list[list[object]] = [["customer_id", "Age", "Income", "Plan"]]
    for i in range(n):
        rows.append([f"C{i:04d}", int(rng.integers(18, 80)), int(rng.integers(20, 200)) * 500, "ABC"[i % 3]])
    return rows


def codes(report) -> list[str]:
    return [p.code for p in report.problems]


@pytest.mark.parametrize("blank", [",,,", " , ,\t, "])
def test_blank_rows_are_one_finding_and_left_out(blank: str) -> None:
    rows = [",".join(map(str, row)) for row in generated_rows()]
    for at in (5, 17, 40):
        rows.insert(at, blank)
    _, _, data, report = run(("\n".join(rows) + "\n").encode(), n_clusters=2)
    [finding] = [p for p in report.problems if p.code == "blank-rows"]
    assert finding.count == 3 and finding.lines == (6, 18, 41)
    assert "3 blank rows" in finding.message and "lines 6, 18 and 41" in finding.message
    assert "empty-cells" not in codes(report)  # not one "empty; filled in" per column
    assert not data.usable[[4, 16, 39]].any()
    assert set(data.row_notes[[4, 16, 39]]) == {"not segmented: blank row"}


def test_one_blank_row_is_singular() -> None:
    rows = [",".join(map(str, row)) for row in generated_rows()]
    rows.insert(3, ",,,")
    _, _, _, report = run(("\n".join(rows) + "\n").encode(), n_clusters=2)
    [finding] = [p for p in report.problems if p.code == "blank-rows"]
    assert (
        "1 blank row " in finding.message
        and "line 4" in finding.message
        and "1 blank rows" not in finding.message
    )


def test_a_second_header_row_is_recognised_and_left_out() -> None:
    rows = generated_rows()
    rows.insert(1, ["Customer number", "Age in years", "Yearly income in EUR", "Subscription plan"])
    ds, selection, data, report = run(csv_bytes(rows), n_clusters=2)
    [finding] = [p for p in report.problems if p.code == "second-header"]
    assert finding.lines == (2,) and finding.count == 1
    assert "not-a-number" not in codes(report) and "empty-cells" not in codes(report)
    assert selection.numeric == ["Age", "Income"]
    assert "Subscription plan" not in data.categories["Plan"]
    assert (
        not data.usable[0] and data.row_notes[0] == "not segmented: second header row (column descriptions)"
    )
    assert ds.raw["Age"].iloc[0] == "Age in years"  # the file's cell itself is untouched


def test_text_in_one_numeric_column_is_not_a_second_header() -> None:
    rows = generated_rows()
    rows[1][1] = "unknown age"
    _, _, _, report = run(csv_bytes(rows), n_clusters=2)
    assert "second-header" not in codes(report)


# ``NA`` is a placeholder in numeric columns only: in a text column it may be real (North America).
@pytest.mark.parametrize("placeholder", ["N/A", "null", "unknown", "-", "?", "Não informado"])
def test_placeholders_are_a_gap_or_a_category_as_the_switch_says(placeholder: str) -> None:
    rows = generated_rows()
    for i in (3, 9, 27):
        rows[i][3] = placeholder
    _, _, gap, gap_report = run(csv_bytes(rows), n_clusters=2)
    assert placeholder not in gap.categories["Plan"] and gap.categorical["Plan"].isna().sum() == 3
    [finding] = [p for p in gap_report.problems if p.code == "placeholder" and p.column == "Plan"]
    assert finding.count == 3 and "a gap" in finding.message
    _, _, kept, kept_report = run(csv_bytes(rows), n_clusters=2, placeholders="category")
    assert placeholder in kept.categories["Plan"] and kept.categorical["Plan"].isna().sum() == 0
    [finding] = [p for p in kept_report.problems if p.code == "placeholder" and p.column == "Plan"]
    assert "category of its own" in finding.message


@pytest.mark.parametrize(
    ("column", "value", "others"),
    [
        ("days_since_contact", 999, lambda rng, n: rng.integers(0, 30, n)),
        ("Age", 9999, lambda rng, n: rng.integers(18, 80, n)),
        ("visits_count", -1, lambda rng, n: rng.integers(0, 12, n)),
        ("Spend", 1_000_000, lambda rng, n: rng.integers(10, 5000, n)),
    ],
)
def test_likely_sentinels_are_reported(column: str, value: int, others) -> None:
    rng = np.random.default_rng(5)
    values = others(rng, 200)
    values[[7, 70]] = value
    rows = [["Income", column]] + [[int(rng.integers(100, 900)), int(v)] for v in values]
    _, _, _, report = run(csv_bytes(rows), n_clusters=2)
    [finding] = [p for p in report.problems if p.code == "likely-sentinel"]
    assert finding.column == column and finding.count == 2


def test_ordinary_columns_have_no_likely_sentinel() -> None:
    _, _, _, report = run(csv_bytes(generated_rows(300)), n_clusters=2)
    assert "likely-sentinel" not in codes(report)


def test_extreme_rows_are_reported_and_held_out_of_the_fit() -> None:
    rows = generated_rows(400)
    rows[50][1] = 60000
    _, _, data, report = run(csv_bytes(rows), n_clusters=2)
    [finding] = [p for p in report.problems if p.code == "extreme-rows"]
    assert finding.column == "Age" and finding.count == 1 and finding.lines == (51,)
    assert data.usable[49] and data.held_out[49] and data.held_out.sum() == 1
    assert not data.fit_rows[49] and data.for_fit().n_usable == 399
    assert data.row_notes[49] == "extreme value in Age; assigned to the nearest segment"
    _, _, kept, kept_report = run(csv_bytes(rows), n_clusters=2, keep_extremes=True)
    assert kept.fit_rows[49] and kept.row_notes[49] == ""
    assert "extreme-rows" in codes(kept_report)


def test_a_rare_flag_is_not_extreme() -> None:
    rows = generated_rows(2000)
    rows[0].append("Complained")
    for i, row in enumerate(rows[1:]):
        row.append(1 if i in (3, 900) else 0)
    _, _, _, report = run(csv_bytes(rows), n_clusters=2)
    assert "extreme-rows" not in codes(report)


def test_one_usable_row_is_singular() -> None:
    rows = [["Age", "Income"], [30, 100], [31, ""], ["", 102], [33, ""], ["", 104]]
    ds = load(csv_bytes(rows))
    with pytest.raises(SegmentationError) as caught:
        prepare(ds.columns, choose_features(ds.columns), n_clusters=2, missing="exclude")
    assert caught.value.code == "too-few-rows"
    assert "Only 1 customer row can be used" in str(caught.value)
