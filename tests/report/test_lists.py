"""Customer lists per segment: each file is the labeled CSV of its rows; together they hold every row once.

Files are read back with Python's csv module and compared cell by cell with
the input as read (the formula guard applied by an independent rule).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

import numpy as np
import pytest

from segmentation import Settings, load, segment
from segmentation.report.lists import (
    NOT_SEGMENTED,
    rows_csv,
    segment_csv,
    segment_file_name,
    segments_zip,
    write_segment_files,
)

N_ROWS = 120


def expected_guard(cell: str) -> str:
    number = re.fullmatch(r"[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)([eE][+-]?[0-9]+)?", cell)
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not number else cell


def tricky_csv(delimiter: str = ";") -> bytes:
    """Three groups; cells with formulas, quotes, delimiters and line breaks; some rows with gaps."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["id", "=income", "visits", "note;here", "tier"])
    for i in range(N_ROWS):
        group = i % 3
        income = "" if i % 17 == 5 else str(20 + 40 * group + i % 5)
        note = ["=HYPERLINK(\"x\")", 'say "hi"; ok', "two\nlines", "-A1", "+7"][i % 5]
        writer.writerow(
            [f"C{i:04d}", income, str(2 + 5 * group + i % 2), note, ("gold", "silver", "bronze")[group]]
        )
    return out.getvalue().encode()


def read_rows(data: bytes, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=delimiter))


@pytest.fixture(scope="module")
def run():
    # Rows with a gap are left unsegmented, so the rows not segmented get their own file.
    return segment(load(tricky_csv()), Settings(n_clusters=3, missing="exclude"))


def input_rows(run) -> list[list[str]]:
    return [[expected_guard(cell) for cell in row] for row in run.dataset.raw.itertuples(index=False)]


def test_the_zip_holds_every_input_row_once_cell_for_cell(run):
    archive = zipfile.ZipFile(io.BytesIO(segments_zip(run)))
    names = archive.namelist()
    assert len(names) == run.result.n_clusters + 1 and names[-1] == f"{NOT_SEGMENTED}.csv"
    header = [expected_guard(h) for h in run.dataset.read_report.header]
    width = len(header)
    seen: list[list[str]] = []
    for number, name in enumerate(names, start=1):
        rows = read_rows(archive.read(name), ";")
        assert rows[0][:width] == header
        assert rows[0][width : width + 2] == ["segment", "segment_name"]
        expected_number = "" if name.startswith(NOT_SEGMENTED) else str(number)
        expected_name = "" if not expected_number else run.names[number]
        for row in rows[1:]:
            assert row[width : width + 2] == [expected_number, expected_name]
            seen.append(row[:width])
    everything = input_rows(run)
    assert len(seen) == len(everything) == N_ROWS
    assert sorted(seen) == sorted(everything)
    assert not (run.result.segments > 0).all()  # the fixture does leave rows unsegmented


def test_one_segment_file_is_the_labeled_csv_of_its_rows(run):
    full = read_rows(run.labeled_csv(), ";")
    for number in range(run.result.n_clusters + 1):
        rows = read_rows(segment_csv(run, number), ";")
        members = np.flatnonzero(run.result.segments == number)
        expected = [full[0], *(full[1 + i] for i in members)]
        width = len(rows[0])
        assert rows == [row[:width] for row in expected]
        if number == 0:
            assert rows[0][-1] == "segment_note" and all(row[-1] for row in rows[1:])


def test_a_selection_is_its_rows_in_input_order_each_once(run):
    full = read_rows(run.labeled_csv(), ";")
    rows = read_rows(rows_csv(run, [40, 3, 3, 77]), ";")
    width = len(rows[0])
    assert rows == [full[0][:width], full[4][:width], full[41][:width], full[78][:width]]
    with pytest.raises(ValueError):
        rows_csv(run, [N_ROWS])


def test_a_comma_file_gives_comma_lists():
    run = segment(load(tricky_csv(",")), Settings(n_clusters=3))
    rows = read_rows(segment_csv(run, 1), ",")
    assert rows[0][:4] == ["id", "'=income", "visits", "note;here"]
    assert {len(row) for row in rows} == {7}


def test_edited_names_go_into_the_files_and_their_names(run):
    archive = zipfile.ZipFile(io.BytesIO(segments_zip(run, {2: "Loyal savers"})))
    assert archive.namelist()[1] == "02_loyal_savers.csv"
    rows = read_rows(archive.read("02_loyal_savers.csv"), ";")
    width = len(run.dataset.read_report.header)
    assert {row[width + 1] for row in rows[1:]} == {"Loyal savers"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("High income", "03_high_income.csv"),
        ("../../etc/passwd", "03_etc_passwd.csv"),
        ("Ältere Kunden, sehr treu", "03_altere_kunden_sehr_treu.csv"),
        ("<img src=x onerror=alert(1)>", "03_img_src_x_onerror_alert_1.csv"),
        ("Покупатели", "03_segment.csv"),
        ("", "03_segment.csv"),
    ],
)
def test_file_names_are_safe_on_every_system(name, expected):
    assert segment_file_name(3, name) == expected


def test_same_names_still_give_distinct_files(run):
    archive = zipfile.ZipFile(io.BytesIO(segments_zip(run, {1: "Same", 2: "Same", 3: "Same"})))
    assert len(set(archive.namelist())) == len(archive.namelist())


def test_write_segment_files_writes_the_zip_s_files(run, tmp_path):
    written = write_segment_files(run, tmp_path / "lists")
    archive = zipfile.ZipFile(io.BytesIO(segments_zip(run)))
    assert [p.name for p in written] == archive.namelist()
    for path in written:
        assert path.read_bytes() == archive.read(path.name)
