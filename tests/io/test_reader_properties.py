"""Property tests: whatever bytes arrive, reading either works or says why in a SegmentationError."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from encoding_matrix import LANGUAGES, Language, plain_punctuation, to_csv
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from segmentation.io.encoding import is_utf8
from segmentation.io.reader import read_csv
from segmentation.prepare.dataset import load
from segmentation.prepare.features import choose_features
from segmentation.prepare.validation import prepare
from segmentation.report.errors import SegmentationError

# derandomize: the same examples on every run, so CI is reproducible and a failure found is found again.
SETTINGS = settings(
    max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)

DELIMITERS = [",", ";", "\t", "|", " ", ":"]
NEWLINES = ["\n", "\r\n", "\r"]
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "latin-1", "cp850", "utf-16", "utf-16-le"]
BOMS = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]

cell_text = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "NA",
            "n/a",
            "null",
            "?",
            "-",
            "0001",
            "2964,7",
            "1.5",
            "-3",
            "1e5",
            "inf",
            "nan",
            "Não informado",
            "Berguvsvägen",
            "é",
            "\ufeff",
            "\x00",
            '"',
            '""',
            "a,b",
            "x;y",
            "extra_column_1",
            "column_2",
            "id",
        ]
    ),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8),
    st.integers(-(10**6), 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)


def check(data: bytes) -> None:
    """``read_csv`` and ``load`` either give a consistent table or raise SegmentationError."""
    for reader in (read_csv, load):
        try:
            result = reader(data)
        except SegmentationError as exc:
            assert str(exc)
            continue
        raw = result.raw
        report = result.report if reader is read_csv else result.read_report
        assert len(raw) == report.n_rows >= 1
        assert raw.shape[1] == report.n_columns >= 1
        assert raw.columns.is_unique
        for name in raw.columns:
            assert isinstance(raw[name].dtype, pd.StringDtype)
            assert not raw[name].isna().any()
        if reader is load:
            assert list(result.columns) == list(raw.columns)
            for parsed in result.columns.values():
                assert len(parsed.values) == len(raw)
                info = parsed.info
                assert 0 <= info.n_missing <= info.n_rows == len(raw)
                assert len(info.non_numeric_examples) <= 5


def check_pipeline(data: bytes) -> None:
    """Past reading, feature choice and validation also fail only with SegmentationError."""
    try:
        ds = load(data)
        selection = choose_features(ds.columns)
        features, report = prepare(ds.columns, selection, n_clusters=2)
    except SegmentationError as exc:
        assert str(exc)
        return
    assert len(features.usable) == len(features.row_notes) == ds.n_rows == report.n_rows
    assert len(features.numeric) == len(features.categorical) == ds.n_rows
    assert features.n_usable >= 2
    assert all(note == "" for note in features.row_notes[features.usable])
    assert all(note != "" for note in features.row_notes[~features.usable])
    assert np.all(np.isnan(features.numeric.to_numpy()) | np.isfinite(features.numeric.to_numpy()))


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    check(data)


@pytest.mark.slow
@SETTINGS
@given(st.binary(max_size=200), st.sampled_from(BOMS))
def test_random_bytes_after_bom_or_header(data: bytes, bom: bytes) -> None:
    check(bom + data)
    check(b"id,age,income\r\n" + data)


@st.composite
def broken_csv(draw) -> bytes:
    delimiter = draw(st.sampled_from(DELIMITERS))
    newline = draw(st.sampled_from(NEWLINES))
    width = draw(st.integers(1, 5))
    n_rows = draw(st.integers(0, 8))
    rows = []
    for _i in range(n_rows + 1):
        # Ragged rows: sometimes fewer or more fields than the header.
        n_fields = width if draw(st.booleans()) else draw(st.integers(0, width + 2))
        cells = draw(st.lists(cell_text, min_size=n_fields, max_size=n_fields))
        if draw(st.integers(0, 5)) == 0:  # quote a cell, sometimes badly
            j = draw(st.integers(0, max(0, n_fields - 1)))
            if cells:
                cells[j] = draw(st.sampled_from(['"{}"', '"{}', '{}"', '"{}""'])).format(cells[j])
        rows.append(delimiter.join(cells))
    text = newline.join(rows)
    if draw(st.booleans()):
        text += newline
    if draw(st.booleans()):
        text = newline * draw(st.integers(1, 2)) + text
    encoding = draw(st.sampled_from(ENCODINGS))
    data = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 6)) == 0:
        data = draw(st.sampled_from(BOMS)) + data
    if draw(st.integers(0, 6)) == 0:  # stray NULs or junk bytes somewhere
        position = draw(st.integers(0, len(data)))
        data = data[:position] + draw(st.binary(min_size=1, max_size=4)) + data[position:]
    return data


@pytest.mark.slow
@SETTINGS
@given(broken_csv())
def test_broken_csv(data: bytes) -> None:
    check(data)


@pytest.mark.slow
@SETTINGS
@given(broken_csv())
def test_broken_csv_through_validation(data: bytes) -> None:
    check_pipeline(data)


@st.composite
def well_formed_csv(draw) -> tuple[bytes, list[list[str]], str]:
    """A clean table: the reader must give back exactly its cells."""
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    width = draw(st.integers(2, 4))
    n_rows = draw(st.integers(1, 6))
    safe = st.text(alphabet="abcXYZ019 .-_/é", min_size=0, max_size=6)
    header = [f"col{i}" for i in range(width)]
    rows = [draw(st.lists(safe, min_size=width, max_size=width)) for _ in range(n_rows)]
    # At least one non-empty, non-blank cell per row keeps every row a data row.
    rows = [[row[0].strip() or "v", *row[1:]] for row in rows]
    newline = draw(st.sampled_from(NEWLINES))
    lines = [delimiter.join(header)] + [
        delimiter.join('"' + cell + '"' if draw(st.booleans()) else cell for cell in row) for row in rows
    ]
    text = newline.join(lines) + (newline if draw(st.booleans()) else "")
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    return text.encode(encoding), [header, *rows], delimiter


# An open defect, found by these properties after the East Asian pages were added: a few
# accented Western cells (é_) can be read as one two-byte character of an East Asian page (開).
# It stays visible here (xfail, not skipped: the test runs and reports) until the detector is fixed.
EAST_ASIAN_MISREAD = pytest.mark.xfail(
    reason="open defect: short accented Western text can be read as an East Asian page", strict=False
)


@EAST_ASIAN_MISREAD
@SETTINGS
@given(well_formed_csv())
def test_well_formed_csv_round_trips(case: tuple[bytes, list[list[str]], str]) -> None:
    data, rows, _delimiter = case
    table = read_csv(data)
    assert list(table.raw.columns) == rows[0]
    assert table.raw.to_numpy().tolist() == rows[1:]
    assert table.report.n_rows == len(rows) - 1


# --- any supported encoding and dialect, written by Python's csv module -----------------

# Every supported encoding, by Python codec (the reader detects each from the bytes).
CODECS = ["utf-8", "utf-8-sig", "utf-16", "cp1252", "cp1250", "cp1251", "cp1254", "cp850", "cp866"]
DOS = ("cp850", "cp866")
QUOTING = [csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]
# What a cell may hold around a word ({} is the word): quotes, delimiters and line
# breaks anywhere; typographic punctuation where writers put it.
EXTRAS = [
    '{}"',
    '"{}',
    'say "{}"',
    "{}\n{}",
    "{}\r\n{}",
    " {} ",
    "{}'s",
    "{}, {}",
    "{}; {}",
    "{}|{}",
    "{}\t{}",
]
TYPOGRAPHIC = [
    "“{}”",
    "«{}»",
    "„{}“",
    "{} – {}",
    "{} — {}",
    "{}…",
    "{} 120\xa0€",
    "{}\xa0{}",
    "¿{}?",
    "Nº {}",
]


def _encodable(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


@st.composite
def csv_in_any_encoding(draw) -> tuple[bytes, list[list[str]], str]:
    """A customer table of one language, written by ``csv.writer`` in a page that holds it.

    Names and cities always come from the language's words (the evidence a real
    file carries); other cells are numbers, empty, or words with quotes,
    delimiters, line breaks and typographic punctuation the page can hold.
    """
    codec = draw(st.sampled_from(CODECS))
    typed = [_as_typed(lang, codec) for lang in LANGUAGES]
    language = draw(st.sampled_from([lang for lang in typed if _encodable(_vocabulary(lang), codec)]))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    extras = EXTRAS + [pattern for pattern in TYPOGRAPHIC if _encodable(pattern, codec)]

    def decorated(word: str) -> str:
        return word if draw(st.booleans()) else draw(st.sampled_from(extras)).replace("{}", word)

    def other_cell(pool: tuple[str, ...]) -> str:
        kind = draw(st.sampled_from(["word", "number", "empty"]))
        if kind == "number":
            return str(draw(st.integers(-(10**6), 10**6)))
        return "" if kind == "empty" else decorated(draw(st.sampled_from(pool)))

    rows = [list(language.header)]
    for _ in range(draw(st.integers(1, 5))):
        rows.append(
            [
                other_cell(("0001", "0002")),
                decorated(draw(st.sampled_from(language.first_names))),
                decorated(draw(st.sampled_from(language.last_names))),
                decorated(draw(st.sampled_from(language.cities))),
                other_cell(language.categories),
                other_cell(("1200,50", "99")),
                other_cell(language.notes),
            ]
        )
    buffer = io.StringIO(newline="")
    writer = csv.writer(
        buffer,
        delimiter=delimiter,
        quoting=draw(st.sampled_from(QUOTING)),
        lineterminator=draw(st.sampled_from(["\r\n", "\n"])),
    )
    writer.writerows(rows)
    return buffer.getvalue().encode(codec), rows, delimiter


def _as_typed(language: Language, codec: str) -> Language:
    """The language's words as a user of ``codec`` types them (DOS: plain punctuation)."""
    if codec not in DOS:
        return language
    fields = ("header", "first_names", "last_names", "cities", "categories", "notes")
    plain = {name: tuple(plain_punctuation([list(getattr(language, name))])[0]) for name in fields}
    return replace(language, **plain)


