"""Tests for segmentation.io.reader: bytes or path in, exact text cells and a ReadReport out."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from segmentation.io import reader
from segmentation.io.reader import detect_delimiter, read_csv
from segmentation.report.errors import SegmentationError


def cells(table) -> dict[str, list[str]]:
    return {name: table.raw[name].tolist() for name in table.raw.columns}


# --- sources -----------------------------------------------------------------


def test_reads_from_bytes_and_from_path_alike(tmp_path: Path) -> None:
    data = b"customer_id,age\r\nC1,34\r\nC2,51\r\n"
    path = tmp_path / "customers.csv"
    path.write_bytes(data)

    from_bytes = read_csv(data)
    from_path = read_csv(path)
    from_str_path = read_csv(str(path))

    for table in (from_bytes, from_path, from_str_path):
        assert cells(table) == {"customer_id": ["C1", "C2"], "age": ["34", "51"]}
        assert table.report.n_rows == 2
        assert table.report.n_columns == 2
    assert from_bytes.report == from_path.report


def test_reads_bytearray_and_memoryview() -> None:
    data = b"a,b\n1,2\n"
    assert cells(read_csv(bytearray(data))) == {"a": ["1"], "b": ["2"]}
    assert cells(read_csv(memoryview(data))) == {"a": ["1"], "b": ["2"]}


def test_missing_path_raises_segmentation_error(tmp_path: Path) -> None:
    with pytest.raises(SegmentationError, match="Cannot open"):
        read_csv(tmp_path / "nope.csv")


def test_file_over_size_limit_raises(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(b"a,b\n" + b"1,2\n" * 1000)
    with pytest.raises(SegmentationError, match="more than the limit"):
        read_csv(path, max_bytes=100)
    with pytest.raises(SegmentationError, match="more than the limit"):
        read_csv(path.read_bytes(), max_bytes=100)


# --- encodings ---------------------------------------------------------------


def test_utf8_detected_and_accents_kept() -> None:
    table = read_csv("nome,cidade\nJoão,São Paulo\n".encode())
    assert table.report.encoding == "UTF-8"
    assert cells(table) == {"nome": ["João"], "cidade": ["São Paulo"]}


def test_utf8_bom_stripped_from_first_header() -> None:
    table = read_csv(b"\xef\xbb\xbfChannel,Region\r\n2,3\r\n")
    assert table.report.encoding == "UTF-8 with BOM"
    assert list(table.raw.columns) == ["Channel", "Region"]
    assert cells(table) == {"Channel": ["2"], "Region": ["3"]}


def test_cp1252_fallback_keeps_accents() -> None:
    data = "Educação,Estado Civil,Limite\r\nNão informado,Casado,1438.3\r\nDoutorado,Solteiro,900\r\n"
    table = read_csv(data.encode("cp1252"))
    assert table.report.encoding == "Windows-1252 (Western European)"
    assert list(table.raw.columns) == ["Educação", "Estado Civil", "Limite"]
    assert table.raw["Educação"].tolist() == ["Não informado", "Doutorado"]


def test_latin1_only_bytes_fall_back_without_error() -> None:
    # 0x81 is undefined in cp1252; the file must still be read, not crash.
    data = b"name,x\nJos\xe9\x81,1\n"
    table = read_csv(data)
    # ISO-8859-15 reads these bytes as Latin-1 does.
    assert table.report.encoding in {
        "DOS 850 (Western European)",
        "ISO-8859-1 (Latin-1)",
        "ISO-8859-15 (Western European with €)",
    }
    assert table.raw["x"].tolist() == ["1"]
    assert table.report.n_rows == 1


def test_cp850_file_gets_cp850_not_latin1() -> None:
    data = "ADDRESS,CITY\nBerguvsvägen  8,Luleå\nRambla de Cataluña 23,Barcelona\n".encode("cp850")
    table = read_csv(data)
    assert table.report.encoding == "DOS 850 (Western European)"
    assert table.raw["ADDRESS"].tolist() == ["Berguvsvägen  8", "Rambla de Cataluña 23"]
    assert table.raw["CITY"].tolist() == ["Luleå", "Barcelona"]


def test_utf16_with_bom_is_decoded() -> None:
    table = read_csv("a;b\r\n1;2\r\n".encode("utf-16"))
    assert table.report.encoding == "UTF-16"
    assert cells(table) == {"a": ["1"], "b": ["2"]}


# --- delimiters ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("delimiter", "name"), [(",", "comma"), (";", "semicolon"), ("\t", "tab"), ("|", "pipe")]
)
def test_delimiter_detected(delimiter: str, name: str) -> None:
    rows = [["id", "age", "city"], ["1", "30", "Lyon"], ["2", "41", "Paris"], ["3", "25", "Nice"]]
    data = "\n".join(delimiter.join(row) for row in rows).encode() + b"\n"
    table = read_csv(data)
    assert table.report.delimiter == delimiter
    assert table.report.delimiter_name == name
    assert cells(table) == {
        "id": ["1", "2", "3"],
        "age": ["30", "41", "25"],
        "city": ["Lyon", "Paris", "Nice"],
    }


def test_semicolon_with_commas_inside_values_is_still_semicolon() -> None:
    data = b"CD;FAIXA;T\nT1;Faixa 00 - Ate 4,5 M;2964,7\nT2;Faixa 02 - De 4,5 M ate 15 M;12\n"
    assert detect_delimiter(data.decode()) == ";"
    table = read_csv(data)
    assert table.report.delimiter == ";"
    assert table.raw["FAIXA"].tolist() == ["Faixa 00 - Ate 4,5 M", "Faixa 02 - De 4,5 M ate 15 M"]
    # The decimal comma is kept as written in the raw text.
    assert table.raw["T"].tolist() == ["2964,7", "12"]


def test_quoted_fields_with_embedded_delimiters_and_quotes() -> None:
    data = (
        b'CUSTOMERNAME,ADDRESS,NOTE\n'
        b'"Australian Collectors, Co.","25, rue Lauriston","said ""hi"""\n'
        b'Plain Co,Main St 1,\n'
    )
    table = read_csv(data)
    assert table.report.delimiter == ","
    assert table.report.quoted_fields is True
    assert cells(table) == {
        "CUSTOMERNAME": ["Australian Collectors, Co.", "Plain Co"],
        "ADDRESS": ["25, rue Lauriston", "Main St 1"],
        "NOTE": ['said "hi"', ""],
    }


