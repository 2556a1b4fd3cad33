"""``python -m bench``: run every benchmark and write docs/benchmarks.md.

    .venv/bin/python -m bench                # full run (several minutes)
    .venv/bin/python -m bench --quick        # smoke run: small sizes, 1 repeat, no 5M
    .venv/bin/python -m bench --sizes 10000,100000 --repeats 5 --e2e-rows 100000
    .venv/bin/python -m bench --skip browser # no headless Chromium

Every measured run is a fresh child process (``os.wait4`` gives its own
max RSS). Raw numbers also go to bench/out/results.json.
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ._proc import run_child
from .report import write_report
from .unstructured import write_unstructured

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DOC = ROOT / "docs" / "benchmarks.md"
PY = sys.executable
# Children run from a snapshot of the code taken at start (see snapshot()).
RUN_DIR = ROOT


def snapshot(reuse: bool = False) -> dict:
    """Copy segmentation/ and bench/ into bench/out/src and run every child from there.

    Others may edit the package while the benchmark runs; a snapshot keeps all
    runs of one benchmark on the same code, and the report records which.
    """
    global RUN_DIR
    target = OUT / "src"
    ignore = shutil.ignore_patterns("__pycache__", "out")
    packages = ("bench",) if reuse and (target / "segmentation").is_dir() else ("segmentation", "bench")
    for package in packages:
        shutil.rmtree(target / package, ignore_errors=True)
        shutil.copytree(ROOT / package, target / package, ignore=ignore)
        # Compiled as pip compiles an installed package. Where PYTHONDONTWRITEBYTECODE is
        # set (as on some CI machines) every run would otherwise compile our modules again.
        compileall.compile_dir(target / package, quiet=1)
    RUN_DIR = target
    digest = hashlib.sha256()
    for path in sorted((target / "segmentation").rglob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())

    def git(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=30
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return "unknown"

    return {
        "git_head": git("log", "-1", "--format=%h %cd %s", "--date=iso"),
        "dirty": git("status", "--short", "--", "segmentation").splitlines(),
        "sha256": digest.hexdigest()[:16],
    }


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def dataset(rows: int) -> Path:
    """Synthetic customers via the real CLI (seed 42), generated once and reused."""

    def generate(path: Path) -> None:
        command = [PY, "-m", "segmentation", "generate", "-n", str(rows), "-o", str(path)]
        checked(run_child(command, cwd=str(RUN_DIR)), "generate")

    return generated_once(OUT / f"customers_{rows}.csv", f"{rows:,} customers", generate)


def unstructured_dataset(rows: int) -> Path:
    """The same schema without planted structure (bench/unstructured.py), generated once and reused."""
    return generated_once(
        OUT / f"unstructured_{rows}.csv",
        f"{rows:,} unstructured customers",
        lambda path: write_unstructured(rows, path),
    )


def generated_once(path: Path, what: str, make: Callable[[Path], object]) -> Path:
    """``path``, made by ``make(path)`` when it is missing or empty, else reused as it is."""
    if not path.exists() or path.stat().st_size == 0:
        log(f"generating {what} → {path.name}")
        make(path)
    return path


def checked(run, what: str):
    if run.returncode:
        raise SystemExit(f"{what} failed (exit {run.returncode}):\n{run.stderr[-3000:]}")
    return run


# The end-to-end ratios are medians of more runs than the rest: this shared machine's speed drifts by
# 10-20% within minutes, and ours and the plain script are not slowed alike (ours uses both cores).
E2E_REPEATS = 5


def summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "all": values}


def bench_end_to_end(source: Path, rows: int, repeats: int, warmup: bool) -> dict:
    """Ours against the plain script on one file, alternating, in the same run."""
    ours_out, plain_out, harness_out = (
        OUT / f"{name}_{source.stem}.csv" for name in ("cli", "plain", "harness")
    )
    commands = {
        "cli": [PY, "-m", "segmentation", "segment", str(source), "-o", str(ours_out)],
        "plain": [PY, str(ROOT / "bench" / "plain.py"), str(source), str(plain_out)],
        "harness": [PY, "-m", "bench.ours", str(source), str(harness_out)],
    }
    if warmup:  # page cache, .pyc files; not recorded
        log("end to end: warm-up runs (not recorded)")
        for name in ("cli", "plain"):
            checked(run_child(commands[name], cwd=str(RUN_DIR)), name)
    runs: dict[str, list] = {name: [] for name in commands}
    for i in range(repeats):
        # Alternate the order so neither side always runs first.
        order = ["cli", "plain", "harness"] if i % 2 == 0 else ["plain", "cli", "harness"]
        for name in order:
            run = checked(run_child(commands[name], cwd=str(RUN_DIR)), name)
            log(
                f"end to end {source.name}, repeat {i + 1}/{repeats}: "
                f"{name} {run.wall:.2f} s, {run.maxrss_mib:,.0f} MiB"
            )
            runs[name].append(run)
    result = {
        "file": source.name,
        "rows": rows,
        "csv_bytes": source.stat().st_size,
        "repeats": repeats,
        "warmup": warmup,
    }
    for name, done in runs.items():
        result[name] = {
            "wall": summary([r.wall for r in done]),
            "maxrss_mib": summary([r.maxrss_mib for r in done]),
            "cpu": summary([r.user + r.system for r in done]),
        }
    result["inertia_ours"] = runs["harness"][0].last_json()["inertia"]
    result["inertia_plain"] = runs["plain"][0].last_json()["inertia"]
    result["inertia_ours_all"] = sorted({r.last_json()["inertia"] for r in runs["harness"]})
    result["inertia_plain_all"] = sorted({r.last_json()["inertia"] for r in runs["plain"]})
    result["output_bytes"] = {"cli": ours_out.stat().st_size, "plain": plain_out.stat().st_size}
    for path in (ours_out, plain_out, harness_out):
        path.unlink(missing_ok=True)
    return result


def bench_growth(sizes: list[int], repeats: int, big_rows: int, big_repeats: int) -> list[dict]:
    results = []
    for rows in sizes:
        source = dataset(rows)
        n = big_repeats if rows >= big_rows else repeats
        runs = []
        for i in range(n):
            run = checked(run_child([PY, "-m", "bench.stages", str(source)], cwd=str(RUN_DIR)), "stages")
            data = run.last_json()
            data["maxrss_mib"] = run.maxrss_mib
            data["wall"] = run.wall
            runs.append(data)
            log(
                f"stages {rows:,} rows, repeat {i + 1}/{n}: "
                + ", ".join(f"{k} {v['seconds']:.2f} s" for k, v in data["stages"].items())
            )
        stages = {}
        for name in runs[0]["stages"]:
            stages[name] = {
                key: summary([r["stages"][name][key] for r in runs])
                for key in ("seconds", "peak_mib", "retained_mib")
            }
        results.append(
            {
                "rows": rows,
                "csv_bytes": source.stat().st_size,
                "repeats": n,
                "stages": stages,
                "maxrss_mib": summary([r["maxrss_mib"] for r in runs]),
                "baseline_rss_mib": summary([r["baseline_rss_mib"] for r in runs]),
                "peak_reset_works": all(r["peak_reset_works"] for r in runs),
            }
        )
    return results


def repeat_child(
    args: list[str], what: str, repeats: int, label: str, detail: Callable[[dict], str]
) -> list[dict]:
    """Run ``python -m *args`` ``repeats`` times from the snapshot: each run's JSON line, plus its peak memory."""
    runs = []
    for i in range(repeats):
        run = checked(run_child([PY, "-m", *args], cwd=str(RUN_DIR)), what)
        runs.append(run.last_json() | {"maxrss_mib": run.maxrss_mib})
        log(f"{label}, repeat {i + 1}/{repeats}: {detail(runs[-1])}")
    return runs


