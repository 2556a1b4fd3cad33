"""The labeled CSV gives back every input row and cell, plus the segment, end to end."""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

import numpy as np
import pytest

from segmentation import load
from segmentation.io.synthetic import customers_to_csv_bytes, generate_customers
from segmentation.model.analysis import Settings, segment
from tests.fixtures import DATASETS

DATASET_FILES = sorted(DATASETS.rglob("*.csv")) if DATASETS.is_dir() else []
APPENDED = ["segment", "segment_name"]

# Independent restatement of the formula guard: a cell starting with = + - @ tab or CR is
# prefixed with ' unless it is a plain decimal number such as -2, +7, -3.5 or -2964,7.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?")


def guarded(cell: str) -> str:
    if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


# Encodings documented in SOURCES.md (what an independent look at the bytes finds).
KNOWN_ENCODINGS = {
    "Base_cliente.csv": "UTF-8 with BOM",
    "ClientesBanco.csv": "Windows-1252 (Western European)",
    "sales_data_sample.csv": "DOS 850 (Western European)",
    "Mall_Customers.csv": "UTF-8",
    "marketing_campaign.csv": "UTF-8",
}
_CODECS = {
    "UTF-8 with BOM": "utf-8-sig",
    "UTF-8": "utf-8",
    "UTF-16": "utf-16",
    "Windows-1252 (Western European)": "cp1252",
    "DOS 850 (Western European)": "cp850",
}


def read_independently(path: Path, encoding: str, delimiter: str) -> list[list[str]]:
    """The file's records with Python's csv module (blank lines are not records)."""
    codec = codecs.lookup(_CODECS.get(encoding, encoding)).name  # a real Python codec, or LookupError
    text = path.read_bytes().decode(codec)
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if row]


def read_labeled(data: bytes, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=delimiter))


def check_labeled(
    rows_in: list[list[str]], rows_out: list[list[str]], run, *, excluded_ok: bool = False
) -> int:
    """Assert the labeled rows are the input rows plus segment columns; return guarded-cell count."""
    header_in, body_in = rows_in[0], rows_in[1:]
    header_out, body_out = rows_out[0], rows_out[1:]
    width = len(header_in)
    assert len(body_out) == len(body_in)
    notes = any(run.data.row_notes)
    assert header_out == [guarded(h) for h in header_in] + APPENDED + (["segment_note"] if notes else [])
    names = run.names
    guarded_cells = 0
    for line, (row_in, row_out) in enumerate(zip(body_in, body_out, strict=False), start=2):
        assert len(row_out) == len(header_out), f"line {line}"
        expected = [guarded(c) for c in row_in]
        guarded_cells += sum(e != c for e, c in zip(expected, row_in, strict=False))
        assert row_out[:width] == expected, f"line {line}"
        seg, name = row_out[width], row_out[width + 1]
        if seg:
            assert 1 <= int(seg) <= run.result.n_clusters
            assert name == guarded(names[int(seg)])
            if notes:  # a segmented row has a note only when it was held out of the fit as extreme
                assert row_out[width + 2] == run.data.row_notes[line - 2]
                assert row_out[width + 2] == "" or row_out[width + 2].startswith("extreme value in")
        else:
            assert excluded_ok, f"line {line} has no segment"
            assert name == "" and row_out[width + 2].startswith("not segmented")
    return guarded_cells


@pytest.mark.datasets
@pytest.mark.parametrize("path", DATASET_FILES, ids=lambda p: str(p.relative_to(DATASETS)))
def test_real_file_round_trip(path: Path) -> None:
    dataset = load(path)
    report = dataset.read_report
    if path.name in KNOWN_ENCODINGS and path.parent == DATASETS:
        assert report.encoding == KNOWN_ENCODINGS[path.name]
    rows_in = read_independently(path, report.encoding, report.delimiter)
    assert not report.renamed_columns and not report.ragged_lines  # true for these files
    # dataset.raw itself matches the independent read.
    assert list(dataset.raw.columns) == rows_in[0]
    assert dataset.raw.astype(object).values.tolist() == rows_in[1:]

    run = segment(dataset)
    rows_out = read_labeled(run.labeled_csv(), report.delimiter)
    check_labeled(rows_in, rows_out, run)
    assert (run.result.segments > 0).all()  # impute policy: every row segmented
    # Segment numbers follow the model's row order, i.e. input order.
    np.testing.assert_array_equal([int(r[len(rows_in[0])]) for r in rows_out[1:]], run.result.segments)