def test_quoted_field_with_newline_inside() -> None:
    table = read_csv(b'id,comment\n1,"two\nlines"\n2,one\n')
    assert table.raw["comment"].tolist() == ["two\nlines", "one"]
    assert table.report.n_rows == 2


def test_unquoted_file_reports_no_quotes() -> None:
    assert read_csv(b"a,b\n1,2\n").report.quoted_fields is False


# --- line endings ----------------------------------------------------------------


@pytest.mark.parametrize(("newline", "expected"), [(b"\r\n", "CRLF"), (b"\n", "LF"), (b"\r", "CR")])
@pytest.mark.parametrize("delimiter", [b",", b";", b"\t", b"|"])
@pytest.mark.parametrize("final", [True, False])
def test_line_endings_detected_and_not_left_in_cells(
    newline: bytes, expected: str, delimiter: bytes, final: bool
) -> None:
    # CR-only is what Excel for Mac used to write ("CSV (Macintosh)").
    lines = [b"a|b|c", b"1|2|x y", b"3|4|z"]
    data = newline.join(line.replace(b"|", delimiter) for line in lines) + (newline if final else b"")
    table = read_csv(data)
    assert table.report.line_ending == expected
    assert table.report.delimiter == delimiter.decode()
    assert table.report.final_newline is final
    assert cells(table) == {"a": ["1", "3"], "b": ["2", "4"], "c": ["x y", "z"]}


def test_missing_final_newline_detected_and_last_row_kept() -> None:
    table = read_csv(b"CustomerID,Genre\r\n0001,Male\r\n0200,Female")
    assert table.report.final_newline is False
    assert table.report.line_ending == "CRLF"
    assert cells(table) == {"CustomerID": ["0001", "0200"], "Genre": ["Male", "Female"]}
    assert any("no final newline" in line for line in table.report.describe())


def test_describe_mentions_detected_facts() -> None:
    table = read_csv(b"\xef\xbb\xbfa;b\r\n1;2\r\n")
    text = " ".join(table.report.describe())
    assert "1 rows × 2 columns" in text
    assert "UTF-8 with BOM" in text
    assert "semicolon-separated" in text
    assert "CRLF" in text
    assert "no final newline" not in text


# --- exact text ------------------------------------------------------------------


def test_cells_kept_exactly_as_text() -> None:
    data = b"id,territory,income,note,blank\n0001,NA,007.50, padded ,\n0002,EMEA,1e3,n/a,\n"
    table = read_csv(data)
    assert cells(table) == {
        "id": ["0001", "0002"],
        "territory": ["NA", "EMEA"],
        "income": ["007.50", "1e3"],
        "note": [" padded ", "n/a"],
        "blank": ["", ""],
    }
    for name in table.raw.columns:
        assert isinstance(table.raw[name].dtype, pd.StringDtype)
        assert not table.raw[name].isna().any()


