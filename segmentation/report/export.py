"""CSV exports: the lossless labeled input table and summary tables.

Every text cell and header written here passes through a formula-injection
guard, so a spreadsheet opening the file never evaluates a cell such as
``=HYPERLINK(...)`` that came from user data. Writing goes through Arrow's
CSV writer: unquoted when no cell needs quotes, otherwise with every text
cell quoted, so a CSV reader gets back exactly the text we wrote.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path
from typing import overload

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from ..prepare.columns import arrow_text

__all__ = ["guard_formula", "guard_header", "labeled_csv", "summary_csv", "unique_name"]

# Cells a spreadsheet may treat as a formula start with one of these.
_FORMULA_PREFIX = r"[=+\-@\t\r]"
# A plain decimal number ("-5", "+7", "-3.5", "-2964,7", "-1e5") is data, not
# a formula, so it is left alone. [0-9] rather than \d: Python's \d also
# matches non-ASCII digits, Arrow's (RE2) does not.
_PLAIN_NUMBER = r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?"
_PLAIN_NUMBER_RE = re.compile(_PLAIN_NUMBER)
_GUARD = "'"
_FORMULA_BYTES = b"=+-@\t\r"

SEGMENT = "segment"
SEGMENT_NAME = "segment_name"
SEGMENT_NOTE = "segment_note"


def _needs_guard(text: str) -> bool:
    return text[:1] in ("=", "+", "-", "@", "\t", "\r") and _PLAIN_NUMBER_RE.fullmatch(text) is None


def guard_formula(values: pd.Series) -> pd.Series:
    """Prefix ``'`` to text cells a spreadsheet would read as a formula.

    A cell is guarded when it starts with ``= + - @``, a tab or a carriage
    return and is not a plain decimal number. Non-text cells (numbers,
    missing values) and non-text dtypes are returned unchanged; a
    categorical of text comes back as ``str`` dtype.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        if not pd.api.types.is_string_dtype(values.cat.categories.dtype):
            return values
        values = values.astype("str")
    if not (pd.api.types.is_string_dtype(values.dtype) or values.dtype == object):
        return values
    if values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) not in (
        "string",
        "mixed",
        "mixed-integer",
    ):
        return values  # no text cell at all (the .str accessor would refuse)
    if isinstance(values.dtype, pd.StringDtype) and not _bytes_present(arrow_text(values), _FORMULA_BYTES):
        return values  # no cell anywhere holds a formula character: nothing to guard
    # Cheap anchored test on the whole column first; the number regex then
    # runs on the few candidates only. Positions (not labels) keep this
    # correct for duplicate index labels; na=False skips missing/non-text cells.
    risky = values.str.match(_FORMULA_PREFIX, na=False).to_numpy(dtype=bool)
    positions = np.flatnonzero(risky)
    if positions.size:
        candidates = values.iloc[positions]
        positions = positions[~candidates.str.fullmatch(_PLAIN_NUMBER, na=False).to_numpy(dtype=bool)]
    if not positions.size:
        return values
    guarded = values.copy()
    guarded.iloc[positions] = (_GUARD + values.iloc[positions]).array
    return guarded


def guard_header(names: Sequence[Hashable]) -> list[str]:
    """Column names with the same guard as :func:`guard_formula`."""
    return [_GUARD + name if _needs_guard(name) else name for name in map(str, names)]


def unique_name(base: str, taken: set[str]) -> str:
    """``base`` or the first free ``base_2``, ``base_3``, ..."""
    name, suffix = base, 2
    while name in taken:
        name, suffix = f"{base}_{suffix}", suffix + 1
    taken.add(name)
    return name


def _text_array(values: pd.Series) -> pa.Array:
    """Guarded text column as an Arrow string array (missing -> null)."""
    array = pa.array(guard_formula(values), from_pandas=True)
    if pa.types.is_null(array.type):  # an all-missing object column
        array = array.cast(pa.large_string())
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        raise TypeError(f"column {values.name!r} must hold text, got Arrow type {array.type}")
    return array


