"""The labeled customers as an Excel workbook: every cell with its value and kind, and a summary.

Sheet "Customers" holds every input row and column, then ``segment``,
``segment_name`` and (when some row has one) ``segment_note``; sheet
"Summary" the per-segment table; on request one sheet per segment with its
customers. Cells keep what they were: numbers as numbers, dates as dates,
booleans as booleans, text as text. Text is always written as a string cell,
so ``=HYPERLINK(...)`` from the input is shown, never run: no formula is ever
written. From a workbook input each cell's kind is the one read
(``WorkbookReport.cell_kinds``); from a CSV, a cell of a numeric column that
is a number written plainly (``34``, ``-2.5``; not ``0042`` or ``1,5``) and at
most 15 digits long becomes a number, an ISO date (``2023-01-15``) a date, and
everything else stays the exact text.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import xlsxwriter

from ..io.sheets import BOOL, DATE, DATETIME, EMPTY, NUMBER, TEXT, TIME
from ..io.workbook import WorkbookReport
from .export import SEGMENT, SEGMENT_NAME, SEGMENT_NOTE, unique_name

if TYPE_CHECKING:
    from ..prepare.dataset import Dataset

CUSTOMERS, SUMMARY = "Customers", "Summary"
_PLAIN_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]*[1-9])?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?: [0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?")
_EXCEL_DIGITS = 15  # Excel keeps 15 significant digits: longer numbers stay text
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_OPTIONS = {
    "constant_memory": True,  # rows go to disk as they are written: a million rows stay small
    "strings_to_numbers": False,
    "strings_to_formulas": False,
    "strings_to_urls": False,
}


@dataclass(frozen=True)
class WorkbookColumns:
    """The input's cells with what they are: per column, a kind for each cell and its date format."""

    kinds: Mapping[str, np.ndarray] = field(default_factory=dict)
    date_formats: Mapping[str, str] = field(default_factory=dict)


def infer_kinds(raw: pd.DataFrame, numeric: Sequence[str]) -> WorkbookColumns:
    """Kinds for a CSV's cells: plain numbers in ``numeric`` columns, ISO dates, the rest text."""
    kinds: dict[str, np.ndarray] = {}
    for name in raw.columns:
        text = raw[name].fillna("")
        column = np.where(text.str.len().to_numpy() > 0, TEXT, EMPTY).astype(np.int8)
        if name in numeric:
            plain = text.str.fullmatch(_PLAIN_NUMBER.pattern).to_numpy(dtype=bool)
            digits = text.str.count(r"[0-9]").to_numpy() <= _EXCEL_DIGITS
            column[plain & digits] = NUMBER
        iso = text.str.fullmatch(_ISO_DATE.pattern).to_numpy(dtype=bool)
        if iso.any():
            column[iso] = np.where(text[iso].str.len().to_numpy() > 10, DATETIME, DATE)
        kinds[str(name)] = column
    return WorkbookColumns(kinds)


def columns_of(dataset: Dataset) -> WorkbookColumns:
    """The kinds of a loaded file's cells: as read from a workbook, or inferred for a CSV."""
    report = dataset.read_report
    if isinstance(report, WorkbookReport):
        return WorkbookColumns(report.cell_kinds, report.date_formats)
    numeric = [name for name, column in dataset.columns.items() if column.info.kind == "numeric"]
    return infer_kinds(dataset.raw, numeric)


def labeled_workbook(
    raw: pd.DataFrame,
    segments: np.ndarray,
    names: Mapping[int, str],
    columns: WorkbookColumns,
    *,
    header: Sequence[str] | None = None,
    notes: Sequence[str] | np.ndarray | None = None,
    summary: pd.DataFrame | None = None,
    per_segment: bool = False,
    path: str | Path | None = None,
) -> bytes | None:
    """Write the workbook; returns its bytes, or writes ``path`` and returns None.

    ``segments`` holds each row's segment (0: not segmented); ``names`` a name
    for each segment used; ``header`` the input's header cells (default: the
    column names).
    """
    sink: io.BytesIO | str = io.BytesIO() if path is None else str(path)
    book = xlsxwriter.Workbook(sink, _OPTIONS)
    formats = _Formats(book)
    segments = np.asarray(segments, dtype=np.int64)
    note_text = None if notes is None else pd.Series(np.asarray(notes, dtype=object)).fillna("").astype(str)
    if note_text is not None and not (note_text.str.len() > 0).any():
        note_text = None
    cells = _ColumnCells(raw, columns)
    out_header = _header(raw, header, note_text is not None)
    sheets = [(book.add_worksheet(CUSTOMERS), np.arange(len(raw)))]
    if summary is not None:
        _write_summary(book.add_worksheet(SUMMARY), summary, formats)
    if per_segment:
        taken = {CUSTOMERS.lower(), SUMMARY.lower()}
        for number in sorted(int(s) for s in np.unique(segments) if s > 0):
            title = _sheet_name(f"{number} {names.get(number, '')}".strip(), taken)
            sheets.append((book.add_worksheet(title), np.flatnonzero(segments == number)))
    for sheet, rows in sheets:
        sheet.write_row(0, 0, out_header, formats.header)
        for line, position in enumerate(rows, start=1):
            row = int(position)
            cells.write(sheet, line, row, formats)
            column = len(cells.names)
            segment = int(segments[row])
            if segment:
                sheet.write_number(line, column, segment)
                sheet.write_string(line, column + 1, names.get(segment, ""))
            if note_text is not None and note_text.iat[row]:
                sheet.write_string(line, column + 2, note_text.iat[row])
        sheet.freeze_panes(1, 0)
    book.close()
    return sink.getvalue() if isinstance(sink, io.BytesIO) else None


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.date = book.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.time = book.add_format({"num_format": "hh:mm:ss"})
        self.header = book.add_format({"bold": True})


