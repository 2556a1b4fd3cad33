"""Which legacy code page wrote a file: the evidence of language in its non-ASCII text.

A file without a byte order mark that is not valid UTF-8 was written in a
legacy code page, and the bytes alone rarely say which one. Each candidate
page decodes the file's non-ASCII tokens, and the page whose text reads as
text of one language wins:

- alphabetic pages by their words: Cyrillic words for Windows-1251,
  ``ł ą ę ż`` for Windows-1250, ``ā ē ī`` for Windows-1257, Greek, Hebrew or
  Arabic words for 1253, 1255 and 1256, Vietnamese letters for 1258;
- East Asian pages (GB18030, Big5, Shift_JIS, EUC-KR) by valid multi-byte
  sequences that give the language's frequent characters (see ``scripts``).

Typographic punctuation (curly quotes, dashes, the no-break space, ``€``)
counts as normal text where writers put it (fully in the Windows pages, half in
the DOS pages, which have fewer such marks), whereas box-drawing characters,
control and private-use characters, symbols wedged inside words and words that
mix scripts or cases count against a page. Ties go to the more common page
(:data:`LEGACY`'s order). When another page reads the file differently but
almost as well, it is named as well, so the report can say so.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .scripts import EAST_ASIAN_CODECS, LETTER_SETS, byte_length, east_asian_weight, is_letter, script

# Evidence is gathered from the first MB and from windows spread over the rest, so
# that a large file costs little more than a small one.
_HEAD_BYTES = 1 << 20
_WINDOWS_SPREAD = 8
_WINDOW_BYTES = 128 * 1024
# The most frequent distinct tokens say all there is to say; the rest only cost time.
_MAX_TOKENS = 5000
# Another page is named beside the chosen one when it scores at least this share of its score.
CLOSE_SHARE = 0.9
# Customer files capitalise names and places: a cased alphabet whose words never start
# with a capital is more likely an uncased script (Hebrew, Arabic) read in the wrong page.
_MIN_WORDS_FOR_CASE = 5
_UNCAPITALISED_WEIGHT = 0.5

# A "token": a run of bytes between ASCII spaces and CSV punctuation that holds
# at least one byte above 0x7F. (No ``|``: East Asian pages use it as a second byte.)
# (Starting only at a token's first byte, and never giving back its ASCII part, keeps the search linear.)
_TOKEN = re.compile(rb"(?<![^\s,;\"'])[^\s,;\"'\x80-\xff]*+[\x80-\xff][^\s,;\"']*")

# Punctuation that is normal in text typed on Windows: it counts for a Windows page.
_TYPOGRAPHIC = frozenset("“”‘’„‚–—…€\xa0«»•™©®°§±·‹›№¿¡×²³½¼¾£¥¢ªº₪₫،؛؟״׳")
# Letters so rare in customer data that they count a quarter as much (ÿ ends few words but L'Haÿ).
_RARE = frozenset("ÿŸĺĹŕŔľĽţŢ")
_OPENING = frozenset("„‚¿¡§№")
_DASHES = frozenset("–—")
_QUOTES = frozenset("“”‘’«»‹›")
_AFTER_WORD = frozenset("…ªº،؛؟")  # ª º: ordinals, as in "Nº" and "2º piso"
_MARKS = frozenset("™®")  # after a name: "Brand™"
_CURRENCY = frozenset("€£¥¢₪₫")
_AFTER_NUMBER = frozenset("°²³½¼¾")  # 20°, m², 1½
_PAIRING = _QUOTES | _DASHES | frozenset("…€\xa0„‚")
# Inside a word, only these non-letters are normal (O’Brien, l·l, soft hyphen, Hebrew ״ in דוא״ל).
_IN_WORD = frozenset("’·\xad״׳")
_LETTER = re.compile(r"[^\W\d_]+")
# Pages of systems where typographic punctuation is typed (Windows, ISO, Mac), unlike the DOS pages.
_TYPOGRAPHIC_PAGES = frozenset(
    {
        "cp1250",
        "cp1251",
        "cp1252",
        "cp1253",
        "cp1254",
        "cp1255",
        "cp1256",
        "cp1257",
        "cp1258",
        "iso8859-15",
        "mac-roman",
    }
)


@dataclass(frozen=True)
class Ranked:
    """A candidate page and its evidence score."""

    codec: str
    score: float


def evidence_tokens(data: bytes) -> Counter[bytes]:
    """The non-ASCII tokens of the file's sampled parts, with their counts."""
    tokens: Counter[bytes] = Counter()
    for part in _evidence_parts(data):
        tokens.update(_TOKEN.findall(part))
    if not tokens:  # the samples missed the few non-ASCII bytes: look everywhere
        tokens.update(_TOKEN.findall(data))
    if len(tokens) > _MAX_TOKENS:
        tokens = Counter(dict(tokens.most_common(_MAX_TOKENS)))
    return tokens