def test_leading_blank_line_before_header_is_skipped() -> None:
    # A real copy of marketing_campaign.csv starts with an empty line.
    table = read_csv(b"\r\nID\tIncome\r\n1\t100\r\n2\t200\r\n")
    assert list(table.raw.columns) == ["ID", "Income"]
    assert cells(table) == {"ID": ["1", "2"], "Income": ["100", "200"]}
    assert table.report.n_rows == 2


def test_leading_blank_line_with_ragged_rows_is_skipped() -> None:
    table = read_csv(b"\na,b\n1,2\n3\n")
    assert cells(table) == {"a": ["1", "3"], "b": ["2", ""]}


def test_quoted_header_spanning_two_lines() -> None:
    table = read_csv(b'"first\nname",b\n1,2\n3,4\n')
    assert list(table.raw.columns) == ["first\nname", "b"]
    assert cells(table) == {"first\nname": ["1", "3"], "b": ["2", "4"]}


# --- headers and ragged rows ------------------------------------------------------


def test_duplicate_and_blank_headers_get_working_names_and_keep_the_original() -> None:
    table = read_csv(b"a,a,,b\n1,2,3,4\n")
    assert list(table.raw.columns) == ["a", "a_2", "column_3", "b"]
    assert table.report.renamed_columns == {"a": "a_2", "": "column_3"}
    assert table.raw["a_2"].tolist() == ["2"]
    assert table.report.header == ("a", "a", "", "b")


def test_ragged_rows_padded_and_extra_fields_kept() -> None:
    table = read_csv(b"a,b,c\n1,2,3\n4,5\n6,7,8,9\n")
    assert cells(table) == {
        "a": ["1", "4", "6"],
        "b": ["2", "5", "7"],
        "c": ["3", "", "8"],
        "extra_column_1": ["", "", "9"],
    }
    assert table.report.ragged_lines == (3, 4)
    assert table.report.n_rows == 3


# --- failures -----------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", b"\n"])
def test_empty_file_raises(data: bytes) -> None:
    with pytest.raises(SegmentationError, match="empty"):
        read_csv(data)


@pytest.mark.parametrize("data", [b"a,b,c\r\n", b"a,b,c", b"\xef\xbb\xbfa;b\r\n\r\n"])
def test_header_only_raises(data: bytes) -> None:
    with pytest.raises(SegmentationError, match="header row but no customer rows"):
        read_csv(data)


def test_header_without_names_raises() -> None:
    with pytest.raises(SegmentationError, match="no header row"):
        read_csv(b",,\n1,2,3\n")


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01\x02\x03binary\x00\x00\xff\xfe" * 50,
        bytes(range(256)) * 20,
        b"a,b\n1,\x00\x002\n",
    ],
)
def test_binary_content_raises(data: bytes) -> None:
    with pytest.raises(SegmentationError, match="binary"):
        read_csv(data)


def test_utf16_without_a_bom_is_read_not_called_binary() -> None:
    table = read_csv("a,b\n1,2\n".encode("utf-16-le"))
    assert (table.report.encoding, table.raw.values.tolist()) == ("UTF-16 LE", [["1", "2"]])


@pytest.mark.parametrize("magic", [b"PK\x03\x04", b"\xd0\xcf\x11\xe0"])
def test_excel_workbook_raises_with_advice(magic: bytes) -> None:
    with pytest.raises(SegmentationError, match="Excel"):
        read_csv(magic + b"\x00" * 100)


def test_extra_fields_never_reuse_a_header_name() -> None:
    table = read_csv(b"a,extra_column_1\n1,2,3\n4,5\n")
    assert list(table.raw.columns) == ["a", "extra_column_1", "extra_column_2"]
    assert cells(table) == {"a": ["1", "4"], "extra_column_1": ["2", "5"], "extra_column_2": ["3", ""]}


def test_never_closed_quote_over_field_limit_raises_segmentation_error() -> None:
    # A short row sends the file to the csv-module path, whose cells are limited to 128 KiB.
    data = b'a,b\n1\n3,"' + b"x" * 200_000 + b"\n4,5\n"
    with pytest.raises(SegmentationError, match="quote"):
        read_csv(data)


@pytest.mark.parametrize(
    "content",
    [
        "id,income,city\n0001,52000,Lisboa\n0002,,\"Porto, PT\"\n0003,61000,\"multi\nline\"\n",
        "\ufeffid;income\n0001;2964,7\n0002;n/a\n",
        "id,income\n1,2\n3\n4,5\n",  # ragged: Arrow refuses, the careful parser pads
    ],
)
def test_large_files_read_by_path_give_what_the_bytes_give(tmp_path, monkeypatch, content):
    """Large files are handed to Arrow by path (never held whole); the result must not differ."""
    path = tmp_path / "customers.csv"
    path.write_bytes(content.encode("utf-8"))
    monkeypatch.setattr(reader, "_LARGE_FILE", 0)
    by_path = reader.read_csv(path)
    by_bytes = reader.read_csv(content.encode("utf-8"))
    pd.testing.assert_frame_equal(by_path.raw, by_bytes.raw)
    assert by_path.report == by_bytes.report