def bench_choose_k(rows: int, repeats: int) -> dict:
    runs = repeat_child(
        ["bench.choosek", str(dataset(rows))],
        "choose-k",
        repeats,
        f"choose k {rows:,} rows",
        lambda data: f"evaluate_k {data['evaluate_k_seconds']:.1f} s",
    )
    return {
        "rows": rows,
        "repeats": repeats,
        "evaluate_k_seconds": summary([r["evaluate_k_seconds"] for r in runs]),
        "load_prepare_seconds": summary([r["load_prepare_seconds"] for r in runs]),
        "maxrss_mib": summary([r["maxrss_mib"] for r in runs]),
        "suggested_k": runs[0]["suggested_k"],
        "n_rows_scored": runs[0]["n_rows_scored"],
        "table": runs[0]["table"],
    }


def bench_figure(rows: int, repeats: int) -> dict:
    source = dataset(rows)
    run = checked(
        run_child([PY, "-m", "bench.figure", str(source), str(repeats)], cwd=str(RUN_DIR)), "figure"
    )
    data = run.last_json()
    data["maxrss_mib"] = run.maxrss_mib
    log(
        f"figure {rows:,} rows: {data['json_bytes'] / 1e6:.2f} MB JSON, "
        f"axes-only rerun {data['rerun_seconds_median']:.3f} s (median of {data['repeats']} axis pairs)"
    )
    return data


