"""Tests for segmentation.prepare.columns: numbers, text, dates, sentinels and decimal commas."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from segmentation.prepare.columns import _padded, analyze_column, analyze_table
from segmentation.prepare.dataset import load


def column(values: list[str], *, delimiter: str = ",", name: str = "c"):
    return analyze_column(name, pd.Series(values, dtype="string"), delimiter=delimiter)


def as_list(values) -> list:
    """Floats with NaN as None, or text with NA as None."""
    if isinstance(values, np.ndarray):
        return [None if math.isnan(v) else float(v) for v in values]
    return [None if pd.isna(v) else v for v in values]


# --- numbers -------------------------------------------------------------------------


def test_plain_numbers_parsed_separately_from_raw_text() -> None:
    ds = load(b"id,income\n0001,007.50\n0002,1e3\n0003,-2\n")
    assert ds.raw["income"].tolist() == ["007.50", "1e3", "-2"]
    parsed = ds.columns["income"]
    assert parsed.info.kind == "numeric"
    assert as_list(parsed.values) == [7.5, 1000.0, -2.0]
    # The zero-padded IDs parse as numbers but the raw text keeps the zeros.
    assert ds.raw["id"].tolist() == ["0001", "0002", "0003"]
    assert as_list(ds.columns["id"].values) == [1.0, 2.0, 3.0]
    assert ds.columns["id"].info.integer_like is True


def test_decimal_commas_in_semicolon_file() -> None:
    ds = load(b"CD;Tempo;Receita\nT1;2964,7;10\nT2;891,5555556;20\nT3;12;30\nT4;-0,5;40\n")
    info = ds.columns["Tempo"].info
    assert info.kind == "numeric"
    assert info.decimal_comma is True
    assert info.n_missing == 0
    assert as_list(ds.columns["Tempo"].values) == [2964.7, 891.5555556, 12.0, -0.5]
    assert ds.raw["Tempo"].tolist() == ["2964,7", "891,5555556", "12", "-0,5"]
    assert ds.columns["Receita"].info.decimal_comma is False


@pytest.mark.parametrize(
    ("cells", "delimiter", "expected", "separator"),
    [
        # Dots group thousands where decimal commas show the column's convention.
        (["1.234,56", "12,5", "3", "2.500"], ";", [1234.56, 12.5, 3.0, 2500.0], "."),
        (["1.234.567", "12", "8"], ";", [1234567.0, 12.0, 8.0], "."),
        # No evidence either way: a dot is a decimal point, as before.
        (["1.234", "2.5", "999"], ";", [1.234, 2.5, 999.0], None),
        # "1,234" follows the decimal commas of the column.
        (["1,234", "1,5", "7"], ";", [1.234, 1.5, 7.0], None),
        # Commas group thousands where a decimal point (or a second group) shows it.
        (["1,234.56", "7", "1,234"], ";", [1234.56, 7.0, 1234.0], ","),
        # In a comma-separated file (quoted cells) a comma in a number can only group thousands.
        (["1,234.56", "7", "12,345", "1,000,000"], ",", [1234.56, 7.0, 12345.0, 1e6], ","),
    ],
)
def test_thousands_separators(cells, delimiter, expected, separator) -> None:
    parsed = column(cells, delimiter=delimiter)
    assert parsed.info.kind == "numeric"
    assert parsed.info.n_missing == 0
    assert as_list(parsed.values) == expected
    assert parsed.info.thousands_separator == separator


def test_mixed_conventions_leave_ambiguous_cells_unread() -> None:
    # Decimal commas and comma thousands in one column: only unambiguous readings are used.
    parsed = column(["1,5", "1,234.5"] + [str(i) for i in range(20)], delimiter=";")
    assert parsed.info.thousands_separator is None
    assert parsed.info.n_non_numeric == 1 and parsed.info.non_numeric_examples == [(3, "1,234.5")]


def test_thousands_separators_in_a_real_shaped_file_keep_the_raw_text() -> None:
    ds = load("Cliente;Renda;Idade\nA;1.234,56;30\nB;12.000,00;41\nC;950,10;25\n".encode("cp1252"))
    assert as_list(ds.columns["Renda"].values) == [1234.56, 12000.0, 950.1]
    assert ds.raw["Renda"].tolist() == ["1.234,56", "12.000,00", "950,10"]


def test_decimal_commas_not_accepted_in_comma_file() -> None:
    # In a comma-separated file "2964,7" can only come from a quoted field: it is not a number.
    info = column(["2964,7", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"], delimiter=",").info
    assert info.kind == "numeric"
    assert info.decimal_comma is False
    assert info.n_non_numeric == 1
    assert info.non_numeric_examples == [(2, "2964,7")]


def test_non_numeric_cells_in_numeric_column_reported_with_five_examples() -> None:
    values = [str(i) for i in range(1, 101)]
    bad = {3: "abc", 10: "12 kg", 20: "1.2.3", 30: "$5", 40: "x", 50: "y", 60: "z"}
    for row, value in bad.items():
        values[row] = value
    parsed = column(values)
    info = parsed.info
    assert info.kind == "numeric"
    assert info.n_non_numeric == 7
    # Line numbers count the header as line 1: row index 3 is on line 5.
    assert info.non_numeric_examples == [(5, "abc"), (12, "12 kg"), (22, "1.2.3"), (32, "$5"), (42, "x")]
    assert info.n_missing == 7
    assert math.isnan(parsed.values[3]) and parsed.values[4] == 5.0


def _bad_cell_lines(content: bytes) -> list[int]:
    info = load(content).columns["spend"].info
    return [line for line, _ in info.non_numeric_examples]


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r"])
def test_example_lines_point_into_the_file_after_blank_lines_and_multi_line_cells(ending: bytes) -> None:
    rows = [b"name,note,spend"] + [b"c%d,ok,%d" % (i, i) for i in range(1, 21)]
    rows[5] = b'c5,"two' + ending + b'lines",oops'  # a cell over two lines; the bad value is on line 6
    rows[12] = b"c12,ok,bad"  # row 11 (0-based): line 15 after the two-line cell and a blank line
    lines = [*rows[:8], b"", *rows[8:]]  # a blank line 10, after the row on line 9
    content = ending.join(lines) + ending + ending
    assert _bad_cell_lines(content) == [6, 15]
    assert load(content).columns["spend"].info.n_non_numeric == 2


def test_example_lines_are_row_plus_two_in_a_plain_file() -> None:
    content = b"name,spend\n" + b"".join(
        b"c%d,%s\n" % (i, b"x" if i in (3, 9) else b"%d" % i) for i in range(40)
    )
    assert _bad_cell_lines(content) == [5, 11]


@pytest.mark.slow
def test_example_lines_in_a_large_file_read_from_disk(tmp_path) -> None:
    # Over the size where Arrow reads the file itself, with a blank line before the bad cell.
    body = b"".join(b"C%07d,%d,%d\n" % (i, i % 90, i % 7) for i in range(1_100_000))
    path = tmp_path / "big.csv"
    path.write_bytes(b"id,spend,visits\n" + body[:1000] + b"\n" + body[1000:] + b"C9,n/a?,3\n")
    info = load(path).columns["spend"].info
    assert info.non_numeric_examples == [(1_100_000 + 3, "n/a?")]


def test_mostly_text_column_is_text() -> None:
    info = column(["a", "b", "1", "c", "2"]).info
    assert info.kind == "text"
    assert info.n_non_numeric == 0
    assert info.n_distinct == 5


def test_whitespace_around_numbers_is_ignored() -> None:
    parsed = column([" 1 ", "2\t", "  3"])
    assert parsed.info.kind == "numeric"
    assert as_list(parsed.values) == [1.0, 2.0, 3.0]


def test_nan_and_inf_text_are_not_numbers() -> None:
    parsed = column(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "inf", "NaN"])
    assert parsed.info.kind == "numeric"
    assert parsed.info.sentinels == {"NaN": 1}
    assert parsed.info.n_non_numeric == 1
    assert parsed.info.non_numeric_examples == [(12, "inf")]
    assert np.isfinite(parsed.values).sum() == 10


# --- missing values and sentinels -------------------------------------------------------


@pytest.mark.parametrize("sentinel", ["", "   ", "n/a", "N/A", "null", "NULL", "?", "-", "Não informado"])
def test_sentinels_are_missing_in_numeric_columns(sentinel: str) -> None:
    parsed = column(["10", sentinel, "30", "40"])
    info = parsed.info
    assert info.kind == "numeric"
    assert info.n_missing == 1
    assert info.n_non_numeric == 0
    if sentinel.strip():
        assert info.sentinels == {sentinel: 1}
        assert info.n_empty == 0
    else:
        assert info.n_empty == 1
    assert as_list(parsed.values) == [10.0, None, 30.0, 40.0]


@pytest.mark.parametrize(
    ("cells", "n_distinct", "integer_like"),
    [
        (["3", "1", "3", "2", "1"], 3, True),
        (["0", "-0", "0.0", "2.5"], 2, False),  # -0 and 0 are one value
        (["", "7", "", "7"], 1, True),  # gaps are not a value
        (["1e3", "1000", "999.5"], 2, False),
        (["42"], 1, True),
    ],
)
def test_numeric_distinct_values_and_integers(cells: list[str], n_distinct: int, integer_like: bool) -> None:
    info = column(cells).info
    assert info.kind == "numeric"
    assert info.n_distinct == n_distinct
    assert info.integer_like is integer_like


def test_numeric_distinct_count_on_a_large_column() -> None:
    rng = np.random.default_rng(0)
    values = rng.integers(0, 50_000, 200_000)
    info = column([str(v) for v in values]).info
    assert info.n_distinct == len(np.unique(values))
    assert info.constant is False and info.integer_like is True


@pytest.mark.parametrize(
    "values",
    [
        np.arange(1, 300_001, dtype=float),  # identifiers in file order
        np.arange(300_000, 0, -1, dtype=float),  # in reverse order
        np.random.default_rng(1).random(300_000),  # hardly any value repeats
        np.round(np.random.default_rng(2).lognormal(5, 0.6, 300_000), 2),  # amounts: some repeat
        np.r_[np.arange(1, 300_000, dtype=float), 7.0],  # increasing but for one repeat at the end
    ],
    ids=["increasing", "decreasing", "all-different", "amounts", "one-repeat"],
)
def test_numeric_distinct_count_whatever_the_order(values: np.ndarray) -> None:
    cells = [f"{v:.17g}" for v in values]
    cells[1000] = ""  # a gap is not a value, wherever it falls
    info = column(cells).info
    assert info.n_distinct == len(np.unique(np.delete(values, 1000)))


def chunked_text(chunks: list[list[str | None]]) -> pd.Series:
    """Text held in several Arrow chunks, as a large file's column is."""
    array = pa.chunked_array([pa.array(chunk, pa.large_string()) for chunk in chunks])
    return pd.Series(pd.arrays.ArrowStringArray(array))


