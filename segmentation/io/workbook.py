"""Read a workbook (.xlsx, .xlsm, .xlsb, .xls, .ods) into the same exact text table as a CSV.

A file is a workbook by its content, not its name: a zip holding
``xl/workbook.xml`` (or ``.bin``) or an OpenDocument spreadsheet, or an OLE2
file (Excel 97-2003). The zip is checked within bounds first
(``containers``); the sheet is then read by calamine in a process of its own
under a memory limit (``sheets``), and the table found on it (``sheet_table``):
titles above the header and notes below it left out, empty header cells under
a merged range given its text, columns mixing serial numbers and text dates
read as dates (``serials``). The result is a ``CsvTable`` whose report is a
``WorkbookReport``: everything downstream works on it as on a CSV, and the
workbook export writes each cell back with its kind.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from ..report.errors import SegmentationError
from .containers import Source, check_zip, is_zip, limits_for_upload, open_zip, read_member, verify_sizes
from .parsing import working_names
from .reader import DEFAULT_MAX_BYTES, CsvTable, ReadReport
from .serials import DateColumn, read_mixed_dates
from .sheet_table import TableArea, find_table, header_with_merges, row_ranges
from .sheets import EMPTY, EXIT_REFUSED, KIND_NAMES

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_DATE_1904 = re.compile(rb"<(?:\w+:)?workbookPr\b[^>]*\bdate1904=\"(?:1|true)\"")
# Memory the reading process may take: its libraries, plus room for the sheet's cells.
_BASE_MEMORY = 2 << 30
_MEMORY_PER_UNPACKED_BYTE = 4
_TIMEOUT_SECONDS = 1_800


@dataclass(frozen=True)
class WorkbookReport(ReadReport):
    """What was found reading a workbook, beside what a CSV's report says.

    Attributes
    ----------
    file_format : str
        ``xlsx``, ``xlsm``, ``xlsb``, ``xls`` or ``ods``.
    sheet : str
        The sheet read.
    sheets : tuple of str
        Every sheet of the workbook, in order.
    sheet_chosen : bool
        True when the caller named the sheet; False when the first sheet holding a table was taken.
    title_rows, note_rows : tuple of int
        Sheet rows (1-based) left out above the header and below the table.
    first_data_row : int
        The sheet row of the first data row; messages' line numbers are sheet rows.
    date_columns : tuple of DateColumn
        Columns whose dates were written in several ways, and how they were read.
    date_system : str
        ``1900`` or ``1904`` (the workbook's date system).
    cell_kinds : dict of str to numpy.ndarray
        Per column, the kind of each cell (``sheets.KINDS``), for writing them back.
    date_formats : dict of str to str
        Per column, the strftime format its date cells are written in (ISO when absent).
    """

    file_format: str = "xlsx"
    sheet: str = ""
    sheets: tuple[str, ...] = ()
    sheet_chosen: bool = False
    title_rows: tuple[int, ...] = ()
    note_rows: tuple[int, ...] = ()
    first_data_row: int = 2
    title_text: str = ""
    note_text: str = ""
    date_columns: tuple[DateColumn, ...] = ()
    date_system: str = "1900"
    cell_kinds: dict[str, np.ndarray] = field(default_factory=dict, compare=False, repr=False)
    date_formats: dict[str, str] = field(default_factory=dict)

    def describe(self) -> list[str]:
        others = [name for name in self.sheets if name != self.sheet]
        where = f"{self.file_format} workbook, sheet {self.sheet!r}"
        if others:
            how = "as chosen" if self.sheet_chosen else "the first holding a table"
            where += f" ({how}; other sheets: {', '.join(map(repr, others))})"
        lines = [f"{self.n_rows:,} rows × {self.n_columns} columns", where]
        trimmed = self._trimmed()
        if trimmed:
            lines.append(trimmed)
        for old, new in self.renamed_columns.items():
            lines.append(f"column header {old!r} shown as {new!r} (exports keep the file's header)")
        lines.extend(column.describe() for column in self.date_columns)
        lines.append(
            f"line numbers in messages are the sheet's row numbers (the header is row {self.first_data_row - 1})"
        )
        return lines

    def _trimmed(self) -> str:
        parts = []
        if self.title_rows:
            parts.append(f"row {row_ranges(self.title_rows)} above the header ({self.title_text!r})")
        if self.note_rows:
            parts.append(f"row {row_ranges(self.note_rows)} below the table ({self.note_text!r})")
        return ("left out as not part of the table: " + " and ".join(parts)) if parts else ""


def is_workbook(source: Source) -> bool:
    """Whether ``source`` (a path or bytes) starts like a workbook: a zip or an OLE2 file."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        head = bytes(source[:8])
    else:
        try:
            with Path(source).open("rb") as handle:
                head = handle.read(8)
        except OSError:
            return False
    return is_zip(head) or head == OLE_MAGIC


def read_workbook(
    source: Source, *, sheet: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> CsvTable:
    """Read one sheet of a workbook as exact text cells.

    Parameters
    ----------
    source
        A path, or the file's bytes.
    sheet
        The sheet to read; None takes the first sheet holding a table.
    max_bytes
        Larger files are refused; zips may unpack to five times this.

    Raises
    ------
    SegmentationError
        ``file-too-large``, the ``zip-*`` codes of ``containers``,
        ``workbook-unreadable``, ``workbook-password``, ``workbook-no-such-sheet``,
        ``workbook-no-table``, ``workbook-too-large``, ``no-header`` or ``no-rows``.
    """
    size = _size(source)
    if size > max_bytes:
        raise SegmentationError("file-too-large", size_mb=size / 2**20, limit_mb=max_bytes / 2**20)
    file_format, unpacked, system = _check_container(source, max_bytes)
    with tempfile.TemporaryDirectory(prefix="workbook-") as folder:
        path = _on_disk(source, folder)
        out = os.path.join(folder, "sheet.arrow")
        memory = _BASE_MEMORY + _MEMORY_PER_UNPACKED_BYTE * unpacked
        _run_reader(path, out, sheet, memory)
        with open(out + ".json", encoding="utf-8") as handle:
            facts = json.load(handle)
        with pa.memory_map(out) as mapped:
            grid = pa.ipc.open_file(mapped).read_all()
            table = _table(grid, facts, file_format, system, sheet is not None)
    return table


def sheet_names(source: Source, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[str]:
    """The names of a workbook's sheets, in order, without reading any sheet (in the reading process too)."""
    _, unpacked, _ = _check_container(source, max_bytes)
    with tempfile.TemporaryDirectory(prefix="workbook-") as folder:
        out = os.path.join(folder, "sheets")
        _run_reader(
            _on_disk(source, folder),
            out,
            None,
            _BASE_MEMORY + _MEMORY_PER_UNPACKED_BYTE * unpacked,
            ["--list"],
        )
        with open(out + ".json", encoding="utf-8") as handle:
            return [str(name) for name in json.load(handle)["sheets"]]


def _size(source: Source) -> int:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return len(source)
    try:
        return Path(source).stat().st_size
    except OSError as exc:
        raise SegmentationError("file-missing", path=str(source), reason=exc.strerror or exc) from None


def _check_container(source: Source, max_bytes: int) -> tuple[str, int, str]:
    """The workbook's format, how far it unpacks, and its date system; zips checked within bounds."""
    if not is_workbook(source):
        raise SegmentationError("workbook-unreadable", reason="it is neither a zip nor an Excel 97-2003 file")
    size = _size(source)
    if not _is_zip_source(source):
        return "xls", size, "1900"
    label = "The workbook"
    with open_zip(source, label=label) as archive:
        contents = check_zip(archive, limits_for_upload(max_bytes), label=label)
        verify_sizes(source, archive, label=label)
        names = set(contents.names)
        if "mimetype" in names and read_member(archive, "mimetype", label=label).startswith(_ODS_MIME):
            return "ods", contents.total_bytes, "1900"
        for part, file_format in (("xl/workbook.bin", "xlsb"), ("xl/workbook.xml", "xlsx")):
            if part in names:
                system = "1904" if _DATE_1904.search(read_member(archive, part, label=label)) else "1900"
                if file_format == "xlsx" and "xl/vbaProject.bin" in names:
                    file_format = "xlsm"
                return file_format, contents.total_bytes, system
    raise SegmentationError("workbook-unreadable", reason="it is a zip archive, but holds no workbook")


def _is_zip_source(source: Source) -> bool:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return is_zip(bytes(source[:4]))
    with Path(source).open("rb") as handle:
        return is_zip(handle.read(4))


def _on_disk(source: Source, folder: str) -> str:
    if not isinstance(source, (bytes, bytearray, memoryview)):
        return str(Path(source).resolve())
    path = os.path.join(folder, "upload")
    with open(path, "wb") as handle:
        handle.write(source)
    return path


def _run_reader(path: str, out: str, sheet: str | None, memory: int, extra: Sequence[str] = ()) -> None:
    command = [sys.executable, "-m", "segmentation.io.sheets", path, out, "--memory", str(memory), *extra]
    if sheet is not None:
        command += ["--sheet", sheet]
    package_root = str(Path(__file__).resolve().parents[2])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])),
    }
    try:
        done = subprocess.run(
            command, capture_output=True, timeout=_TIMEOUT_SECONDS, env=env, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired:
        raise SegmentationError("workbook-unreadable", reason="reading the sheet took too long") from None
    if done.returncode == 0:
        return
    if done.returncode == EXIT_REFUSED:
        refusal = _refusal(done.stderr)
        if refusal is not None:
            code, fields = refusal
            if code == "workbook-too-large":
                fields = {"sheet": _sheet_words(sheet), "limit_mb": memory / 2**20}
            raise SegmentationError(code, **fields)
    if done.returncode < 0:  # killed: calamine aborts when an allocation over the limit fails
        raise SegmentationError("workbook-too-large", sheet=_sheet_words(sheet), limit_mb=memory / 2**20)
    last = (done.stderr.decode("utf-8", errors="replace").strip().splitlines() or ["no reason given"])[-1]
    raise SegmentationError("workbook-unreadable", reason=f"the reader failed: {last[:200]}")


def _sheet_words(sheet: str | None) -> str:
    return f"the sheet {sheet!r}" if sheet is not None else "the first sheet holding a table"


def _refusal(stderr: bytes) -> tuple[str, dict] | None:
    lines = stderr.decode("utf-8", errors="replace").strip().splitlines()
    try:
        found = json.loads(lines[-1]) if lines else None
    except ValueError:
        return None
    return (found["code"], found["fields"]) if isinstance(found, dict) and "code" in found else None


def _table(grid: pa.Table, facts: dict, file_format: str, system: str, chosen: bool) -> CsvTable:
    width = grid.num_columns // 2
    kinds = np.column_stack([grid.column(f"k{j}").to_numpy() for j in range(width)]) if width else None
    area = find_table(kinds != EMPTY) if kinds is not None else None
    if area is None:
        raise SegmentationError("no-header")
    columns = range(area.first_column, area.last_column + 1)
    text = [grid.column(f"t{j}") for j in columns]
    first_row, first_column = int(facts["first_row"]), int(facts["first_column"])
    merged = [
        ((r0 - first_row, c0 - first_column), (r1 - first_row, c1 - first_column))
        for (r0, c0), (r1, c1) in facts["merged"]
    ]
    header = [str(column[area.header].as_py()) for column in text]
    header = header_with_merges(
        header, area, merged, lambda row, column: str(grid.column(f"t{column}")[row].as_py())
    )
    if not any(cell.strip() for cell in header):
        raise SegmentationError("no-header")
    names, renamed = working_names(header)
    start, stop = area.header + 1, area.last_row + 1
    if stop <= start:
        raise SegmentationError("no-rows")
    cells: dict[str, pa.Array] = {}
    cell_kinds: dict[str, np.ndarray] = {}
    date_columns: list[DateColumn] = []
    date_formats: dict[str, str] = {}
    for name, column, position in zip(names, text, columns, strict=True):
        values = column.slice(start, stop - start)
        column_kinds = kinds[start:stop, position].copy()  # type: ignore[index]
        mixed = (
            read_mixed_dates(name, values.to_pylist(), column_kinds, system)
            if _may_mix(column_kinds)
            else None
        )
        if mixed is not None:
            new_texts, column_kinds, found = mixed
            values = pa.chunked_array([pa.array(new_texts, pa.large_string())])
            date_columns.append(found)
            date_formats[name] = found.date_format
        cells[name] = values
        cell_kinds[name] = column_kinds
    arrays = [
        values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
        for values in cells.values()
    ]
    raw = pa.Table.from_arrays(arrays, names=names).to_pandas(types_mapper=_string_dtype)
    sheet_row = first_row + 1  # grid row 0 is this sheet row
    report = WorkbookReport(
        encoding="UTF-8",
        delimiter=",",
        line_ending="none",
        final_newline=False,
        quoted_fields=False,
        n_rows=len(raw),
        n_columns=raw.shape[1],
        renamed_columns=renamed,
        header=tuple(header),
        file_format=file_format,
        sheet=str(facts["sheet"]),
        sheets=tuple(facts["sheets"]),
        sheet_chosen=chosen,
        title_rows=tuple(row + sheet_row for row in area.title_rows),
        note_rows=tuple(row + sheet_row for row in area.note_rows),
        first_data_row=start + sheet_row,
        title_text=_first_text(grid, area.title_rows, width),
        note_text=_first_text(grid, area.note_rows, width),
        date_columns=tuple(date_columns),
        date_system=system,
        cell_kinds=cell_kinds,
        date_formats=date_formats,
    )
    offset = start + sheet_row
    return CsvTable(
        raw=raw, report=report, line_numbers=lambda rows: np.asarray(rows, dtype=np.int64) + offset
    )


def _string_dtype(arrow_type: pa.DataType) -> pd.StringDtype | None:
    return pd.StringDtype("pyarrow") if pa.types.is_large_string(arrow_type) else None  # type: ignore[return-value]


def _may_mix(kinds: np.ndarray) -> bool:
    """Whether a column holds cells of more than one kind besides empty ones (cheap pre-check)."""
    present = np.unique(kinds)
    return len(present[present != EMPTY]) > 1


def _first_text(grid: pa.Table, rows: tuple[int, ...], width: int) -> str:
    for row in rows[:1]:
        for j in range(width):
            text = str(grid.column(f"t{j}")[row].as_py())
            if text:
                return text if len(text) <= 60 else text[:57] + "…"
    return ""


__all__ = ["KIND_NAMES", "TableArea", "WorkbookReport", "is_workbook", "read_workbook", "sheet_names"]
