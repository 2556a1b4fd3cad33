"""``score``: put new customers into a saved model's segments and report what changed."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..prepare.dataset import load
from ..report.export import summary_csv
from .common import (
    ENCODING_HELP,
    EXIT_OK,
    SHEET_HELP,
    check_csv_output,
    check_parquet_output,
    check_sheet,
    is_parquet_input,
    print_detected,
    print_problems,
    print_totals,
)


def add_parser(commands: argparse._SubParsersAction) -> None:
    sco = commands.add_parser(
        "score",
        help="score new customers with a saved model",
        description="Put new customers into a saved model's segments and report what changed.",
    )
    sco.add_argument("input", type=Path, help="customer CSV file, or Parquet file or folder")
    sco.add_argument("--model", type=Path, required=True, help="model file saved with segment --save-model")
    sco.add_argument(
        "-o", "--output", type=Path, required=True, help="scored CSV to write (.parquet: Parquet)"
    )
    sco.add_argument(
        "--engine",
        choices=("local", "spark"),
        default="local",
        help="where Parquet input is scored: in batches here, or on Spark (pip install -r requirements-spark.txt)",
    )
    sco.add_argument(
        "--spark-master", metavar="URL", help="Spark master (default local[*]), e.g. spark://host:7077"
    )
    sco.add_argument("--summary", type=Path, help="also write the per-segment summary (then and now) here")
    sco.add_argument("--encoding", metavar="NAME", help=ENCODING_HELP)
    sco.add_argument("--sheet", metavar="NAME", help=SHEET_HELP)
    sco.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if is_parquet_input(args.input) or args.engine == "spark":
        return _score_parquet(args)
    from ..reuse.drift import drift_report
    from ..reuse.modelfile import read_model
    from ..reuse.scoring import score

    check_csv_output(args)
    check_sheet(args)
    model = read_model(args.model)
    dataset = load(args.input, encoding=args.encoding, sheet=args.sheet)
    scoring = score(dataset, model)
    print_detected(dataset.read_report.describe())
    print_problems(scoring.problems, everything=True)
    report = drift_report(scoring)
    print(f"\nModel {model.model_id}: {model.manifest.n_clusters} segments\n")
    print("\n".join(report.lines()))
    scoring.labeled_csv(path=args.output)
    print(f"\nWrote the scored customers to {args.output}")
    if args.summary:
        args.summary.write_bytes(summary_csv(report.shares, delimiter=dataset.read_report.delimiter))
        print(f"Wrote the segment summary to {args.summary}")
    return EXIT_OK


def _score_parquet(args: argparse.Namespace) -> int:
    """Score a Parquet table with a saved model, in batches here or on Spark."""
    from ..reuse.modelfile import read_model
    from ..scale.parquet import score_parquet

    if args.engine == "local":  # Spark writes a folder of Parquet files under any name
        check_parquet_output(args)
    read_model(args.model)  # a bad or missing model file is refused before any work
    model_data = args.model.read_bytes()
    if args.engine == "spark":
        from ..scale.spark import score_parquet_on_spark

        rows = score_parquet_on_spark(args.input, args.output, model_data, master=args.spark_master)
        print(f"Scored {rows:,} customers on Spark into {args.output} (a folder of Parquet files)")
        return EXIT_OK
    run = score_parquet(args.input, args.output, model_data)
    print(f"Detected: Parquet, {run.rows:,} rows")
    print_totals(run)
    if args.summary:
        args.summary.write_bytes(summary_csv(run.totals.summary()))
        print(f"Wrote the segment summary to {args.summary}")
    return EXIT_OK
