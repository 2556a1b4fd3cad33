"""Order lines read as the file says (issue 24 points 4, 5, 7; issue 22's one money rule)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from segmentation.cli import main
from segmentation.orders.customers import build_customers
from segmentation.orders.lines import OrderMapping, propose_mapping
from segmentation.prepare.dataset import load


def csv_bytes(rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


@pytest.mark.parametrize("placeholder", ["NA", "", "null", "unknown", "-", "N/A", "Unknown", " none "])
def test_a_placeholder_customer_is_no_customer(placeholder: str) -> None:
    rows = [["CustomerID", "InvoiceDate", "Amount"]]
    rows += [["17850", f"2024-01-{day:02d}", "10"] for day in range(1, 4)]
    rows += [["13047", f"2024-02-{day:02d}", "5"] for day in range(1, 3)]
    rows += [[placeholder, f"2024-03-{day:02d}", "7"] for day in range(1, 6)]
    dataset = load(csv_bytes(rows))
    built = build_customers(dataset, OrderMapping(customer="CustomerID", date="InvoiceDate", amount="Amount"))
    assert built.customers["CustomerID"].tolist() == ["17850", "13047"]
    no_key = next(p for p in built.problems if p.code == "orders-no-key")
    assert no_key.count == 5 and "placeholder" in no_key.message
    assert list(built.line_notes).count("no customer key") == 5


INVOICES = OrderMapping(customer="Customer", date="Date", order="Invoice", quantity="Qty", price="Price")


def _built_with_invoices(numbers: list[str]):
    rows = [["Customer", "Invoice", "Date", "Qty", "Price"]]
    rows += [
        [f"K{i % 3}", number, f"2024-01-{i % 28 + 1:02d}", "1", "10"] for i, number in enumerate(numbers)
    ]
    return build_customers(load(csv_bytes(rows)), INVOICES)


def test_credit_notes_where_the_other_invoice_numbers_are_numbers() -> None:
    built = _built_with_invoices(["536365", "536366", "C536367", "536368", "536369", "C536370"])
    returns = next(p for p in built.problems if p.code == "orders-returns")
    assert returns.count == 2


@pytest.mark.parametrize(
    "numbers",
    [
        [
            "c4ca4238a0b923820dcc509a6f75849b",
            "c81e728d9d4c2f636f067f89cc14862c",
            "eccbc87e4b5ce2fe28308fd9f8a7b6f5",
        ],
        [
            "c1a5e3f0-4b2d-4c8e-9f1a-2b3c4d5e6f70",
            "0f8fad5b-d9cb-469f-a165-70867728950e",
            "7c9e6679-7425-40de-944b",
        ],
        ["C1", "A2", "B3", "D4"],  # letters and digits: not the numbering of credit notes
    ],
)
def test_hex_ids_and_uuids_are_never_returns(numbers: list[str]) -> None:
    built = _built_with_invoices(numbers * 2)
    assert "orders-returns" not in {p.code for p in built.problems}


def test_a_price_without_quantity_is_the_line_amount() -> None:
    rows = [["user_id", "order_date", "item_price", "item_name"]]
    rows += [[f"u{i % 4}", f"2024-05-{i % 28 + 1:02d}", f"{100 * (i + 1)}", f"item {i}"] for i in range(12)]
    dataset = load(csv_bytes(rows))
    mapping = propose_mapping(dataset)
    assert mapping is not None and (mapping.price, mapping.quantity, mapping.amount) == (
        "item_price",
        None,
        None,
    )
    built = build_customers(dataset, mapping)
    assert "orders-no-amount" not in {p.code for p in built.problems}
    by_user = dict(zip(built.customers["user_id"], built.customers["monetary"], strict=True))
    assert by_user["u0"] == 100 + 500 + 900
    assert any("one item per line" in line for line in built.mapping.describe())


def _money_lines() -> bytes:
    rows = [["Customer", "Invoice", "Date", "Quantity", "UnitPrice", "Sales"]]
    rows += [["A", "1", "2024-01-02", "2", "5", "10"], ["A", "2", "2024-01-09", "-1", "5", "5"]]
    rows += [["B", "3", "2024-01-03", "1", "7", "7"], ["B", "4", "2024-01-05", "3", "7", "21"]]
    return csv_bytes(rows)


def test_one_money_rule_for_the_page_and_the_command(tmp_path: Path) -> None:
    """The CLI with --amount and the Data page with the amount chosen (other roles as proposed) agree."""
    source = tmp_path / "lines.csv"
    source.write_bytes(_money_lines())
    target = tmp_path / "customers.csv"
    assert main(["customers", str(source), "--amount", "Sales", "-o", str(target)]) == 0
    dataset = load(source)
    page_choice = {**propose_mapping(dataset).roles(), "amount": "Sales"}  # the page's select boxes
    page_table = build_customers(dataset, OrderMapping(**page_choice))
    assert target.read_bytes() == page_table.to_csv()
    assert page_table.mapping.price is None and page_table.mapping.quantity == "Quantity"
    monetary = dict(zip(page_table.customers["Customer"], page_table.customers["monetary"], strict=True))
    assert monetary == {"A": 10 - 5, "B": 28}  # the negative quantity still marks A's return


def test_the_customers_command_refuses_a_quote_left_open_and_reads_it_literally(
    tmp_path: Path, capsys
) -> None:
    rows = "".join(f"K{i % 7},2024-01-{i % 28 + 1:02d},{i}\n" for i in range(200))
    source = tmp_path / "lines.csv"
    source.write_bytes(('Customer,Date,Amount\nK1,2024-01-01,"5\n' + rows).encode())
    target = tmp_path / "customers.csv"
    assert main(["customers", str(source), "-o", str(target)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "line 2" in err and "--literal-quotes" in err
    assert main(["customers", str(source), "--literal-quotes", "-o", str(target)]) == 0
    assert "Wrote 7 customers from 201 order lines" in capsys.readouterr().out


def test_blank_lines_are_told_once_as_blank() -> None:
    rows = [["Customer", "Date", "Amount"], ["A", "2024-01-02", "5"], ["", "", ""], ["B", "2024-01-03", "7"]]
    rows += [["", "", ""], ["", "2024-01-04", "9"]]
    built = build_customers(
        load(csv_bytes(rows)), OrderMapping(customer="Customer", date="Date", amount="Amount")
    )
    by_code = {p.code: p.count for p in built.problems}
    assert by_code["orders-blank-lines"] == 2 and by_code["orders-no-key"] == 1
