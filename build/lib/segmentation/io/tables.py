"""Parquet in and out through ``pyarrow.dataset``: a file or a folder of files, read in batches.

Large customer bases live in Parquet tables, often split over many files (a
partitioned dataset). Nothing here holds a whole table: rows are counted from
the files' metadata, a seeded sample is taken by row position, and the rest
is read batch by batch. The core's column analysis works on text cells (as
read from a CSV), so ``text_frame`` writes a batch's typed values as text;
outputs keep the input's typed columns as they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from ..report.errors import SegmentationError

BATCH_ROWS = 262_144


def open_parquet(path: str | Path) -> ds.Dataset:
    """The Parquet file or folder (hive partitions understood) as a ``pyarrow.dataset``.

    Raises
    ------
    SegmentationError
        ``parquet-unreadable`` when the files cannot be read as Parquet.
    """
    try:
        return ds.dataset(str(path), format="parquet", partitioning="hive")
    except (OSError, pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise SegmentationError("parquet-unreadable", path=str(path), reason=_first_line(exc)) from None


def count_rows(dataset: ds.Dataset) -> int:
    """Rows in the dataset, from the files' metadata (no data is read)."""
    return int(dataset.count_rows())


def sample_rows(dataset: ds.Dataset, n_rows: int, *, seed: int) -> tuple[pa.Table, np.ndarray]:
    """A seeded random sample of at most ``n_rows`` rows, in file order, and their row positions.

    The whole table when it has no more rows than that. The table is read
    once, batch by batch, keeping only the sampled rows of each batch, so
    memory holds the sample and one batch, however large the table.
    """
    total = count_rows(dataset)
    if total <= n_rows:
        return dataset.to_table(), np.arange(total, dtype=np.int64)
    positions = np.sort(np.random.default_rng(seed).choice(total, n_rows, replace=False))
    parts, start = [], 0
    for batch in iter_batches(dataset):
        end = start + batch.num_rows
        lo, hi = np.searchsorted(positions, [start, end])
        if hi > lo:
            parts.append(batch.take(pa.array(positions[lo:hi] - start)))
        start = end
    return pa.Table.from_batches(parts, schema=dataset.schema), positions


def iter_batches(dataset: ds.Dataset, *, batch_rows: int = BATCH_ROWS) -> Iterator[pa.RecordBatch]:
    """Every row of the dataset, in order, in batches of at most ``batch_rows`` rows."""
    # No read-ahead: one batch in memory at a time, however many files the table has.
    for batch in dataset.to_batches(batch_size=batch_rows, batch_readahead=0, fragment_readahead=0):
        if batch.num_rows:
            yield batch


def text_frame(table: pa.Table | pa.RecordBatch) -> pd.DataFrame:
    """Each column as text cells (``""`` for null), as the column analysis reads a CSV.

    Numbers are written the way Arrow prints them (the shortest text that
    reads back as the same value), so parsing the text gives the values back.
    """
    columns = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        text = pc.fill_null(_as_text(column), "")
        columns[name] = pd.arrays.ArrowStringArray(
            pa.chunked_array([text]) if isinstance(text, pa.Array) else text
        )
    return pd.DataFrame(columns, copy=False)


def _as_text(column: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    try:
        return pc.cast(column, pa.large_string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # nested values: their text form
        return pa.array([None if v is None else str(v) for v in column.to_pylist()], pa.large_string())


class ParquetSink:
    """Write batches to one Parquet file as they come; the schema is the first batch's.

    Use as a context manager; the file is complete when the block ends.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.rows = 0
        self._writer: pq.ParquetWriter | None = None

    def write(self, batch: pa.RecordBatch) -> None:
        if self._writer is None:
            self._writer = pq.ParquetWriter(str(self.path), batch.schema, compression="zstd")
        self._writer.write_batch(batch)
        self.rows += batch.num_rows

    def __enter__(self) -> ParquetSink:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._writer is not None:
            self._writer.close()


def write_frame(frame: pd.DataFrame, path: str | Path) -> None:
    """Write a table to one Parquet file, its columns typed as in the frame."""
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), str(path), compression="zstd")


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