def test_datasets_present_or_skipped() -> None:
    if not DATASET_FILES:
        pytest.skip(f"shared datasets not found at {DATASETS}; the datasets round trip did not run")
    assert any(p.name == "Mall_Customers.csv" for p in DATASET_FILES)


@pytest.mark.datasets
def test_mall_customers_exact_text() -> None:
    path = DATASETS / "Mall_Customers.csv"
    if not path.exists():
        pytest.skip(f"shared dataset not found: {path}")
    with open(path, newline="", encoding="ascii") as handle:
        rows_in = list(csv.reader(handle))
    assert [r[0] for r in rows_in[1:]] == [f"{i:04d}" for i in range(1, 201)]
    run = segment(load(path))
    rows_out = read_labeled(run.labeled_csv(), ",")
    assert check_labeled(rows_in, rows_out, run) == 0
    assert [r[0] for r in rows_out[1:]] == [f"{i:04d}" for i in range(1, 201)]  # leading zeros kept
    assert rows_out[0] == rows_in[0] + APPENDED


@pytest.mark.datasets
def test_exclude_policy_on_real_gaps() -> None:
    path = DATASETS / "marketing_campaign.csv"
    if not path.exists():
        pytest.skip(f"shared dataset not found: {path}")
    dataset = load(path)
    run = segment(dataset, Settings(missing="exclude"))
    rows_in = read_independently(path, dataset.read_report.encoding, "\t")
    rows_out = read_labeled(run.labeled_csv(), "\t")
    check_labeled(rows_in, rows_out, run, excluded_ok=True)
    income = rows_in[0].index("Income")
    gaps = [i for i, row in enumerate(rows_in[1:]) if not row[income].strip()]
    assert gaps, "the file is known to have empty Income cells"
    width = len(rows_in[0])
    for i in gaps:
        assert rows_out[1 + i][width] == ""
        assert "Income" in rows_out[1 + i][width + 2]
    assert sum(1 for r in rows_out[1:] if r[width] == "") == len(gaps)


def _seed_csv_with_gaps() -> bytes:
    frame = generate_customers(120, seed=9, personas=3).astype(str)
    frame.loc[[0, 50], "age"] = ""
    frame.loc[[7], "product_category"] = ""
    frame.loc[[99], list(frame.columns[1:])] = ""  # no feature value at all
    return customers_to_csv_bytes(frame)


@pytest.mark.parametrize("missing", ["impute", "exclude"])
def test_missing_policies_keep_every_row(missing: str, tmp_path: Path) -> None:
    data = _seed_csv_with_gaps()
    path = tmp_path / "gaps.csv"
    path.write_bytes(data)
    run = segment(load(path), Settings(missing=missing))
    rows_in = read_independently(path, "UTF-8", ",")
    rows_out = read_labeled(run.labeled_csv(), ",")
    check_labeled(rows_in, rows_out, run, excluded_ok=True)
    width = len(rows_in[0])
    empty = {i for i, r in enumerate(rows_out[1:]) if r[width] == ""}
    assert empty == ({0, 7, 50, 99} if missing == "exclude" else {99})
    assert rows_out[0][-1] == "segment_note"
    if missing == "exclude":
        assert rows_out[1][width + 2] == "not segmented: missing age"
        assert "product_category" in rows_out[8][width + 2]
    else:
        assert rows_out[1][width + 2] == ""  # imputed rows are segmented and carry no note
    assert rows_out[100][width + 2] == "not segmented: no value in any feature column"


