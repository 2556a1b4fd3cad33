"""Read a customer CSV exactly as it was written, whatever its dialect.

Every cell is kept as decoded text (``0001`` stays ``0001``, ``NA`` stays
``NA``) so that the labeled export can give the user's data back unchanged;
numbers for clustering are parsed later, from this text, in ``columns``.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from .errors import SegmentationError

DELIMITERS = (",", ";", "\t", "|")
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
_SNIFF_CHARS = 64 * 1024
_SNIFF_LINES = 200
_LARGE_FILE = 16 * 1024 * 1024
# cp1252 first: it decodes most Western European exports correctly; cp850 is
# what old DOS/Excel tools wrote; latin-1 never fails, so it is the last resort.
_LEGACY_ENCODINGS = ("cp1252", "cp850", "latin-1")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


@dataclass(frozen=True)
class ReadReport:
    """What was detected while reading a file, for the UI and the CLI to show."""

    encoding: str
    delimiter: str
    line_ending: str
    final_newline: bool
    quoted_fields: bool
    n_rows: int
    n_columns: int
    renamed_columns: dict[str, str] = field(default_factory=dict)
    ragged_lines: tuple[int, ...] = ()

    @property
    def delimiter_name(self) -> str:
        return _DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))

    def describe(self) -> list[str]:
        """Plain-language lines describing the file."""
        lines = [
            f"{self.n_rows:,} rows × {self.n_columns} columns",
            f"encoding {self.encoding}, {self.delimiter_name}-separated, "
            f"{self.line_ending} line endings" + ("" if self.final_newline else ", no final newline"),
        ]
        if self.quoted_fields:
            lines.append("quoted fields")
        for old, new in self.renamed_columns.items():
            lines.append(f"column header {old!r} renamed to {new!r}")
        if self.ragged_lines:
            shown = ", ".join(map(str, self.ragged_lines[:5]))
            lines.append(
                f"{len(self.ragged_lines)} rows had a different number of fields than "
                f"the header (lines {shown}{'…' if len(self.ragged_lines) > 5 else ''}); "
                "short rows were padded with empty cells"
            )
        return lines


FIRST_DATA_LINE = 2  # line 1 is the header
# Rows (0-based) to the file lines they start on.
LineNumbers = Callable[[np.ndarray], np.ndarray]


def one_line_per_row(rows: np.ndarray) -> np.ndarray:
    """Line numbers when each row takes one line after the header."""
    return np.asarray(rows, dtype=np.int64) + FIRST_DATA_LINE


@dataclass
class CsvTable:
    """A file's cells as text (string columns, ``""`` for empty) and its report.

    ``line_numbers(rows)`` gives the file line each row starts on, for
    messages that point into the file. It is row + 2 unless the file has blank
    lines or cells spanning lines; that is only checked when first asked.
    """

    raw: pd.DataFrame
    report: ReadReport
    line_numbers: LineNumbers = one_line_per_row


def read_csv(source: str | Path | bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> CsvTable:
    """Read a CSV from a path or from the bytes of an upload.

    Detects the encoding, the delimiter, quoting and line endings; raises
    ``SegmentationError`` with a plain explanation when the file cannot be a
    customer table (empty, header only, binary, too large).
    """
    if not isinstance(source, (bytes, bytearray, memoryview)):
        table = _read_large_utf8_file(Path(source), max_bytes)
        if table is not None:
            return table
    data = _load_bytes(source, max_bytes)
    text_bytes, encoding = _decode(data)
    sample = text_bytes[: _SNIFF_CHARS * 4].decode("utf-8", errors="replace")
    _reject_binary(sample)
    delimiter, names, renamed = _layout(sample)
    raw, ragged = _parse(text_bytes, delimiter, names)
    lines = _line_numbers(
        text_bytes.count,
        text_bytes[-64:],
        delimiter,
        len(raw),
        lambda: io.StringIO(text_bytes.decode("utf-8"), newline=""),
    )
    return _table(
        raw,
        ragged,
        lines,
        ReadReport(
            encoding=encoding,
            delimiter=delimiter,
            line_ending=_line_ending(sample),
            final_newline=text_bytes.rstrip(b" ").endswith((b"\n", b"\r")),
            quoted_fields=b'"' in text_bytes,
            n_rows=len(raw),
            n_columns=raw.shape[1],
            renamed_columns=renamed,
            ragged_lines=tuple(ragged),
        ),
    )


def _layout(sample: str) -> tuple[str, list[str], dict[str, str]]:
    """The delimiter and the (unique) column names, from the start of the file."""
    delimiter = detect_delimiter(sample)
    header = _first_record(sample, delimiter)
    if not any(cell.strip() for cell in header):
        raise SegmentationError("no-header")
    names, renamed = _unique_names(header)
    return delimiter, names, renamed


def _table(raw: pd.DataFrame, ragged: list[int], lines: LineNumbers, report: ReadReport) -> CsvTable:
    if raw.empty:
        raise SegmentationError("no-rows")
    return CsvTable(raw=raw, report=report, line_numbers=lines)


def _line_numbers(
    count: Callable[[bytes], int], tail: bytes, delimiter: str, n_rows: int, open_text: Callable[[], TextIO]
) -> LineNumbers:
    """``CsvTable.line_numbers`` for a file, working out the lines once, on first use.

    Counting line breaks settles the usual case (one line per row); only a file
    with blank lines or multi-line cells is read again, record by record.
    """

    @functools.cache
    def starts() -> np.ndarray | None:
        if _physical_lines(count, tail) == n_rows + 1:
            return None
        with open_text() as text:
            return _record_lines(text, delimiter, n_rows)

    def line_numbers(rows: np.ndarray) -> np.ndarray:
        lines = starts()
        return one_line_per_row(rows) if lines is None else lines[np.asarray(rows, dtype=np.int64)]

    return line_numbers


def _physical_lines(count: Callable[[bytes], int], tail: bytes) -> int:
    """Lines of text in a file (final line breaks not counting), given its ``count`` of a byte string."""
    ending, breaks = b"\n", count(b"\n")
    if not breaks:  # old Mac files end lines with CR alone
        ending, breaks = b"\r", count(b"\r")
    return breaks - tail[len(tail.rstrip(b"\r\n")) :].count(ending) + 1


def _record_lines(text: TextIO, delimiter: str, n_rows: int) -> np.ndarray | None:
    """The line each row starts on, read the way the parser reads (blank lines skipped, header first)."""
    reader = csv.reader(text, delimiter=delimiter, strict=False)
    starts: list[int] = []
    try:
        while True:
            start = reader.line_num + 1
            if next(reader):
                starts.append(start)
    except StopIteration:
        pass
    except csv.Error:
        return None  # the parser managed; only the line numbers in messages fall back to row + 2
    return np.array(starts[1:], dtype=np.int64) if len(starts) == n_rows + 1 else None


def _read_large_utf8_file(path: Path, max_bytes: int) -> CsvTable | None:
    """Let Arrow read a large, clean UTF-8 file itself, so it is never held whole as bytes.

    Returns None (the caller then takes the general path) for small files and
    whenever the file is anything but well-formed UTF-8 with rows of equal width.
    Detection looks at the first 256 KB, as the general path does.
    """
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _too_large(size, max_bytes)
        if size < _LARGE_FILE:
            return None
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_CHARS * 4)
            handle.seek(-64, io.SEEK_END)
            tail = handle.read()
    except OSError:
        return None  # the general path reports the problem
    bom = head.startswith(b"\xef\xbb\xbf")
    try:
        sample = codecs.getincrementaldecoder("utf-8")().decode(head[3:] if bom else head, final=False)
    except UnicodeDecodeError:
        return None
    if "\x00" in sample or _CONTROL_CHARS.search(sample):
        return None
    delimiter, names, renamed = _layout(sample)
    try:
        raw = _read_arrow(str(path), delimiter, names, newlines_in_values=True)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if raw is None:
        return None
    lines = _line_numbers(
        _count_in_file(path), tail, delimiter, len(raw), lambda: path.open(encoding="utf-8-sig", newline="")
    )
    return _table(
        raw,
        [],
        lines,
        ReadReport(
            encoding="UTF-8 with BOM" if bom else "UTF-8",
            delimiter=delimiter,
            line_ending=_line_ending(sample),
            final_newline=tail.rstrip(b" ").endswith((b"\n", b"\r")),
            quoted_fields='"' in sample,
            n_rows=len(raw),
            n_columns=raw.shape[1],
            renamed_columns=renamed,
        ),
    )


def _count_in_file(path: Path) -> Callable[[bytes], int]:
    """``count`` of a byte string over a whole file, read in blocks (never held whole)."""

    def count(needle: bytes) -> int:
        total = 0
        with path.open("rb") as handle:
            while block := handle.read(1 << 24):
                total += block.count(needle)
        return total

    return count


def _load_bytes(source: str | Path | bytes, max_bytes: int) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:
        path = Path(source)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise SegmentationError("file-missing", path=str(path), reason=exc.strerror or exc) from None
        if size > max_bytes:
            raise _too_large(size, max_bytes)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SegmentationError("file-unreadable", path=str(path), reason=exc.strerror or exc) from None
    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    if not data[:4096].strip() and not data.strip():  # look past the head only when it is blank
        raise SegmentationError("file-empty")
    return data


def _too_large(size: int, max_bytes: int) -> SegmentationError:
    return SegmentationError("file-too-large", size_mb=size / 2**20, limit_mb=max_bytes / 2**20)


def _decode(data: bytes) -> tuple[bytes, str]:
    """Return the content as UTF-8 bytes and the name of the detected encoding."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SegmentationError("excel-workbook")
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode(data[3:])[0], "UTF-8 with BOM"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16").encode("utf-8"), "UTF-16"
        except UnicodeDecodeError:
            raise _not_text() from None
    if b"\x00" in data[:_SNIFF_CHARS]:
        raise _not_text()
    if _is_utf8(data):
        return data, "UTF-8"
    text, encoding = _best_legacy_decoding(data)
    return text.encode("utf-8"), encoding


