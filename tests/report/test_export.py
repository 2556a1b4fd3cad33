"""Tests for segmentation.report.export.

CSV output is read back with Python's csv module (independent of the code
under test) and compared cell by cell as text.
"""

from __future__ import annotations

import csv
import io
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from segmentation.report.export import guard_formula, guard_header, labeled_csv, summary_csv

NAMES = {1: "Big spenders", 2: "Savers"}


def read_rows(data: bytes, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=delimiter))


def text_frame(columns: dict[str, list[str]]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(values, dtype="str") for name, values in columns.items()})


def expected_guard(cell: str) -> str:
    """Reference rule, written independently of the module under test."""
    number = re.fullmatch(r"[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)([eE][+-]?[0-9]+)?", cell)
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not number else cell


@pytest.fixture
def raw() -> pd.DataFrame:
    return text_frame(
        {
            "id": ["0001", "0002", "0003", "0004"],
            "name": ["Zoë Ångström", "multi\nline", "=1+2", ""],
            "amount": ["NA", "", "-5", "12,5"],
            "comment": ['say "hi", ok', "a;b", "crlf\r\nend", "  padded  "],
        }
    )


# --- guard_formula / guard_header -------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+A1", "'+A1"),
        ("-A1", "'-A1"),
        ("@x", "'@x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("+", "'+"),
        ("-", "'-"),
        ("-5\n", "'-5\n"),
        ("-1+1", "'-1+1"),
        ("-1,234.56", "'-1,234.56"),  # thousands separators are not "plain"
        ("-٣", "'-٣"),  # non-ASCII digit is not a plain number
        ("-5", "-5"),
        ("-3.5", "-3.5"),
        ("-2964,7", "-2964,7"),
        ("+7", "+7"),
        ("-1e5", "-1e5"),
        ("+.5", "+.5"),
        ("-12.", "-12."),
        ("plain text", "plain text"),
        ("a=b", "a=b"),
        (" =1", " =1"),
        ("", ""),
    ],
)
def test_guard_formula_cases(cell: str, expected: str) -> None:
    assert guard_formula(pd.Series([cell], dtype="str")).tolist() == [expected]
    assert guard_header([cell]) == [expected]


def test_guard_formula_keeps_index_name_dtype_and_input() -> None:
    values = pd.Series(["=a", "b", None, "-1"], index=[5, 5, 7, 7], name="col", dtype="str")
    before = values.copy()
    guarded = guard_formula(values)
    assert guarded.tolist()[:2] == ["'=a", "b"]
    assert pd.isna(guarded.iloc[2])
    assert guarded.iloc[3] == "-1"
    assert guarded.index.equals(values.index)
    assert guarded.name == "col"
    assert guarded.dtype == values.dtype
    pd.testing.assert_series_equal(values, before)  # input not modified


def test_guard_formula_object_and_non_text() -> None:
    mixed = pd.Series(["@x", 3, None, "ok"], dtype=object)
    assert guard_formula(mixed).tolist() == ["'@x", 3, None, "ok"]
    numbers = pd.Series([-1.5, 2.0])
    pd.testing.assert_series_equal(guard_formula(numbers), numbers)
    assert guard_formula(pd.Series([1.5, np.nan], dtype=object)).tolist()[0] == 1.5
    assert guard_formula(pd.Series(pd.Categorical(["=a", "b"]))).tolist() == ["'=a", "b"]


def test_guard_formula_large_column() -> None:
    values = pd.Series(np.where(np.arange(200_000) % 7 == 0, "=A1", "-42"), dtype="str")
    guarded = guard_formula(values)
    assert (guarded.iloc[::7] == "'=A1").all()
    assert (guarded[np.arange(200_000) % 7 != 0] == "-42").all()


def test_guard_header() -> None:
    assert guard_header(["=a", "-5", "name", "@b", "+x"]) == ["'=a", "-5", "name", "'@b", "'+x"]


# --- labeled_csv -------------------------------------------------------------------


def test_labeled_csv_round_trip(raw: pd.DataFrame) -> None:
    data = labeled_csv(raw, np.array([1, 0, 2, 1]), NAMES)
    rows = read_rows(data)
    assert rows[0] == ["id", "name", "amount", "comment", "segment", "segment_name"]
    assert len(rows) == 1 + len(raw)
    for row, (_, original) in zip(rows[1:], raw.iterrows(), strict=True):
        assert row[:4] == [expected_guard(cell) for cell in original]
    assert [row[1] for row in rows[1:]] == ["Zoë Ångström", "multi\nline", "'=1+2", ""]
    assert [row[0] for row in rows[1:]] == ["0001", "0002", "0003", "0004"]
    assert [row[4] for row in rows[1:]] == ["1", "", "2", "1"]
    assert [row[5] for row in rows[1:]] == ["Big spenders", "", "Savers", "Big spenders"]


