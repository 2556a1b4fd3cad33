"""Tables in pieces: items, orders and customers joined on their shared keys (issue 24 point 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from segmentation.cli import main
from segmentation.orders.customers import build_customers
from segmentation.orders.lines import propose_mapping
from segmentation.orders.pieces import join_pieces, missing_table, shared_key
from segmentation.prepare.dataset import load
from segmentation.report.errors import SegmentationError
from tests.orders import platform_files as pf


def test_items_orders_and_customers_join_on_their_shared_keys() -> None:
    items, orders, customers, spend = pf.olist()
    joined = join_pieces(load(items), load(orders), load(customers))
    assert [(s.table, s.key) for s in joined.steps] == [("orders", "order_id"), ("customers", "customer_id")]
    n_items = load(items).n_rows
    assert all(s.n_rows == s.n_matched == n_items for s in joined.steps)
    assert (
        "orders table on 'order_id'" in joined.describe()[0]
        and f"{n_items:,} of {n_items:,}" in joined.describe()[0]
    )
    dataset = joined.dataset
    mapping = propose_mapping(dataset)
    assert (mapping.customer, mapping.order, mapping.price) == ("customer_unique_id", "order_id", "price")
    built = build_customers(dataset, mapping)
    got = dict(zip(built.customers["customer_unique_id"], built.customers["monetary"], strict=True))
    assert got == pytest.approx(spend)


def test_unmatched_rows_are_counted() -> None:
    items, orders, _, _ = pf.olist()
    lines = load(items)
    some_orders = load(b"\n".join(orders.splitlines()[:21]) + b"\n")  # header and 20 orders
    step = join_pieces(lines, some_orders).steps[0]
    expected = int(lines.raw["order_id"].isin(set(some_orders.raw["order_id"])).sum())
    assert step.n_matched == expected < step.n_rows


def test_a_lone_items_file_is_told_which_table_is_missing(tmp_path: Path, capsys) -> None:
    items = pf.olist()[0]
    assert missing_table(load(items)) == "order_id"
    source = tmp_path / "olist_order_items_dataset.csv"
    source.write_bytes(items)
    assert main(["customers", str(source), "-o", str(tmp_path / "c.csv")]) == 2
    err = capsys.readouterr().err
    assert "orders table" in err and "'order_id'" in err


def test_the_command_joins_the_pieces_and_says_how(tmp_path: Path, capsys) -> None:
    items, orders, customers, spend = pf.olist()
    paths = {}
    for name, data in (("items", items), ("orders", orders), ("customers", customers)):
        paths[name] = tmp_path / f"{name}.csv"
        paths[name].write_bytes(data)
    target = tmp_path / "out.csv"
    argv = [
        "customers",
        str(paths["items"]),
        "--orders",
        str(paths["orders"]),
        "--customers",
        str(paths["customers"]),
    ]
    assert main([*argv, "-o", str(target)]) == 0
    out = capsys.readouterr().out
    assert (
        "joined the orders table on 'order_id'" in out
        and "joined the customers table on 'customer_id'" in out
    )
    assert f"Wrote {len(spend):,} customers" in out


def test_a_table_without_a_shared_key_is_refused() -> None:
    items, _, _, _ = pf.olist()
    assert shared_key(load(items).raw, load(b"a,b\n1,2\n").raw) is None
    with pytest.raises(SegmentationError) as caught:
        join_pieces(load(items), load(b"a,b\n1,2\n"))
    assert caught.value.code == "orders-no-shared-key"
