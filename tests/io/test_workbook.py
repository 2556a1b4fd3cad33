"""Workbooks read as exact text tables: sheets, titles and notes, merged and phonetic headers, dates."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from segmentation import Settings, load, segment
from segmentation.io.sheets import DATE, EMPTY, NUMBER, TEXT
from segmentation.io.workbook import WorkbookReport, is_workbook, read_workbook, sheet_names
from segmentation.report.errors import SegmentationError
from tests.workbooks import customers, rezip, table_sheet, xlsx


def _cells(table, column: str) -> list[str]:
    return table.raw[column].tolist()


def test_cells_read_as_the_analyst_sees_them() -> None:
    def build(book):
        sheet = book.add_worksheet("S")
        date = book.add_format({"num_format": "yyyy-mm-dd"})
        stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        sheet.write_row(0, 0, ["id", "n", "when", "flag", "formula"])
        sheet.write_row(1, 0, ["0001", 34])
        sheet.write_datetime(1, 2, dt.datetime(2023, 1, 15), date)
        sheet.write_boolean(1, 3, True)
        sheet.write_formula(1, 4, "=B2*2", None, 68)
        sheet.write_row(2, 0, ["=HYPERLINK(\"x\")", 34.5])
        sheet.write_datetime(2, 2, dt.datetime(2023, 1, 15, 13, 45), stamp)
        sheet.write_boolean(2, 3, False)
        sheet.write_formula(2, 4, "=NOW()", None, "cached")

    table = read_workbook(xlsx(build))
    assert _cells(table, "id") == ["0001", '=HYPERLINK("x")']  # text exactly, never evaluated
    assert _cells(table, "n") == ["34", "34.5"]
    assert _cells(table, "when") == ["2023-01-15", "2023-01-15 13:45:00"]
    assert _cells(table, "flag") == ["TRUE", "FALSE"]
    assert _cells(table, "formula") == ["68", "cached"]  # the cached values, formulas not run
    assert table.report.cell_kinds["n"].tolist() == [NUMBER, NUMBER]


def test_first_sheet_holding_a_table_is_read_and_every_sheet_listed() -> None:
    def build(book):
        book.add_worksheet("Cover").write(0, 0, "Quarterly export")
        table_sheet(book, "Customers", customers(10))
        table_sheet(book, "Regions", [["region", "manager"], ["North", "Ann"], ["South", "Bo"]])

    data = xlsx(build)
    table = read_workbook(data)
    report = table.report
    assert isinstance(report, WorkbookReport)
    assert report.sheet == "Customers" and report.sheets == ("Cover", "Customers", "Regions")
    assert table.report.n_rows == 10
    assert "the first holding a table" in report.describe()[1]
    chosen = read_workbook(data, sheet="Regions")
    assert _cells(chosen, "manager") == ["Ann", "Bo"] and chosen.report.sheet_chosen
    assert sheet_names(data) == ["Cover", "Customers", "Regions"]
    with pytest.raises(SegmentationError) as error:
        read_workbook(data, sheet="Orders")
    assert error.value.code == "workbook-no-such-sheet"
    assert "'Customers'" in str(error.value)


def test_title_rows_and_notes_are_left_out_with_one_message() -> None:
    def build(book):
        rows = customers(20)
        table_sheet(book, "S", rows, top=3)
        sheet = book.worksheets()[0]
        sheet.merge_range("A1:F1", "Customer list 2024", None)
        sheet.write(1, 0, "Exported 2024-03-01")
        sheet.write(len(rows) + 4, 0, "Source: CRM")
        sheet.write(len(rows) + 5, 0, "Amounts in EUR")

    table = read_workbook(xlsx(build))
    report = table.report
    assert list(table.raw.columns) == customers(1)[0]
    assert report.n_rows == 20
    assert report.title_rows == (1, 2) and report.note_rows == (26, 27)
    trimmed = [line for line in report.describe() if "left out" in line]
    assert len(trimmed) == 1
    assert "1-2 above the header ('Customer list 2024')" in trimmed[0]
    assert "26-27 below the table ('Source: CRM')" in trimmed[0]
    # Messages point at sheet rows: the first customer is row 5.
    assert report.first_data_row == 5
    assert table.line_numbers([0, 3]).tolist() == [5, 8]


def test_rows_with_gaps_right_under_the_table_stay_customers() -> None:
    rows = [*customers(8), ["C9999", None, None, None, None, None]]
    table = read_workbook(xlsx(lambda book: table_sheet(book, "S", rows)))
    assert table.report.n_rows == 9 and table.report.note_rows == ()
    assert _cells(table, "customer_id")[-1] == "C9999"


def test_merged_header_cells_read_as_their_visible_text() -> None:
    def build(book):
        sheet = book.add_worksheet("S")
        sheet.merge_range("B1:C1", "spend", None)
        sheet.write_row(0, 0, ["id"])
        sheet.write_row(0, 3, ["age"])
        for r in range(1, 6):
            sheet.write_row(r, 0, [f"C{r}", r * 10, r * 20, 30 + r])

    table = read_workbook(xlsx(build))
    assert table.report.header == ("id", "spend", "spend", "age")
    assert list(table.raw.columns) == ["id", "spend", "spend_2", "age"]


def test_header_cells_with_phonetic_runs_read_as_their_visible_text() -> None:
    base = xlsx(lambda book: table_sheet(book, "S", [["name", "kana", "n"], ["a", "b", 1], ["c", "d", 2]]))
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        strings = archive.read("xl/sharedStrings.xml").decode()
    strings = strings.replace(
        "<si><t>name</t></si>",
        '<si><t>氏名</t><rPh sb="0" eb="2"><t>シメイ</t></rPh><phoneticPr fontId="0"/></si>',
    ).replace(
        "<si><t>kana</t></si>", '<si><r><t>顧</t></r><r><t>客</t></r><rPh sb="0" eb="1"><t>コ</t></rPh></si>'
    )
    table = read_workbook(rezip(base, {"xl/sharedStrings.xml": strings.encode()}))
    assert table.report.header == ("氏名", "顧客", "n")


def _ledger(**options):
    def build(book):
        sheet = book.add_worksheet("Ledger")
        date = book.add_format({"num_format": "dd/mm/yyyy"})
        sheet.write_row(0, 0, ["customer", "amount", "paid_on"])
        for r in range(1, 31):
            sheet.write_row(r, 0, [f"C{r}", r * 3.5])
            day = dt.datetime(2023, 1, 1) + dt.timedelta(days=r * 5)
            if r % 3 == 0:
                sheet.write_string(r, 2, day.strftime("%d/%m/%Y"))  # typed as text
            elif r % 3 == 1:
                epoch = dt.datetime(1904, 1, 1) if options else dt.datetime(1899, 12, 30)
                serial = (day - epoch).days
                sheet.write_number(r, 2, serial)  # pasted as a plain number
            else:
                sheet.write_datetime(r, 2, day, date)

    return xlsx(build, **options)


@pytest.mark.parametrize("system", ["1900", "1904"])
def test_column_mixing_serials_date_cells_and_text_dates_is_reported_and_read(system: str) -> None:
    data = _ledger(date_1904=True) if system == "1904" else _ledger()
    table = read_workbook(data)
    expected = [
        (dt.datetime(2023, 1, 1) + dt.timedelta(days=r * 5)).strftime("%d/%m/%Y") for r in range(1, 31)
    ]
    assert _cells(table, "paid_on") == expected
    kinds = table.report.cell_kinds["paid_on"].tolist()
    assert kinds.count(DATE) == 20 and kinds.count(TEXT) == 10  # text dates stay text
    (found,) = table.report.date_columns
    assert (found.n_serials, found.n_date_cells, found.n_text_dates) == (10, 10, 10)
    assert found.date_system == system
    message = next(line for line in table.report.describe() if line.startswith("paid_on"))
    assert f"10 Excel date numbers ({system} date system)" in message and "day first" in message
    dataset = load(data)
    assert dataset.columns["paid_on"].info.kind == "date"


def test_numbers_out_of_the_date_range_keep_a_column_numeric() -> None:
    rows = [["id", "code"], *([f"C{i}", 12 + i] for i in range(10)), ["C99", "2023-01-05"]]
    table = read_workbook(xlsx(lambda book: table_sheet(book, "S", rows)))
    assert table.report.date_columns == ()
    assert _cells(table, "code")[:2] == ["12", "13"]


def test_a_workbook_is_told_by_content_whatever_its_name(tmp_path) -> None:
    path = tmp_path / "customers.csv"
    path.write_bytes(xlsx(lambda book: table_sheet(book, "S", customers(30))))
    assert is_workbook(path)
    dataset = load(path)
    assert dataset.n_rows == 30
    assert dataset.columns["age"].info.kind == "numeric"
    assert dataset.columns["joined"].info.kind == "date"


def test_workbook_segments_like_the_same_table_as_csv() -> None:
    rows = customers(120)
    csv = "\n".join(
        ",".join(v.strftime("%Y-%m-%d") if isinstance(v, dt.datetime) else str(v) for v in row)
        for row in rows
    )
    from_csv = segment(load(csv.encode()), Settings(n_clusters=3))
    from_book = segment(load(xlsx(lambda book: table_sheet(book, "S", rows))), Settings(n_clusters=3))
    assert from_book.selection.features == from_csv.selection.features
    assert (from_book.result.segments == from_csv.result.segments).all()


def test_ods_is_read() -> None:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        "<office:body><office:spreadsheet><table:table table:name=\"People\">"
        "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>id</text:p></table:table-cell>"
        "<table:table-cell office:value-type=\"string\"><text:p>joined</text:p></table:table-cell></table:table-row>"
        "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>007</text:p></table:table-cell>"
        "<table:table-cell office:value-type=\"date\" office:date-value=\"2021-05-04\"><text:p>04/05/21</text:p>"
        "</table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    sink = io.BytesIO()
    with zipfile.ZipFile(sink, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    table = read_workbook(sink.getvalue())
    assert table.report.file_format == "ods"
    assert _cells(table, "id") == ["007"] and _cells(table, "joined") == ["2021-05-04"]


def test_a_zip_without_a_workbook_is_refused() -> None:
    sink = io.BytesIO()
    with zipfile.ZipFile(sink, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(SegmentationError) as error:
        load(sink.getvalue())
    assert error.value.code == "workbook-unreadable"


def test_an_empty_sheet_chosen_by_name_is_refused() -> None:
    def build(book):
        book.add_worksheet("Empty")
        table_sheet(book, "Data", customers(3))

    with pytest.raises(SegmentationError) as error:
        read_workbook(xlsx(build), sheet="Empty")
    assert error.value.code == "no-header"
    assert read_workbook(xlsx(build)).report.cell_kinds["age"].tolist().count(EMPTY) == 0
