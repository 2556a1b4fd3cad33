"""Tests for segmentation.io.encoding: every cell back exactly, whatever page the file was saved in."""

from __future__ import annotations

import pytest
from encoding_matrix import CODEPAGES, LANGUAGES, encode, matrix, plain_punctuation, table_rows, to_csv

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
    # 20 languages, each in every page that holds it (a 3-row table may miss a letter a page lacks)
    assert len(files) == {24: 182, 3: 183}[n_rows]
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
    for name in ("klingon", "base64", "rot13"):  # not a codec, or not a text encoding
        with pytest.raises(SegmentationError) as caught:
            read_csv(b"a\n1\n", encoding=name)
        assert caught.value.code == "unknown-encoding"


def test_supported_names_resolve_to_themselves() -> None:
    assert len(encoding_names()) == 24
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


# ---------------------------------------------------------------- the world's code pages (issue 24)


@pytest.mark.parametrize(
    ("text", "codec", "name"),
    [
        ("客户编号,姓名,城市\n1,王伟,北京\n2,李娜,上海\n", "gbk", "GB18030 (Simplified Chinese, also GBK)"),
        ("客戶編號,姓名,城市\n1,陳志明,臺北\n2,林淑芬,高雄\n", "big5", "Big5 (Traditional Chinese)"),
        ("顧客番号,氏名,都市\n1,田中太郎,東京\n2,佐藤さくら,大阪\n", "cp932", "Shift_JIS (Japanese)"),
        ("고객번호,이름,도시\n1,김민준,서울\n2,이서연,부산\n", "cp949", "EUC-KR (Korean)"),
        ("Όνομα,Πόλη\nΓιώργος,Αθήνα\nΜαρία,Πάτρα\n", "cp1253", "Windows-1253 (Greek)"),
        ("שם,עיר\nכהן,חיפה\nלוי,ירושלים\n", "cp1255", "Windows-1255 (Hebrew)"),
        ("الاسم,المدينة\nمحمد,القاهرة\nفاطمة,الرياض\n", "cp1256", "Windows-1256 (Arabic)"),
        ("Vardas,Miestas\nŽygimantas,Klaipėda\nRūta,Šiauliai\n", "cp1257", "Windows-1257 (Baltic)"),
        ("Vārds,Pilsēta\nJānis,Rīga\nMārtiņš,Liepāja\n", "cp1257", "Windows-1257 (Baltic)"),
        ("Name,Paid\nJosé,45 €\nZoë,12 €\n", "iso-8859-15", "ISO-8859-15 (Western European with €)"),
        ("Nom,Ville\nHélène,Besançon\nFrançois,Orléans\n", "mac-roman", "Mac Roman (Western European)"),
    ],
)
def test_short_files_in_the_worlds_pages(text: str, codec: str, name: str) -> None:
    rows, reported = rows_read(text.encode(codec))
    assert reported == name
    assert "\n".join(",".join(row) for row in rows) + "\n" == text


def test_vietnamese_windows_1258_reads_back_composed() -> None:
    """Windows-1258 stores most letters as a base and a combining tone mark; they read composed."""
    stored = encode("Tên,Thành phố\nNguyễn,Hà Nội\n", "cp1258")
    assert "ễ".encode("cp1258", errors="replace") == b"?" and b"\xea\xde" in stored  # ê + combining tilde
    rows, reported = rows_read(stored)
    assert reported == "Windows-1258 (Vietnamese)"
    assert rows[1] == ["Nguyễn", "Hà Nội"]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_text_not_binary(codec: str) -> None:
    text = "客户编号;名;城市\r\n1;伟;北京\r\n2;芳;上海\r\n"
    rows, reported = rows_read(text.encode(codec))
    assert reported == CODEPAGES[codec]
    assert rows[2] == ["2", "芳", "上海"]


def test_utf32_with_a_byte_order_mark() -> None:
    rows, reported = rows_read("id,name\n1,Zoë\n".encode("utf-32"))
    assert (reported, rows[1]) == ("UTF-32", ["1", "Zoë"])


def test_binary_data_with_zeros_on_both_sides_stays_binary() -> None:
    with pytest.raises(SegmentationError) as caught:
        read_csv(bytes(range(256)) * 40)
    assert caught.value.code == "binary-file"


