"""Bytes to text: byte order marks, UTF-8, UTF-16 and the legacy Windows and DOS code pages.

A file without a byte order mark that is not valid UTF-8 was written in a
single-byte code page, and the bytes alone do not say which one. The choice is
made on evidence of language: each candidate page decodes the file's non-ASCII
words, and the page whose words read as words of one alphabet (Cyrillic words
for Windows-1251, ``ł ą ę ż`` for Windows-1250, ``ğ ş ı`` for Windows-1254)
wins. Typographic punctuation (curly quotes, dashes, the no-break space, ``€``)
counts as normal text where writers put it (fully in the Windows pages, half
in the DOS pages, which have fewer such marks), whereas box-drawing characters,
control characters, symbols wedged inside words and words that mix alphabets
or cases count against a page. Ties go to the more common page
(:data:`LEGACY`'s order).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from ..report.errors import SegmentationError


@dataclass(frozen=True)
class Encoding:
    """A supported encoding: the name people read and the Python codec that decodes it."""

    name: str
    codec: str


UTF8 = Encoding("UTF-8", "utf-8")
UTF8_BOM = Encoding("UTF-8 with BOM", "utf-8-sig")
UTF16 = Encoding("UTF-16", "utf-16")
# Candidates for files without a byte order mark that are not UTF-8, in the
# order that breaks ties: Windows pages first (what Excel writes), Western
# first; Latin-1 only as a last resort (its 0x80-0x9F are control characters).
LEGACY = (
    Encoding("Windows-1252 (Western European)", "cp1252"),
    Encoding("Windows-1250 (Central European)", "cp1250"),
    Encoding("Windows-1251 (Cyrillic)", "cp1251"),
    Encoding("Windows-1254 (Turkish)", "cp1254"),
    Encoding("DOS 850 (Western European)", "cp850"),
    Encoding("DOS 866 (Cyrillic)", "cp866"),
    Encoding("ISO-8859-1 (Latin-1)", "latin-1"),
)
SUPPORTED = (UTF8, UTF8_BOM, UTF16, *LEGACY)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_WINDOWS = {"cp1250", "cp1251", "cp1252", "cp1254"}
# Evidence is gathered from the first MB and from windows spread over the rest, so
# that a large file costs little more than a small one.
_HEAD_BYTES = 1 << 20
_WINDOWS_SPREAD = 8
_WINDOW_BYTES = 128 * 1024
_SNIFF_BYTES = 64 * 1024


def encoding_names() -> list[str]:
    """The names a user can choose from (e.g. for ``--encoding`` or a select box)."""
    return [encoding.name for encoding in SUPPORTED]


def find_encoding(name: str) -> Encoding:
    """The supported encoding called ``name`` (its display name or its codec, any case).

    Raises ``SegmentationError("unknown-encoding")`` for any other name.
    """
    wanted = name.strip().casefold()
    for encoding in SUPPORTED:
        if wanted in (encoding.name.casefold(), encoding.codec):
            return encoding
    try:
        codec = codecs.lookup(wanted).name
    except LookupError:
        codec = None
    for encoding in SUPPORTED:
        if codec and codecs.lookup(encoding.codec).name == codec:
            return encoding
    raise SegmentationError("unknown-encoding", name=name, choices=", ".join(encoding_names()))


@dataclass(frozen=True)
class Decoded:
    """A file's content as UTF-8 bytes, and the encoding it was read with."""

    utf8: bytes
    encoding: Encoding
    detected: bool


def decode(data: bytes, encoding: str | None = None) -> Decoded:
    """Decode a file's bytes, detecting the encoding unless ``encoding`` names one.

    Raises ``SegmentationError`` for an Excel workbook, binary data, or bytes
    that the chosen encoding cannot decode.
    """
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise SegmentationError("excel-workbook")
    if encoding is not None:
        chosen = find_encoding(encoding)
        if chosen.codec == "utf-8" and data.startswith(b"\xef\xbb\xbf"):
            chosen = UTF8_BOM
        return Decoded(_decode_with(data, chosen), chosen, detected=False)
    if data.startswith(b"\xef\xbb\xbf"):
        body = data[3:]
        return Decoded(body, UTF8_BOM, detected=True) if is_utf8(body) else _detect_legacy(body)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Decoded(_decode_with(data, UTF16, binary=True), UTF16, detected=True)
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise SegmentationError("binary-file")
    if is_utf8(data):
        return Decoded(data, UTF8, detected=True)
    return _detect_legacy(data)


