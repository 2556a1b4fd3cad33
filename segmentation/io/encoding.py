"""Bytes to text: byte order marks, UTF-8, UTF-16 and UTF-32, and the world's legacy code pages.

A byte order mark settles the encoding; so does valid UTF-8. UTF-16 without a
mark shows itself by the zero bytes of its ASCII characters, all on one side of
each pair. Any other file was written in a legacy code page, chosen on the
evidence of its text (see ``codepages``): when another page reads the text
differently but nearly as well, :class:`Decoded` names it too, and the read
report says so. A user can name any encoding Python knows instead.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from ..report.errors import SegmentationError
from . import codepages


@dataclass(frozen=True)
class Encoding:
    """An encoding: the name people read and the Python codec that decodes it."""

    name: str
    codec: str


UTF8 = Encoding("UTF-8", "utf-8")
UTF8_BOM = Encoding("UTF-8 with BOM", "utf-8-sig")
UTF16 = Encoding("UTF-16", "utf-16")
UTF16_LE = Encoding("UTF-16 LE", "utf-16-le")
UTF16_BE = Encoding("UTF-16 BE", "utf-16-be")
UTF32 = Encoding("UTF-32", "utf-32")
# Candidates for files without a byte order mark that are not UTF-8, in the
# order that breaks ties: Windows pages first (what Excel writes), Western
# first; Latin-1 only as a last resort (its 0x80-0x9F are control characters).
LEGACY = (
    Encoding("Windows-1252 (Western European)", "cp1252"),
    Encoding("ISO-8859-15 (Western European with €)", "iso8859-15"),
    Encoding("Windows-1250 (Central European)", "cp1250"),
    Encoding("Windows-1251 (Cyrillic)", "cp1251"),
    Encoding("Windows-1254 (Turkish)", "cp1254"),
    Encoding("Windows-1253 (Greek)", "cp1253"),
    Encoding("Windows-1257 (Baltic)", "cp1257"),
    Encoding("Windows-1255 (Hebrew)", "cp1255"),
    Encoding("Windows-1256 (Arabic)", "cp1256"),
    Encoding("Windows-1258 (Vietnamese)", "cp1258"),
    Encoding("GB18030 (Simplified Chinese, also GBK)", "gb18030"),
    Encoding("Big5 (Traditional Chinese)", "cp950"),
    Encoding("Shift_JIS (Japanese)", "cp932"),
    Encoding("EUC-KR (Korean)", "cp949"),
    Encoding("Mac Roman (Western European)", "mac-roman"),
    Encoding("DOS 850 (Western European)", "cp850"),
    Encoding("DOS 866 (Cyrillic)", "cp866"),
    Encoding("ISO-8859-1 (Latin-1)", "latin-1"),
)
SUPPORTED = (UTF8, UTF8_BOM, UTF16, UTF16_LE, UTF16_BE, UTF32, *LEGACY)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Windows-1258 writes most Vietnamese letters as a letter and a combining tone mark;
# they are composed again on reading, so "Nguyễn" reads as it was typed.
_COMPOSED = frozenset({"cp1258"})
_SNIFF_BYTES = 64 * 1024
# Pages read by their Windows superset, which decodes the same bytes the same way and more.
_SUPERSETS = {"gbk": "gb18030", "gb2312": "gb18030", "big5": "cp950", "shift_jis": "cp932", "euc_kr": "cp949"}
_BOMS = (
    (codecs.BOM_UTF32_LE, UTF32),
    (codecs.BOM_UTF32_BE, UTF32),
    (codecs.BOM_UTF16_LE, UTF16),
    (codecs.BOM_UTF16_BE, UTF16),
)


def encoding_names() -> list[str]:
    """The names offered for a choice (e.g. a select box); any other codec Python knows works too."""
    return [encoding.name for encoding in SUPPORTED]


def find_encoding(name: str) -> Encoding:
    """The encoding called ``name``: a name of :func:`encoding_names`, or any Python codec's name or alias.

    Raises ``SegmentationError("unknown-encoding")`` for a name that is not a text encoding.
    """
    wanted = name.strip().casefold()
    for encoding in SUPPORTED:
        if wanted in (encoding.name.casefold(), encoding.codec):
            return encoding
    try:
        info = codecs.lookup(wanted)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):  # base64, rot13: not text encodings
        raise SegmentationError("unknown-encoding", name=name, choices=", ".join(encoding_names()))
    codec = _SUPERSETS.get(info.name, info.name)
    for encoding in SUPPORTED:
        if codecs.lookup(encoding.codec).name == codec:
            return encoding
    return Encoding(info.name, info.name)


@dataclass(frozen=True)
class Decoded:
    """A file's content as UTF-8 bytes, the encoding it was read with, and close rivals.

    ``alternatives`` names other code pages that read the text differently but
    almost as plausibly: the choice was not clear, and the report says so.
    """

    utf8: bytes
    encoding: Encoding
    detected: bool
    alternatives: tuple[str, ...] = ()


def decode(data: bytes, encoding: str | None = None) -> Decoded:
    """Decode a file's bytes, detecting the encoding unless ``encoding`` names one.

    Raises ``SegmentationError`` for an Excel workbook, binary data, or bytes
    that the chosen encoding cannot decode.
    """
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise SegmentationError("excel-workbook")
    if encoding is not None:
        chosen = find_encoding(encoding)
        if chosen.codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
            chosen = UTF8_BOM
        return Decoded(_decode_with(data, chosen), chosen, detected=False)
    if data.startswith(codecs.BOM_UTF8):
        body = data[3:]
        return Decoded(body, UTF8_BOM, detected=True) if is_utf8(body) else _detect_legacy(body)
    for bom, found in _BOMS:
        if data.startswith(bom):
            return Decoded(_decode_with(data, found, binary=True), found, detected=True)
    if b"\x00" in data[:_SNIFF_BYTES]:
        wide = _utf16_without_bom(data)
        if wide is None:
            raise SegmentationError("binary-file")
        return Decoded(_decode_with(data, wide, binary=True), wide, detected=True)
    if is_utf8(data):
        return Decoded(data, UTF8, detected=True)
    return _detect_legacy(data)


def _utf16_without_bom(data: bytes) -> Encoding | None:
    """UTF-16 LE or BE when the zero bytes of the sample sit on one side of each pair, else None.

    Text in UTF-16 has ASCII characters (digits, delimiters, line breaks) with
    a zero high byte; binary data has zeros on both sides.
    """
    sample = data[: _SNIFF_BYTES - _SNIFF_BYTES % 2]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    pairs = len(sample) // 2
    for zeros, others, found in ((odd, even, UTF16_LE), (even, odd, UTF16_BE)):
        if zeros >= 0.05 * pairs and others <= 0.1 * zeros:
            try:
                text = sample.decode(found.codec, errors="strict")
            except UnicodeDecodeError:
                text = sample[:-2].decode(found.codec, errors="replace")  # a pair cut at the end
            return None if looks_binary(text, tolerance=max(2, len(text) // 100)) else found
    return None


def _detect_legacy(data: bytes) -> Decoded:
    """Decode with the most plausible legacy code page that decodes every byte."""
    tokens = codepages.evidence_tokens(data)
    ranked = codepages.rank(tokens, tuple(encoding.codec for encoding in LEGACY))
    by_codec = {encoding.codec: encoding for encoding in LEGACY}
    for position, candidate in enumerate(ranked):
        try:
            text = data.decode(candidate.codec)
        except UnicodeDecodeError:
            continue  # an undefined byte past the scanned part
        rivals = codepages.close_rivals(tokens, ranked[position:])
        return Decoded(
            _composed(text, candidate.codec).encode("utf-8"),
            by_codec[candidate.codec],
            detected=True,
            alternatives=tuple(by_codec[rival.codec].name for rival in rivals),
        )
    raise SegmentationError("binary-file")  # not reached: Latin-1 decodes any bytes


def _composed(text: str, codec: str) -> str:
    return unicodedata.normalize("NFC", text) if codec in _COMPOSED else text


def _decode_with(data: bytes, encoding: Encoding, *, binary: bool = False) -> bytes:
    """``data`` as UTF-8 bytes; a file that is UTF-8 already is not copied."""
    if encoding.codec == "utf-8" and is_utf8(data):
        return data
    if encoding.codec == "utf-8-sig" and data.startswith(codecs.BOM_UTF8) and is_utf8(data[3:]):
        return data[3:]
    try:
        return _composed(data.decode(encoding.codec), encoding.codec).encode("utf-8")
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
