"""Workbooks and zip bombs made by code, for the workbook and container tests."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import xlsxwriter

from tests.fixtures import REPO

ZEROS_GIB = 2
_MIB = 1 << 20


def xlsx(build: Callable[[xlsxwriter.Workbook], None], **options: object) -> bytes:
    """An .xlsx made by ``build``, as bytes; text is never turned into formulas or numbers."""
    sink = io.BytesIO()
    book = xlsxwriter.Workbook(sink, {"strings_to_formulas": False, "strings_to_numbers": False, **options})
    build(book)
    book.close()
    return sink.getvalue()


def table_sheet(
    book: xlsxwriter.Workbook, name: str, rows: Sequence[Sequence[object]], *, top: int = 0
) -> None:
    """Rows written from row ``top`` on: str as text, numbers as numbers, dates as date cells."""
    sheet = book.add_worksheet(name)
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows, start=top):
        for c, value in enumerate(row):
            if isinstance(value, (dt.date, dt.datetime)):
                sheet.write_datetime(r, c, value, date)
            elif isinstance(value, str):
                sheet.write_string(r, c, value)
            elif value is not None:
                sheet.write(r, c, value)


def customers(n: int = 60, seed: int = 3) -> list[list[object]]:
    """A header and ``n`` customer rows with numbers, a category and a date, as typed cells."""
    rng = np.random.default_rng(seed)
    rows: list[list[object]] = [["customer_id", "age", "income", "visits", "region", "joined"]]
    for i in range(n):
        rows.append(
            [
                f"C{i:04d}",
                int(rng.integers(18, 80)),
                float(round(rng.normal(50_000, 15_000), 2)),
                int(rng.integers(0, 40)),
                ["North", "South", "East"][i % 3],
                dt.datetime(2020, 1, 1) + dt.timedelta(days=int(rng.integers(0, 1500))),
            ]
        )
    return rows


def rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The zip ``data`` with some members' contents replaced (deflated)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    sink = io.BytesIO()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
    return sink.getvalue()


def write_zero_member(archive: zipfile.ZipFile, name: str, size: int, head: bytes = b"") -> None:
    """A deflated member of ``head`` then zeros up to ``size`` bytes, written in 1 MiB steps."""
    with archive.open(name, "w", force_zip64=True) as member:
        member.write(head)
        zeros, left = bytes(_MIB), size - len(head)
        while left > 0:
            member.write(zeros[: min(_MIB, left)])
            left -= _MIB


def zero_array_model(model: bytes, path: Path) -> Path:
    """The skops model file ``model`` with its largest array member inflating to 2 GiB of zeros.

    Every type in it stays one skops trusts: without bounds, loading it builds a
    2 GiB array (and reads it whole first).
    """
    source = zipfile.ZipFile(io.BytesIO(model))
    arrays = [info for info in source.infolist() if info.filename.endswith(".npy")]
    target = max(arrays, key=lambda info: info.file_size).filename
    count = ZEROS_GIB * (1 << 30) // 8
    header = np.lib.format.header_data_from_array_1_0(np.zeros(1))
    header["shape"] = (count,)
    head = io.BytesIO()
    np.lib.format.write_array_header_1_0(head, header)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in source.infolist():
            if info.filename == target:
                write_zero_member(out, target, len(head.getvalue()) + count * 8, head.getvalue())
            else:
                out.writestr(info.filename, source.read(info.filename))
    return path


def workbook_bomb(path: Path) -> Path:
    """An .xlsx whose sheet inflates to 2 GiB: a real header row, then zeros."""
    base = xlsx(lambda book: table_sheet(book, "Customers", customers(3)))
    source = zipfile.ZipFile(io.BytesIO(base))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in source.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                write_zero_member(out, info.filename, ZEROS_GIB << 30, source.read(info.filename)[:200])
            else:
                out.writestr(info.filename, source.read(info.filename))
    return path


def lying_sizes(data: bytes, member: str, declared: int) -> bytes:
    """The zip with ``member``'s unpacked size declared as ``declared``, in its local header and the directory."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    out = bytearray(data)
    size = declared.to_bytes(4, "little")
    local = archive.getinfo(member).header_offset
    out[local + 22 : local + 26] = size
    entry = archive.start_dir
    while out[entry : entry + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = (
            int.from_bytes(out[entry + at : entry + at + 2], "little") for at in (28, 30, 32)
        )
        if bytes(out[entry + 46 : entry + 46 + name_length]) == member.encode():
            out[entry + 24 : entry + 28] = size
        entry += 46 + name_length + extra_length + comment_length
    return bytes(out)


def peak_rss_mib(command: list[str], cwd: Path = REPO) -> tuple[int, str, float]:
    """Run ``command``; its exit code, its stderr and its own peak resident memory (MiB).

    The peak is the child's VmHWM, read from /proc while it runs: that high-water mark belongs to the
    program after exec, whereas wait4's ru_maxrss also counts the parent's pages at the fork (a test
    process of 380 MiB would make every child look that large).
    """
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert process.stderr is not None
    peak_kib = [0]
    status = Path(f"/proc/{process.pid}/status")

    def watch() -> None:
        while process.poll() is None:
            with contextlib.suppress(OSError, AttributeError, ValueError):
                found = re.search(r"VmHWM:\s+(\d+)", status.read_text())
                peak_kib[0] = max(peak_kib[0], int(found.group(1)))  # type: ignore[union-attr]
            time.sleep(0.005)

    watcher = threading.Thread(target=watch)
    watcher.start()
    stderr = process.stderr.read().decode("utf-8", errors="replace")
    process.wait()
    watcher.join()
    return process.returncode, stderr, peak_kib[0] / 1024


PYTHON = sys.executable
