"""Tests for segmentation.io.encoding: every cell back exactly, whatever page the file was saved in."""

from __future__ import annotations

import pytest
from encoding_matrix import CODEPAGES, LANGUAGES, matrix, plain_punctuation, table_rows, to_csv

from segmentation.io.encoding import decode, encoding_names, find_encoding
from segmentation.io.reader import read_csv
from segmentation.prepare.dataset import load
from segmentation.report.errors import SegmentationError


def rows_read(data: bytes, **options) -> tuple[list[list[str]], str]:
    table = read_csv(data, **options)
    header = list(table.report.header)
    return [header, *table.raw.astype(object).values.tolist()], table.report.encoding


@pytest.mark.parametrize("n_rows", [24, 3])
def test_every_generated_file_reads_back_cell_for_cell(n_rows: int) -> None:
    files = matrix(n_rows)
    assert len(files) == 55  # 10 languages, each in every page that holds it
    wrong = [(f.language, f.codec) for f in files if rows_read(f.data)[0] != f.rows]
    assert wrong == []


@pytest.mark.parametrize("file", matrix(), ids=lambda f: f"{f.language}-{f.codec}")
def test_the_reported_page_is_the_files_own_or_reads_identically(file) -> None:
    """Where two pages decode a file identically (German in 1250 or 1252) either name is true."""
    _, name = rows_read(file.data)
    reported = find_encoding(name).codec
    assert reported == file.codec or file.data.decode(reported) == file.data.decode(file.codec)


def test_russian_windows_1251_is_not_read_as_1252() -> None:
    text = "Имя;Город;Годовой доход\r\nНаталья;Москва;1200\r\nСергей;Казань;900\r\n"
    rows, name = rows_read(text.encode("cp1251"))
    assert name == "Windows-1251 (Cyrillic)"
    assert rows[1] == ["Наталья", "Москва", "1200"]


def test_english_typographic_punctuation_is_windows_1252_not_dos_850() -> None:
    text = "Name,Note,Item\r\nAnn,“VIP” – call first,Conference\xa0phone\r\nBob,Paid 5\xa0€,Desk\r\n"
    rows, name = rows_read(text.encode("cp1252"))
    assert name == "Windows-1252 (Western European)"
    assert rows[1] == ["Ann", "“VIP” – call first", "Conference\xa0phone"]


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Miasto,Uwagi\nŁódź,zażółć gęślą jaźń\nGdańsk,Źle\n", "cp1250"),
        ("Město,Poznámky\nPlzeň,Příliš žluťoučký kůň\n", "cp1250"),
        ("Şehir,Not\nİstanbul,Şikâyet çözüldü\nMuğla,Yılmaz\n", "cp1254"),
        ("Город,Примечание\nОмск,Доставка до подъезда\n", "cp866"),
        ("CITY,ADDRESS\nLuleå,Berguvsvägen  8\nBarcelona,Rambla de Cataluña 23\n", "cp850"),
    ],
)
def test_short_files_in_each_page(text: str, codec: str) -> None:
    rows, name = rows_read(text.encode(codec))
    assert name == CODEPAGES[codec]
    assert "\n".join(",".join(row) for row in rows) + "\n" == text


def test_encoding_can_be_chosen_by_name_or_codec() -> None:
    data = "Name,City\nZoë,Köln\n".encode("cp850")
    for name in ("DOS 850 (Western European)", "cp850", "IBM850"):
        rows, reported = rows_read(data, encoding=name)
        assert rows[1] == ["Zoë", "Köln"]
        assert reported == "DOS 850 (Western European)"
    table = read_csv(data, encoding="cp850")
    assert table.report.encoding_detected is False
    assert "as chosen" in " ".join(table.report.describe())
    assert load(data, encoding="cp850").raw["City"].tolist() == ["Köln"]


def test_a_chosen_encoding_that_does_not_fit_is_an_error_not_a_crash() -> None:
    with pytest.raises(SegmentationError) as caught:
        read_csv("Name\nZoë\n".encode("cp1252"), encoding="UTF-8")
    assert caught.value.code == "encoding-mismatch"
    with pytest.raises(SegmentationError) as caught:
        read_csv(b"a\n1\n", encoding="klingon")
    assert caught.value.code == "unknown-encoding"


def test_supported_names_resolve_to_themselves() -> None:
    assert len(encoding_names()) == 10
    for name in encoding_names():
        assert find_encoding(name).name == name


def test_dos_tables_use_plain_punctuation() -> None:
    rows = plain_punctuation([["“a” – b…", "5\xa0€"]])
    assert rows == [['"a" - b...', "5 EUR"]]


def test_matrix_covers_every_language_and_page() -> None:
    files = matrix()
    assert {f.language for f in files} == {language.name for language in LANGUAGES}
    assert {f.codec for f in files} == set(CODEPAGES)
    assert decode(to_csv(table_rows(LANGUAGES[0])).encode("utf-16")).encoding.name == "UTF-16"


def test_evidence_far_into_a_large_file_is_seen() -> None:
    ascii_rows = "".join(f"{i:07d};Smith;London\r\n" for i in range(120_000))  # > 2 MB of ASCII
    late = "0000001;Иванов;Москва\r\n0000002;Попова;Казань\r\n" * 200
    rows, name = rows_read(("id;name;city\r\n" + ascii_rows + late).encode("cp1251"))
    assert name == "Windows-1251 (Cyrillic)"
    assert rows[-1] == ["0000002", "Попова", "Казань"]


def test_a_few_non_ascii_bytes_anywhere_in_a_large_file_are_found() -> None:
    ascii_rows = [f"{i:07d};Smith;London\r\n" for i in range(200_000)]
    ascii_rows[60_000] = "0060000;Иванов;Москва\r\n"  # between the sampled windows
    rows, name = rows_read(("id;name;city\r\n" + "".join(ascii_rows)).encode("cp1251"))
    assert name == "Windows-1251 (Cyrillic)"
    assert rows[60_001] == ["0060000", "Иванов", "Москва"]