@pytest.mark.parametrize(
    ("chunks", "n_distinct", "unique_per_row"),
    [
        ([["C001", "C002"], ["C003", "C004"]], 4, True),  # increasing across chunks
        ([["C004", "C003"], ["C002", "C001"]], 4, True),  # decreasing
        ([["C001", "C002"], ["C002", "C003"]], 3, False),  # a repeat across the chunk boundary
        ([["", "C001"], ["C002", "C003"]], 3, False),  # an empty cell sorts first: not an identifier
        ([["C001", None], ["C001", "C002"]], 2, False),  # a repeat either side of a missing cell
        ([["A", "B"], ["C", "n/a"]], 3, False),  # increasing, with a placeholder
    ],
)
def test_text_distinct_count_whatever_the_order(
    chunks: list[list[str | None]], n_distinct: int, unique_per_row: bool
) -> None:
    info = analyze_column("id", chunked_text(chunks)).info
    assert info.kind == "text"
    assert info.n_distinct == n_distinct
    assert info.unique_per_row is unique_per_row


@pytest.mark.parametrize("padding", [" ", "\t", "\n", "\r", "\f"])
@pytest.mark.parametrize("where", ["start", "end"])
def test_padded_text_is_trimmed_in_any_chunk(padding: str, where: str) -> None:
    padded = f"{padding}C004" if where == "start" else f"C004{padding}"
    parsed = analyze_column("id", chunked_text([["C001", "C002"], [None, "C003", padded, "C004"]]))
    assert as_list(parsed.values) == ["C001", "C002", None, "C003", "C004", "C004"]
    assert parsed.info.n_distinct == 4


