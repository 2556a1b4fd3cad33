"""Encoding detection on the generated language × code page matrix: ours against charset-normalizer.

    .venv/bin/python -m bench.encodings            # 24-row tables
    .venv/bin/python -m bench.encodings --rows 3   # tiny tables: less evidence
    .venv/bin/python -m bench.encodings --speed 1000000   # read time of 1M-row files per page

Each file of ``tests/encoding_matrix.py`` (ten languages, each in every code
page that holds it) is read by ``segmentation.io.reader.read_csv`` and, as a
baseline, decoded with the encoding charset-normalizer names. A file counts
as right when every cell, header included, comes back exactly. charset-normalizer
is only a yardstick here; the product does not depend on it.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "io"))

from encoding_matrix import CODEPAGES, LANGUAGES, MatrixFile, matrix, table_rows, to_csv

from segmentation.io.reader import read_csv
from segmentation.report.errors import SegmentationError


@dataclass(frozen=True)
class Outcome:
    """Whether a detector gave every cell back, and the encoding it chose."""

    exact: bool
    chosen: str


def ours(file: MatrixFile) -> Outcome:
    try:
        table = read_csv(file.data)
    except SegmentationError as exc:
        return Outcome(False, f"error {exc.code}")
    rows = [list(table.report.header), *table.raw.astype(object).values.tolist()]
    return Outcome(rows == file.rows, table.report.encoding)


def charset_normalizer(file: MatrixFile) -> Outcome:
    from charset_normalizer import from_bytes

    best = from_bytes(file.data).best()
    if best is None:
        return Outcome(False, "none")
    # NFC as the reader gives it (Windows-1258 stores tone marks apart), so only the page is judged.
    text = unicodedata.normalize("NFC", file.data.decode(best.encoding).removeprefix("\ufeff"))
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    return Outcome(rows == file.rows, best.encoding)


def run(n_rows: int) -> list[tuple[MatrixFile, Outcome, Outcome]]:
    return [(file, ours(file), charset_normalizer(file)) for file in matrix(n_rows)]


def table(results: list[tuple[MatrixFile, Outcome, Outcome]]) -> str:
    """A Markdown table: per language, per code page, ``ours / charset-normalizer`` (✓ exact, ✗ not)."""
    cells: dict[str, dict[str, str]] = defaultdict(dict)
    for file, mine, theirs in results:
        mark = f"{'✓' if mine.exact else '✗'} / {'✓' if theirs.exact else '✗ ' + theirs.chosen}"
        cells[file.language][file.codec] = mark
    lines = ["| language | " + " | ".join(CODEPAGES) + " |", "|---" * (len(CODEPAGES) + 1) + "|"]
    for language in LANGUAGES:
        row = [cells[language.name].get(codec, "") for codec in CODEPAGES]
        lines.append(f"| {language.name} | " + " | ".join(row) + " |")
    return "\n".join(lines)


# Pages whose read time is measured, with a language each can hold.
SPEED_FILES = (
    ("utf-8", "German"),
    ("cp1252", "German"),
    ("cp1251", "Russian"),
    ("gbk", "Simplified Chinese"),
)


def speed(n_rows: int) -> None:
    """Seconds ``read_csv`` takes for an ``n_rows`` table saved in each of :data:`SPEED_FILES` (best of 3).

    CPU time is printed beside wall time: on a shared machine it varies less.
    """
    languages = {language.name: language for language in LANGUAGES}
    with tempfile.TemporaryDirectory() as folder:
        for codec, name in SPEED_FILES:
            rows = table_rows(languages[name], 1000)
            body = "".join(to_csv(rows[1:]) for _ in range(n_rows // 1000))
            path = Path(folder) / f"{codec}.csv"
            path.write_bytes((to_csv(rows[:1]) + body).encode(codec))
            times, cpu = [], []
            for _ in range(3):
                start, start_cpu = time.perf_counter(), time.process_time()
                table = read_csv(path, max_bytes=1 << 40)
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            size = path.stat().st_size / 2**20
            print(
                f"{codec:8} {name:20} {table.report.n_rows:,} rows, {size:,.0f} MB: "
                f"{min(times):.2f} s wall, {min(cpu):.2f} s CPU (best of 3)"
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=24, help="customers per generated table (default 24)")
    parser.add_argument("--speed", type=int, metavar="ROWS", help="time reading ROWS-row files instead")
    args = parser.parse_args(argv)
    if args.speed:
        speed(args.speed)
        return
    results = run(args.rows)
    print(table(results))
    n = len(results)
    print(f"\n{args.rows}-row tables, {n} files (cell ✓ = every cell exact; ours / charset-normalizer)")
    print(f"ours: {sum(r[1].exact for r in results)}/{n} exact")
    print(f"charset-normalizer: {sum(r[2].exact for r in results)}/{n} exact")


if __name__ == "__main__":
    main()