@overload
def _write_csv(arrays: list[pa.Array], header: list[str], delimiter: str, path: None = None) -> bytes: ...
@overload
def _write_csv(arrays: list[pa.Array], header: list[str], delimiter: str, path: str | Path) -> None: ...
def _write_csv(
    arrays: list[pa.Array], header: list[str], delimiter: str, path: str | Path | None = None
) -> bytes | None:
    """Write the columns as CSV to ``path``, or return the bytes when no path is given."""
    # from_arrays (not from_pandas) so duplicate column names survive.
    table = pa.Table.from_arrays(arrays, names=header)
    # Unquoted output is smaller and faster; Arrow allows it only when no cell
    # holds a delimiter, quote or newline. Otherwise every text cell is quoted.
    quoting = "needed" if _needs_quotes(table, delimiter) else "none"
    options = pa_csv.WriteOptions(delimiter=delimiter, batch_size=64 * 1024, quoting_style=quoting)
    if path is not None:
        pa_csv.write_csv(table, str(path), options)
        return None
    sink = pa.BufferOutputStream()
    pa_csv.write_csv(table, sink, options)
    return sink.getvalue().to_pybytes()


def _needs_quotes(table: pa.Table, delimiter: str) -> bool:
    structural = (delimiter + '"\r\n').encode()
    if any(char in name for name in table.column_names for char in delimiter + '"\r\n'):
        return True
    return any(_bytes_present(column, structural) for column in table.columns if _is_text(column.type))


def _is_text(arrow_type: pa.DataType) -> bool:
    if pa.types.is_dictionary(arrow_type):
        arrow_type = arrow_type.value_type
    return pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type)


def _bytes_present(column: pa.ChunkedArray | pa.Array, chars: bytes) -> bool:
    """Whether any of ``chars`` (ASCII) occurs in a string column's data.

    Scans the raw UTF-8 buffers, which is far faster than a per-cell search.
    A sliced array may carry bytes outside its slice: then the answer can be a
    false yes, which only costs the careful path, never a wrong output.
    """
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    for chunk in chunks:
        if isinstance(chunk, pa.DictionaryArray):
            chunk = chunk.dictionary
        data = chunk.buffers()[2]
        if data is not None:
            raw = memoryview(data).tobytes()
            if any(raw.find(bytes([char])) >= 0 for char in chars):
                return True
    return False


