"""How a CSV file is laid out: its delimiter and quote character.

Detection looks at the first lines and answers with a frozen :class:`Dialect`,
or with None when the lines do not show a delimiter (a single column, or no
candidate that splits the header). The caller then decides, and says so.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
SNIFF_CHARS = 64 * 1024
_SNIFF_LINES = 200


@dataclass(frozen=True)
class Dialect:
    """A CSV dialect: the delimiter between cells and the character that quotes a cell."""

    delimiter: str
    quotechar: str = '"'

    @property
    def delimiter_name(self) -> str:
        """``comma``, ``semicolon``, ``tab``, ``pipe`` or the character itself."""
        return DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))


DEFAULT = Dialect(",")


def detect_dialect(sample: str) -> Dialect | None:
    """The dialect that splits the first lines into the most consistent columns, or None.

    A delimiter wins when most rows have as many fields as the header; among
    those, the one giving more columns. None (inconclusive) when no delimiter
    splits the header into two or more cells.
    """
    text = _whole_lines(sample)
    best: tuple[float, int, str] | None = None
    for delimiter in DELIMITERS:
        counts = _field_counts(text, delimiter)
        if not counts or counts[0] < 2:
            continue
        consistency = sum(1 for n in counts if n == counts[0]) / len(counts)
        candidate = (round(consistency, 2), counts[0], delimiter)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return None if best is None else Dialect(best[2])


def detect_delimiter(sample: str) -> str:
    """The detected delimiter, or a comma when detection is inconclusive."""
    return (detect_dialect(sample) or DEFAULT).delimiter


def _whole_lines(sample: str) -> str:
    lines = sample.splitlines(keepends=True)[:_SNIFF_LINES]
    if len(lines) > 1 and len(sample) >= SNIFF_CHARS:
        lines = lines[:-1]  # the sample may cut the last line in half
    return "".join(lines)


def _field_counts(text: str, delimiter: str) -> list[int]:
    try:
        # newline="": let the csv module split CR-only (old Mac Excel) lines too.
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return [len(row) for row in rows if row]
    except csv.Error:
        return []


def line_ending(sample: str) -> str:
    """``CRLF``, ``LF``, ``CR`` or ``none``: the line breaks of the sample."""
    if "\r\n" in sample:
        return "CRLF"
    if "\n" in sample:
        return "LF"
    if "\r" in sample:
        return "CR"
    return "none"
