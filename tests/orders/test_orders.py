"""Tests for segmentation.orders.customers and segmentation.orders.rfm: order lines to one row per customer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from segmentation.io.reader import ReadReport
from segmentation.orders.customers import build_customers, customer_features
from segmentation.orders.lines import OrderMapping, looks_like_order_lines, propose_mapping
from segmentation.orders.rfm import N_SCORES, RFM_MAP, SEGMENT_NAMES, grid, quintile_scores, rfm_segments
from segmentation.prepare.columns import analyze_table
from segmentation.prepare.dataset import Dataset, load
from segmentation.prepare.features import choose_features
from segmentation.report.errors import SegmentationError
from tests.fixtures import DATASETS, csv_bytes

SALES = DATASETS / "sales_data_sample.csv"
HEADER = ["Customer ID", "Invoice", "InvoiceDate", "StockCode", "Category", "Quantity", "UnitPrice", "Status"]


def hand_lines() -> list[list[object]]:
    """Lines whose customers are computed by hand in ``test_hand_computed_customers``."""
    return [
        HEADER,
        ["A", "1001", "2024-01-10 09:00", "P1", "Toys", 2, "5.00", "Shipped"],  # order 1001: two lines
        ["A", "1001", "2024-01-10 09:00", "P2", "Books", 1, "20.00", "Shipped"],
        ["A", "1002", "2024-01-10 17:30", "P1", "Toys", 1, "5.00", "Shipped"],  # second order, same day
        ["A", "C1003", "2024-01-20 10:00", "P2", "Books", -1, "20.00", "Shipped"],  # a return
        ["B", "2001", "2024-02-01 12:00", "P3", "Toys", 3, "10.00", "Shipped"],
        ["B", "2002", "2024-02-15 12:00", "P3", "Toys", 1, "10.00", "Cancelled"],  # cancelled invoice
        ["", "3001", "2024-02-20 08:00", "P1", "Toys", 1, "5.00", "Shipped"],  # no customer
        ["007", "4001", "2024-03-01 08:00", "P1", "Toys", 1, "5.00", "Shipped"],  # leading zeros
    ]


def hand_built():
    dataset = load(csv_bytes(hand_lines()))
    mapping = propose_mapping(dataset)
    return dataset, mapping, build_customers(dataset, mapping)


# ---------------------------------------------------------------- mapping


def test_mapping_from_names() -> None:
    _, mapping, _ = hand_built()
    assert mapping == OrderMapping(
        customer="Customer ID",
        date="InvoiceDate",
        order="Invoice",
        quantity="Quantity",
        price="UnitPrice",
        category="Category",
        product="StockCode",
        status="Status",
    )


@pytest.mark.parametrize(
    "header",
    [
        ["cliente", "pedido", "fecha", "ventas"],
        ["Kunde", "Bestellung", "Datum", "Umsatz"],
        ["клиент", "заказ", "дата", "сумма"],
        ["müşteri", "sipariş no", "tarih", "tutar"],
        ["member_id", "invoice_no", "order_date", "revenue"],
    ],
)
def test_mapping_in_several_languages(header: list[str]) -> None:
    rows = [header] + [[f"c{i % 3}", f"o{i // 2}", f"2024-01-{1 + i:02d}", 10 + i] for i in range(12)]
    mapping = propose_mapping(load(csv_bytes(rows)))
    assert mapping is not None
    assert (mapping.customer, mapping.order, mapping.date, mapping.amount) == tuple(header)


def test_a_quantity_without_price_gives_no_amounts() -> None:
    rows = [["customer", "order", "date", "qty"]] + [
        [f"c{i % 3}", f"o{i}", "2024-01-02", 1] for i in range(9)
    ]
    dataset = load(csv_bytes(rows))
    mapping = propose_mapping(dataset)
    assert mapping is not None and mapping.quantity is None and not mapping.has_amounts
    assert "monetary" not in build_customers(dataset, mapping).customers


def test_a_customer_table_is_not_order_lines() -> None:
    rows = [["customer_id", "signup_date", "income"]] + [[i, "2024-01-01", i * 10] for i in range(20)]
    assert looks_like_order_lines(load(csv_bytes(rows))) is None


def test_order_column_must_have_between_customers_and_rows_values() -> None:
    # A "status" of two values cannot be the order id even if named like one.
    rows = [["customer", "order_type", "date", "amount"]]
    rows += [[f"c{i}", "web" if i % 2 else "shop", "2024-01-01", 1] for i in range(10)] * 2
    mapping = propose_mapping(load(csv_bytes(rows)))
    assert mapping is not None and mapping.order is None


# ---------------------------------------------------------------- hand-computed customers


def test_hand_computed_customers() -> None:
    _, _, built = hand_built()
    table = built.customers.set_index("Customer ID")
    assert list(built.customers.columns[:3]) == ["Customer ID", "recency_days", "frequency"]
    assert list(table.index) == ["A", "B", "007"]  # exact key text, leading zeros kept
    assert built.as_of == pd.Timestamp("2024-03-02")  # day after the last order date
    a, b, z = table.loc["A"], table.loc["B"], table.loc["007"]
    assert (a.frequency, b.frequency, z.frequency) == (2, 1, 1)  # cancelled invoice not an order
    assert (a.monetary, b.monetary, z.monetary) == (15.0, 30.0, 5.0)  # 10 + 20 + 5 - 20 return
    assert a.average_order_value == 7.5
    assert (a.recency_days, b.recency_days, z.recency_days) == (52, 30, 1)
    assert (a.first_order, a.last_order) == ("2024-01-10", "2024-01-10")
    assert a.tenure_days == 52
    assert a.orders_per_month == pytest.approx(2 / (52 / (365.25 / 12)), abs=1e-3)
    assert z.orders_per_month == 1.0  # tenure under a month counts as one month
    assert (a.distinct_products, b.distinct_products) == (2, 1)
    assert (a.top_category, a.top_category_share) == ("Toys", pytest.approx(0.667, abs=1e-3))
    assert (a.r_score, b.r_score, z.r_score) == (1, 2, 4)
    assert (a.f_score, b.f_score, z.f_score) == (4, 1, 1)


def test_what_was_left_out_is_reported_with_counts() -> None:
    _, _, built = hand_built()
    by_code = {p.code: p for p in built.problems}
    assert by_code["orders-no-key"].count == 1
    assert by_code["orders-cancelled"].count == 1 and "10.00" in by_code["orders-cancelled"].message
    assert by_code["orders-returns"].count == 1 and "20.00" in by_code["orders-returns"].message
    assert "orders-dates-read" in by_code
    assert list(built.line_notes).count("no customer key") == 1
    assert list(built.line_customer) == [0, 0, 0, 0, 1, 1, -1, 2]


def test_line_segments_follow_their_customer() -> None:
    _, _, built = hand_built()
    assert list(built.line_segments(np.array([3, 1, 2]))) == [3, 3, 3, 3, 1, 1, 0, 2]


def test_without_order_column_distinct_days_are_orders() -> None:
    dataset, mapping, _ = hand_built()
    built = build_customers(dataset, mapping.with_changes(order=None))
    table = built.customers.set_index("Customer ID")
    assert table.loc["A", "frequency"] == 1  # two orders on one day
    assert built.as_of == pd.Timestamp("2024-03-02")


def test_without_amounts_monetary_is_absent_and_said() -> None:
    dataset, mapping, _ = hand_built()
    built = build_customers(dataset, mapping.with_changes(quantity=None, price=None))
    assert "monetary" not in built.customers and "m_score" not in built.customers
    assert "orders-no-amount" in {p.code for p in built.problems}


def test_reference_date_can_be_set() -> None:
    dataset, mapping, _ = hand_built()
    built = build_customers(dataset, mapping, as_of="2024-12-31")
    assert built.customers.set_index("Customer ID").loc["007", "recency_days"] == 305
    with pytest.raises(SegmentationError) as bad:
        build_customers(dataset, mapping, as_of="soon")
    assert bad.value.code == "orders-bad-as-of"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"date": "Category"}, "orders-not-dates"),
        ({"quantity": "Category"}, "orders-not-numbers"),
        ({"price": None}, "orders-quantity-price"),
        ({"customer": "nope"}, "unknown-column"),
    ],
)
def test_bad_mappings_raise_with_a_code(change: dict, code: str) -> None:
    dataset, mapping, _ = hand_built()
    with pytest.raises(SegmentationError) as raised:
        build_customers(dataset, mapping.with_changes(**change))
    assert raised.value.code == code


@pytest.mark.parametrize("status", ["Cancelled", "Canceled", "Cancelado", "Annulé", "Storniert", "Отменён"])
def test_cancelled_status_in_several_languages(status: str) -> None:
    lines = hand_lines()
    lines[6][-1] = status
    built = build_customers(load(csv_bytes(lines)), hand_built()[1])
    assert {p.code: p.count for p in built.problems}["orders-cancelled"] == 1


def test_customers_table_round_trips_and_features_are_sensible() -> None:
    _, _, built = hand_built()
    customers = load(built.to_csv())
    assert list(customers.raw["Customer ID"]) == ["A", "B", "007"]
    assert customer_features(built.customers)[:3] == ["recency_days", "frequency", "monetary"]
    selection = choose_features(customers.columns)
    assert {"Customer ID", "first_order", "last_order"} <= set(selection.excluded)


# ---------------------------------------------------------------- RFM


def test_rfm_map_covers_every_pair_exactly_once() -> None:
    hits = np.zeros((N_SCORES, N_SCORES), dtype=int)
    for block in RFM_MAP:
        hits[block.r[0] - 1 : block.r[1], block.f[0] - 1 : block.f[1]] += 1
    assert (hits == 1).all()
    assert set(grid().ravel()) == set(SEGMENT_NAMES) and len(SEGMENT_NAMES) == 10
    assert rfm_segments(np.array([5, 1, 0]), np.array([5, 1, 3])).tolist() == ["Champions", "Hibernating", ""]


def test_scores_stay_within_one_to_five_when_most_bought_once() -> None:
    frequency = np.array([1] * 80 + [2] * 10 + [3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    scores = quintile_scores(frequency)
    assert scores.min() == 1 and scores.max() == 5
    assert (scores[:80] == 1).all()  # ties share a score
    recency = quintile_scores(np.arange(10), higher_is_better=False)
    assert recency[0] == 5 and recency[-1] == 1


# ---------------------------------------------------------------- properties


def _dataset(frame: pd.DataFrame) -> Dataset:
    raw = frame.astype("string[pyarrow]")
    report = ReadReport("UTF-8", ",", "LF", True, False, len(raw), raw.shape[1])
    return Dataset(raw=raw, read_report=report, columns=analyze_table(raw))


lines_strategy = st.lists(
    st.tuples(
        st.sampled_from(["", "a", "b", "c", "007", "d e"]),
        st.integers(1, 6),
        st.integers(1, 28),
        st.integers(-3, 50),
    ),
    min_size=1,
    max_size=60,
)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines_strategy)
def test_every_line_counted_once_and_sums_preserved(lines: list[tuple[str, int, int, int]]) -> None:
    frame = pd.DataFrame(lines, columns=["customer", "order", "day", "amount"])
    frame["order"] = frame["customer"] + "-" + frame["order"].astype(str)
    frame["date"] = "2024-02-" + frame["day"].map("{:02d}".format)
    keyed = frame[frame["customer"] != ""]
    buys = keyed[keyed["amount"] >= 0]
    dataset = _dataset(frame[["customer", "order", "date", "amount"]])
    mapping = OrderMapping(customer="customer", date="date", order="order", amount="amount")
    try:
        built = build_customers(dataset, mapping)
    except SegmentationError as exc:
        assert exc.code == "orders-no-lines" and buys.empty
        return
    table = built.customers
    # Every line either belongs to exactly one customer row or carries a note saying why not.
    assert ((built.line_customer >= 0) != (built.line_notes != "")).all()
    assert set(table["customer"]) == set(buys["customer"])
    assert table["frequency"].sum() == buys.groupby("customer")["order"].nunique().sum()
    counted = keyed[keyed["customer"].isin(buys["customer"])]
    assert table["monetary"].sum() == pytest.approx(counted["amount"].sum())
    assert built.customers["r_score"].between(1, 5).all() and built.customers["f_score"].between(1, 5).all()


# ---------------------------------------------------------------- real file and speed


def test_sales_data_sample() -> None:
    if not SALES.is_file():
        pytest.skip(
            f"../shared/datasets not found: {SALES} is missing (real order lines live beside the checkout)"
        )
    dataset = load(SALES)
    mapping = looks_like_order_lines(dataset)
    assert mapping is not None
    assert (mapping.customer, mapping.order, mapping.date, mapping.amount, mapping.status) == (
        "CUSTOMERNAME",
        "ORDERNUMBER",
        "ORDERDATE",
        "SALES",
        "STATUS",
    )
    built = build_customers(dataset, mapping)
    assert built.dates.day_first is False and built.dates.n_failed == 0
    # Independent pandas computation of the same figures.
    frame = pd.read_csv(SALES, encoding="cp850", keep_default_na=False)
    kept = frame[frame["STATUS"] != "Cancelled"]
    table = built.customers.set_index("CUSTOMERNAME")
    assert len(table) == kept["CUSTOMERNAME"].nunique() == 92
    expected_frequency = kept.groupby("CUSTOMERNAME")["ORDERNUMBER"].nunique()
    assert table["frequency"].sort_index().tolist() == expected_frequency.sort_index().tolist()
    expected_monetary = kept.groupby("CUSTOMERNAME")["SALES"].sum().round(2)
    np.testing.assert_allclose(table["monetary"].sort_index(), expected_monetary.sort_index(), atol=0.01)
    assert built.as_of == pd.Timestamp("2005-06-01")
    assert {p.code: p.count for p in built.problems}["orders-cancelled"] == (
        frame["STATUS"] == "Cancelled"
    ).sum()
    assert "Euro Shopping Channel" in table.index  # cp850 decoding and keys as written
    selection = choose_features(load(built.to_csv()).columns)  # what `segment CUSTOMERS.csv` would use
    assert set(customer_features(built.customers)) <= set(selection.numeric)
    assert {"CUSTOMERNAME", "first_order", "last_order"} <= set(selection.excluded)


@pytest.mark.slow
def test_a_million_lines_are_built_into_customers() -> None:
    """The benchmark's million order lines; how fast is measured by make bench (bench/orders.py)."""
    from bench.orders import order_lines_dataset

    dataset = order_lines_dataset(1_000_000)
    built = build_customers(dataset, propose_mapping(dataset))
    assert len(built.customers) > 40_000