class _ColumnCells:
    """Each column's cells as the values to write, converted once: (kind, value) or None when empty."""

    def __init__(self, raw: pd.DataFrame, columns: WorkbookColumns) -> None:
        self.names = [str(name) for name in raw.columns]
        self.cells: list[list[tuple[int, object] | None]] = []
        for i, name in enumerate(self.names):
            texts = raw.iloc[:, i].fillna("").astype(str).tolist()
            kinds = np.asarray(columns.kinds.get(name, _text_kinds(texts)), dtype=np.int8).tolist()
            date_format = columns.date_formats.get(name)
            self.cells.append(
                [_cell(kind, text, date_format) for kind, text in zip(kinds, texts, strict=True)]
            )

    def write(self, sheet, line: int, row: int, formats: _Formats) -> None:
        for column, cells in enumerate(self.cells):
            cell = cells[row]
            if cell is None:
                continue
            kind, value = cell
            if kind == TEXT:
                sheet.write_string(line, column, value)
            elif kind == NUMBER:
                sheet.write_number(line, column, value)
            elif kind == BOOL:
                sheet.write_boolean(line, column, value)
            elif kind == DATE:
                sheet.write_datetime(line, column, value, formats.date)
            elif kind == DATETIME:
                sheet.write_datetime(line, column, value, formats.datetime)
            else:
                sheet.write_datetime(line, column, value, formats.time)


def _cell(kind: int, text: str, date_format: str | None) -> tuple[int, object] | None:
    """What to write for one cell: its kind and typed value, the text when it does not convert."""
    if kind == EMPTY or not text:
        return None
    if kind == TEXT:
        return TEXT, text
    value = _value(kind, text, date_format)
    return (TEXT, text) if value is None else (kind, value)


def _value(kind: int, text: str, date_format: str | None) -> object | None:
    """The typed value of a cell's text; None to write the text as it is."""
    try:
        if kind == NUMBER:
            number = float(text)
            return number if np.isfinite(number) else None
        if kind == BOOL:
            return text == "TRUE"
        if kind in (DATE, DATETIME):
            if date_format:
                layout = date_format if kind == DATE else date_format + " %H:%M:%S"
                return dt.datetime.strptime(text, layout)
            return dt.datetime.fromisoformat(text)
        if kind == TIME:
            return dt.time.fromisoformat(text)
    except ValueError:
        return None
    return None


def _text_kinds(texts: list[str]) -> np.ndarray:
    return np.array([TEXT if text else EMPTY for text in texts], dtype=np.int8)


def _header(raw: pd.DataFrame, header: Sequence[str] | None, with_notes: bool) -> list[str]:
    cells = [str(name) for name in (raw.columns if header is None else header)]
    taken = set(map(str, raw.columns)) | set(cells)
    cells += [unique_name(SEGMENT, taken), unique_name(SEGMENT_NAME, taken)]
    if with_notes:
        cells.append(unique_name(SEGMENT_NOTE, taken))
    return cells


def _write_summary(sheet, summary: pd.DataFrame, formats: _Formats) -> None:
    table = summary.reset_index()
    sheet.write_row(0, 0, [str(name) for name in table.columns], formats.header)
    for line, values in enumerate(table.itertuples(index=False), start=1):
        for column, value in enumerate(values):
            if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
                if np.isfinite(value):
                    sheet.write_number(line, column, float(value))
            elif value is not None and not (isinstance(value, float) and np.isnan(value)):
                sheet.write_string(line, column, str(value))


def _sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name: no ``[]:*?/\\``, at most 31 characters."""
    base = _SHEET_NAME_BAD.sub(" ", name).strip("'") or "Segment"
    base = base[:31]
    candidate, suffix = base, 2
    while candidate.lower() in taken:
        tail = f" ({suffix})"
        candidate, suffix = base[: 31 - len(tail)] + tail, suffix + 1
    taken.add(candidate.lower())
    return candidate