def test_labeled_csv_is_utf8_with_newline_rows(raw: pd.DataFrame) -> None:
    data = labeled_csv(raw, np.array([1, 0, 2, 1]), NAMES)
    text = data.decode("utf-8")
    assert not text.startswith("\ufeff")
    assert text.endswith("\n")
    assert "Zoë Ångström".encode() in data
    # The only \r is the one inside the quoted "crlf\r\nend" cell.
    assert text.count("\r") == 1


def test_note_column_only_when_needed(raw: pd.DataFrame) -> None:
    segments = np.array([1, 0, 2, 1])
    for notes in (None, ["", "", "", ""], np.array([None, "", None, ""], dtype=object)):
        assert read_rows(labeled_csv(raw, segments, NAMES, notes=notes))[0][-1] == "segment_name"

    notes = np.array(["", "missing amount", "", ""])
    rows = read_rows(labeled_csv(raw, segments, NAMES, notes=notes))
    assert rows[0][-1] == "segment_note"
    assert [row[-1] for row in rows[1:]] == ["", "missing amount", "", ""]


def test_semicolon_delimiter(raw: pd.DataFrame) -> None:
    data = labeled_csv(raw, np.array([1, 0, 2, 1]), NAMES, delimiter=";")
    assert data.split(b"\n", 1)[0] == b'"id";"name";"amount";"comment";"segment";"segment_name"'
    rows = read_rows(data, delimiter=";")
    assert rows == read_rows(labeled_csv(raw, np.array([1, 0, 2, 1]), NAMES))
    assert rows[2][3] == "a;b"


def test_column_name_collision_gets_suffix() -> None:
    raw = text_frame({"segment": ["x", "y"], "segment_2": ["p", "q"], "segment_name": ["n", "m"]})
    notes = ["", "dropped"]
    rows = read_rows(labeled_csv(raw, np.array([2, 0]), NAMES, notes=notes))
    assert rows[0] == ["segment", "segment_2", "segment_name", "segment_3", "segment_name_2", "segment_note"]
    assert rows[1] == ["x", "p", "n", "2", "Savers", ""]
    assert rows[2] == ["y", "q", "m", "", "", "dropped"]


def test_duplicate_input_columns_are_kept() -> None:
    raw = pd.DataFrame([["a", "b"]], columns=["x", "x"]).astype("str")
    rows = read_rows(labeled_csv(raw, np.array([1]), NAMES))
    assert rows == [["x", "x", "segment", "segment_name"], ["a", "b", "1", "Big spenders"]]


def test_header_and_names_and_notes_are_guarded() -> None:
    raw = text_frame({"=cmd": ["1"], "@user": ["2"]})
    rows = read_rows(labeled_csv(raw, np.array([1]), {1: "=HYPERLINK(1)"}, notes=["+bad"]))
    assert rows[0][:2] == ["'=cmd", "'@user"]
    assert rows[1][3:] == ["'=HYPERLINK(1)", "'+bad"]


def test_all_rows_excluded_and_empty_input() -> None:
    raw = text_frame({"a": ["1", "2"]})
    rows = read_rows(labeled_csv(raw, np.zeros(2, dtype=int), {}, notes=["no data", "no data"]))
    assert rows[1:] == [["1", "", "", "no data"], ["2", "", "", "no data"]]

    empty = text_frame({"a": [], "b": []})
    rows = read_rows(labeled_csv(empty, np.array([], dtype=int), {}))
    assert rows == [["a", "b", "segment", "segment_name"]]


def test_object_columns_with_missing_values_are_empty_cells() -> None:
    raw = pd.DataFrame({"a": ["x", None], "b": pd.Series([None, None], dtype=object)})
    rows = read_rows(labeled_csv(raw, np.array([1, 1]), NAMES))
    assert rows[1:] == [["x", "", "1", "Big spenders"], ["", "", "1", "Big spenders"]]


@pytest.mark.parametrize(
    ("segments", "names", "error"),
    [
        (np.array([1, 2, 3]), NAMES, ValueError),  # wrong length
        (np.array([1, 3]), NAMES, ValueError),  # no name for 3
        (np.array([1, -1]), NAMES, ValueError),  # negative
        (np.array([1.0, 2.0]), NAMES, TypeError),  # not integers
    ],
)
def test_labeled_csv_rejects_bad_segments(segments: np.ndarray, names: dict[int, str], error: type) -> None:
    raw = text_frame({"a": ["1", "2"]})
    with pytest.raises(error):
        labeled_csv(raw, segments, names)


