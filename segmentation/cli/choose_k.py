"""``choose-k``: score k segments over a range and suggest a k."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..model.analysis import select_and_prepare
from ..model.settings import (
    DEFAULT_SEED,
    K_MAX,
    K_MIN,
    Settings,
)
from ..prepare.dataset import load
from ..report.errors import SegmentationError
from ..report.numbers import plural
from .common import (
    ENCODING_HELP,
    EXIT_OK,
    SHEET_HELP,
    add_data_choices,
    check_sheet,
    column_names,
    format_table,
    import_in_background,
    print_choice,
    print_detected,
)
from .hints import data_choice_hints


def add_parser(commands: argparse._SubParsersAction) -> None:
    choose = commands.add_parser(
        "choose-k",
        help="score several numbers of segments and suggest one",
        description="Score k segments over a range and suggest a k.",
    )
    choose.add_argument("input", type=Path, help="customer CSV file")
    choose.add_argument("--k-min", type=int, default=K_MIN, help=f"smallest k (default {K_MIN})")
    choose.add_argument("--k-max", type=int, default=K_MAX, help=f"largest k (default {K_MAX})")
    choose.add_argument("--features", type=column_names, help="comma-separated feature columns")
    choose.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    choose.add_argument("--encoding", metavar="NAME", help=ENCODING_HELP)
    choose.add_argument("--sheet", metavar="NAME", help=SHEET_HELP)
    add_data_choices(choose)
    choose.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.k_max < args.k_min:
        raise SegmentationError(
            "bad-option", detail=f"--k-max ({args.k_max}) must not be smaller than --k-min ({args.k_min})."
        )
    import_in_background(
        "segmentation.model.kmeans", "segmentation.model.choose_k"
    )  # scikit-learn loads only here
    check_sheet(args)
    settings = Settings(
        features=args.features,
        n_clusters=args.k_min,
        include_outcomes=args.include_outcomes,
        keep_extremes=args.keep_extremes,
        placeholders=args.placeholders,
    )
    dataset = load(args.input, encoding=args.encoding, sheet=args.sheet)
    from ..model.choose_k import evaluate_k

    selection, data, report = select_and_prepare(dataset, settings)
    print_detected(dataset.read_report.describe())
    print_choice(selection, report.problems, data_choice_hints(args))
    if args.k_max >= report.n_usable:
        raise SegmentationError(
            "bad-option",
            detail=f"--k-max ({args.k_max}) must be smaller than the number of usable rows ({report.n_usable}).",
        )
    choice = evaluate_k(
        data,
        k_min=args.k_min,
        k_max=args.k_max,
        random_state=args.seed,
        progress=lambda fraction, message: print(f"  {message}", file=sys.stderr),
    )
    print(format_table(choice.table))
    print(f"\nSuggested k: {choice.suggested_k}. {choice.reason}")
    if choice.structure_note:
        print(choice.structure_note)
    fit_rows = data.for_fit().n_usable
    if choice.n_rows_scored < fit_rows:
        print(f"(scored on a random sample of {choice.n_rows_scored:,} of {plural(fit_rows, 'row')})")
    if fit_rows < report.n_usable:
        held = report.n_usable - fit_rows
        print(f"({plural(held, 'row')} with extreme values not scored, as the model is fitted without them)")
    return EXIT_OK