def _is_utf8(data: bytes, chunk: int = 1 << 20) -> bool:
    """Validate UTF-8 piece by piece, so a large file is never held twice as text."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), chunk):
            decoder.decode(view[start : start + chunk], final=start + chunk >= len(data))
    except UnicodeDecodeError:
        return False
    return True


def _best_legacy_decoding(data: bytes) -> tuple[str, str]:
    """Pick the single-byte encoding whose accented letters look most like words."""
    best: tuple[float, str, str] | None = None
    for encoding in _LEGACY_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text)
        if best is None or score > best[0]:
            best = (score, text, encoding)
    assert best is not None  # latin-1 decodes any byte string
    return best[1], best[2]


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _plausibility(text: str) -> float:
    """Score a decoding: accented lowercase letters inside words are likely right.

    Wrong code pages turn ``ä`` into ``„`` or ``ç`` into ``þ``/``Ò``: symbols or
    capitals wedged between lowercase letters, which real words rarely have.
    """
    score = 0.0
    for match in _NON_ASCII.finditer(text):
        char = match.group()
        i = match.start()
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if not char.isalpha():
            score -= 1
        elif char.islower() or not (before.islower() or after.islower()):
            score += 1
        else:
            score -= 0.5
    return score


def _not_text() -> SegmentationError:
    return SegmentationError("binary-file")


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _reject_binary(sample: str) -> None:
    controls = len(_CONTROL_CHARS.findall(sample))
    replaced = sample.count("\ufffd")
    if controls + replaced > max(2, len(sample) // 100):
        raise _not_text()


def detect_delimiter(sample: str) -> str:
    """Choose the delimiter that splits the first lines into the most consistent columns.

    A delimiter wins when most rows have as many fields as the header; among
    those, the one giving more columns. Files with a single column fall back to
    a comma.
    """
    lines = sample.splitlines(keepends=True)[:_SNIFF_LINES]
    if len(lines) > 1 and len(sample) >= _SNIFF_CHARS:
        lines = lines[:-1]  # the sample may cut the last line in half
    text = "".join(lines)
    best = (0.0, 1, ",")
    for delimiter in DELIMITERS:
        try:
            # newline="": let the csv module split CR-only (old Mac Excel) lines too.
            rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            counts = [len(row) for row in rows if row]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        consistency = sum(1 for n in counts if n == counts[0]) / len(counts)
        candidate = (round(consistency, 2), counts[0], delimiter)
        if candidate[:2] > best[:2]:
            best = candidate
    return best[2]


def _first_record(sample: str, delimiter: str) -> list[str]:
    try:
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        return next((row for row in reader if row), [])
    except csv.Error:
        return sample.splitlines()[0].split(delimiter) if sample else []


def _unique_names(header: list[str]) -> tuple[list[str], dict[str, str]]:
    """Make header names non-empty and unique, reporting every change."""
    names: list[str] = []
    renamed: dict[str, str] = {}
    seen: Counter[str] = Counter()
    for position, name in enumerate(header, start=1):
        new = name.strip() or f"column_{position}"
        seen[new] += 1
        if seen[new] > 1:
            new = f"{new}_{seen[new]}"
            while new in seen:
                new += "_"
            seen[new] += 1
        if new != name:
            renamed[name if name not in renamed else f"{name} (column {position})"] = new
        names.append(new)
    return names, renamed


def _read_arrow(
    source: str | io.BytesIO, delimiter: str, names: list[str], *, newlines_in_values: bool
) -> pd.DataFrame | None:
    """Every cell as exact text (no nulls, no type guessing), or None when a row's width differs.

    The header is read as the first record and dropped here, rather than skipped
    with ``skip_rows``: that option counts physical lines, so a blank line before
    the header or a quoted header name spanning two lines would turn the header
    (or half of it) into a customer row.
    """
    ragged: list[object] = []

    def remember(row: object) -> str:
        ragged.append(row)
        return "skip"

    table = pacsv.read_csv(
        source,
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter, newlines_in_values=newlines_in_values, invalid_row_handler=remember
        ),
        # Small blocks keep the parser's working memory small (and are no slower).
        read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 20),
        convert_options=pacsv.ConvertOptions(
            # large_string is what pandas holds: reading it directly saves a converted copy.
            column_types={name: pa.large_string() for name in names},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            null_values=[],
        ),
    )
    return None if ragged else table.slice(1).to_pandas(types_mapper=_string_dtype)


def _parse(data: bytes, delimiter: str, names: list[str]) -> tuple[pd.DataFrame, list[int]]:
    """Parse with pyarrow (fast); fall back to the csv module for ragged rows."""
    try:
        # Multi-line quoted cells need the slower parser mode; only pay for it
        # when the file has quotes at all.
        raw = _read_arrow(io.BytesIO(data), delimiter, names, newlines_in_values=b'"' in data)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raw = None
    return (raw, []) if raw is not None else _parse_python(data, delimiter, names)


def _string_dtype(arrow_type: pa.DataType) -> pd.StringDtype | None:
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return pd.StringDtype("pyarrow")
    return None


def _parse_python(data: bytes, delimiter: str, names: list[str]) -> tuple[pd.DataFrame, list[int]]:
    """Slow, forgiving path: pad short rows, keep extra fields in extra columns."""
    text = data.decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    rows: list[list[str]] = []
    ragged: list[int] = []
    width = len(names)
    try:
        next((row for row in reader if row), None)  # the header, after any blank lines
        for row in reader:
            if not row:
                continue
            if len(row) != len(names):
                ragged.append(reader.line_num)
                width = max(width, len(row))
            rows.append(row)
    except csv.Error as exc:  # e.g. a cell over the csv module's field size limit
        raise SegmentationError("unclosed-quote", line=reader.line_num, detail=exc) from None
    extra = (f"extra_column_{i}" for i in range(1, width + 1))  # names the header does not use
    all_names = names + [name for name in extra if name not in names][: width - len(names)]
    padded = [row + [""] * (width - len(row)) for row in rows]
    frame = pd.DataFrame(padded, columns=all_names, dtype=pd.StringDtype("pyarrow"))
    return frame, ragged


def _line_ending(sample: str) -> str:
    if "\r\n" in sample:
        return "CRLF"
    if "\n" in sample:
        return "LF"
    if "\r" in sample:
        return "CR"
    return "none"