def bench_orders(rows: int, repeats: int) -> dict:
    """Order lines → customers (bench/orders.py), one child process per repeat."""
    runs = repeat_child(
        ["bench.orders", str(rows)],
        "orders",
        repeats,
        f"orders {rows:,} lines",
        lambda data: f"to customers {data['to_customers_seconds']:.2f} s",
    )
    return {
        "rows": rows,
        "repeats": repeats,
        "customers": runs[0]["customers"],
        **{
            key: summary([r[key] for r in runs])
            for key in ("load_seconds", "to_customers_seconds", "to_customers_cpu_seconds", "maxrss_mib")
        },
    }


def bench_browser(rows: int, repeats: int) -> dict:
    """Upload → scatter in headless Chromium; the app runs from the working tree (ROOT), not the snapshot."""
    source = dataset(rows)
    shot = OUT / f"browser_scatter_{rows}.png"
    run = checked(
        run_child(
            [
                PY,
                "-m",
                "bench.browser",
                str(source),
                "--repeats",
                str(repeats),
                "--app-root",
                str(ROOT),
                "--out",
                str(OUT),
                "--screenshot",
                str(shot),
            ],
            cwd=str(RUN_DIR),
        ),
        "browser",
    )
    data = run.last_json()
    data["rows"] = rows
    data["app_dir"] = str(ROOT)
    log(
        f"browser {rows:,} rows: upload→scatter {data['total_seconds']['median']:.2f} s "
        f"(upload {data['upload_seconds']['median']:.2f} s + segments {data['segments_seconds']['median']:.2f} s), "
        f"axes {data['axes_seconds']['median']:.2f} s, medians of {repeats}"
    )
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: sizes 10k,100k; end to end on 100k; 1 repeat; no 5M"
    )
    parser.add_argument("--sizes", help="comma-separated growth sizes (default 10000,100000,1000000,5000000)")
    parser.add_argument(
        "--repeats", type=int, help=f"repeats per measurement (default 3, end to end {E2E_REPEATS}; quick 1)"
    )
    parser.add_argument(
        "--big-repeats",
        type=int,
        default=1,
        help="repeats for growth sizes >= 5,000,000 (default 1: each takes about a minute)",
    )
    parser.add_argument(
        "--e2e-rows", type=int, help="rows for end to end, choose k, figure and browser (default 1,000,000)"
    )
    parser.add_argument(
        "--skip",
        default="",
        help="comma-separated parts to skip: e2e,growth,choosek (and the churn export's),figure,browser,"
        "orders,scale,workbook",
    )
    parser.add_argument("--output", type=Path, default=DOC, help="report file (default docs/benchmarks.md)")
    parser.add_argument(
        "--merge",
        action="store_true",
        help="with --skip: keep the other parts of bench/out/results.json and measure "
        "with the code snapshot already in bench/out/src",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="re-render the report from bench/out/results.json without measuring",
    )
    args = parser.parse_args(argv)
    if args.report_only:
        write_report(json.loads((OUT / "results.json").read_text()), args.output)
        log(f"wrote {args.output} from {OUT / 'results.json'}")
        return 0

    quick = args.quick
    repeats = args.repeats or (1 if quick else 3)
    sizes = (
        [int(s.replace("_", "")) for s in args.sizes.split(",")]
        if args.sizes
        else [10_000, 100_000]
        if quick
        else [10_000, 100_000, 1_000_000, 5_000_000]
    )
    e2e_rows = args.e2e_rows or (100_000 if quick else 1_000_000)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    OUT.mkdir(parents=True, exist_ok=True)

    previous = json.loads((OUT / "results.json").read_text()) if args.merge else None
    code = snapshot(reuse=args.merge)
    log(
        f"measuring code snapshot {code['sha256']} (HEAD {code['git_head']}; dirty: {code['dirty'] or 'none'})"
    )
    started = time.time()
    results: dict = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "argv": sys.argv[1:] if argv is None else argv,
        "quick": quick,
        "code": code,
        "repeats": repeats,
        "big_repeats": args.big_repeats,
        "skipped_sizes": [] if args.sizes or not quick else [1_000_000, 5_000_000],
        "loadavg_start": os.getloadavg(),
    }
    if "e2e" not in skip:
        # Both files in the same run, as the targets are ratios to the plain script measured alongside.
        e2e_repeats = args.repeats or (1 if quick else E2E_REPEATS)
        results["end_to_end"] = bench_end_to_end(dataset(e2e_rows), e2e_rows, e2e_repeats, warmup=not quick)
        results["end_to_end_unstructured"] = bench_end_to_end(
            unstructured_dataset(e2e_rows), e2e_rows, e2e_repeats, warmup=not quick
        )
    if "growth" not in skip:
        results["growth"] = bench_growth(sizes, repeats, 5_000_000, args.big_repeats)
    if "choosek" not in skip:
        results["choose_k"] = bench_choose_k(e2e_rows, repeats)
        # choose-k against segment in the CLI on the churn export's schema (target <= 4x), and the
        # browser's Compute on it (target < 8 s): bench/churnlike.py, bench/choosek_browser.py.
        results["choose_k_churn"] = checked(
            run_child([PY, "-m", "bench.churnlike", "--repeats", str(max(repeats, 1))], cwd=str(RUN_DIR)),
            "churn",
        ).last_json()
        if "browser" not in skip:
            results["choose_k_browser"] = checked(
                run_child(
                    [PY, "-m", "bench.choosek_browser", "--repeats", str(max(repeats, 1))], cwd=str(RUN_DIR)
                ),
                "choose-k browser",
            ).last_json()
    if "figure" not in skip:
        results["figure"] = bench_figure(e2e_rows, 7)
    if "browser" not in skip:
        results["browser"] = bench_browser(e2e_rows, max(repeats, 1))
    if "orders" not in skip:
        results["orders"] = bench_orders(e2e_rows, max(repeats, 1))
    if "scale" not in skip:
        # Parquet at 1M and 10M rows, local and Spark scoring, fit-on-sample agreement (bench/scale.py);
        # it writes its own section of the report's kept notes.
        scale = run_child(
            [PY, "-m", "bench.scale", "--work", str(OUT / "scale"), "--doc", str(args.output)],
            cwd=str(RUN_DIR),
        )
        if scale.returncode:
            log(f"scale part failed (exit {scale.returncode}):\n{scale.stderr[-3000:]}")
        results["scale"] = {"returncode": scale.returncode, "seconds": round(scale.wall, 1)}
    if "workbook" not in skip:
        # A 1M-row .xlsx read by us and by pandas with openpyxl (bench/workbook.py), written once
        # into bench/out/workbook; it writes its own section of the report's kept notes.
        book = run_child(
            [PY, "-m", "bench.workbook", "--work", str(OUT / "workbook"), "--doc", str(args.output)]
            + (["--rows", "100000"] if quick else []),
            cwd=str(RUN_DIR),
        )
        if book.returncode:
            log(f"workbook part failed (exit {book.returncode}):\n{book.stderr[-3000:]}")
        results["workbook"] = {"returncode": book.returncode, "seconds": round(book.wall, 1)}
    results["loadavg_end"] = os.getloadavg()
    results["duration_seconds"] = time.time() - started
    if previous is not None:
        if previous.get("code", {}).get("sha256") != code["sha256"]:
            raise SystemExit("--merge: the snapshot differs from the one the previous results measured")
        measured = {
            k: v
            for k, v in results.items()
            if k
            in (
                "end_to_end",
                "end_to_end_unstructured",
                "growth",
                "choose_k",
                "figure",
                "browser",
                "orders",
                "scale",
            )
        }
        previous.setdefault("merged", []).append(
            {"argv": results["argv"], "started": results["started"], "parts": sorted(measured)}
        )
        previous.update(measured)
        results = previous
    (OUT / "results.json").write_text(json.dumps(results, indent=2, default=str))
    write_report(results, args.output)
    log(f"done in {results['duration_seconds']:.0f} s; wrote {args.output} and {OUT / 'results.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
