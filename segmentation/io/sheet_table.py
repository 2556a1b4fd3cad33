"""Where the table is on a sheet: title rows above its header, notes below it, merged header cells.

People put a title ("Customer list 2024"), an export date or a blank row
above the header, and a source line or remarks below the table. The rule,
general rather than fitted to one file: the table's width is the most cells
any of its first rows fills; the header is the first row filling at least half
of that width (two cells at least); rows above it are titles. Below the last
row filling that much, rows after a blank row that fill less are notes; rows
with gaps that follow the table without a blank row are customers with gaps.
Tables narrower than three columns are taken whole from their first filled row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

_WIDTH_ROWS = 1_000  # rows looked at for the table's width
_NARROW = 3


@dataclass(frozen=True)
class TableArea:
    """The table's place on a sheet, in 0-based positions of the grid read.

    ``header`` is the header row; data rows are ``header + 1`` to ``last_row``;
    columns ``first_column`` to ``last_column``. ``title_rows`` and
    ``note_rows`` are the filled rows left out above and below.
    """

    header: int
    last_row: int
    first_column: int
    last_column: int
    title_rows: tuple[int, ...] = ()
    note_rows: tuple[int, ...] = ()


def find_table(filled: np.ndarray) -> TableArea | None:
    """The table in a grid of filled cells (rows × columns, bool); None when no row is filled."""
    counts = filled.sum(axis=1)
    rows = np.flatnonzero(counts)
    if not rows.size:
        return None
    width = int(counts[: _WIDTH_ROWS + int(rows[0])].max())
    if width < _NARROW:
        header, last_row = int(rows[0]), int(rows[-1])
    else:
        wide = np.flatnonzero(counts >= max(2, -(-width // 2)))
        header, last_wide = int(wide[0]), int(wide[-1])
        after = rows[rows > last_wide]
        # Sparse rows right under the table are customers with gaps; after a blank row, notes.
        if after.size and after[0] == last_wide + 1:
            run_end = _end_of_run(after)
            last_row = int(after[run_end])
        else:
            last_row = last_wide
    in_table = filled[header : last_row + 1].any(axis=0)
    columns = np.flatnonzero(in_table)
    return TableArea(
        header=header,
        last_row=last_row,
        first_column=int(columns[0]),
        last_column=int(columns[-1]),
        title_rows=tuple(int(r) for r in rows[rows < header]),
        note_rows=tuple(int(r) for r in rows[rows > last_row]),
    )


def _end_of_run(rows: np.ndarray) -> int:
    """Index of the last row of the run of consecutive rows that ``rows`` starts with."""
    gaps = np.flatnonzero(np.diff(rows) > 1)
    return int(gaps[0]) if gaps.size else len(rows) - 1


def header_with_merges(
    header: list[str],
    area: TableArea,
    merged: Sequence[tuple[tuple[int, int], tuple[int, int]]],
    cell_text,
) -> list[str]:
    """Header cells, each empty one covered by a merged range given that range's visible text.

    ``merged`` holds ((first row, first column), (last row, last column)) in grid
    positions; ``cell_text(row, column)`` gives a cell's text.
    """
    cells = list(header)
    for (top, left), (bottom, right) in merged:
        if not top <= area.header <= bottom:
            continue
        text = cell_text(top, left)
        for column in range(max(left, area.first_column), min(right, area.last_column) + 1):
            position = column - area.first_column
            if cells[position] == "":
                cells[position] = text
    return cells


def row_ranges(rows: Sequence[int]) -> str:
    """``3``, ``3-4`` or ``1-2, 12``: sheet row numbers (1-based) run together."""
    parts: list[str] = []
    start = previous = None
    for row in rows:
        if previous is not None and row == previous + 1:
            previous = row
            continue
        if start is not None:
            parts.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = row
    if start is not None:
        parts.append(str(start) if start == previous else f"{start}-{previous}")
    return ", ".join(parts)
