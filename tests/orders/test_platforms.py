"""Platform exports recognised by their layouts (issue 24 points 3 and 8)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from segmentation.cli import main
from segmentation.orders.customers import build_customers
from segmentation.orders.lines import (
    continue_orders,
    looks_like_order_lines,
    propose_mapping,
    spread_over_order,
)
from segmentation.orders.platforms import recognise
from segmentation.prepare.dataset import load
from segmentation.prepare.features import choose_features
from segmentation.prepare.roles import ADDRESS, EMAIL, NOTE, PERSON_NAME, PHONE_NUMBER, TAGS
from tests.orders import platform_files as pf


def test_shopify_orders_are_order_lines_with_the_platforms_roles() -> None:
    data, _ = pf.shopify_orders()
    dataset = load(data)
    mapping = looks_like_order_lines(dataset)
    assert mapping is not None
    assert (mapping.customer, mapping.order, mapping.date) == ("Email", "Name", "Created at")
    assert (mapping.quantity, mapping.price, mapping.status) == (
        "Lineitem quantity",
        "Lineitem price",
        "Financial Status",
    )


def test_shopify_customers_are_built_right_from_line_amounts() -> None:
    data, spend = pf.shopify_orders()
    dataset = load(data)
    built = build_customers(dataset, propose_mapping(dataset))
    got = dict(zip(built.customers["Email"], built.customers["monetary"], strict=True))
    assert set(got) == set(spend)
    assert all(got[email] == pytest.approx(total) for email, total in spend.items())
    codes = {p.code for p in built.problems}
    assert {"orders-order-level", "orders-utc-offset", "orders-cancelled"} <= codes
    assert "orders-no-key" not in codes and "orders-no-date" not in codes


def test_the_customers_command_needs_no_flags_for_a_shopify_export(tmp_path: Path, capsys) -> None:
    data, spend = pf.shopify_orders()
    source = tmp_path / "orders_export.csv"
    source.write_bytes(data)
    assert main(["customers", str(source), "-o", str(tmp_path / "customers.csv")]) == 0
    out = capsys.readouterr().out
    assert f"Wrote {len(spend):,} customers" in out and "customer: Email" in out


def test_an_order_level_status_on_the_first_line_covers_the_whole_order() -> None:
    data, _ = pf.shopify_orders()
    dataset = load(data)
    built = build_customers(dataset, propose_mapping(dataset))
    refunded_orders = {
        name
        for name, status in zip(dataset.raw["Name"], dataset.raw["Financial Status"], strict=True)
        if status == "refunded"
    }
    lines_of_refunded = int(dataset.raw["Name"].isin(refunded_orders).sum())
    cancelled = next(p for p in built.problems if p.code == "orders-cancelled")
    assert cancelled.count == lines_of_refunded > len(refunded_orders)


def test_woocommerce_rows_without_an_order_number_continue_the_order_above() -> None:
    dataset = load(pf.woocommerce_orders())
    mapping = propose_mapping(dataset)
    assert (mapping.customer, mapping.order, mapping.status) == (
        "Email (Billing)",
        "Order Number",
        "Order Status",
    )
    built = build_customers(dataset, mapping)
    assert "orders-no-key" not in {p.code for p in built.problems}
    n_orders = dataset.raw["Order Number"].ne("").sum()
    completed = dataset.raw["Order Status"].eq("Completed").sum()
    assert int(built.customers["frequency"].sum()) == completed < n_orders


def test_online_retail_leaves_na_customers_out_and_counts_credit_notes() -> None:
    dataset = load(pf.online_retail())
    built = build_customers(dataset, propose_mapping(dataset))
    assert "NA" not in set(built.customers["CustomerID"])
    codes = {p.code: p for p in built.problems}
    assert codes["orders-no-key"].count == int(dataset.raw["CustomerID"].eq("NA").sum())
    assert codes["orders-returns"].count == int(dataset.raw["InvoiceNo"].str.startswith("C").sum())


def test_recognition_is_by_layout_not_by_case_or_spacing() -> None:
    found = recognise(
        ["NAME", "email", "financial_status", "CREATED AT", "lineitem_quantity", "Lineitem Price"]
    )
    assert found is not None and found.platform == "Shopify orders export"
    assert recognise(["Name", "Email", "Total"]) is None


def test_spreading_and_continuing_orders() -> None:
    order = np.array([0, -1, -1, 1, -1, 2])
    continued, n = continue_orders(order)
    assert continued.tolist() == [0, 0, 0, 1, 1, 2] and n == 3
    values = np.array([5, -1, -1, 7, -1, -1])
    customer, filled = spread_over_order(values, continued, values >= 0)
    assert customer.tolist() == [5, 5, 5, 7, 7, -1] and filled == 3
    scattered = np.array([5, -1, 6, 7, 7, -1])  # gaps here and there: not an order-level column
    assert spread_over_order(scattered, continued, scattered >= 0) == (scattered, 0)


def test_people_are_not_features_on_a_small_shopify_customers_export() -> None:
    dataset = load(pf.shopify_customers(10))
    selection = choose_features(dataset.columns)
    assert set(selection.features) <= {"Total Spent", "Total Orders", "Accepts Email Marketing"}
    reasons = selection.excluded
    assert reasons["First Name"] == reasons["Last Name"] == PERSON_NAME
    assert reasons["Email"] == EMAIL and reasons["Phone"] == PHONE_NUMBER
    assert reasons["Default Address Address1"] == reasons["Default Address Address2"] == ADDRESS
    assert reasons["Note"] == NOTE and reasons["Tags"] == TAGS


@pytest.mark.parametrize(
    ("header", "values", "reason"),
    [
        ("Full Name", lambda i: f"Person {i}", PERSON_NAME),
        ("Name", lambda i: f"Person {i}", PERSON_NAME),
        ("E-mail", lambda i: f"p{i}@example.com", EMAIL),
        ("Comments", lambda i: f"called on day {i}", NOTE),
    ],
)
def test_people_columns_are_left_out_whatever_the_file_size(header, values, reason) -> None:
    rows = "".join(f"{values(i)},{20 + i},{i % 5}\n" for i in range(8))
    dataset = load(f"{header},Age,Visits\n{rows}".encode())
    assert choose_features(dataset.columns).excluded[header] == reason
