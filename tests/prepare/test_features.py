"""Tests for segmentation.prepare.features: seed schema, generic files, IDs, constants, overrides."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from segmentation.io.reader import read_csv
from segmentation.prepare.columns import analyze_table
from segmentation.prepare.dataset import load
from segmentation.prepare.features import (
    DEFAULT_MAX_CATEGORIES,
    choose_features,
    column_key,
    normalise_categories,
    seed_columns,
)
from segmentation.prepare.schema import PRODUCT_CATEGORIES, SEED_NUMERIC
from segmentation.report.errors import SegmentationError
from tests.fixtures import csv_bytes


def select(data: bytes, **kwargs):
    return choose_features(load(data).columns, **kwargs)


# --- seed schema -------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    ["annual_income", "Annual Income", "annual-income", "AnnualIncome", "ANNUAL_INCOME", " Annual.Income "],
)
def test_column_key_ignores_case_space_punctuation(spelling: str) -> None:
    assert column_key(spelling) == "annualincome"


def test_seed_columns_maps_any_spelling() -> None:
    found = seed_columns(
        [
            "Customer ID",
            "Annual Income",
            "spending-score",
            "NumberOfPurchases",
            "Age",
            "Product Category",
            "favourite_colour",
        ]
    )
    assert found == {
        "customer_id": "Customer ID",
        "annual_income": "Annual Income",
        "spending_score": "spending-score",
        "number_of_purchases": "NumberOfPurchases",
        "age": "Age",
        "product_category": "Product Category",
    }


SEED_HEADER_STYLES = [
    [
        "customer_id",
        "annual_income",
        "spending_score",
        "number_of_purchases",
        "age",
        "years_with_company",
        "average_order_value",
        "activity_per_week",
        "product_category",
    ],
    [
        "Customer ID",
        "Annual Income",
        "Spending Score",
        "Number of Purchases",
        "Age",
        "Years With Company",
        "Average Order Value",
        "Activity per Week",
        "Product Category",
    ],
    [
        "customer-id",
        "annual-income",
        "spending-score",
        "number-of-purchases",
        "AGE",
        "years-with-company",
        "average-order-value",
        "activity-per-week",
        "product-category",
    ],
    [
        "CustomerId",
        "AnnualIncome",
        "SpendingScore",
        "NumberOfPurchases",
        "Age",
        "YearsWithCompany",
        "AverageOrderValue",
        "ActivityPerWeek",
        "ProductCategory",
    ],
]


def seed_rows(header: list[str]) -> list[list[object]]:
    return [
        header,
        ["C1", 52000, 40, 12, 34, 3, 80.5, 2.5, "Electronics"],
        ["C2", 61000, 70, 30, 45, 7, 120.0, 4.0, "Home Goods"],
        ["C3", 38000, 20, 4, 23, 1, 45.2, 1.0, " FASHION "],
        ["C4", 90000, 90, 50, 51, 12, 300.0, 6.5, "beauty"],
    ]


@pytest.mark.parametrize("header", SEED_HEADER_STYLES, ids=["snake", "title", "kebab", "camel"])
def test_seed_schema_recognised_in_any_header_style(header: list[str]) -> None:
    selection = select(csv_bytes(seed_rows(header)))
    assert selection.schema == "seed"
    assert selection.numeric == header[1:8]
    assert selection.categorical == [header[8]]
    assert selection.fixed_categories == {header[8]: PRODUCT_CATEGORIES}
    assert selection.id_column == header[0]
    assert set(selection.excluded) == {header[0]}
    assert selection.excluded[header[0]].startswith("customer ID")


def test_seed_schema_with_extra_and_unusable_columns() -> None:
    rows = [
        ["customer_id", "Annual Income", "Spending Score", "Age", "product_category", "signup", "region"],
        ["C1", 52000, 40, 34, "electronics", "2021-01-02", "N"],
        ["C2", 61000, "", 45, "fashion", "2021-02-03", "S"],
        ["C3", 38000, "", 23, "beauty", "2021-03-04", "N"],
        ["C4", 90000, 55, 51, "home_goods", "2021-04-05", "S"],
        ["C5", 47000, "", 38, "beauty", "2021-05-06", "N"],
    ]
    selection = select(csv_bytes(rows))
    assert selection.schema == "seed"
    assert selection.numeric == ["Annual Income", "Age"]
    assert selection.categorical == ["product_category"]
    assert selection.excluded["Spending Score"] == "60% of the cells are missing"
    assert "not part of the customer schema" in selection.excluded["signup"]
    assert "not part of the customer schema" in selection.excluded["region"]


def test_seed_numeric_column_holding_text_is_left_out() -> None:
    rows = [["annual_income", "spending_score", "age"]] + [[f"{i}k", i, 20 + i] for i in range(1, 6)]
    selection = select(csv_bytes(rows))
    assert selection.schema == "seed"
    assert selection.numeric == ["spending_score", "age"]
    assert selection.excluded["annual_income"] == "expected numbers, but most cells are not numbers"


def test_two_seed_columns_are_not_enough_for_seed_schema() -> None:
    rows = [["Age", "Annual Income", "Segment"], [20, 10, "a"], [30, 10, "b"], [20, 30, "a"]]
    selection = select(csv_bytes(rows))
    assert selection.schema == "generic"
    assert selection.fixed_categories == {}


def test_normalise_categories() -> None:
    values = pd.Series(
        ["Home Goods", " ELECTRONICS ", "home-goods", "Fashion", "BEAUTY", None], dtype="string"
    )
    assert normalise_categories(values).tolist() == [
        "home_goods",
        "electronics",
        "home_goods",
        "fashion",
        "beauty",
        pd.NA,
    ]


def test_normalise_categories_matches_known_ones_whatever_the_separators() -> None:
    values = pd.Series(
        ["HomeGoods", "home__goods", "Home_-_Goods", "homegood", "E-lectronics", None], dtype="string"
    )
    assert normalise_categories(values, known=PRODUCT_CATEGORIES).tolist() == [
        "home_goods",
        "home_goods",
        "home_goods",
        "homegood",
        "electronics",
        pd.NA,
    ]
    # Without a list of known categories only spacing and case are normalised.
    assert normalise_categories(values).tolist()[:2] == ["homegoods", "home_goods"]


@pytest.mark.parametrize("known", [(), PRODUCT_CATEGORIES])
def test_categories_written_as_categories_come_back_as_they_are(known: tuple[str, ...]) -> None:
    values = pd.Series(["home_goods", None, "beauty", "home_goods"], dtype="string", index=[7, 3, 5, 1])
    normalised = normalise_categories(values, known=known)
    assert normalised.tolist() == ["home_goods", pd.NA, "beauty", "home_goods"]
    assert normalised.index.tolist() == [7, 3, 5, 1]
    assert normalised.dtype == pd.StringDtype("pyarrow")


# --- generic files ------------------------------------------------------------------


def generic_rows(n_segments: int) -> list[list[object]]:
    rows: list[list[object]] = [["Age", "Spend", "Segment", "Region code"]]
    for i in range(40):
        rows.append([20 + i % 7, 10.5 * (i % 9), f"seg{i % n_segments}", 1 + i % 3])
    return rows


def test_numbers_become_numeric_and_few_texts_categorical() -> None:
    selection = select(csv_bytes(generic_rows(4)))
    assert selection.schema == "generic"
    assert selection.numeric == ["Age", "Spend", "Region code"]
    assert selection.categorical == ["Segment"]
    assert selection.excluded == {}
    assert selection.features == ["Age", "Spend", "Region code", "Segment"]


def test_text_with_more_than_max_categories_is_left_out() -> None:
    assert DEFAULT_MAX_CATEGORIES == 20
    at_limit = select(csv_bytes(generic_rows(20)))
    assert at_limit.categorical == ["Segment"]
    over = select(csv_bytes(generic_rows(21)))
    assert over.categorical == []
    assert over.excluded["Segment"] == (
        "text with 21 different values (more than 20): too many to use as a category"
    )


def test_max_categories_is_configurable() -> None:
    data = csv_bytes(generic_rows(21))
    assert select(data, max_categories=25).categorical == ["Segment"]
    narrow = select(csv_bytes(generic_rows(4)), max_categories=3)
    assert narrow.categorical == []
    assert "more than 3" in narrow.excluded["Segment"]


@pytest.mark.parametrize(
    "name",
    [
        "id",
        "ID",
        "customer_id",
        "CustomerID",
        "customerID",
        "CUST_ID",
        "CLIENTNUM",
        "Client Id",
        "CD_CLIENTE",
    ],
)
def test_id_named_columns_left_out(name: str) -> None:
    # Values repeat a little (not unique per row): the name alone marks the ID.
    rows = [[name, "Age"]] + [[100 + i - (i == 5), 20 + i % 4] for i in range(10)]
    selection = select(csv_bytes(rows))
    assert selection.numeric == ["Age"]
    assert selection.excluded == {name: "customer ID: named like an identifier and almost unique per row"}
    assert selection.id_column == name


@pytest.mark.parametrize(
    "values",
    [[f"X{i:04d}" for i in range(10)], [str(5000 + 7 * i) for i in range(10)]],
    ids=["text", "integers"],
)
def test_unique_per_row_columns_left_out(values: list[str]) -> None:
    rows = [["Code", "Age"]] + [[v, 20 + i % 4] for i, v in enumerate(values)]
    selection = select(csv_bytes(rows))
    assert selection.numeric == ["Age"]
    assert selection.excluded == {"Code": "customer ID: a different value in every row"}
    assert selection.id_column == "Code"


def test_unique_decimal_numbers_are_not_ids() -> None:
    rows = [["Balance", "Age"]] + [[f"{i * 1.37:.2f}", 20 + i % 4] for i in range(1, 11)]
    selection = select(csv_bytes(rows))
    assert selection.numeric == ["Balance", "Age"]
    assert selection.excluded == {}


def test_names_containing_id_letters_are_not_ids() -> None:
    rows = [["Paid", "Valid", "Age"]] + [[i % 3, i % 2, 20 + i % 4] for i in range(10)]
    selection = select(csv_bytes(rows))
    assert selection.numeric == ["Paid", "Valid", "Age"]


def test_constant_columns_left_out_with_reason() -> None:
    rows = [["Z_CostContact", "Country", "Age"]] + [[3, "PT", 20 + i % 4] for i in range(10)]
    selection = select(csv_bytes(rows))
    assert selection.numeric == ["Age"]
    reason = "the same value in every row: it cannot tell customers apart"
    assert selection.excluded == {"Z_CostContact": reason, "Country": reason}


def test_dates_and_empty_and_mostly_missing_columns_left_out() -> None:
    rows = [["Dt_Customer", "Nothing", "Sparse", "Age"]]
    for i in range(10):
        rows.append([f"{i + 1:02d}-09-2012", "", i if i < 4 else "", 20 + i % 4])
    selection = select(csv_bytes(rows))
    assert selection.numeric == ["Age"]
    assert selection.excluded == {
        "Dt_Customer": "date: not used as a feature (derive e.g. days since from it first)",
        "Nothing": "no values",
        "Sparse": "60% of the cells are missing",
    }


def test_every_column_has_a_role_or_a_reason() -> None:
    ds = load(csv_bytes([["id", "Age", "Dt", "K"]] + [[i, 20 + i % 3, "2020-01-01", "k"] for i in range(6)]))
    selection = choose_features(ds.columns)
    assert set(selection.features) | set(selection.excluded) == set(ds.columns)
    assert not set(selection.features) & set(selection.excluded)


# --- caller override ------------------------------------------------------------------


def test_features_override_chooses_columns_and_roles() -> None:
    ds = load(csv_bytes(generic_rows(4)))
    selection = choose_features(ds.columns, features=["Spend", "Segment"])
    assert selection.numeric == ["Spend"]
    assert selection.categorical == ["Segment"]
    assert selection.excluded == {"Age": "not chosen as a feature", "Region code": "not chosen as a feature"}


def test_features_override_can_use_a_proposed_exclusion() -> None:
    ds = load(csv_bytes(generic_rows(21)))
    selection = choose_features(ds.columns, features=["Age", "Segment"])
    assert selection.categorical == ["Segment"]


def test_as_categorical_turns_numeric_codes_into_categories() -> None:
    ds = load(csv_bytes(generic_rows(4)))
    selection = choose_features(ds.columns, as_categorical=["Region code"])
    assert selection.numeric == ["Age", "Spend"]
    assert selection.categorical == ["Segment", "Region code"]


def test_override_with_unknown_column_raises() -> None:
    ds = load(csv_bytes(generic_rows(4)))
    with pytest.raises(SegmentationError, match="no column named 'Income'"):
        choose_features(ds.columns, features=["Age", "Income"])
    with pytest.raises(SegmentationError, match="no column named 'Zone'"):
        choose_features(ds.columns, as_categorical=["Zone"])


def test_override_with_no_features_raises() -> None:
    ds = load(csv_bytes(generic_rows(4)))
    with pytest.raises(SegmentationError, match="at least one feature"):
        choose_features(ds.columns, features=[])


def test_override_with_empty_or_huge_text_column_raises() -> None:
    rows = [["Name", "Blank", "Age"]] + [[f"n{i}", "", 20 + i % 3] for i in range(120)]
    ds = load(csv_bytes(rows))
    with pytest.raises(SegmentationError, match="'Blank' has no values"):
        choose_features(ds.columns, features=["Blank", "Age"])
    with pytest.raises(SegmentationError, match="'Name' is text with 120 different values"):
        choose_features(ds.columns, features=["Name", "Age"])


def test_seed_override_keeps_fixed_categories() -> None:
    ds = load(csv_bytes(seed_rows(SEED_HEADER_STYLES[1])))
    selection = choose_features(ds.columns, features=["Age", "Product Category"])
    assert selection.schema == "seed"
    assert selection.numeric == ["Age"]
    assert selection.categorical == ["Product Category"]
    assert selection.fixed_categories == {"Product Category": PRODUCT_CATEGORIES}


# --- order lines ---------------------------------------------------------------------------


def test_order_lines_note_when_customers_repeat() -> None:
    rows = [["CUSTOMERNAME", "SALES"]] + [[f"Shop {i % 3}", 10.5 * (i % 5)] for i in range(12)]
    selection = select(csv_bytes(rows))
    assert len(selection.notes) == 1
    assert selection.notes[0].code == "order-lines"
    assert "'CUSTOMERNAME' has 3 different values over 12 rows" in selection.notes[0].message


def test_no_order_lines_note_for_one_row_per_customer() -> None:
    rows = [["customer_id", "SALES"]] + [[f"C{i}", 10 * (i % 4)] for i in range(12)]
    assert select(csv_bytes(rows)).notes == []


def test_seed_numeric_list_matches_schema() -> None:
    selection = select(csv_bytes(seed_rows(SEED_HEADER_STYLES[0])))
    assert selection.numeric == list(SEED_NUMERIC)


def test_unique_integers_that_are_measurements_are_not_ids():
    """Unique incomes in a small file stay a feature; a shuffled 1..n column is still an ID."""
    incomes = [52000, 61000, 38000, 97000, 45500, 71000, 88000, 29000]
    numbers = list(range(1, 9))
    random.Random(0).shuffle(numbers)
    text = "number,income,age\n" + "".join(
        f"{n},{income},{30 + i % 3}\n" for i, (n, income) in enumerate(zip(numbers, incomes, strict=False))
    )
    table = read_csv(text.encode())
    selection = choose_features(analyze_table(table.raw))
    assert "income" in selection.numeric
    assert selection.excluded["number"].startswith("customer ID")


def test_derived_scores_and_earlier_segment_labels_are_left_out() -> None:
    """RFM scores and an earlier clustering's labels are computed from other columns: not features."""
    rows = [
        ["customer", "recency_days", "frequency", "R_Score", "f_score", "RFM_Segment", "cluster_id", "spend"]
    ]
    rows += [
        [
            f"c{i}",
            (i * 37) % 90,
            1 + i % 7,
            1 + i % 5,
            1 + i % 4,
            ["Champions", "At risk", "Hibernating"][i % 3],
            1 + i % 3,
            10.5 * (i % 13),
        ]
        for i in range(60)
    ]
    selection = select(csv_bytes(rows))
    assert selection.numeric == ["recency_days", "frequency", "spend"]
    for name in ("R_Score", "f_score", "RFM_Segment", "cluster_id"):
        assert selection.excluded[name].startswith("derived score or label")
