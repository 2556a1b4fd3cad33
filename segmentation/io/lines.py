"""Row numbers to file line numbers, for messages that point into the file.

Row ``r`` (0-based, header excluded) usually starts on line ``r + 2``; a file
with blank lines or cells spanning lines is read again, record by record, the
first time a message needs a line number.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import numpy as np

FIRST_DATA_LINE = 2  # line 1 is the header
# Rows (0-based) to the file lines they start on.
LineNumbers = Callable[[np.ndarray], np.ndarray]


def one_line_per_row(rows: np.ndarray) -> np.ndarray:
    """Line numbers when each row takes one line after the header."""
    return np.asarray(rows, dtype=np.int64) + FIRST_DATA_LINE


def line_numbers(
    count: Callable[[bytes], int], tail: bytes, delimiter: str, n_rows: int, open_text: Callable[[], TextIO]
) -> LineNumbers:
    """``CsvTable.line_numbers`` for a file, working out the lines once, on first use.

    Parameters
    ----------
    count
        ``bytes.count`` over the whole file (its UTF-8 text).
    tail
        The file's last bytes, to see its final line breaks.
    delimiter, n_rows
        How the file was parsed and how many rows it gave.
    open_text
        Opens the file's text again, for the record-by-record pass.

    Counting line breaks settles the usual case (one line per row); only a file
    with blank lines or multi-line cells is read again.
    """

    @functools.cache
    def starts() -> np.ndarray | None:
        if physical_lines(count, tail) == n_rows + 1:
            return None
        with open_text() as text:
            return record_lines(text, delimiter, n_rows)

    def numbers(rows: np.ndarray) -> np.ndarray:
        lines = starts()
        return one_line_per_row(rows) if lines is None else lines[np.asarray(rows, dtype=np.int64)]

    return numbers


def physical_lines(count: Callable[[bytes], int], tail: bytes) -> int:
    """Lines of text in a file (final line breaks not counting), given its ``count`` of a byte string."""
    ending, breaks = b"\n", count(b"\n")
    if not breaks:  # old Mac files end lines with CR alone
        ending, breaks = b"\r", count(b"\r")
    return breaks - tail[len(tail.rstrip(b"\r\n")) :].count(ending) + 1


def record_lines(text: TextIO, delimiter: str, n_rows: int) -> np.ndarray | None:
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


def count_in_file(path: Path) -> Callable[[bytes], int]:
    """``count`` of a byte string over a whole file, read in blocks (never held whole)."""

    def count(needle: bytes) -> int:
        total = 0
        with path.open("rb") as handle:
            while block := handle.read(1 << 24):
                total += block.count(needle)
        return total

    return count
