"""A workbook in the browser: uploaded with a title row and two sheets, the sheet chosen, the .xlsx downloaded."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from python_calamine import CalamineWorkbook

from tests.e2e.test_dashboard import SLOW, UI, assert_no_crash, go_to, open_app, sidebar, upload
from tests.workbooks import customers, table_sheet, xlsx


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def build(workbook):
        table_sheet(workbook, "Customers", customers(150), top=2)
        workbook.worksheets()[0].write(0, 0, "Customer list 2024")
        table_sheet(workbook, "Prospects", customers(90, seed=12))

    path = tmp_path_factory.mktemp("uploads") / "customer_book.xlsx"
    path.write_bytes(xlsx(build))
    return path


def test_workbook_upload_sheet_choice_and_workbook_download(
    app_server: str, page: Page, tmp_path: Path, book: Path
) -> None:
    open_app(page, app_server)
    upload(page, book)
    expect(sidebar(page)).to_contain_text("customer_book.xlsx", timeout=UI)
    expect(page.get_by_text("left out as not part of the table")).to_be_visible(timeout=SLOW)
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("150", timeout=SLOW)

    page.get_by_test_id("stSelectbox").filter(has_text="Sheet").click()
    page.get_by_role("option", name="Prospects", exact=True).click()
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("90", timeout=SLOW)
    assert_no_crash(page)

    go_to(page, "Export")
    with page.expect_download(timeout=SLOW) as download_info:
        page.get_by_role("button", name="Download as Excel workbook").click()
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename == "customer_book_segments.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    written = CalamineWorkbook.from_path(str(saved))
    assert written.sheet_names[:2] == ["Customers", "Summary"]
    rows = written.get_sheet_by_name("Customers").to_python()
    source = customers(90, seed=12)
    assert rows[0][:6] == source[0] and rows[0][6:8] == ["segment", "segment_name"]
    assert len(rows) == 91
    for original, back in zip(source[1:], rows[1:], strict=True):
        assert back[0] == original[0] and back[1] == float(original[1]) and back[4] == original[4]
        assert back[5] == original[5].date() and isinstance(back[5], dt.date)
        assert back[6] in {1.0, 2.0, 3.0, 4.0, 5.0} and back[7]
    assert_no_crash(page)