@overload
def labeled_csv(
    raw: pd.DataFrame,
    segments: np.ndarray,
    names: Mapping[int, str],
    *,
    notes: Sequence[str] | np.ndarray | None = None,
    delimiter: str = ",",
    extra_columns: Sequence[tuple[str, Sequence[str] | np.ndarray]] = (),
    path: None = None,
    header: Sequence[str] | None = None,
) -> bytes: ...
@overload
def labeled_csv(
    raw: pd.DataFrame,
    segments: np.ndarray,
    names: Mapping[int, str],
    *,
    notes: Sequence[str] | np.ndarray | None = None,
    delimiter: str = ",",
    extra_columns: Sequence[tuple[str, Sequence[str] | np.ndarray]] = (),
    path: str | Path,
    header: Sequence[str] | None = None,
) -> None: ...
def labeled_csv(
    raw: pd.DataFrame,
    segments: np.ndarray,
    names: Mapping[int, str],
    *,
    notes: Sequence[str] | np.ndarray | None = None,
    delimiter: str = ",",
    extra_columns: Sequence[tuple[str, Sequence[str] | np.ndarray]] = (),
    path: str | Path | None = None,
    header: Sequence[str] | None = None,
) -> bytes | None:
    """The input table, cell for cell, plus its segment labels, as UTF-8 CSV.

    Returns the bytes, or writes them to ``path`` (without holding a copy in
    memory) and returns None.

    ``raw`` holds every input cell as decoded text, in input order.
    ``segments`` has one entry per row: the segment number (from 1), or 0
    for a row that was not segmented. Appended columns: ``segment`` (empty
    for 0), ``segment_name`` (from ``names``) and, only when some note is
    non-empty, ``segment_note``; ``extra_columns`` (name, one text per row)
    go between ``segment_name`` and ``segment_note``. An appended name that collides with an
    input column gets a suffix (``segment_2``) so user data is never hidden.
    Text cells and header names pass through :func:`guard_formula`.

    ``header`` gives the header cells to write for ``raw``'s columns, exactly
    as the input file had them (e.g. ``ReadReport.output_header``): the
    column names of ``raw`` may be working names (``column_3`` for an empty
    cell, ``a_2`` for a duplicate). Without it the column names are written.
    """
    n_rows = len(raw)
    segments = np.asarray(segments)
    if segments.shape != (n_rows,):
        raise ValueError(f"segments must have shape ({n_rows},), got {segments.shape}")
    if n_rows and not np.issubdtype(segments.dtype, np.integer):
        raise TypeError(f"segments must be integers, got dtype {segments.dtype}")
    segments = segments.astype(np.int64, copy=False)
    if n_rows and segments.min() < 0:
        raise ValueError("segments must be >= 0 (0 means not segmented)")
    # Counting rather than np.unique: segment numbers are small, so no sort (docs/benchmarks.md).
    counts = np.bincount(segments)
    used = np.flatnonzero(counts[1:]) + 1
    missing = [int(s) for s in used if int(s) not in names]
    if missing:
        raise ValueError(f"no name for segment(s) {missing}")

    arrays = [_text_array(raw.iloc[:, i]) for i in range(raw.shape[1])]
    input_header = list(raw.columns) if header is None else list(header)
    if len(input_header) != raw.shape[1]:
        raise ValueError(f"header must have {raw.shape[1]} cells, got {len(input_header)}")
    header = guard_header(input_header)
    taken = set(map(str, raw.columns)) | set(map(str, input_header)) | set(header)

    arrays.append(pa.array(segments, mask=segments == 0))  # null: written as an empty cell
    header.append(unique_name(SEGMENT, taken))

    # Position of each row's segment among (0, *used); 0 (not segmented) maps to "".
    position_of = np.zeros(int(segments.max(initial=0)) + 1, dtype=np.int32)
    position_of[used] = np.arange(1, len(used) + 1)
    positions = position_of[segments]
    lookup = guard_formula(pd.Series(["", *(names[int(s)] for s in used)], dtype="str"))
    # A dictionary column: each name is stored once, not once per customer.
    arrays.append(
        pa.DictionaryArray.from_arrays(pa.array(positions), pa.array(lookup, pa.string(), from_pandas=True))
    )
    header.append(unique_name(SEGMENT_NAME, taken))

    for name, values in extra_columns:
        text = pd.Series(np.asarray(values, dtype=object), dtype="str")
        if len(text) != n_rows:
            raise ValueError(f"{name} must have {n_rows} entries, got {len(text)}")
        arrays.append(_text_array(text))
        header.append(unique_name(name, taken))

    if notes is not None:
        note_text = pd.Series(np.asarray(notes, dtype=object), dtype="str").fillna("")
        if len(note_text) != n_rows:
            raise ValueError(f"notes must have {n_rows} entries, got {len(note_text)}")
        if (note_text.str.len() > 0).any():
            arrays.append(_text_array(note_text))
            header.append(unique_name(SEGMENT_NOTE, taken))

    return _write_csv(arrays, header, delimiter, path)


def _flat_label(label: object) -> str:
    if isinstance(label, tuple):  # MultiIndex column, e.g. from groupby().agg()
        return "_".join(str(part) for part in label if str(part))
    return str(label)


def summary_csv(table: pd.DataFrame, *, delimiter: str = ",") -> bytes:
    """A profile table as UTF-8 CSV, its index written as the first column(s).

    The index column is named by ``index.name`` or ``"segment"``. Text cells
    and header names are guarded like in :func:`labeled_csv`; numbers are
    written as numbers.
    """
    if isinstance(table.index, pd.MultiIndex):
        index_names = [name if name is not None else f"level_{i}" for i, name in enumerate(table.index.names)]
    else:
        index_names = [table.index.name if table.index.name is not None else SEGMENT]
    index = table.index.to_frame(index=False)
    columns = [index.iloc[:, i] for i in range(index.shape[1])]
    columns += [table.iloc[:, i] for i in range(table.shape[1])]
    header = guard_header(index_names + [_flat_label(c) for c in table.columns])

    arrays = []
    for column in columns:
        if isinstance(column.dtype, pd.CategoricalDtype) or column.dtype == object:
            # Mixed or categorical cells are written as their text.
            column = column.astype("str")
        if pd.api.types.is_string_dtype(column.dtype):
            column = guard_formula(column)
        arrays.append(pa.array(column, from_pandas=True))
    return _write_csv(arrays, header, delimiter)
