"""Which kind of table a path holds: Parquet (a file, or a folder of files) or, failing that, CSV.

Apart from ``tables`` so that telling the two apart loads nothing: the
``pyarrow.dataset`` that ``tables`` reads with is slow to import (see
docs/benchmarks.md), and a CSV command does not need it.
"""

from __future__ import annotations

from pathlib import Path

PARQUET_SUFFIXES = (".parquet", ".pq", ".parq")
_MAGIC = b"PAR1"


def is_parquet(path: str | Path) -> bool:
    """Whether ``path`` is a Parquet file (by name or by its first bytes) or a folder of Parquet files."""
    path = Path(path)
    if path.is_dir():
        return any(p.suffix.lower() in PARQUET_SUFFIXES for p in path.rglob("*") if p.is_file())
    if path.suffix.lower() in PARQUET_SUFFIXES:
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(4) == _MAGIC
    except OSError:
        return False