def rank(tokens: Counter[bytes], codecs: tuple[str, ...]) -> list[Ranked]:
    """The pages among ``codecs`` that decode every token, most plausible first (ties: ``codecs`` order)."""
    scored = []
    for order, codec in enumerate(codecs):
        result = language_score(tokens, codec)
        if result is not None:
            scored.append((-result, order, Ranked(codec, result)))
    return [ranked for _, _, ranked in sorted(scored, key=lambda item: item[:2])]


def close_rivals(tokens: Counter[bytes], ranked: list[Ranked]) -> list[Ranked]:
    """Pages after the first that read some tokens differently and read those nearly as well.

    Only the tokens the two pages read differently are compared (``€`` or
    ``Ђ``, ``Müller`` or ``Mьller``): most tokens of a file read the same in
    many pages and say nothing about the choice.
    """
    if len(ranked) < 2:
        return []
    best = ranked[0]
    rivals = []
    for other in ranked[1:]:
        differing = Counter(
            {token: n for token, n in tokens.items() if _reads(token, best) != _reads(token, other)}
        )
        if not differing:
            continue
        mine, theirs = language_score(differing, best.codec), language_score(differing, other.codec)
        if mine is not None and theirs is not None and 0 < theirs >= CLOSE_SHARE * mine:
            rivals.append(other)
    return rivals


def _reads(token: bytes, ranked: Ranked) -> str:
    return token.decode(ranked.codec, errors="replace")


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
    letters: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    cased_words: int = 0
    capitalised_words: int = 0


def language_score(tokens: Counter[bytes], codec: str) -> float | None:
    """How much the tokens decoded with ``codec`` read as text of one language.

    Returns None when the codec cannot decode some token (an undefined byte).
    """
    evidence = _Evidence()
    windows = codec in _TYPOGRAPHIC_PAGES
    east_asian = codec in EAST_ASIAN_CODECS
    for token, count in tokens.items():
        try:
            text = unicodedata.normalize("NFC", token.decode(codec))
        except UnicodeDecodeError:
            return None
        _score_token(text, count, windows, evidence, codec if east_asian else None)
    bonus = _language_bonus(evidence.letters)
    if evidence.cased_words >= _MIN_WORDS_FOR_CASE and not evidence.capitalised_words:
        bonus *= _UNCAPITALISED_WEIGHT
    return evidence.score + bonus


def _language_bonus(letters: dict[str, float]) -> float:
    """+1 per letter of the main language's alphabet, +0.25 per other plausible letter.

    The main language is the one whose alphabet holds most of the letters seen;
    a wrong page scatters letters over several alphabets.
    """
    total = sum(letters.values())
    if not total:
        return 0.0
    best = max(
        sum(n for letter, n in letters.items() if letter in alphabet) for alphabet in LETTER_SETS.values()
    )
    return best + 0.25 * (total - best)


def _score_token(text: str, count: int, windows: bool, evidence: _Evidence, east_asian: str | None) -> None:
    """Add one decoded token's evidence, ``count`` times."""
    done = _east_asian_positions(text, count, evidence, east_asian) if east_asian else set()
    done |= _letter_positions(text, count, evidence)
    for i, char in enumerate(text):
        if char < "\x80" or i in done:
            continue
        evidence.score += count * _symbol_score(text, i, windows)


def _east_asian_positions(text: str, count: int, evidence: _Evidence, codec: str) -> set[int]:
    """Score the East Asian characters of ``text`` (per byte they took); return their positions.

    A lone character against ASCII letters is a Latin word read in the wrong
    page, and half-width katakana beside full-width characters
    are bytes of another page split the wrong way.
    """
    covered = set()
    wide = any(script(char) in ("han", "kana", "hangul") for char in text)
    for i, char in enumerate(text):
        weight = east_asian_weight(char, codec)
        if weight is None:
            continue
        covered.add(i)
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if _glued(before, after) or (wide and script(char) == "halfwidth kana"):
            weight = -1.0
        evidence.score += count * weight * byte_length(char, codec)
    return covered


def _glued(before: str, after: str) -> bool:
    """A lone East Asian character against an ASCII letter (``M黮ler``, ``Jos驕``): a Latin word misread.

    A run of them after a Latin word (``iPhone手机``) is normal.
    """
    latin = [side.isascii() and side.isalpha() for side in (before, after)]
    east_asian = [script(side) in ("han", "kana", "hangul") for side in (before, after)]
    return all(latin) or (any(latin) and not any(east_asian))


