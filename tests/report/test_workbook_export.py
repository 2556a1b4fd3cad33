"""The labeled workbook read back: every value with its kind, text never a formula, dates as dates."""

from __future__ import annotations

import datetime as dt

import pytest
from python_calamine import CalamineWorkbook

from segmentation import Settings, cli, load, segment
from segmentation.io.synthetic import customers_to_csv_bytes, generate_customers
from segmentation.io.workbook import read_workbook
from segmentation.report.workbook import CUSTOMERS, SUMMARY
from tests.workbooks import customers, table_sheet, xlsx


def _rows(data: bytes, sheet: str) -> list[list]:
    import io

    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(sheet).to_python()


@pytest.fixture(scope="module")
def from_workbook():
    rows = customers(90)
    rows[1][0] = '=HYPERLINK("http://x","click")'
    rows[2][0] = "@SUM(A1)"
    data = xlsx(lambda book: table_sheet(book, "S", rows))
    run = segment(load(data), Settings(n_clusters=3))
    return rows, run, run.labeled_workbook(per_segment=True)


def test_every_value_reads_back_with_its_kind(from_workbook) -> None:
    rows, run, data = from_workbook
    written = _rows(data, CUSTOMERS)
    assert written[0] == [*rows[0], "segment", "segment_name"]
    for original, back in zip(rows[1:], written[1:], strict=True):
        assert back[0] == original[0]  # text exactly, formulas as text
        assert back[1] == float(original[1]) and back[2] == original[2] and back[3] == float(original[3])
        assert back[4] == original[4]
        assert back[5] == original[5].date()  # a date cell again
    segments = [row[6] for row in written[1:]]
    assert segments == [float(s) for s in run.result.segments]
    assert [row[7] for row in written[1:]] == [run.names[int(s)] for s in run.result.segments]


def test_input_text_is_never_written_as_a_formula(from_workbook) -> None:
    import io
    import zipfile

    _, _, data = from_workbook
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any(b"<f>" in sheet for sheet in sheets)


def test_summary_and_one_sheet_per_segment(from_workbook) -> None:
    _, run, data = from_workbook
    names = CalamineWorkbook.from_filelike(__import__("io").BytesIO(data)).sheet_names
    assert names[:2] == [CUSTOMERS, SUMMARY] and len(names) == 2 + run.result.n_clusters
    summary = _rows(data, SUMMARY)
    assert summary[0][:4] == ["segment", "name", "size", "share"]
    assert sum(row[2] for row in summary[1:]) == run.report.n_usable
    for number, sheet in enumerate(names[2:], start=1):
        assert len(_rows(data, sheet)) - 1 == int((run.result.segments == number).sum())


def test_read_back_gives_the_same_exact_text_table(from_workbook) -> None:
    _, run, data = from_workbook
    back = read_workbook(data)
    for column in run.dataset.raw.columns:
        assert back.raw[column].tolist() == run.dataset.raw[column].tolist()


def test_csv_input_keeps_its_text_and_gets_numbers_and_dates() -> None:
    csv = b"id,amount,code,joined,note\n0042,12.5,007,2023-01-15,=1+1\n0043,3,8,2023-02-01,hi\n"
    run = segment(load(csv), Settings(n_clusters=2))
    written = _rows(run.labeled_workbook(), CUSTOMERS)
    assert written[1][:5] == ["0042", 12.5, "007", dt.date(2023, 1, 15), "=1+1"]
    assert written[2][:5] == ["0043", 3.0, 8.0, dt.date(2023, 2, 1), "hi"]


def test_cli_writes_a_workbook(tmp_path) -> None:
    source = tmp_path / "customers.csv"
    source.write_bytes(customers_to_csv_bytes(generate_customers(200, seed=8)))
    out = tmp_path / "labeled.xlsx"
    assert cli.main(["segment", str(source), "-k", "3", "-o", str(out), "--sheet-per-segment"]) == 0
    names = CalamineWorkbook.from_path(str(out)).sheet_names
    assert names[:2] == [CUSTOMERS, SUMMARY] and len(names) == 5
    assert len(_rows(out.read_bytes(), CUSTOMERS)) == 201


def test_cli_reads_the_chosen_sheet_and_refuses_a_missing_one(tmp_path, capsys) -> None:
    def build(book):
        table_sheet(book, "Other", [["a", "b"], ["x", "y"]])
        table_sheet(book, "Customers", customers(80))

    source = tmp_path / "book.xlsx"
    source.write_bytes(xlsx(build))
    out = tmp_path / "labeled.csv"
    assert cli.main(["segment", str(source), "--sheet", "Customers", "-k", "2", "-o", str(out)]) == 0
    assert "sheet 'Customers' (as chosen" in capsys.readouterr().out
    assert cli.main(["segment", str(source), "--sheet", "Nope", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no sheet named 'Nope'" in err
    csv = tmp_path / "plain.csv"
    csv.write_bytes(b"a,b\n1,2\n3,4\n")
    assert cli.main(["segment", str(csv), "--sheet", "X", "-o", str(out)]) == 2
    assert "--sheet is for workbook input" in capsys.readouterr().err
