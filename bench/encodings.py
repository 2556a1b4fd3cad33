"""Encoding detection on the generated language × code page matrix: ours against charset-normalizer.

    .venv/bin/python -m bench.encodings            # 24-row tables
    .venv/bin/python -m bench.encodings --rows 3   # tiny tables: less evidence

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
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "io"))

from encoding_matrix import CODEPAGES, LANGUAGES, MatrixFile, matrix

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
    text = file.data.decode(best.encoding).removeprefix("\ufeff")
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=24, help="customers per generated table (default 24)")
    args = parser.parse_args(argv)
    results = run(args.rows)
    print(table(results))
    n = len(results)
    print(f"\n{args.rows}-row tables, {n} files (cell ✓ = every cell exact; ours / charset-normalizer)")
    print(f"ours: {sum(r[1].exact for r in results)}/{n} exact")
    print(f"charset-normalizer: {sum(r[2].exact for r in results)}/{n} exact")


if __name__ == "__main__":
    main()