def _detect_legacy(data: bytes) -> Decoded:
    """Decode with the most plausible legacy code page that decodes every byte."""
    for candidate in rank_legacy(data):
        try:
            return Decoded(data.decode(candidate.codec).encode("utf-8"), candidate, detected=True)
        except UnicodeDecodeError:
            continue  # an undefined byte past the scanned part
    raise SegmentationError("binary-file")  # not reached: Latin-1 decodes any bytes


def _decode_with(data: bytes, encoding: Encoding, *, binary: bool = False) -> bytes:
    """``data`` as UTF-8 bytes; a file that is UTF-8 already is not copied."""
    if encoding.codec == "utf-8" and is_utf8(data):
        return data
    if encoding.codec == "utf-8-sig" and data.startswith(b"\xef\xbb\xbf") and is_utf8(data[3:]):
        return data[3:]
    try:
        return data.decode(encoding.codec).encode("utf-8")
    except UnicodeDecodeError as exc:
        if binary:
            raise SegmentationError("binary-file") from None
        raise SegmentationError("encoding-mismatch", encoding=encoding.name, position=exc.start) from None


def is_utf8(data: bytes, chunk: int = 1 << 20) -> bool:
    """Validate UTF-8 piece by piece, so a large file is never held twice as text."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), chunk):
            decoder.decode(view[start : start + chunk], final=start + chunk >= len(data))
    except UnicodeDecodeError:
        return False
    return True


def reject_binary(sample: str) -> None:
    """Raise ``SegmentationError("binary-file")`` when decoded text holds many control characters."""
    if looks_binary(sample, tolerance=max(2, len(sample) // 100)):
        raise SegmentationError("binary-file")


def looks_binary(sample: str, tolerance: int = 0) -> bool:
    """Whether ``sample`` has more than ``tolerance`` NULs, control characters or undecodable bytes."""
    return len(_CONTROL_CHARS.findall(sample)) + sample.count("\ufffd") > tolerance


# ---------------------------------------------------------------- evidence of language

# A "token": a run of bytes between ASCII spaces and CSV punctuation that holds
# at least one byte above 0x7F. Decoded, it is a word, a number with a symbol,
# or a quoted phrase's edge.
# (Starting only at a token's first byte, and never giving back its ASCII part, keeps the search linear.)
_TOKEN = re.compile(rb"(?<![^\s,;|\"'])[^\s,;|\"'\x80-\xff]*+[\x80-\xff][^\s,;|\"']*")

# Non-ASCII letters of the languages customer files are written in. A word
# whose letters all belong to the file's main language is strong evidence.
_ALPHABETS = {
    "French": "àâæçéèêëîïôœùûüÿ",
    "German": "äöüß",
    "Spanish": "áéíñóúü",
    "Portuguese": "áâãàçéêíóôõú",
    "Italian": "àèéìíîòóùú",
    "Catalan": "àçèéíïòóúü",
    "Dutch": "éëïóöü",
    "Danish and Norwegian": "æøåé",
    "Swedish and Finnish": "åäöé",
    "Polish": "ąćęłńóśźż",
    "Czech": "áčďéěíňóřšťúůýž",
    "Slovak": "áäčďéíĺľňóôŕšťúýž",
    "Hungarian": "áéíóöőúüű",
    "Romanian": "ăâîșțşţ",
    "Croatian and Slovene": "čćđšž",
    "Turkish": "çğıöşüâîû",
    "Russian": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "Ukrainian": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
    "Belarusian": "абвгдеёжзійклмнопрстуўфхцчшыьэюя",
    "Bulgarian": "абвгдежзийклмнопрстуфхцчшщъьюя",
    "Serbian and Macedonian": "абвгдђѓежзѕијклљмнњопрстћќуфхцчџш",
}
_LETTER_SETS = {
    language: frozenset(letters + letters.upper() + ("İ" if language == "Turkish" else ""))
    for language, letters in _ALPHABETS.items()
}
# Punctuation that is normal in text typed on Windows: it counts for a Windows page.
_TYPOGRAPHIC = frozenset("“”‘’„‚–—…€\xa0«»•™©®°§±·‹›№¿¡×²³½¼¾£¥¢ªº")
# Letters so rare in customer data that they count a quarter as much (ÿ ends few words but L'Haÿ).
_RARE = frozenset("ÿŸĺĹŕŔľĽţŢ")
_OPENING = frozenset("„‚¿¡§№")
_DASHES = frozenset("–—")
_QUOTES = frozenset("“”‘’«»‹›")
_AFTER_WORD = frozenset("…²³ªº")  # ª º: ordinals, as in "Nº" and "2º piso"
_MARKS = frozenset("™®")  # after a name: "Brand™"
_CURRENCY = frozenset("€£¥¢")
# Inside a word, only these non-letters are normal (O’Brien, l·l, soft hyphen).
_IN_WORD = frozenset("’·\xad")
_LETTER = re.compile(r"[^\W\d_]+")


def rank_legacy(data: bytes) -> list[Encoding]:
    """The legacy code pages that decode the scanned bytes, most plausible first."""
    tokens: Counter[bytes] = Counter()
    for part in _evidence_parts(data):
        tokens.update(_TOKEN.findall(part))
    if not tokens:  # the samples missed the few non-ASCII bytes: look everywhere
        tokens.update(_TOKEN.findall(data))
    scored = []
    for order, candidate in enumerate(LEGACY):
        score = language_score(tokens, candidate.codec)
        if score is not None:
            scored.append((-score, order, candidate))
    return [candidate for _, _, candidate in sorted(scored)]


def _evidence_parts(data: bytes) -> list[bytes]:
    """The head of the file and evenly spread windows of the rest, the last one its end (all of a small file)."""
    if len(data) <= _HEAD_BYTES + _WINDOWS_SPREAD * _WINDOW_BYTES:
        return [data]
    step = (len(data) - _HEAD_BYTES - _WINDOW_BYTES) // (_WINDOWS_SPREAD - 1)
    starts = [_HEAD_BYTES + i * step for i in range(_WINDOWS_SPREAD)]
    return [data[:_HEAD_BYTES], *(data[start : start + _WINDOW_BYTES] for start in starts)]


@dataclass
class _Evidence:
    """Running totals for one candidate page: symbol score and plausible letters."""

    score: float = 0.0
    letters: Counter[str] = field(default_factory=Counter)


def language_score(tokens: Counter[bytes], codec: str) -> float | None:
    """How much the tokens decoded with ``codec`` read as text of one language.

    Returns None when the codec cannot decode some token (an undefined byte).
    """
    evidence = _Evidence()
    windows = codec in _WINDOWS
    for token, count in tokens.items():
        try:
            text = token.decode(codec)
        except UnicodeDecodeError:
            return None
        _score_token(text, count, windows, evidence)
    return evidence.score + _language_bonus(evidence.letters)


def _language_bonus(letters: Counter[str]) -> float:
    """+1 per letter of the main language's alphabet, +0.25 per other plausible letter.

    The main language is the one whose alphabet holds most of the letters seen;
    a wrong page scatters letters over several alphabets.
    """
    total = sum(letters.values())
    if not total:
        return 0.0
    best = max(
        sum(n for letter, n in letters.items() if letter in alphabet) for alphabet in _LETTER_SETS.values()
    )
    return best + 0.25 * (total - best)


def _score_token(text: str, count: int, windows: bool, evidence: _Evidence) -> None:
    """Add one decoded token's evidence, ``count`` times."""
    in_word = _letter_positions(text, count, evidence)
    for i, char in enumerate(text):
        if char < "\x80" or i in in_word:
            continue
        evidence.score += count * _symbol_score(text, i, windows)