@pytest.mark.parametrize("arrow_type", [pa.string(), pa.large_string()])
def test_padding_found_only_inside_a_slice(arrow_type: pa.DataType) -> None:
    # Slices share their parent's buffers: only the cells in the slice count.
    cells = pa.array([" outside", "a", None, "b c", "d ", "outside "], arrow_type)
    assert _padded(cells.slice(1, 3)) is False
    assert _padded(cells.slice(1, 4)) is True
    assert _padded(pa.chunked_array([cells.slice(1, 3), cells.slice(0, 1)])) is True
    assert _padded(pa.array([], arrow_type)) is False


def test_padding_found_in_string_views_too() -> None:
    assert _padded(pa.array(["a", "b "], pa.string_view())) is True
    assert _padded(pa.array(["a", None, "b c"], pa.string_view())) is False


def test_padding_in_a_missing_cells_bytes_is_ignored() -> None:
    # Arrow lets a null slot span bytes; they are not a cell's text.
    validity = pa.py_buffer(np.packbits([1, 0, 1], bitorder="little").tobytes())
    offsets = pa.py_buffer(np.array([0, 1, 3, 4], dtype=np.int32).tobytes())
    cells = pa.Array.from_buffers(pa.string(), 3, [validity, offsets, pa.py_buffer(b"a xb")], null_count=1)
    assert cells.to_pylist() == ["a", None, "b"]
    assert _padded(cells) is False


@pytest.mark.parametrize("sentinel", ["", "  ", "n/a", "null", "?", "-", "Não informado", "NAO INFORMADO"])
def test_sentinels_are_missing_in_text_columns(sentinel: str) -> None:
    parsed = column(["Graduate", sentinel, "PhD", "Graduate"])
    assert parsed.info.kind == "text"
    assert parsed.info.n_missing == 1
    assert as_list(parsed.values) == ["Graduate", None, "PhD", "Graduate"]
    assert parsed.info.n_distinct == 2


