"""``segment``: segment a customer file and write it back with segment labels."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ..model.analysis import Segmentation, segment
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
from ..report.errors import SegmentationError
from ..report.export import summary_csv
from ..report.text import terminal_text

if TYPE_CHECKING:  # scikit-learn loads in the background, not with the command line
    from ..model.rules import SegmentRules
from ..report.numbers import plural
from .common import (
    ENCODING_HELP,
    EXIT_OK,
    SHEET_HELP,
    add_data_choices,
    check_csv_output,
    check_output_folders,
    check_parquet_output,
    check_sheet,
    column_names,
    format_table,
    import_in_background,
    is_parquet_input,
    is_workbook_name,
    positive,
    print_choice,
    print_detected,
    print_totals,
)
from .hints import data_choice_hints
from .saving import add_save_options, check_key, save_run


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
        "-o",
        "--output",
        type=Path,
        required=True,
        help="labeled CSV to write (.xlsx: an Excel workbook with a summary sheet; .parquet: Parquet)",
    )
    seg.add_argument(
        "--sheet-per-segment",
        action="store_true",
        help="with -o NAME.xlsx: also one sheet per segment with its customers",
    )
    seg.add_argument("--sheet", metavar="NAME", help=SHEET_HELP)
    seg.add_argument(
        "--fit-rows",
        type=positive,
        default=DEFAULT_FIT_ROWS,
        help=f"Parquet input: fit on a seeded random sample of at most this many rows (default {DEFAULT_FIT_ROWS:,})",
    )
    seg.add_argument("--summary", type=Path, help="also write the per-segment summary CSV here")
    seg.add_argument(
        "--split-dir", type=Path, help="also write one CSV per segment into this folder (CSV input)"
    )
    seg.add_argument("--report", type=Path, help="also write the HTML report to send here (CSV input)")
    seg.add_argument(
        "--save-model", type=Path, help="also save the model (skops file) here, to score new files"
    )
    seg.add_argument(
        "--like", type=Path, help="a saved model whose segment numbers and names to keep (matched by centres)"
    )
    seg.add_argument("--encoding", metavar="NAME", help=ENCODING_HELP)
    add_save_options(seg)
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
    _check_extras(args)
    if is_parquet_input(args.input):
        return _segment_parquet(args)
    check_csv_output(args)
    check_output_folders(args.output, args.summary, args.save_model)
    check_sheet(args)
    import_in_background("segmentation.model.kmeans", "segmentation.model.profiles")
    settings = _segment_settings(args)  # a bad setting is refused before the file is read
    dataset = load(args.input, encoding=args.encoding, sheet=args.sheet)
    check_key(args, list(dataset.raw.columns))
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
        print(
            "\nOutcomes per segment (not used to form the segments; "
            "lift: the segment's rate over that of all customers):"
        )
        print(format_table(run.profiles.outcome_rates.table()))
    print_rules(run.profiles.rules)
    extremes = (
        ", or drop --keep-extremes so that extreme values stay out of the fit" if args.keep_extremes else ""
    )
    for note in run.profiles.tiny_segments().values():
        print(f"Warning: {note}. Try a smaller -k{extremes}.")
    if is_workbook_name(args.output):
        run.labeled_workbook(per_segment=args.sheet_per_segment, path=args.output)
    else:
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
    _write_extras(args, run)
    if args.save:
        save_run(args, run, like=like)
    return EXIT_OK


def print_rules(rules: SegmentRules | None) -> None:
    """Each segment's rule in plain words, with how much of it the rule covers and how precisely."""
    if rules is None:
        return
    print("\nRules (a decision tree of depth 3 on the features, in the file's units):")
    for rule in rules.rules:
        if rule.coverage:
            detail = (
                f"covers {rule.coverage:.0%} of the segment; "
                f"{rule.precision:.0%} of the customers it matches are in it"
            )
            print(f"  Segment {rule.segment}: {terminal_text(rule.text)}  ({detail})")
        else:
            print(f"  Segment {rule.segment}: {terminal_text(rule.text)}")
    print(rules.agreement_text())


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


def _check_extras(args: argparse.Namespace) -> None:
    """Refuse the lists and the report for a Parquet input, or into a missing folder, before any work."""
    if (args.split_dir or args.report) and is_parquet_input(args.input):
        raise SegmentationError(
            "bad-option", detail="Per-segment lists and the report are made from a CSV input, not Parquet."
        )
    check_output_folders(args.report)


def _write_extras(args: argparse.Namespace, run: Segmentation) -> None:
    """The files asked for besides the labeled CSV: one list per segment, the HTML report.

    The report gives the id of the model file saved just before, if one was.
    """
    if args.split_dir:
        from ..report.lists import write_segment_files

        written = write_segment_files(run, args.split_dir)
        print(f"Wrote {plural(len(written), 'customer list')} (one per segment) to {args.split_dir}")
    if args.report:
        from ..reuse.modelfile import model_id
        from .report import write_report

        saved = model_id(args.save_model.read_bytes()) if args.save_model else None
        write_report(run, args.report, source_name=args.input.name, model_id=saved)
        print(f"Wrote the report to {args.report}")