@pytest.mark.parametrize(
    "name",
    [
        "Mall_Customers.csv",
        "Wholesale customers data.csv",
        "marketing_campaign.csv",
        "CC GENERAL.csv",
        "Base_cliente.csv",
        "ClientesBanco.csv",
        "WA_Fn-UseC_-Telco-Customer-Churn.csv",
    ],
)
def test_customer_tables_are_not_taken_for_order_lines(name: str) -> None:
    path = DATASETS / name
    if not path.is_file():
        pytest.skip(f"../shared/datasets not found: {path} is missing")
    assert looks_like_order_lines(load(path)) is None


@pytest.mark.parametrize(
    ("name", "day_first"),
    [
        ("marketing_campaign.csv", True),  # dd-mm-yyyy
        ("variants/ShreyashSC+Customer_Personality_Analysis/marketing_campaign.csv", False),  # m/d/yyyy
    ],
)
def test_real_date_columns_choose_their_day_month_order(name: str, day_first: bool) -> None:
    from segmentation.prepare.dates import parse_dates

    path = DATASETS / name
    if not path.is_file():
        pytest.skip(f"../shared/datasets not found: {path} is missing")
    parsed = parse_dates(load(path).raw["Dt_Customer"])
    assert parsed.n_failed == 0 and parsed.day_first is day_first and not parsed.ambiguous
