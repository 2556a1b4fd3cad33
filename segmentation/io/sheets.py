"""One sheet's cells as exact text and their kinds, read by calamine in a process of its own.

Run as ``python -m segmentation.io.sheets WORKBOOK OUT [--sheet NAME]`` by
``workbook``; not imported by the rest of the package. calamine lays a sheet
out as one block from its first to its last used cell before anything can be
checked, so two cells far apart in a 5 KB file ask for hundreds of GB and the
allocation aborts the process: here, under an address-space limit, that ends
this process only, and the caller reports it.

The output is an Arrow IPC file: per sheet column ``t<j>`` (the cell as text,
as the analyst sees it) and ``k<j>`` (its kind, ``KINDS``), and in the schema
metadata the sheet names, the sheet read, its first row and column, and its
merged ranges. Numbers are written in the shortest form that reads back as the
same number (``34``, ``34.5``, ``1e+20``), dates in ISO form, booleans as
``TRUE``/``FALSE``, times as ``13:05:00``, durations as ``36:00:00``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import sys
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

import numpy as np
import pyarrow as pa

EMPTY, TEXT, NUMBER, BOOL, DATE, DATETIME, TIME, DURATION = range(8)
KIND_NAMES = ("empty", "text", "number", "boolean", "date", "date and time", "time", "duration")
_KIND_OF_TYPE = {
    str: TEXT,
    float: NUMBER,
    int: NUMBER,
    bool: BOOL,
    dt.date: DATE,
    dt.datetime: DATETIME,
    dt.time: TIME,
    dt.timedelta: DURATION,
}
_CHUNK_ROWS = 65_536
EXIT_REFUSED = 3


def render_datetime(value: dt.datetime) -> str:
    return value.isoformat(sep=" ", timespec="seconds" if not value.microsecond else "milliseconds")


def render_duration(value: dt.timedelta) -> str:
    seconds = value.total_seconds()
    sign, seconds = ("-", -seconds) if seconds < 0 else ("", seconds)
    hours, rest = divmod(round(seconds), 3600)
    return f"{sign}{hours}:{rest // 60:02d}:{rest % 60:02d}"


_RENDER: dict[type, Callable[[Any], str]] = {
    str: str,
    float: repr,  # only for mixed columns; numeric ones go through Arrow (see _numbers)
    int: str,
    bool: lambda value: "TRUE" if value else "FALSE",
    dt.date: dt.date.isoformat,
    dt.datetime: render_datetime,
    dt.time: lambda value: value.isoformat(timespec="seconds" if not value.microsecond else "milliseconds"),
    dt.timedelta: render_duration,
}


def _numbers(values: Iterable[float | int]) -> pa.Array:
    """Numbers as their shortest exact text: 34, 34.5, 1e+20 (Arrow's float formatting)."""
    return pa.array(np.fromiter(values, dtype=np.float64), pa.float64()).cast(pa.large_string())


def column_chunk(cells: tuple) -> tuple[pa.Array, np.ndarray]:
    """The text and kind of each cell of one column of a block of rows."""
    kinds = np.fromiter(map(_KIND_OF_TYPE.__getitem__, map(type, cells)), np.int8, len(cells))
    present = kinds != TEXT
    if not present.any():  # text only, the usual column: no per-cell work
        kinds[np.fromiter(map(len, cells), np.int64, len(cells)) == 0] = EMPTY
        return pa.array(cells, pa.large_string()), kinds
    numbers = kinds == NUMBER
    if numbers.all():
        return _numbers(cells), kinds
    texts = [_RENDER[type(value)](value) for value in cells]
    if numbers.any():  # the same text as an all-number column would get
        where = np.flatnonzero(numbers)
        for position, text in zip(where, _numbers(cells[i] for i in where).to_pylist(), strict=True):
            texts[position] = text
    kinds[(kinds == TEXT) & (np.fromiter(map(len, texts), np.int64, len(texts)) == 0)] = EMPTY
    return pa.array(texts, pa.large_string()), kinds


def _batches(rows: Iterator[list], width: int) -> Iterator[pa.RecordBatch]:
    while block := list(islice(rows, _CHUNK_ROWS)):
        columns = list(zip(*block, strict=True)) if width else []
        arrays: list[pa.Array] = []
        kinds: list[pa.Array] = []
        for cells in columns:
            text, kind = column_chunk(cells)
            arrays.append(text)
            kinds.append(pa.array(kind, pa.int8()))
        names = [f"t{j}" for j in range(width)] + [f"k{j}" for j in range(width)]
        yield pa.RecordBatch.from_arrays(arrays + kinds, names=names)


def _refuse(code: str, **fields: object) -> int:
    print(json.dumps({"code": code, "fields": fields}), file=sys.stderr)
    return EXIT_REFUSED


def _has_table(sheet) -> bool:
    """At least a header row and one more row with something in them."""
    filled = 0
    for row in sheet.iter_rows():
        if any(cell != "" for cell in row):
            filled += 1
            if filled == 2:
                return True
    return False


def _choose(workbook, wanted: str | None):
    names = list(workbook.sheet_names)
    if wanted is not None:
        if wanted not in names:
            return None, _refuse("workbook-no-such-sheet", sheet=wanted, sheets=", ".join(map(repr, names)))
        return workbook.get_sheet_by_name(wanted), 0
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    visible = [
        m.name
        for m in workbook.sheets_metadata
        if m.visible == SheetVisibleEnum.Visible and m.typ == SheetTypeEnum.WorkSheet
    ]
    for name in visible + [n for n in names if n not in visible]:
        sheet = workbook.get_sheet_by_name(name)
        if _has_table(sheet):
            return sheet, 0
        del sheet
    return None, _refuse("workbook-no-table", sheets=", ".join(map(repr, names)))


def read_sheet(path: str, out: str, wanted: str | None) -> int:
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    try:
        workbook = CalamineWorkbook.from_path(path)
        sheet, refused = _choose(workbook, wanted)
        if sheet is None:
            return refused
        start, end = sheet.start or (0, 0), sheet.end or (-1, -1)
        width = end[1] - start[1] + 1 if sheet.end is not None else 0
        merged = sheet.merged_cell_ranges or []
        count = 0

        def counted(rows: Iterator[list]) -> Iterator[list]:
            nonlocal count
            for row in rows:
                count += 1
                yield row

        batches = _batches(counted(iter(sheet.iter_rows())), width)
        first = next(batches, None)
        schema = (first.schema if first is not None else pa.schema([])).with_metadata({})
        with pa.OSFile(out, "wb") as sink, pa.ipc.new_file(sink, schema) as writer:
            for batch in [first] if first is not None else []:
                writer.write_batch(batch)
            for batch in batches:
                writer.write_batch(batch)
        facts = {
            "sheets": list(workbook.sheet_names),
            "sheet": sheet.name,
            "first_row": end[0] + 1 - count if count else 0,
            "first_column": start[1] if width else 0,
            "merged": [list(map(list, cells)) for cells in merged],
        }
        with open(out + ".json", "w", encoding="utf-8") as handle:
            json.dump(facts, handle)
        return 0
    except PasswordError:
        return _refuse("workbook-password")
    except (CalamineError, ValueError, OSError) as exc:
        return _refuse("workbook-unreadable", reason=(str(exc).splitlines() or [type(exc).__name__])[0][:200])


def list_sheets(path: str, out: str) -> int:
    """Write the workbook's sheet names (opening it parses its directory, shared strings and styles)."""
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    try:
        names = list(CalamineWorkbook.from_path(path).sheet_names)
    except PasswordError:
        return _refuse("workbook-password")
    except CalamineError as exc:
        return _refuse("workbook-unreadable", reason=(str(exc).splitlines() or [type(exc).__name__])[0][:200])
    with open(out + ".json", "w", encoding="utf-8") as handle:
        json.dump({"sheets": names}, handle)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("workbook")
    parser.add_argument("out")
    parser.add_argument("--sheet")
    parser.add_argument("--list", action="store_true", help="only write the sheet names")
    parser.add_argument("--memory", type=int, help="address-space limit of this process, in bytes")
    args = parser.parse_args(argv)
    if args.memory:
        resource.setrlimit(resource.RLIMIT_AS, (args.memory, args.memory))
    try:
        if args.list:
            return list_sheets(args.workbook, args.out)
        return read_sheet(args.workbook, args.out, args.sheet)
    except MemoryError:
        return _refuse("workbook-too-large")
    except Exception as exc:  # a file calamine chokes on: still one message for the caller
        return _refuse("workbook-unreadable", reason=f"{type(exc).__name__}: {exc}"[:200])


if __name__ == "__main__":
    sys.exit(main())