def _letter_positions(text: str, count: int, evidence: _Evidence) -> set[int]:
    """Score the words of ``text`` that hold non-ASCII letters; return the positions they cover."""
    covered: set[int] = set()
    for match in _LETTER.finditer(text):
        word = match.group()
        if word.isascii() or not all(is_letter(char) for char in word if char >= "\x80"):
            continue
        covered.update(range(match.start(), match.end()))
        foreign = [char for char in word if char >= "\x80"]
        if not _plausible_word(word):
            evidence.score -= count * len(foreign)
        else:
            if len(word) > 1 and any(char.isupper() or char.islower() for char in foreign):
                evidence.cased_words += count
                evidence.capitalised_words += count * word[0].isupper()
            # A one-letter word is weak evidence (a capital alone, or a letter between digits, none).
            weight = 1.0 if len(word) > 1 else 0.5 if _lower_alone(word, text, match) else 0.0
            for char in foreign:
                evidence.letters[char] += count * weight * (0.25 if char in _RARE else 1.0)
    return covered


def _lower_alone(word: str, text: str, match: re.Match[str]) -> bool:
    """A one-letter word in lower case (or of an uncased script), not between digits."""
    start, end = match.start(), match.end()
    between = start > 0 and end < len(text) and text[start - 1].isdigit() and text[end].isdigit()
    return not word.isupper() and not between


def _plausible_word(word: str) -> bool:
    """One script, spelt like a word of it, and cased like a word: ``word``, ``WORD``, ``Word``."""
    scripts = {script(char) for char in word if char >= "\x80"}
    scripts |= {"latin"} if any(char.isascii() for char in word) else set()
    if len(scripts) > 1 or not _spelt_like(word, scripts.pop()):
        return False
    if word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower()):
        return True
    # Names such as "McDonald" or "éX" mix cases with ASCII capitals; a wrong page shows
    # as an accented capital inside a word that is not in capitals ("CafÚ", "OÆBrien").
    return not any(char >= "\x80" and char.isupper() for char in word[1:])


_CYRILLIC_VOWELS = frozenset("аеёиоуыэюяіїєўАЕЁИОУЫЭЮЯІЇЄЎ")
_HEBREW_FINALS = frozenset("ךםןףץ")
# Greek words end in a vowel, ς, ν or ρ (and final sigma ends its word).
_GREEK_ENDINGS = frozenset("αεηιουωάέήίόύώϊϋΐΰςνρ")


def _spelt_like(word: str, kind: str) -> bool:
    """Spelling any word of the script has: a Cyrillic word has a vowel (``лдп`` is Hebrew ``כהן``
    read in Windows-1251), a Hebrew final letter ends its word, a Greek word ends as Greek words do."""
    if kind == "cyrillic" and len(word) > 1 and not word.isupper():
        return any(char in _CYRILLIC_VOWELS for char in word)
    if kind == "hebrew":
        return not any(char in _HEBREW_FINALS for char in word[:-1])
    if kind == "greek" and not word.isupper():
        return "ς" not in word[:-1] and (len(word) < 3 or word[-1].lower() in _GREEK_ENDINGS)
    return True


def _symbol_score(text: str, i: int, windows: bool) -> float:
    """A non-letter (or a letter of another kind) at ``text[i]``: normal, unlikely or impossible.

    Typographic punctuation in its usual place (an opening quote before a
    word, a dash between spaces, ``€`` by a number, a no-break space anywhere)
    is evidence for a Windows page; in an odd place it is evidence against.
    """
    char = text[i]
    category = unicodedata.category(char)
    if category in ("Cc", "Co", "Cn") or 0x2500 <= ord(char) < 0x25A0 or char == "\ufffd":
        return -2.0  # control and private-use characters, box drawing, blocks
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
        if _usual_place(char, before, after) and not (_odd_symbol(before) or _odd_symbol(after)):
            return normal
        return -0.5
    return 0.0 if char in _IN_WORD else -0.5


def _odd_symbol(char: str) -> bool:
    """A non-ASCII symbol that typographic marks do not stand beside (``·¼``, ``°±``); quotes,
    dashes, ``…``, ``€`` and the no-break space pair with each other normally."""
    return not char.isascii() and not char.isalnum() and not char.isspace() and char not in _PAIRING


def _usual_place(char: str, before: str, after: str) -> bool:
    """Whether typographic ``char`` sits where writers put it, given its neighbours."""
    word_before, word_after = before.isalnum(), after.isalnum()
    if char in _AFTER_NUMBER:
        return before.isdigit() or (char in "½¼¾" and before == " ")
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
