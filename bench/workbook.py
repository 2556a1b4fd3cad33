"""A 1,000,000-row .xlsx read and segmented: our reader against pandas with openpyxl, on the same file.

    .venv/bin/python -m bench.workbook                 # generate once, measure, write the section
    .venv/bin/python -m bench.workbook --rows 100000   # a smaller file

The workbook (10 columns: an id, numbers, two categories, a date cell, a
boolean) is written once with xlsxwriter in constant-memory mode into
bench/out/workbook/ (git-ignored; several minutes) and reused. Each
measurement is a fresh process (``os.wait4``: its own peak RSS). Ours reads
the sheet in a child process of its own (calamine, see segmentation/io/sheets.py):
its peak is reported beside the reading process's. pandas is
``pandas.read_excel(path, engine="openpyxl")``, what a notebook would do.
Results go to bench/out/workbook.json and a section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import sys
import time
from pathlib import Path

from ._proc import memory_kib, python, run_child
from .report import write_section

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "workbook"
DOC = ROOT / "docs" / "benchmarks.md"
MARK = "<!-- workbook (written by python -m bench.workbook) -->"
RUNS = ("ours", "ours-segment", "pandas-openpyxl")
HEADER = [
    "customer_id",
    "age",
    "income",
    "visits",
    "spend",
    "region",
    "channel",
    "joined",
    "churned",
    "score",
]


def generate(rows: int, path: Path) -> float:
    """Write the workbook (seeded), row by row in constant memory; returns the seconds it took."""
    import xlsxwriter

    started = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    book = xlsxwriter.Workbook(str(partial), {"constant_memory": True})
    sheet = book.add_worksheet("Customers")
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, HEADER)
    rng = random.Random(42)
    regions, channels, base = (
        ["North", "South", "East", "West"],
        ["web", "store", "phone"],
        dt.date(2015, 1, 1),
    )
    for r in range(1, rows + 1):
        sheet.write_string(r, 0, f"C{r:07d}")
        sheet.write_number(r, 1, rng.randint(18, 90))
        sheet.write_number(r, 2, round(rng.lognormvariate(10.5, 0.5), 2))
        sheet.write_number(r, 3, rng.randint(0, 50))
        sheet.write_number(r, 4, round(rng.random() * 1000, 2))
        sheet.write_string(r, 5, regions[rng.randrange(4)])
        sheet.write_string(r, 6, channels[rng.randrange(3)])
        sheet.write_datetime(r, 7, base + dt.timedelta(days=rng.randrange(3000)), date)
        sheet.write_boolean(r, 8, rng.random() < 0.2)
        sheet.write_number(r, 9, rng.random())
    book.close()
    partial.rename(path)
    return time.perf_counter() - started


def step(name: str, path: str) -> None:
    """One measured run, in this (fresh) process; prints a JSON line."""
    started = time.perf_counter()
    facts: dict[str, object] = {}
    if name == "ours":
        from segmentation import load

        dataset = load(path)
        facts["rows"] = dataset.n_rows
    elif name == "ours-segment":
        from segmentation import Settings, load, segment

        run = segment(load(path), Settings(n_clusters=5))
        facts["rows"] = run.dataset.n_rows
        facts["segmented"] = int(run.report.n_usable)
    else:
        import pandas as pd

        facts["rows"] = len(pd.read_excel(path, engine="openpyxl"))
    facts["seconds"] = time.perf_counter() - started
    facts["reader_child_mib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    facts["own_peak_mib"] = memory_kib()["VmHWM"] / 1024  # wait4's figure is the larger of it and the child's
    print(json.dumps(facts))


def measure(rows: int, work: Path, only: tuple[str, ...] = RUNS) -> dict:
    """Measure the ``only`` runs; the others are kept from the last results.json of the same file."""
    path = work / f"customers_{rows}.xlsx"
    kept = work / "results.json"
    previous = json.loads(kept.read_text()) if kept.exists() else {}
    results: dict = {
        "rows": rows,
        "file": str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path),
    }
    if not path.exists():
        print(f"writing {path} (once; several minutes)", file=sys.stderr)
        results["generate_seconds"] = round(generate(rows, path), 1)
    results["file_mib"] = round(path.stat().st_size / 2**20, 1)
    if previous.get("rows") == rows:
        results.update({name: previous[name] for name in RUNS if name not in only and name in previous})
    for name in only:
        print(f"measuring {name}", file=sys.stderr)
        done = run_child([python(), "-m", "bench.workbook", "step", name, str(path)], cwd=str(ROOT))
        if done.returncode:
            results[name] = {"returncode": done.returncode, "stderr": done.stderr[-2000:]}
            continue
        facts = done.last_json()
        results[name] = {
            "wall_seconds": round(done.wall, 2),
            "peak_mib": round(float(facts.get("own_peak_mib", done.maxrss_mib)), 1),
            "reader_child_mib": round(float(facts.get("reader_child_mib", 0.0)), 1),
            "rows": facts.get("rows"),
            "segmented": facts.get("segmented"),
        }
    return results


def report(results: dict) -> str:
    ours, theirs = results.get("ours", {}), results.get("pandas-openpyxl", {})
    lines = [MARK, "", f"### Workbooks: a {results['rows']:,}-row .xlsx", ""]
    lines.append(
        f"`{results['file']}`, {results['file_mib']} MB, 10 columns (text, numbers, two categories, "
        "a date cell, a boolean), written once by xlsxwriter. Each figure is one fresh process."
    )
    lines += [
        "",
        "| run | rows | seconds | peak MiB (the process) | peak MiB (its largest child: calamine for ours) |",
        "|---|---:|---:|---:|---:|",
    ]
    for name in ("ours", "ours-segment", "pandas-openpyxl"):
        run = results.get(name, {})
        if "wall_seconds" in run:
            child = f"{run['reader_child_mib']:,.0f}" if run["reader_child_mib"] else "-"
            lines.append(
                f"| {name} | {run['rows']:,} | {run['wall_seconds']:.1f} | {run['peak_mib']:,.0f} | {child} |"
            )
        else:
            lines.append(f"| {name} | failed (exit {run.get('returncode')}) | | | |")
    if "wall_seconds" in ours and "wall_seconds" in theirs:
        both = max(ours["peak_mib"], ours["reader_child_mib"])
        lines += [
            "",
            f"Reading: ours takes {ours['wall_seconds'] / theirs['wall_seconds']:.2f}x the time of pandas with "
            f"openpyxl ({theirs['wall_seconds'] / ours['wall_seconds']:.1f} times faster); its larger process peaks "
            f"at {both / theirs['peak_mib']:.2f}x pandas' peak (the two of ours together at most "
            f"{(ours['peak_mib'] + ours['reader_child_mib']) / theirs['peak_mib']:.2f}x). Ours includes the zip "
            "checks and the column analysis; pandas only reads.",
        ]
    lines += ["", MARK]
    return "\n".join(lines) + "\n"


def write_doc(section: str, doc: Path = DOC) -> None:
    write_section(section, MARK, doc)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.workbook", description=__doc__.splitlines()[0])
    parser.add_argument("step", nargs="?", choices=["step"])
    parser.add_argument("name", nargs="?", choices=["ours", "ours-segment", "pandas-openpyxl"])
    parser.add_argument("path", nargs="?")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--only", help=f"comma-separated runs to measure again, of {','.join(RUNS)}")
    parser.add_argument("--work", type=Path, default=OUT, help=f"folder for the workbook (default {OUT})")
    parser.add_argument(
        "--doc", type=Path, default=DOC, help=f"report to write the section into (default {DOC})"
    )
    args = parser.parse_args(argv)
    if args.step:
        step(args.name, args.path)
        return
    only = tuple(name for name in (args.only or ",".join(RUNS)).split(",") if name in RUNS)
    results = measure(args.rows, args.work, only)
    (args.work / "results.json").write_text(json.dumps(results, indent=2))
    write_doc(report(results), args.doc)
    print(report(results))


if __name__ == "__main__":
    main()