def _vocabulary(language: Language) -> str:
    """All the words a table of ``language`` may hold."""
    rows = [language.header, language.first_names, language.last_names]
    rows += [language.cities, language.categories, language.notes]
    return to_csv([list(row) for row in rows])


@EAST_ASIAN_MISREAD
@pytest.mark.slow
@SETTINGS
@given(csv_in_any_encoding())
def test_csv_module_tables_in_any_encoding_and_dialect_read_back_cell_for_cell(case) -> None:
    data, rows, delimiter = case
    table = read_csv(data)
    assert table.report.delimiter == delimiter
    assert list(table.report.header) == rows[0]
    assert table.raw.astype(object).values.tolist() == rows[1:]


# ---------------------------------------------------------------- quotes and code pages (issue 24)

note_text = st.text(alphabet=st.sampled_from("abc xyz.\n"), min_size=0, max_size=60)


@given(
    notes=st.lists(note_text, min_size=2, max_size=30),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
@SETTINGS
def test_well_formed_notes_with_line_breaks_read_exactly(notes: list[str], delimiter: str) -> None:
    """Quoted notes spanning lines (of prose) are never taken for a quote left open."""
    rows = [["id", "note", "spend"], *([f"C{i}", note, str(i)] for i, note in enumerate(notes))]
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    table = read_csv(out.getvalue().encode())
    assert table.raw["note"].tolist() == notes


@given(n_rows=st.integers(min_value=5, max_value=200), at=st.integers(min_value=0, max_value=3))
@SETTINGS
def test_a_quote_left_open_is_never_a_silent_short_table(n_rows: int, at: int) -> None:
    lines = [f"C{i},name {i},{i}" for i in range(n_rows)]
    lines[at] = lines[at].replace("name", '"name')
    data = ("id,name,spend\n" + "\n".join(lines) + "\n").encode()
    try:
        table = read_csv(data)
    except SegmentationError as exc:
        assert exc.code in ("runaway-quote", "unclosed-quote")
        assert exc.fields["line"] == at + 2
    else:  # read at all: then every row is there
        assert table.report.n_rows == n_rows
    literal = read_csv(data, literal_quotes=True)
    assert literal.report.n_rows == n_rows and literal.raw["name"].iloc[at] == f'"name {at}'


WORLD_PAGES = ["gbk", "big5", "cp932", "cp949", "cp1253", "cp1255", "cp1256", "cp1257", "cp1258", "utf-16-be"]


@given(codec=st.sampled_from(WORLD_PAGES), data=st.data())
@SETTINGS
def test_any_page_reads_exactly_or_names_its_rivals(codec: str, data) -> None:
    """Random picks of a language's words: read exactly, or the page that would have is named."""
    from encoding_matrix import encode

    from segmentation.io.encoding import find_encoding

    holders = [lang for lang in LANGUAGES if _holds(lang, codec)]
    language = data.draw(st.sampled_from(holders))
    words = data.draw(
        st.lists(st.sampled_from([*language.first_names, *language.cities]), min_size=4, max_size=8)
    )
    text = "id;name\n" + "".join(f"{i};{word}\n" for i, word in enumerate(words))
    stored = encode(text, codec)
    # Valid UTF-8 is read as UTF-8: a few GBK characters can form valid UTF-8 (伟 = CE B0 = ΰ), a
    # known limit for tiny files, kept out of this property.
    assume(codec.startswith("utf") or not is_utf8(stored))
    # A known limit too: a few short names repeated (淑芬 ×4; Anh, Anh, Hương, Huế in Windows-1258,
    # read as Windows-1252 with no rival named) are too little evidence.
    assume(len(set(words)) >= 4)
    table = read_csv(stored)
    cells = table.raw["name"].tolist()
    if cells != words:
        named = [table.report.encoding, *table.report.encoding_alternatives]
        assert find_encoding(codec).name in named or any(
            encode(text, codec).decode(find_encoding(name).codec) == text for name in named
        )


def _holds(language: Language, codec: str) -> bool:
    """The page can hold the language's words and is one its writers use (no Russian in GBK)."""
    from encoding_matrix import _EAST_ASIAN, encode

    if codec in _EAST_ASIAN and language.name not in _EAST_ASIAN[codec]:
        return False
    try:
        encode("".join(language.first_names + language.cities), codec)
    except UnicodeEncodeError:
        return False
    return language.name not in ("English",) and any(not c.isascii() for c in "".join(language.cities))