def test_the_issues_hebrew_name_is_not_read_as_cyrillic() -> None:
    """'כהן' read in Windows-1251 is 'лдп': a Cyrillic word without a vowel."""
    rows, reported = rows_read("שם,עיר\nכהן,חיפה\n".encode("cp1255"))
    assert (reported, rows[1]) == ("Windows-1255 (Hebrew)", ["כהן", "חיפה"])


def test_two_plausible_readings_are_both_named() -> None:
    """Two Hebrew words are too little to tell Hebrew from Greek: the report names both."""
    table = read_csv("שם\nכהן\n".encode("cp1255"))
    chosen, others = table.report.encoding, table.report.encoding_alternatives
    assert {chosen, *others} >= {"Windows-1255 (Hebrew)", "Windows-1253 (Greek)"}
    said = " ".join(table.report.describe())
    assert "also reads plausibly as" in said and others[0] in said


_OWN_PAGES = {
    "gbk": ("Simplified Chinese", "Traditional Chinese"),
    "big5": ("Traditional Chinese",),
    "cp932": ("Japanese",),
    "cp949": ("Korean",),
    "cp1253": ("Greek",),
    "cp1255": ("Hebrew",),
    "cp1256": ("Arabic",),
    "cp1257": ("Lithuanian", "Latvian"),
    "cp1258": ("Vietnamese",),
}


@pytest.mark.parametrize(
    "file",
    [f for f in matrix() if f.language in _OWN_PAGES.get(f.codec, ())],
    ids=lambda f: f"{f.language}-{f.codec}",
)
def test_a_full_table_in_its_own_page_names_no_rival(file) -> None:
    table = read_csv(file.data)
    assert table.report.encoding == CODEPAGES[file.codec]
    assert table.report.encoding_alternatives == ()


@pytest.mark.parametrize(
    ("name", "codec"),
    [("gbk", "gb18030"), ("GB2312", "gb18030"), ("shift_jis", "cp932"), ("sjis", "cp932"), ("euc-kr", "cp949"),
     ("windows-1256", "cp1256"), ("latin9", "iso8859-15"), ("macintosh", "mac-roman"), ("UTF-16LE", "utf-16-le")],
)  # fmt: skip
def test_usual_names_choose_the_pages_of_the_list(name: str, codec: str) -> None:
    assert find_encoding(name).codec == codec


def test_any_codec_python_knows_can_be_chosen() -> None:
    data = "名前,都市\n田中,東京\n".encode("euc-jp")
    rows, reported = rows_read(data, encoding="EUC-JP")
    assert rows[1] == ["田中", "東京"]
    assert reported == "euc_jp"
    rows, reported = rows_read("Όνομα\nΜαρία\n".encode("iso-8859-7"), encoding="iso-8859-7")
    assert (reported, rows[1]) == ("iso8859-7", ["Μαρία"])


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        (
            "订单号,会员名称,收货地址\n1001,张三丰,浙江省宁波市鄞州区\n1002,欧阳娜娜,四川省绵阳市涪城区\n",
            "gbk",
        ),
        ("訂單編號,會員姓名,收件地址\n1001,張惠妹,新北市板橋區文化路\n1002,周杰倫,桃園市中壢區\n", "cp950"),
        ("注文番号,会員名,住所\n1001,山田花子,北海道札幌市中央区\n1002,小林一茶,長野県信濃町\n", "cp932"),
        ("주문번호,회원명,배송지\n1001,홍길동,경기도 성남시 분당구\n1002,신사임당,강원도 강릉시\n", "cp949"),
        ("Κωδικός,Επωνυμία\n1,Ξενοδοχείο Ακρόπολις\n2,Φαρμακείο Ζωή\n", "cp1253"),
        ("رمز,الشركة\n1,شركة النور للتجارة\n2,مؤسسة الأمل\n", "cp1256"),
        ("קוד,חברה\n1,סופר פארם\n2,שופרסל דיל\n", "cp1255"),
        ("Kodas,Įmonė\n1,UAB Švyturys\n2,AB Žemaitija\n", "cp1257"),
    ],
)
def test_texts_the_rules_were_not_written_on(text: str, codec: str) -> None:
    """Held out: other words, places and names than the matrix and the frequent-character lists."""
    rows, reported = rows_read(text.encode(codec))
    assert find_encoding(reported).codec == find_encoding(codec).codec
    assert "\n".join(",".join(row) for row in rows) + "\n" == text
