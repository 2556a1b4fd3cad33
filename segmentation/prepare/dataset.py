"""A loaded file: its exact cells, what was detected, and each column understood."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..io.reader import DEFAULT_MAX_BYTES, LineNumbers, ReadReport, one_line_per_row, read_csv
from ..io.workbook import is_workbook, read_workbook
from ..runtime.memory import release_freed_memory
from .columns import ParsedColumn, analyze_table


@dataclass
class Dataset:
    """A loaded file: everything later steps need from it, computed once.

    Built by ``load``; the dashboard caches it, so changing the settings
    segments again without reading and analysing the file again.

    Attributes
    ----------
    raw : pandas.DataFrame
        Every cell as the exact text of the file (string columns, ``""`` for
        empty), so the labeled export gives the user's data back unchanged.
    read_report : ReadReport
        What was detected while reading: encoding, delimiter, header, ...
    columns : dict of str to ParsedColumn
        Each column understood: its kind (numeric, text, date, empty), its
        parsed values and the facts found about it.
    line_numbers : callable
        Maps row positions to the file lines they start on, for messages.
    n_rows : int
        Number of data rows.
    """

    raw: pd.DataFrame
    read_report: ReadReport
    columns: dict[str, ParsedColumn]
    line_numbers: LineNumbers = one_line_per_row  # row -> line in the file, for messages

    @property
    def n_rows(self) -> int:
        """Number of data rows in the file."""
        return len(self.raw)


def load(
    source: str | Path | bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    encoding: str | None = None,
    literal_quotes: bool = False,
    sheet: str | None = None,
) -> Dataset:
    """Read a CSV or a workbook (path or upload bytes) and analyse its columns.

    The first step of every run: ``read_csv`` then the column analysis, so
    that ``segment`` can be called with any settings afterwards.

    Parameters
    ----------
    source : str, Path or bytes
        A path, or the bytes of an upload.
    max_bytes : int, default DEFAULT_MAX_BYTES (200 MB)
        Larger files are refused.
    encoding : str, optional
        The file's encoding (a name from ``segmentation.io.encoding.encoding_names``);
        None detects it.
    sheet : str, optional
        For a workbook (told by its content, whatever its name): the sheet to
        read; None takes the first sheet holding a table. Ignored for a CSV.

    Returns
    -------
    Dataset

    Raises
    ------
    SegmentationError
        When the file cannot be a customer table, with the codes of ``read_csv``
        (``file-empty``, ``file-too-large``, ``binary-file``, ``no-rows``, ...), or for a
        workbook those of ``read_workbook`` (``zip-ratio``, ``workbook-no-such-sheet``, ...).

    Examples
    --------
    >>> from segmentation import load
    >>> dataset = load(b"customer_id,age,city\\nC1,34,Lyon\\nC2,51,Nice\\n")
    >>> dataset.n_rows, list(dataset.columns)
    (2, ['customer_id', 'age', 'city'])
    """
    if is_workbook(source):
        table = read_workbook(source, sheet=sheet, max_bytes=max_bytes)
    else:
        table = read_csv(source, max_bytes=max_bytes, encoding=encoding, literal_quotes=literal_quotes)
    release_freed_memory()  # Arrow's parse buffers, tens of MB for a large file
    columns = analyze_table(table.raw, delimiter=table.report.delimiter, lines=table.line_numbers)
    release_freed_memory()
    return Dataset(raw=table.raw, read_report=table.report, columns=columns, line_numbers=table.line_numbers)
