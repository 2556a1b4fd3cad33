"""Large tables: Parquet at 1M and 10M rows, local against Spark scoring, and fit-on-sample agreement.

``python -m bench.scale`` writes synthetic customers as Parquet folders (one
file per million rows), then measures, each in a fresh child process (wall
time and the child's own peak RSS from ``os.wait4``):

- ``segment`` of 1M and 10M rows (fit on a sample of at most 1M, every row scored in batches);
- scoring the 1M table with the saved model locally and on Spark ``local[2]``;
- the agreement (ARI) of the sample fit's segments with a fit of the same model on all 10M rows.

Results go to ``bench/out/scale.json`` and a section of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

from bench._proc import python, run_child
from bench.report import write_section

# Defaults for a direct run; make bench runs this from a snapshot of the code and passes the
# repository's own folders (--work, --doc), so the data and the report land where they belong.
OUT = Path(__file__).resolve().parent / "out" / "scale"
DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
MARK = "<!-- scale (written by python -m bench.scale) -->"


def write_customers(folder: Path, millions: int) -> Path:
    """``millions`` files of a million synthetic customers each (personas planted), as one Parquet folder."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from segmentation.io.synthetic import generate_customers

    if folder.is_dir() and len(list(folder.glob("*.parquet"))) == millions:
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(millions):
        frame = generate_customers(1_000_000, seed=100 + i)
        frame["customer_id"] = [f"C{i:02d}{j:07d}" for j in range(len(frame))]
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), folder / f"part-{i:03d}.parquet")
    return folder


def child(argv: list[str]) -> dict:
    """Run one measured step in a fresh process and return its figures."""
    run = run_child([python(), "-m", "bench.scale", *argv], cwd=str(Path(__file__).resolve().parents[1]))
    if run.returncode != 0:
        raise SystemExit(f"bench.scale {' '.join(argv)} failed:\n{run.stderr[-2000:]}")
    return {"seconds": round(run.wall, 2), "peak_mib": round(run.maxrss_mib), **run.last_json()}


def step(args: argparse.Namespace) -> None:
    """Inside a child: one step, its own figures printed as a JSON line."""
    from segmentation.model.settings import Settings
    from segmentation.runtime.memory import give_freed_memory_back

    give_freed_memory_back()  # as the CLI does
    if args.step == "segment":
        from segmentation.scale.parquet import segment_parquet

        run = segment_parquet(args.input, args.output, Settings())
        Path(args.model).write_bytes(run.model_data)
        print(json.dumps({"rows": run.rows, "fit_rows": run.fit_rows}))
    elif args.step == "score-local":
        from segmentation.scale.parquet import score_parquet

        run = score_parquet(args.input, args.output, Path(args.model).read_bytes())
        print(json.dumps({"rows": run.rows}))
    elif args.step == "score-spark":
        from segmentation.scale.spark import score_parquet_on_spark, spark_session

        spark = spark_session("local[2]")
        started = time.perf_counter()
        rows = score_parquet_on_spark(args.input, args.output, Path(args.model).read_bytes(), spark=spark)
        print(json.dumps({"rows": rows, "job_seconds": round(time.perf_counter() - started, 2)}))
        spark.stop()
    elif args.step == "agreement":
        print(json.dumps({"ari": full_fit_agreement(Path(args.input), Path(args.output))}))


def full_fit_agreement(source: Path, scored: Path) -> float:
    """ARI between the sample fit's segments and a fit of the same model (standard scaling, one-hot,
    KMeans k=5) on every row, started from the sample model's centres' neighbourhood by k-means++."""
    import pyarrow.dataset as ds
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score

    from segmentation.prepare.schema import PRODUCT_CATEGORIES, SEED_CATEGORICAL, SEED_NUMERIC

    table = ds.dataset(str(source), format="parquet").to_table(columns=[*SEED_NUMERIC, SEED_CATEGORICAL])
    matrix = np.column_stack([table.column(c).to_numpy().astype(np.float32) for c in SEED_NUMERIC])
    matrix -= matrix.mean(axis=0)
    matrix /= matrix.std(axis=0)
    category = np.asarray(table.column(SEED_CATEGORICAL).to_pylist())
    onehot = np.column_stack([(category == c).astype(np.float32) for c in PRODUCT_CATEGORIES])
    full = KMeans(n_clusters=5, n_init=1, random_state=42).fit_predict(np.hstack([matrix, onehot]))
    sampled = (
        ds.dataset(str(scored), format="parquet").to_table(columns=["segment"]).column("segment").to_numpy()
    )
    return round(float(adjusted_rand_score(full, sampled)), 4)