def test_na_is_real_data_in_text_column() -> None:
    parsed = column(["NA", "EMEA", "NA", "APAC", "Japan"])
    info = parsed.info
    assert info.kind == "text"
    assert info.n_missing == 0
    assert info.sentinels == {}
    assert as_list(parsed.values) == ["NA", "EMEA", "NA", "APAC", "Japan"]
    assert info.n_distinct == 4


def test_na_is_missing_in_numeric_column() -> None:
    parsed = column(["1", "NA", "3", "4"])
    assert parsed.info.kind == "numeric"
    assert parsed.info.sentinels == {"NA": 1}
    assert as_list(parsed.values) == [1.0, None, 3.0, 4.0]


def test_missing_counts_per_column() -> None:
    ds = load(b"a,b,c\n1,,x\n,n/a,y\n3,?,\n4,5,z\n")
    assert ds.columns["a"].info.n_missing == 1
    assert ds.columns["a"].info.n_empty == 1
    assert ds.columns["b"].info.n_missing == 3
    assert ds.columns["b"].info.sentinels == {"n/a": 1, "?": 1}
    assert ds.columns["c"].info.n_missing == 1
    assert ds.columns["c"].info.n_present == 3


def test_single_space_cells_make_a_numeric_column_with_gaps() -> None:
    # Telco's TotalCharges: a few " " cells must not turn the column into text.
    values = ["29.85", "1889.5", " ", "108.15", " "]
    parsed = column(values)
    assert parsed.info.kind == "numeric"
    assert parsed.info.n_empty == 2
    assert as_list(parsed.values) == [29.85, 1889.5, None, 108.15, None]


# --- kinds, constants, uniqueness ----------------------------------------------------------


def test_dates_detected() -> None:
    assert column(["04-09-2012", "08-03-2014", "21-08-2013"]).info.kind == "date"
    assert column(["2/24/2003 0:00", "5/7/2003 0:00", "7/1/2003 0:00"]).info.kind == "date"
    assert column(["2021-01-05", "2021-02-06T10:00:00"]).info.kind == "date"


def test_all_missing_column_is_empty() -> None:
    info = column(["", " ", "n/a"]).info
    assert info.kind == "empty"
    assert info.n_missing == 3


def test_constant_columns() -> None:
    assert column(["3", "3", "3"]).info.constant is True
    assert column(["x", "x", ""]).info.constant is True
    assert column(["3", "4", "3"]).info.constant is False


def test_unique_per_row() -> None:
    assert column(["C1", "C2", "C3"]).info.unique_per_row is True
    assert column(["C1", "C2", "C2"]).info.unique_per_row is False
    assert column(["C1", "C2", ""]).info.unique_per_row is False


def test_analyze_table_keeps_column_order_and_index() -> None:
    raw = pd.DataFrame({"b": ["1", "2"], "a": ["x", "y"]}, dtype="string")
    parsed = analyze_table(raw)
    assert list(parsed) == ["b", "a"]
    assert parsed["a"].values.index.tolist() == [0, 1]


def test_non_arrow_string_series_is_accepted() -> None:
    parsed = analyze_column("c", pd.Series(["1", "2", "3"], dtype=object))
    assert as_list(parsed.values) == [1.0, 2.0, 3.0]


@pytest.mark.parametrize(
    "dates",
    [
        ["11-Feb-17", "03-Mar-18", "28-Dec-19"],
        ["02/04/22", "13/04/22", "30/12/21"],
        ["2/24/2003 0:00", "5/7/2003 13:45", "12/1/2004 9:05"],
        ["2012-09-04", "2013-01-31", "2014-06-15"],
        ["2012-09-04T10:00:00Z", "2013-01-31 23:59:59", "2014-06-15T08:30:00+02:00"],
        ["04.09.2012", "31.01.2013", "15.06.2014"],
        ["11 Feb 2017", "3 March 2018", "28 Dec 2019"],
        ["Feb 11, 2017", "March 3, 2018", "Dec 28, 2019"],
        ["1/5/2020 1:05 PM", "2/6/2020 11:30 AM", "3/7/2021 12:00 PM"],
    ],
)
def test_dates_in_common_forms_are_dates(dates: list[str]) -> None:
    parsed = analyze_column("when", pd.Series(dates * 20, dtype="string"))
    assert parsed.info.kind == "date"


def test_text_with_numbers_and_dashes_is_not_a_date() -> None:
    parsed = analyze_column(
        "band", pd.Series(["Faixa 00 - Ate 4,5 M", "1-2 years", "A-12"] * 20, dtype="string")
    )
    assert parsed.info.kind == "text"
