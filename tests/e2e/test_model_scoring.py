"""End to end: download the model from Export, score a new file on the Score page, download it."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from segmentation import load
from segmentation.io.synthetic import customers_to_csv_bytes, generate_customers
from segmentation.reuse.modelfile import read_model
from segmentation.reuse.scoring import score
from tests.e2e.conftest import wait_for_app

SLOW = 60_000  # ms


def go_to(page: Page, title: str) -> None:
    nav = page.get_by_test_id("stSidebarNav")
    nav.get_by_role("link").filter(has_text=re.compile(rf"{re.escape(title)}$")).click()
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible(timeout=SLOW)
    wait_for_app(page)


def download(page: Page, label: str, folder: Path) -> Path:
    with page.expect_download(timeout=SLOW) as info:
        page.get_by_role("button", name=label).click()
    saved = folder / info.value.suggested_filename
    info.value.save_as(saved)
    return saved


def test_model_from_export_scores_customers_on_the_score_page(
    app_server: str, page: Page, tmp_path: Path
) -> None:
    page.set_default_timeout(SLOW)
    page.goto(app_server)
    wait_for_app(page)
    go_to(page, "Export")
    model_path = download(page, "Download model (.skops)", tmp_path)
    assert model_path.name == "synthetic_customers_model.skops"

    customers = tmp_path / "next_month.csv"
    customers.write_bytes(customers_to_csv_bytes(generate_customers(250, seed=77)))
    go_to(page, "Score")
    inputs = page.get_by_test_id("stFileUploaderDropzoneInput")
    inputs.nth(0).set_input_files(str(model_path))
    expect(page.get_by_text("Now choose the customer file to score.")).to_be_visible(timeout=SLOW)
    wait_for_app(page)
    inputs.nth(1).set_input_files(str(customers))
    expect(page.get_by_test_id("stMetric").filter(has_text="Customers scored")).to_contain_text("250 of 250")
    wait_for_app(page)
    assert page.get_by_test_id("stPlotlyChart").count() == 1
    assert page.get_by_text("Traceback").count() == 0 and page.get_by_test_id("stException").count() == 0

    scored = download(page, "Download scored customers", tmp_path)
    assert scored.name == "next_month_scored.csv"
    expected = score(load(customers), read_model(model_path)).labeled_csv()
    assert scored.read_bytes() == expected