def measure(millions: tuple[int, ...], work: Path = OUT) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "machine": f"{platform.machine()}, {platform.system()}, Python {platform.python_version()}"
    }
    for m in millions:
        source = write_customers(work / f"customers_{m}m", m)
        out, model = work / f"segmented_{m}m.parquet", work / f"model_{m}m.skops"
        results[f"segment_{m}m"] = child(["segment", str(source), str(out), "--model", str(model)])
        print(f"segment {m}M: {results[f'segment_{m}m']}", file=sys.stderr)
    small = work / f"customers_{millions[0]}m"
    model = work / f"model_{millions[0]}m.skops"
    results["score_local"] = child(
        ["score-local", str(small), str(work / "scored_local.parquet"), "--model", str(model)]
    )
    results["score_spark"] = child(
        ["score-spark", str(small), str(work / "scored_spark"), "--model", str(model)]
    )
    print(f"local {results['score_local']}, spark {results['score_spark']}", file=sys.stderr)
    big = millions[-1]
    results["agreement"] = child(
        ["agreement", str(work / f"customers_{big}m"), str(work / f"segmented_{big}m.parquet")]
    )
    results["agreement"]["rows"] = big * 1_000_000
    (work / "scale.json").write_text(json.dumps(results, indent=2))
    return results


def report(results: dict) -> str:
    """The docs/benchmarks.md section for these figures."""
    keys = sorted((k for k in results if k.startswith("segment_")), key=lambda k: int(k[8:-1]))
    small, big = results[keys[0]], results[keys[-1]]
    lines = [
        MARK,
        "## Large tables: Parquet, fit on a sample, Spark",
        "",
        f"Machine: {results['machine']}, 2 cores. `python -m bench.scale`; each row is a fresh process "
        "(wall time, peak RSS from `os.wait4`). Synthetic customers with planted personas, one Parquet "
        "file per million rows; `segment` fits on a seeded sample of at most 1,000,000 rows and scores "
        "every row in batches.",
        "",
        "| Step | Rows | Wall time | Peak memory |",
        "|---|---:|---:|---:|",
    ]
    for key in keys:
        r = results[key]
        lines.append(
            f"| segment (fit on {r['fit_rows']:,}) | {r['rows']:,} | {r['seconds']:.1f} s | {r['peak_mib']:,} MiB |"
        )
    local, spark = results["score_local"], results["score_spark"]
    lines.append(
        f"| score, local | {local['rows']:,} | {local['seconds']:.1f} s | {local['peak_mib']:,} MiB |"
    )
    lines.append(
        f"| score, Spark local[2] | {spark['rows']:,} | {spark['seconds']:.1f} s "
        f"(job {spark['job_seconds']:.1f} s) | {spark['peak_mib']:,} MiB (driver) |"
    )
    lines += [
        "",
        f"- Memory at {big['rows']:,} rows is {big['peak_mib'] / small['peak_mib']:.2f}× the peak at "
        f"{small['rows']:,} (target ≤ 1.5×); wall time {big['seconds'] / small['seconds']:.1f}× (target ≤ 12×).",
        f"- The sample fit's segments agree with a fit of the same model on all "
        f"{results['agreement']['rows']:,} rows at ARI {results['agreement']['ari']:.4f} (target ≥ 0.99).",
        "- Spark's wall time includes starting the JVM and the session; its job time is the scoring alone. "
        "Spark's own executor memory is in the JVM and its Python workers, not in the driver figure.",
        MARK,
    ]
    return "\n".join(lines) + "\n"


def write_doc(section: str, doc: Path = DOC) -> None:
    write_section(section, MARK, doc)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.splitlines()[0])
    parser.add_argument("step", nargs="?", choices=["segment", "score-local", "score-spark", "agreement"])
    parser.add_argument("input", nargs="?")
    parser.add_argument("output", nargs="?")
    parser.add_argument("--model")
    parser.add_argument("--millions", default="1,10", help="table sizes in millions of rows (default 1,10)")
    parser.add_argument(
        "--work", type=Path, default=OUT, help=f"folder for the tables and models (default {OUT})"
    )
    parser.add_argument(
        "--doc", type=Path, default=DOC, help=f"report to write the section into (default {DOC})"
    )
    args = parser.parse_args(argv)
    if args.step:
        step(args)
        return
    results = measure(tuple(int(m) for m in args.millions.split(",")), args.work)
    write_doc(report(results), args.doc)
    print(report(results))


if __name__ == "__main__":
    main()
