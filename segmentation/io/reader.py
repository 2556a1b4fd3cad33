"""Read a customer CSV exactly as it was written, whatever its encoding and dialect.

Every cell is kept as decoded text (``0001`` stays ``0001``, ``NA`` stays
``NA``) so that the labeled export can give the user's data back unchanged;
numbers for clustering are parsed later, from this text, in ``columns``.

This module only orchestrates; each job has its own module, as in CleverCSV:
``encoding`` (bytes → text), ``dialect`` (delimiter detection), ``parsing``
(text → cells) and ``lines`` (rows → file lines).
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from ..report.errors import SegmentationError
from .dialect import (
    DEFAULT,
    DELIMITER_NAMES,
    DELIMITERS,
    SNIFF_CHARS,
    Dialect,
    detect_delimiter,
    detect_dialect,
)
from .dialect import line_ending as _line_ending
from .encoding import UTF8, UTF8_BOM, decode, find_encoding, looks_binary, reject_binary
from .lines import FIRST_DATA_LINE, LineNumbers, count_in_file, line_numbers, one_line_per_row, physical_lines
from .parsing import first_record, parse, read_arrow, runaway_quote, working_names

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DELIMITERS",
    "FIRST_DATA_LINE",
    "CsvTable",
    "LineNumbers",
    "ReadReport",
    "detect_delimiter",
    "one_line_per_row",
    "read_csv",
]

#: Largest file ``read_csv`` and ``load`` accept by default (200 MB): bigger ones raise
#: ``file-too-large`` before being read, so an upload cannot exhaust the server's memory.
#: Larger tables go through Parquet (see docs/scale.md).
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
_LARGE_FILE = 16 * 1024 * 1024


@dataclass(frozen=True)
class ReadReport:
    """What was detected while reading a file, for the UI and the CLI to show.

    Read-only (frozen): it describes the file as found, and the exports use it
    to write their CSV in the file's own delimiter and header.

    Attributes
    ----------
    encoding : str
        Name of the encoding the file was read with, e.g. ``"UTF-8"``.
    delimiter : str
        The field delimiter, e.g. ``","`` or ``";"``.
    line_ending : str
        ``"CRLF"``, ``"LF"``, ``"CR"`` or ``"none"``.
    final_newline : bool
        Whether the file ends with a line break.
    quoted_fields : bool
        Whether the file has quoted fields.
    n_rows, n_columns : int
        Size of the table read (data rows, without the header).
    renamed_columns : dict of str to str
        Header cells (empty or duplicate) that got a working column name, old to new.
    ragged_lines : tuple of int
        File lines whose number of fields differs from the header's.
    header : tuple of str
        The header cells exactly as in the file; outputs write them back.
    encoding_detected : bool
        False when the caller chose the encoding.
    delimiter_detected : bool
        False when the file did not show its delimiter and a comma was assumed.
    encoding_alternatives : tuple of str
        Other encodings that read the text differently but almost as plausibly.
    literal_quotes : bool
        True when quotes were read as ordinary characters, as the caller chose.
    """

    encoding: str
    delimiter: str
    line_ending: str
    final_newline: bool
    quoted_fields: bool
    n_rows: int
    n_columns: int
    renamed_columns: dict[str, str] = field(default_factory=dict)
    ragged_lines: tuple[int, ...] = ()
    header: tuple[str, ...] = ()
    encoding_detected: bool = True
    delimiter_detected: bool = True
    encoding_alternatives: tuple[str, ...] = ()
    literal_quotes: bool = False

    @property
    def delimiter_name(self) -> str:
        return DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))

    def output_header(self, columns: Sequence[str]) -> list[str]:
        """The header cells an output writes for the table's ``columns``: the file's own.

        Columns past the header (extra fields of ragged rows) had no header
        cell in the file, so theirs is empty. A report without a header (built
        by hand) gives the column names back.
        """
        if not self.header:
            return list(columns)
        n_columns = len(columns)
        return [*self.header[:n_columns], *([""] * (n_columns - len(self.header)))]

    def describe(self) -> list[str]:
        """Plain-language lines describing the file."""
        lines = [f"{self.n_rows:,} rows × {self.n_columns} columns", self._format_line()]
        if self.encoding_alternatives:
            lines.append(
                f"the text also reads plausibly as {' or '.join(self.encoding_alternatives)}: "
                "if names or places look garbled, choose the file's encoding"
            )
        if self.literal_quotes:
            lines.append('quotes (") read as ordinary characters, as chosen')
        elif self.quoted_fields:
            lines.append("quoted fields")
        for old, new in self.renamed_columns.items():
            lines.append(f"column header {old!r} shown as {new!r} (exports keep the file's header)")
        if self.ragged_lines:
            shown = ", ".join(map(str, self.ragged_lines[:5]))
            lines.append(
                f"{len(self.ragged_lines)} rows had a different number of fields than "
                f"the header (lines {shown}{'…' if len(self.ragged_lines) > 5 else ''}); "
                "short rows were padded with empty cells"
            )
        return lines

    def _format_line(self) -> str:
        encoding = f"encoding {self.encoding}" + ("" if self.encoding_detected else " (as chosen)")
        delimiter = f"{self.delimiter_name}-separated"
        if not self.delimiter_detected:
            delimiter += " (no delimiter evident in the file; comma assumed)"
        ending = f"{self.line_ending} line endings" + ("" if self.final_newline else ", no final newline")
        return f"{encoding}, {delimiter}, {ending}"


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


@dataclass(frozen=True)
class _Layout:
    """The start of a file understood: its dialect, header cells and working column names."""

    dialect: Dialect
    dialect_detected: bool
    header: tuple[str, ...]
    names: list[str]
    renamed: dict[str, str]


@dataclass(frozen=True)
class _Text:
    """Facts about the decoded text that the report states."""

    encoding: str
    encoding_detected: bool
    sample: str
    tail: bytes
    quoted: bool
    alternatives: tuple[str, ...] = ()


def read_csv(
    source: str | Path | bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    encoding: str | None = None,
    literal_quotes: bool = False,
) -> CsvTable:
    """Read a CSV from a path or from the bytes of an upload.

    Parameters
    ----------
    source
        A path, or the file's bytes.
    max_bytes
        Larger files are refused.
    encoding
        A name from :func:`segmentation.io.encoding.encoding_names`, or any
        Python codec's name or alias, to read the file with; None detects it.
    literal_quotes
        Read ``"`` as an ordinary character: for a file whose stray quote
        would otherwise open a cell that runs on over the following rows.

    Returns
    -------
    CsvTable
        Every cell as exact text, and a report of what was detected.

    Raises
    ------
    SegmentationError
        When the file cannot be a customer table: ``file-missing``,
        ``file-unreadable``, ``file-too-large``, ``file-empty``,
        ``excel-workbook``, ``binary-file``, ``unknown-encoding``,
        ``encoding-mismatch``, ``unclosed-quote``, ``runaway-quote`` (a quote
        that opens a cell taking in the following rows), ``no-header`` or
        ``no-rows`` (header only).

    Examples
    --------
    >>> from segmentation import read_csv
    >>> table = read_csv(b"id;age\\n1;0042\\n")
    >>> table.report.delimiter, table.raw["age"].tolist()
    (';', ['0042'])
    """
    if not isinstance(source, (bytes, bytearray, memoryview)) and not literal_quotes:
        table = _read_large_utf8_file(Path(source), max_bytes, encoding)
        if table is not None:
            return table
    decoded = decode(_load_bytes(source, max_bytes), encoding)
    text_bytes = decoded.utf8
    sample = text_bytes[: SNIFF_CHARS * 4].decode("utf-8", errors="replace")
    reject_binary(sample)
    layout = _layout(sample)
    raw, ragged = parse(text_bytes, layout.dialect.delimiter, layout.names, literal_quotes=literal_quotes)
    lines = line_numbers(
        text_bytes.count,
        text_bytes[-64:],
        layout.dialect.delimiter,
        len(raw),
        lambda: io.StringIO(text_bytes.decode("utf-8"), newline=""),
    )
    if not literal_quotes and b'"' in text_bytes:
        _refuse_runaway_quote(
            raw, layout.dialect.delimiter, lines, physical_lines(text_bytes.count, text_bytes[-64:])
        )
    text = _Text(
        decoded.encoding.name,
        decoded.detected,
        sample,
        text_bytes[-64:],
        b'"' in text_bytes,
        decoded.alternatives,
    )
    return _table(raw, lines, _report(raw, layout, text, ragged, literal_quotes))


def _refuse_runaway_quote(raw: pd.DataFrame, delimiter: str, lines: LineNumbers, n_lines: int) -> None:
    """Raise ``runaway-quote`` when a quote opened a cell that swallowed rows (checked only when
    the file has more lines than rows, i.e. some cell spans lines)."""
    if n_lines <= len(raw) + 1:
        return
    found = runaway_quote(raw, delimiter)
    if found is not None:
        line = int(lines(np.array([found.row]))[0])
        raise SegmentationError(
            "runaway-quote", line=line, n_lines=found.n_lines, n_like_rows=found.n_like_rows
        )


def _layout(sample: str) -> _Layout:
    """The dialect, the header cells and the working column names, from the start of the file."""
    dialect = detect_dialect(sample)
    chosen = dialect or DEFAULT
    header = first_record(sample, chosen.delimiter)
    if not any(cell.strip() for cell in header):
        raise SegmentationError("no-header")
    names, renamed = working_names(header)
    return _Layout(chosen, dialect is not None, tuple(header), names, renamed)


def _report(
    raw: pd.DataFrame, layout: _Layout, text: _Text, ragged: list[int], literal_quotes: bool = False
) -> ReadReport:
    """The one place a ``ReadReport`` is built, whichever path read the file."""
    return ReadReport(
        encoding=text.encoding,
        delimiter=layout.dialect.delimiter,
        line_ending=_line_ending(text.sample),
        final_newline=text.tail.rstrip(b" ").endswith((b"\n", b"\r")),
        quoted_fields=text.quoted,
        n_rows=len(raw),
        n_columns=raw.shape[1],
        renamed_columns=layout.renamed,
        ragged_lines=tuple(ragged),
        header=layout.header,
        encoding_detected=text.encoding_detected,
        delimiter_detected=layout.dialect_detected,
        encoding_alternatives=text.alternatives,
        literal_quotes=literal_quotes,
    )


def _table(raw: pd.DataFrame, lines: LineNumbers, report: ReadReport) -> CsvTable:
    if raw.empty:
        raise SegmentationError("no-rows")
    return CsvTable(raw=raw, report=report, line_numbers=lines)


def _read_large_utf8_file(path: Path, max_bytes: int, encoding: str | None) -> CsvTable | None:
    """Let Arrow read a large, clean UTF-8 file itself, so it is never held whole as bytes.

    Returns None (the caller then takes the general path) for small files,
    when another encoding was asked for, and whenever the file is anything but
    well-formed UTF-8 with rows of equal width. Detection looks at the first
    256 KB, as the general path does.
    """
    if encoding is not None and find_encoding(encoding) not in (UTF8, UTF8_BOM):
        return None
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _too_large(size, max_bytes)
        if size < _LARGE_FILE:
            return None
        with path.open("rb") as handle:
            head = handle.read(SNIFF_CHARS * 4)
            handle.seek(-64, io.SEEK_END)
            tail = handle.read()
    except OSError:
        return None  # the general path reports the problem
    bom = head.startswith(b"\xef\xbb\xbf")
    try:
        sample = codecs.getincrementaldecoder("utf-8")().decode(head[3:] if bom else head, final=False)
    except UnicodeDecodeError:
        return None
    if "\x00" in sample or looks_binary(sample):
        return None
    layout = _layout(sample)
    delimiter = layout.dialect.delimiter
    try:
        raw = read_arrow(str(path), delimiter, layout.names, newlines_in_values=True)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if raw is None:
        return None
    lines = line_numbers(
        count_in_file(path), tail, delimiter, len(raw), lambda: path.open(encoding="utf-8-sig", newline="")
    )
    found = UTF8_BOM if bom else UTF8
    text = _Text(found.name, encoding is None, sample, tail, '"' in sample)
    return _table(raw, lines, _report(raw, layout, text, []))


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