def test_large_non_utf8_file_by_path_falls_back_to_legacy_decoding(tmp_path, monkeypatch):
    path = tmp_path / "clientes.csv"
    path.write_bytes("Educação,Idade\nNão informado,45\n".encode("cp1252"))
    monkeypatch.setattr(reader, "_LARGE_FILE", 0)
    table = reader.read_csv(path)
    assert table.report.encoding == "Windows-1252 (Western European)"
    assert list(table.raw.columns) == ["Educação", "Idade"]


# --- dialect: an answer or "inconclusive" ------------------------------------------


def test_detect_dialect_answers_a_frozen_dialect_or_none() -> None:
    from segmentation.io.dialect import Dialect, detect_dialect

    found = detect_dialect("a;b;c\n1;2;3\n")
    assert found == Dialect(";") and found.delimiter_name == "semicolon"
    with pytest.raises(AttributeError):
        found.delimiter = ","  # type: ignore[misc]
    assert detect_dialect("name\nAnn\nBob\n") is None
    assert detect_delimiter("name\nAnn\nBob\n") == ","


def test_an_inconclusive_delimiter_is_assumed_and_reported() -> None:
    table = read_csv(b"name\nAnn\nBob\n")
    assert table.report.delimiter == "," and table.report.delimiter_detected is False
    assert "comma assumed" in " ".join(table.report.describe())
    assert read_csv(b"a,b\n1,2\n").report.delimiter_detected is True


def test_a_chosen_legacy_encoding_skips_the_large_file_path(tmp_path, monkeypatch):
    path = tmp_path / "ru.csv"
    path.write_bytes("Имя,Город\nОльга,Омск\n".encode("cp1251"))
    monkeypatch.setattr(reader, "_LARGE_FILE", 0)
    table = reader.read_csv(path, encoding="Windows-1251 (Cyrillic)")
    assert table.report.encoding == "Windows-1251 (Cyrillic)" and not table.report.encoding_detected
    assert table.raw["Город"].tolist() == ["Омск"]
    utf8 = tmp_path / "utf8.csv"
    utf8.write_bytes("Имя,Город\nОльга,Омск\n".encode())
    assert reader.read_csv(utf8, encoding="UTF-8").raw["Город"].tolist() == ["Омск"]


def test_extra_fields_have_no_header_cell_in_outputs() -> None:
    table = read_csv(b"a,b\n1,2,3\n4,5\n")
    assert table.report.header == ("a", "b")
    assert table.report.output_header(list(table.raw.columns)) == ["a", "b", ""]


# ---------------------------------------------------------------- a quote left open (issue 24 point 2)


def _open_quote_file(n_rows: int = 2000) -> bytes:
    rows = "".join(f"{i},name {i},{i * 3}\n" for i in range(3, n_rows))
    return ('id,name,spend\n1,Ann,10\n2,"Bob,20\n' + rows).encode()


def test_a_quote_left_open_is_refused_with_its_line() -> None:
    with pytest.raises(SegmentationError) as caught:
        read_csv(_open_quote_file())
    assert caught.value.code == "runaway-quote"
    assert caught.value.fields["line"] == 3
    assert "line 3" in str(caught.value) and "ordinary characters" in str(caught.value)


def test_a_quote_left_open_can_be_read_literally() -> None:
    table = read_csv(_open_quote_file(), literal_quotes=True)
    assert table.report.n_rows == 1999
    assert table.raw.iloc[1].tolist() == ["2", '"Bob', "20"]
    assert table.raw.iloc[-1].tolist() == ["1999", "name 1999", "5997"]
    assert any("ordinary characters" in line for line in table.report.describe())


def test_a_long_note_with_line_breaks_is_not_a_runaway_quote() -> None:
    note = "Called twice.\nPrefers e-mail.\nAsked for a catalogue, then cancelled.\n" * 50
    data = f'id,note,spend\n1,"{note}",10\n2,short,20\n'.encode()
    table = read_csv(data)
    assert table.raw["note"].tolist() == [note, "short"]


def test_a_well_formed_30_mb_field_reads_exactly() -> None:
    big = "x" * (30 << 20)
    table = read_csv(f'id,note\n1,"{big}"\n2,short\n'.encode(), max_bytes=1 << 30)
    assert table.raw["note"].iloc[0] == big and table.report.n_rows == 2
