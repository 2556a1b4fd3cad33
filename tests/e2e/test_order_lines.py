"""End to end: upload order lines, build one row per customer, see segments, download both files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from playwright.sync_api import Page, expect

from bench.orders import order_lines_frame
from tests.e2e.conftest import wait_for_app
from tests.e2e.test_dashboard import SLOW, UI, assert_no_crash, go_to, open_app, sidebar, upload


def download(page: Page, label: str, folder: Path) -> list[dict[str, str]]:
    with page.expect_download(timeout=SLOW) as info:
        page.get_by_role("button", name=label).click()
    saved = folder / info.value.suggested_filename
    info.value.save_as(saved)
    wait_for_app(page)
    return list(csv.DictReader(io.StringIO(saved.read_bytes().decode("utf-8"), newline="")))


def test_order_lines_to_customer_segments_and_both_downloads(
    app_server: str, page: Page, tmp_path: Path
) -> None:
    lines = tmp_path / "order_lines.csv"
    lines.write_text(order_lines_frame(2_000, seed=11).to_csv(index=False), encoding="utf-8")
    open_app(page, app_server)
    upload(page, lines)
    expect(page.get_by_text("This file holds order lines")).to_be_visible(timeout=UI)

    page.get_by_role("button", name="Build one row per customer").click()
    expect(sidebar(page)).to_contain_text("Customers from order_lines.csv", timeout=SLOW)
    expect(sidebar(page)).to_contain_text("built from 2,000 order lines")
    wait_for_app(page)
    assert_no_crash(page)

    go_to(page, "Segments")
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible(timeout=SLOW)
    expect(page.get_by_role("heading", name="RFM view")).to_be_visible(timeout=SLOW)
    assert_no_crash(page)

    go_to(page, "Export")
    customers = download(page, "Download customers with segments", tmp_path)
    assert customers and all(r["segment"] for r in customers)
    assert list(customers[0])[:3] == ["CustomerID", "recency_days", "frequency"]
    labeled = download(page, "Download order lines with segments", tmp_path)
    original = list(csv.DictReader(io.StringIO(lines.read_text(encoding="utf-8"), newline="")))
    assert [{k: r[k] for k in original[0]} for r in labeled] == original  # every cell as read
    segment_of = {r["CustomerID"]: r["segment"] for r in customers}
    assert all(r["segment"] == segment_of[r["CustomerID"]] for r in labeled if r["segment"])
    assert_no_crash(page)