def test_only_some_categories_still_four_onehot_columns() -> None:
    frame = generate_customers(100, seed=4, personas=2)
    frame["product_category"] = np.where(np.arange(100) < 70, "electronics", "beauty")
    run = segment(load(customers_to_csv_bytes(frame)))
    names = run.result.encoded_names
    for category in ("electronics", "fashion", "home_goods", "beauty"):
        assert f"product_category_{category}" in names
    assert list(run.profiles.category_mix["product_category"].columns) == [
        "electronics",
        "fashion",
        "home_goods",
        "beauty",
    ]


def test_formula_injection_end_to_end(tmp_path: Path) -> None:
    lines = ['name,=evil,income,score']
    specials = ['=HYPERLINK("http://x.example","click")', "+1", "@SUM(A1)", "-2"]
    rng = np.random.default_rng(0)
    for i in range(40):
        label = specials[i % 4] if i < 8 else f"c{i}"
        inj = specials[(i + 1) % 4]
        lines.append(
            f'"{label.replace(chr(34), chr(34) * 2)}","{inj.replace(chr(34), chr(34) * 2)}",'
            f"{rng.integers(10, 100)},{'-2' if i == 3 else rng.integers(1, 100)}"
        )
    path = tmp_path / "evil.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode())
    run = segment(load(path), Settings(n_clusters=3))
    rows_in = read_independently(path, "UTF-8", ",")
    rows_out = read_labeled(run.labeled_csv(), ",")
    check_labeled(rows_in, rows_out, run)
    assert rows_out[0][:4] == ["name", "'=evil", "income", "score"]
    assert rows_out[1][0] == "'" + specials[0]
    assert rows_out[2][0] == "+1"  # a plain number, left alone like -2 (see export's guard rule)
    assert rows_out[3][0] == "'@SUM(A1)"
    assert rows_out[4][0] == "-2"  # a negative number is data
    assert rows_out[4][3] == "-2"
    raw_text = run.labeled_csv().decode("utf-8")
    assert "\n=" not in raw_text and ',"=' not in raw_text and ',=' not in raw_text


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["no-bom", "bom"])
@pytest.mark.parametrize(
    "header",
    [
        ["id", "", "age", "income"],  # an empty header cell
        ["id", "age", "age", "income"],  # a duplicate name
        [" id ", "age ", "\tincome", "  "],  # whitespace-padded cells
        ["id", "\ufeffage", "income", "\ufeff"],  # a BOM character inside a cell is data
    ],
    ids=["empty", "duplicate", "padded", "bom-cell"],
)
def test_header_cells_come_back_exactly_in_the_labeled_csv(header: list[str], bom: bytes) -> None:
    rng = np.random.default_rng(0)
    body = [[f"{i:04d}", *(str(v) for v in rng.integers(18, 90, size=len(header) - 1))] for i in range(40)]
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *body])
    dataset = load(bom + buffer.getvalue().encode("utf-8"))
    assert list(dataset.read_report.header) == header
    run = segment(dataset, Settings(n_clusters=2))
    rows_out = read_labeled(run.labeled_csv(), ",")
    assert rows_out[0][: len(header)] == [guarded(cell) for cell in header]
    assert [row[: len(header)] for row in rows_out[1:]] == body


def test_a_bom_character_starting_the_first_header_cell_survives_the_files_bom() -> None:
    data = b"\xef\xbb\xbf" + "\ufeffid,age\r\n1,30\r\n2,40\r\n3,50\r\n".encode("utf-8")
    dataset = load(data)
    assert dataset.read_report.encoding == "UTF-8 with BOM"
    assert dataset.read_report.header == ("\ufeffid", "age")
    rows_out = read_labeled(segment(dataset, Settings(n_clusters=2, features=("age",))).labeled_csv(), ",")
    assert rows_out[0][:2] == ["\ufeffid", "age"]
