"""``segment``: segment a customer file and write it back with segment labels."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..model.analysis import segment
from ..model.settings import (
    DEFAULT_FIT_ROWS,
    DEFAULT_K,
    DEFAULT_MISSING,
    DEFAULT_SCALING,
    DEFAULT_SEED,
    MISSING_POLICIES,
    SCALINGS,
    Settings,
)
from ..prepare.dataset import load
from ..report.export import summary_csv
from ..report.numbers import plural
from .common import (
    ENCODING_HELP,
    EXIT_OK,
    add_data_choices,
    check_csv_output,
    check_output_folders,
    check_parquet_output,
    column_names,
    format_table,
    import_in_background,
    is_parquet_input,
    positive,
    print_choice,
    print_detected,
    print_totals,
)
from .hints import data_choice_hints


def add_parser(commands: argparse._SubParsersAction) -> None:
    seg = commands.add_parser(
        "segment",
        help="segment the customers of a CSV file",
        description="Segment a customer CSV and write it back with segment labels.",
    )
    seg.add_argument("input", type=Path, help="customer CSV file, or Parquet file or folder")
    seg.add_argument("-k", type=int, default=DEFAULT_K, help=f"number of segments (default {DEFAULT_K})")
    seg.add_argument(
        "--features",
        type=column_names,
        help="comma-separated feature columns (default: chosen automatically)",
    )
    seg.add_argument("--scaling", choices=SCALINGS, default=DEFAULT_SCALING, help="how numbers are scaled")
    seg.add_argument(
        "--missing",
        choices=MISSING_POLICIES,
        default=DEFAULT_MISSING,
        help="fill gaps (impute) or leave rows with gaps unsegmented (exclude)",
    )
    seg.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    add_data_choices(seg)
    seg.add_argument(
        "-o", "--output", type=Path, required=True, help="labeled CSV to write (.parquet: Parquet)"
    )
    seg.add_argument(
        "--fit-rows",
        type=positive,
        default=DEFAULT_FIT_ROWS,
        help=f"Parquet input: fit on a seeded random sample of at most this many rows (default {DEFAULT_FIT_ROWS:,})",
    )
    seg.add_argument("--summary", type=Path, help="also write the per-segment summary CSV here")
    seg.add_argument(
        "--save-model", type=Path, help="also save the model (skops file) here, to score new files"
    )
    seg.add_argument(
        "--like", type=Path, help="a saved model whose segment numbers and names to keep (matched by centres)"
    )
    seg.add_argument("--encoding", metavar="NAME", help=ENCODING_HELP)
    seg.set_defaults(run=run)


def _segment_settings(args: argparse.Namespace) -> Settings:
    """The choices of ``segment``, for a CSV or a Parquet input alike."""
    return Settings(
        n_clusters=args.k,
        scaling=args.scaling,
        missing=args.missing,
        random_state=args.seed,
        features=args.features,
        include_outcomes=args.include_outcomes,
        keep_extremes=args.keep_extremes,
        placeholders=args.placeholders,
    )


def run(args: argparse.Namespace) -> int:
    if is_parquet_input(args.input):
        return _segment_parquet(args)
    check_csv_output(args)
    check_output_folders(args.output, args.summary, args.save_model)
    import_in_background("segmentation.model.kmeans", "segmentation.model.profiles")
    settings = _segment_settings(args)  # a bad setting is refused before the file is read
    dataset = load(args.input, encoding=args.encoding)
    like = None
    if args.like:  # refuse a bad model file before fitting
        # skops loads only when a model is read or saved: it is a third of the start-up otherwise.
        from ..reuse.modelfile import read_model

        like = read_model(args.like)
    run = segment(dataset, settings)
    matching = None
    if like is not None:
        from ..reuse.matching import segment_like

        run, matching = segment_like(run, like)
    print_detected(dataset.read_report.describe())
    print_choice(run.selection, run.report.problems, data_choice_hints(args))
    unit = "order line" if run.selection.order_lines else "customer"  # say what a row is
    print(f"\n{run.result.n_clusters} segments of {plural(run.report.n_usable, unit)}:")
    print(format_table(run.profiles.summary_with_names(run.names)))
    if not run.profiles.outcomes.empty:
        print("\nOutcomes per segment (not used to form the segments):")
        print(format_table(run.profiles.outcomes))
    run.labeled_csv(path=args.output)
    print(f"\nWrote the labeled customers to {args.output}")
    if args.summary:
        args.summary.write_bytes(run.summary_csv())
        print(f"Wrote the segment summary to {args.summary}")
    if matching is not None:
        print("\n" + "\n".join(matching.lines()))
    if args.save_model:
        from ..reuse.modelfile import save_model

        print(f"Saved the model to {args.save_model} (model id {save_model(run, args.save_model)})")
    return EXIT_OK


def _segment_parquet(args: argparse.Namespace) -> int:
    """Fit on a sample of at most --fit-rows rows, then score every row in batches into a Parquet file."""
    from ..scale.parquet import segment_parquet

    check_parquet_output(args)
    check_output_folders(args.output, args.summary, args.save_model)
    settings = _segment_settings(args)
    run = segment_parquet(args.input, args.output, settings, fit_rows=args.fit_rows)
    sample = "every row" if run.fit_rows == run.rows else f"a seeded random sample of {run.fit_rows:,} rows"
    print(f"Detected: Parquet, {run.rows:,} rows; the model was fitted on {sample}")
    if run.fit is not None:  # always, for a run that fitted its model
        print_choice(run.fit.selection, run.fit.report.problems, data_choice_hints(args))
    print_totals(run)
    if args.summary:
        args.summary.write_bytes(summary_csv(run.totals.summary()))
        print(f"Wrote the segment summary to {args.summary}")
    if args.save_model:
        args.save_model.write_bytes(run.model_data)
        print(f"Saved the model to {args.save_model}")
    return EXIT_OK