def _letter_positions(text: str, count: int, evidence: _Evidence) -> set[int]:
    """Score the words of ``text`` that hold non-ASCII letters; return the positions they cover."""
    covered: set[int] = set()
    for match in _LETTER.finditer(text):
        word = match.group()
        if word.isascii() or not all(_is_letter(char) for char in word if char >= "\x80"):
            continue
        covered.update(range(match.start(), match.end()))
        foreign = [char for char in word if char >= "\x80"]
        if not _plausible_word(word):
            evidence.score -= count * len(foreign)
        else:
            # A one-letter word is weak evidence (a capital alone, or a letter between digits, none).
            weight = (
                1.0 if len(word) > 1 else 0.5 if word.islower() and not _between_digits(text, match) else 0.0
            )
            for char in foreign:
                evidence.letters[char] += count * weight * (0.25 if char in _RARE else 1.0)
    return covered


def _between_digits(text: str, match: re.Match[str]) -> bool:
    start, end = match.start(), match.end()
    return start > 0 and end < len(text) and text[start - 1].isdigit() and text[end].isdigit()


def _is_letter(char: str) -> bool:
    """A cased letter of the Latin, Greek or Cyrillic alphabets (not ª, º or ˆ)."""
    return unicodedata.category(char) in ("Lu", "Ll") and _script(char) != "other"


