"""A loaded file: its exact cells, what was detected, and each column understood."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .columns import ParsedColumn, analyze_table
from .memory import release_freed_memory
from .reader import DEFAULT_MAX_BYTES, LineNumbers, ReadReport, one_line_per_row, read_csv


@dataclass
class Dataset:
    """Everything later steps need from a file, computed once."""

    raw: pd.DataFrame
    read_report: ReadReport
    columns: dict[str, ParsedColumn]
    line_numbers: LineNumbers = one_line_per_row  # row -> line in the file, for messages

    @property
    def n_rows(self) -> int:
        return len(self.raw)


def load(
    source: str | Path | bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, encoding: str | None = None
) -> Dataset:
    """Read a CSV (path or upload bytes) and analyse its columns.

    ``encoding`` names the file's encoding (see ``segmentation.encoding.encoding_names``);
    None detects it. Raises ``SegmentationError`` when the file cannot be a customer table.
    """
    table = read_csv(source, max_bytes=max_bytes, encoding=encoding)
    release_freed_memory()  # Arrow's parse buffers, tens of MB for a large file
    columns = analyze_table(table.raw, delimiter=table.report.delimiter, lines=table.line_numbers)
    release_freed_memory()
    return Dataset(raw=table.raw, read_report=table.report, columns=columns, line_numbers=table.line_numbers)
