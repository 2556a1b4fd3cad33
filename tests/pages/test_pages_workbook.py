"""Workbooks on the pages: the Data page lists every sheet and reads the one chosen; bombs get a message."""

from __future__ import annotations

import pytest

from segmentation import Settings, load, segment
from segmentation.io.synthetic import customers_to_csv_bytes, generate_customers
from segmentation.reuse.modelfile import model_bytes
from tests.pages.apptest import goto, open_app, shown, sidebar_text, upload
from tests.workbooks import customers, table_sheet, workbook_bomb, xlsx, zero_array_model


def _two_sheets() -> bytes:
    def build(book):
        book.add_worksheet("Cover").write(0, 0, "Customer export")
        table_sheet(book, "Customers", customers(70), top=2)
        table_sheet(book, "Prospects", customers(40, seed=9))

    return xlsx(build)


def test_data_page_lists_the_sheets_and_reads_the_chosen_one() -> None:
    at = upload(open_app(), "export.xlsx", _two_sheets())
    sheet = at.selectbox(key="file_sheet")
    assert sheet.options == ["The first sheet holding a table", "Cover", "Customers", "Prospects"]
    assert not at.error, [e.value for e in at.error]
    assert at.metric[0].value == "70"
    described = shown(" ".join(m.value for m in at.markdown))
    assert "sheet 'Customers' (the first holding a table; other sheets: 'Cover', 'Prospects')" in described
    sheet.select("Prospects").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.metric[0].value == "40"
    assert "export.xlsx" in sidebar_text(at)


def test_data_page_explains_an_empty_sheet_and_keeps_the_previous_data() -> None:
    at = upload(open_app(), "export.xlsx", _two_sheets())
    at.selectbox(key="file_sheet").select("Cover").run()
    assert at.error and "could not be used" in at.error[0].value
    assert at.metric[0].value == "70"  # still the first sheet's customers


def test_data_page_refuses_a_workbook_bomb_with_a_message(tmp_path) -> None:
    bomb = workbook_bomb(tmp_path / "bomb.xlsx").read_bytes()
    at = upload(open_app(), "customers.csv", bomb)
    assert at.error and "unpack" in at.error[0].value
    assert not at.exception


@pytest.fixture(scope="module")
def zero_model(tmp_path_factory) -> bytes:
    csv = customers_to_csv_bytes(generate_customers(300, seed=2))
    model = model_bytes(segment(load(csv), Settings(n_clusters=3)))
    return zero_array_model(model, tmp_path_factory.mktemp("model") / "zeros.skops").read_bytes()


def test_score_page_refuses_the_zero_array_model_with_a_message(zero_model) -> None:
    at = goto(open_app(), "pages/score.py")
    at.file_uploader(key="score_model").upload("model.skops", zero_model, "application/octet-stream").run()
    assert not at.exception
    assert at.error and "unpack" in at.error[0].value and "not opened" in at.error[0].value


def test_export_page_offers_the_workbook() -> None:
    at = upload(open_app(), "export.xlsx", _two_sheets())
    at = goto(at, "pages/export.py")
    labels = [button.proto.label for button in at.get("download_button")]
    assert "Download as Excel workbook" in labels
