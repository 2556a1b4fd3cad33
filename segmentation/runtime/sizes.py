"""How many bytes an object really holds (each memory range once), and read-only views to share it between threads."""

from __future__ import annotations

import copy
import dataclasses
import sys
import types
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

_SKIPPED = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.MethodType)


_SCALARS = (str, bytes, bytearray, int, float, complex, bool, type(None))


def memory_ranges(obj: Any) -> np.ndarray:
    """The memory ranges ``obj`` holds, as an (n, 2) array of [start, end) addresses.

    Walks dataclasses, objects' attributes, dicts, lists, tuples and sets;
    counts NumPy arrays (their owning array, so views are not counted twice),
    Arrow arrays, chunked arrays, tables and buffers, pandas frames, series and
    indexes (through their Arrow or NumPy data), and Python strings and bytes.
    Classes, modules and functions are not walked.
    """
    return as_ranges(found_in(obj))


def found_in(obj: Any) -> list[tuple[int, int, Any]]:
    """(start, end, keeper) of every memory range ``obj`` holds; the keeper is the object whose
    life keeps the range in memory (an owning NumPy array, an Arrow array), or None."""
    found: list[tuple[int, int, Any]] = []
    _walk(obj, found, {})
    return found


def as_ranges(found: list[tuple[int, int, Any]]) -> np.ndarray:
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    return np.array([(start, end) for start, end, _ in found], dtype=np.int64)


def union_bytes(ranges: np.ndarray) -> int:
    """Bytes covered by the union of [start, end) ranges (overlaps counted once)."""
    if len(ranges) == 0:
        return 0
    order = np.argsort(ranges[:, 0], kind="stable")
    starts, ends = ranges[order, 0], ranges[order, 1]
    reach = np.maximum.accumulate(ends)
    previous = np.concatenate(([starts[0]], reach[:-1]))
    return int(np.clip(ends - np.maximum(starts, previous), 0, None).sum())


def nbytes_of(obj: Any) -> int:
    """Bytes ``obj`` holds: every buffer it reaches, each counted once.

    Parameters
    ----------
    obj : Any
        A dataset, segmentation, array, frame, figure, or any nesting of them.

    Returns
    -------
    int
        The size of the union of the memory ranges found by ``memory_ranges``.

    Examples
    --------
    >>> a = np.zeros(1000)
    >>> nbytes_of([a, a[10:], a.reshape(10, 100)]) == a.nbytes  # views of one array: counted once
    True
    >>> nbytes_of({"again": a}) == a.nbytes + sys.getsizeof("again")  # a dict's keys count too
    True
    """
    return union_bytes(memory_ranges(obj))


def _walk(obj: Any, found: list[tuple[int, int, Any]], seen: dict[int, Any]) -> None:
    # ``seen`` keeps what it saw alive: a temporary (a frame's column Series)
    # freed during the walk could hand its id to the next one, which would be skipped.
    if id(obj) in seen or isinstance(obj, _SKIPPED):
        return
    seen[id(obj)] = obj
    if isinstance(obj, _SCALARS):
        found.append((id(obj), id(obj) + sys.getsizeof(obj), None))
    elif isinstance(obj, np.ndarray):
        _walk_array(obj, found, seen)
    elif isinstance(obj, (pa.Array, pa.ChunkedArray, pa.Table, pa.RecordBatch, pa.Buffer)):
        _walk_arrow(obj, found, obj)
    elif isinstance(obj, (pd.DataFrame, pd.Series, pd.Index)):
        _walk_pandas(obj, found, seen)
    else:
        for child in _children(obj):
            _walk(child, found, seen)


def _children(obj: Any) -> Iterator[Any]:
    if isinstance(obj, dict):
        yield from obj.keys()
        yield from obj.values()
    elif isinstance(obj, (list, tuple, set, frozenset)):
        yield from obj
    elif dataclasses.is_dataclass(obj):
        yield from (getattr(obj, f.name) for f in dataclasses.fields(obj))
    elif hasattr(obj, "__dict__"):
        yield from vars(obj).values()


def _walk_array(array: np.ndarray, found: list[tuple[int, int, Any]], seen: dict[int, Any]) -> None:
    owner = _owner(array)
    start = owner.__array_interface__["data"][0]
    found.append((start, start + owner.nbytes, owner))
    if array.dtype == object:
        for item in array.ravel():
            _walk(item, found, seen)


def _owner(array: np.ndarray) -> np.ndarray:
    """The outermost NumPy array a view was taken from."""
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