def test_labeled_csv_rejects_bad_notes_and_non_text() -> None:
    raw = text_frame({"a": ["1", "2"]})
    with pytest.raises(ValueError, match="notes"):
        labeled_csv(raw, np.array([1, 1]), NAMES, notes=["only one"])
    with pytest.raises(TypeError, match="text"):
        labeled_csv(pd.DataFrame({"a": [1, 2]}), np.array([1, 1]), NAMES)


# Any text but NUL (which spreadsheet CSV cannot carry anyway).
cells = st.text(
    alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=12
)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(
    data=st.lists(st.tuples(cells, cells, cells), min_size=0, max_size=15),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    seed=st.integers(0, 2**16),
)
def test_labeled_csv_round_trip_property(data: list[tuple[str, str, str]], delimiter: str, seed: int) -> None:
    raw = text_frame({name: [row[i] for row in data] for i, name in enumerate(["a", "b", "c"])})
    segments = np.random.default_rng(seed).integers(0, 3, size=len(data))
    rows = read_rows(labeled_csv(raw, segments, NAMES, delimiter=delimiter), delimiter=delimiter)
    assert rows[0] == ["a", "b", "c", "segment", "segment_name"]
    assert len(rows) == 1 + len(data)
    for row, original, segment in zip(rows[1:], data, segments, strict=True):
        assert row[:3] == [expected_guard(cell) for cell in original]
        assert row[3] == (str(segment) if segment else "")
        assert row[4] == NAMES.get(int(segment), "")


# --- summary_csv -------------------------------------------------------------------


def test_summary_csv_index_and_guard() -> None:
    table = pd.DataFrame(
        {"name": ["=bad", "ok"], "share": [0.25, -0.5], "count": [10, 30], "-x": ["-1", "@y"]},
        index=pd.Index([1, 2]),
    )
    rows = read_rows(summary_csv(table))
    assert rows == [
        ["segment", "name", "share", "count", "'-x"],
        ["1", "'=bad", "0.25", "10", "-1"],
        ["2", "ok", "-0.5", "30", "'@y"],
    ]


def test_summary_csv_named_index_delimiter_and_flat_columns() -> None:
    table = pd.DataFrame(
        [[50_000.5, 3], [72_000.0, 4]],
        index=pd.Index(["Savers", "+Spenders"], name="cluster"),
        columns=pd.MultiIndex.from_tuples([("income", "mean"), ("age", "median")]),
    )
    data = summary_csv(table, delimiter=";")
    rows = read_rows(data, delimiter=";")
    assert rows == [
        ["cluster", "income_mean", "age_median"],
        ["Savers", "50000.5", "3"],
        ["'+Spenders", "72000", "4"],
    ]


def test_summary_csv_object_and_categorical_cells() -> None:
    table = pd.DataFrame(
        {"mixed": np.array(["=x", 1.5], dtype=object), "cat": pd.Categorical(["@a", "b"])},
        index=pd.Index([1, 2], name="segment"),
    )
    rows = read_rows(summary_csv(table))
    assert rows[1:] == [["1", "'=x", "'@a"], ["2", "1.5", "b"]]


def test_sparse_segment_numbers() -> None:
    raw = text_frame({"a": ["1", "2", "3"]})
    rows = read_rows(labeled_csv(raw, np.array([1_000_000, 0, 7]), {7: "Seven", 1_000_000: "Million"}))
    assert rows[1:] == [["1", "1000000", "Million"], ["2", "", ""], ["3", "7", "Seven"]]


def test_given_header_is_written_instead_of_working_names() -> None:
    raw = text_frame({"a": ["1"], "a_2": ["2"], "column_3": ["3"], "segment": ["4"]})
    header = ["a", "a", "", "segment"]
    rows = read_rows(labeled_csv(raw, np.array([1]), NAMES, header=header))
    assert rows[0] == ["a", "a", "", "segment", "segment_2", "segment_name"]
    assert rows[1] == ["1", "2", "3", "4", "1", "Big spenders"]


def test_given_header_is_guarded_and_must_fit() -> None:
    raw = text_frame({"x": ["1"]})
    assert read_rows(labeled_csv(raw, np.array([1]), NAMES, header=["=x"]))[0][0] == "'=x"
    with pytest.raises(ValueError, match="header"):
        labeled_csv(raw, np.array([1]), NAMES, header=["x", "y"])