def _script(char: str) -> str:
    code = ord(char)
    if code < 0x250 or 0x1E00 <= code < 0x1F00:
        return "latin"
    if 0x370 <= code < 0x400:
        return "greek"
    if 0x400 <= code < 0x530:
        return "cyrillic"
    return "other"


def _plausible_word(word: str) -> bool:
    """One alphabet, and cased like a word: ``word``, ``WORD``, ``Word`` or with ASCII capitals inside."""
    scripts = {_script(char) for char in word if char >= "\x80"}
    scripts |= {"latin"} if any(char.isascii() for char in word) else set()
    if len(scripts) > 1:
        return False
    if word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower()):
        return True
    # Names such as "McDonald" or "éX" mix cases with ASCII capitals; a wrong page shows
    # as an accented capital inside a word that is not in capitals ("CafÚ", "OÆBrien").
    return not any(char >= "\x80" and char.isupper() for char in word[1:])


def _symbol_score(text: str, i: int, windows: bool) -> float:
    """A non-letter (or a letter of another kind) at ``text[i]``: normal, unlikely or impossible.

    Typographic punctuation in its usual place (an opening quote before a
    word, a dash between spaces, ``€`` by a number, a no-break space anywhere)
    is evidence for a Windows page; in an odd place it is evidence against.
    """
    char = text[i]
    if unicodedata.category(char) in ("Cc", "Co", "Cn") or 0x2500 <= ord(char) < 0x25A0 or char == "\ufffd":
        return -2.0  # control characters, box drawing, blocks
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    normal = 1.0 if windows else 0.5  # typographic punctuation is typed on Windows far more than on DOS
    if char == "\xa0":  # joins words and numbers ("Conference\xa0phone", "120\xa0€")
        return normal
    if before.isalpha() and after.isalpha():
        if char == "’":  # the typographic apostrophe: O’Brien, l’étage
            return normal
        return 0.0 if char in _IN_WORD else -1.0
    if char in _TYPOGRAPHIC:
        if _usual_place(char, before, after):
            return normal
        return -0.5
    return 0.0 if char in _IN_WORD else -0.5


def _usual_place(char: str, before: str, after: str) -> bool:
    """Whether typographic ``char`` sits where writers put it, given its neighbours."""
    word_before, word_after = before.isalnum(), after.isalnum()
    if char in _OPENING:
        return not word_before
    if char in _DASHES:
        return not (word_before or word_after) or (before.isdigit() and after.isdigit())
    if char in _QUOTES:
        return not (word_before and word_after)
    if char in _AFTER_WORD:
        return not word_after
    if char in _MARKS:
        return word_before and not word_after
    if char in _CURRENCY:
        return not (before.isalpha() or after.isalpha())
    return True