def _walk_arrow(obj: Any, found: list[tuple[int, int, Any]], keeper: Any) -> None:
    """Arrow buffers, kept in memory by ``keeper`` (the outermost Arrow object reached)."""
    if isinstance(obj, pa.Buffer):
        found.append((obj.address, obj.address + obj.size, keeper))
    elif isinstance(obj, pa.Table | pa.RecordBatch):
        for column in obj.columns:
            _walk_arrow(column, found, keeper)
    elif isinstance(obj, pa.ChunkedArray):
        for chunk in obj.chunks:
            _walk_arrow(chunk, found, keeper)
    else:
        for buffer in obj.buffers():
            if buffer is not None:
                _walk_arrow(buffer, found, keeper)


def _walk_pandas(obj: Any, found: list[tuple[int, int, Any]], seen: dict[int, Any]) -> None:
    if isinstance(obj, pd.DataFrame):
        _walk(obj.index, found, seen)
        _walk(obj.columns, found, seen)
        for _, column in obj.items():
            _walk(column, found, seen)
    elif isinstance(obj, pd.RangeIndex):
        found.append((id(obj), id(obj) + sys.getsizeof(obj), None))
    else:
        if isinstance(obj, pd.Series):
            _walk(obj.index, found, seen)
        _walk_values(obj.array, found, seen)


def _walk_values(values: Any, found: list[tuple[int, int, Any]], seen: dict[int, Any]) -> None:
    """A pandas array: Arrow-backed through ``__arrow_array__`` (zero-copy), else its NumPy data."""
    if hasattr(values, "__arrow_array__"):
        arrow = values.__arrow_array__()  # pyarrow's protocol: the array itself, not a copy
        _walk_arrow(arrow, found, arrow)
    elif isinstance(values, pd.Categorical):
        _walk(values.codes, found, seen)
        _walk(values.categories, found, seen)
    else:
        _walk(np.asarray(values), found, seen)


def freeze(obj: Any) -> Any:
    """Make every NumPy array ``obj`` reaches read-only (``writeable=False``); return ``obj``.

    The owning array is frozen too, so no view of it can be written either;
    pandas then copies a column before writing into it instead of changing it
    in place.
    """
    for array in _arrays(obj, {}):
        _owner(array).setflags(write=False)
        array.setflags(write=False)
    return obj


def _arrays(obj: Any, seen: dict[int, Any]) -> Iterator[np.ndarray]:
    if id(obj) in seen or isinstance(obj, _SKIPPED + _SCALARS):
        return
    seen[id(obj)] = obj
    if isinstance(obj, np.ndarray):
        yield obj
    elif isinstance(obj, (pd.DataFrame, pd.Series, pd.Index)):
        yield from _pandas_arrays(obj)
    elif not isinstance(obj, (pa.Array, pa.ChunkedArray, pa.Table, pa.RecordBatch, pa.Buffer)):
        for child in _children(obj):
            yield from _arrays(child, seen)


def _pandas_arrays(obj: Any) -> Iterator[np.ndarray]:
    columns = [column for _, column in obj.items()] if isinstance(obj, pd.DataFrame) else [obj]
    for column in columns:
        values = column.array
        if not hasattr(values, "__arrow_array__") and not isinstance(values, pd.Categorical):
            array = np.asarray(values)
            if array.base is not None or array.flags.owndata:
                yield array


def private_view(obj: Any) -> Any:
    """A view of a shared object that a session may keep, rebind or write without affecting others.

    Dataclasses and plain objects are shallow-copied with their fields viewed
    in turn; dicts and lists are copied; pandas objects are ``copy(deep=False)``
    (copy-on-write: same buffers until written); NumPy arrays are returned as
    they are (frozen by ``freeze``). Other objects (fitted models, figures) are
    shared as they are and must be treated as read-only.
    """
    return _view(obj, {})


def _view(obj: Any, memo: dict[int, Any]) -> Any:
    if id(obj) in memo:
        return memo[id(obj)]
    view: Any
    if isinstance(obj, (pd.DataFrame, pd.Series)):
        view = obj.copy(deep=False)
    elif isinstance(obj, dict):
        view = {k: _view(v, memo) for k, v in obj.items()}
    elif isinstance(obj, list):
        view = [_view(v, memo) for v in obj]
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        view = copy.copy(obj)
        memo[id(obj)] = view
        for f in dataclasses.fields(obj):
            object.__setattr__(view, f.name, _view(getattr(obj, f.name), memo))
    else:
        view = obj
    memo[id(obj)] = view
    return view
