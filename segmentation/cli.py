"""``python -m segmentation``: generate, segment and choose-k from the shell.

Bad input ends with one clear line on stderr and exit code 2, never a
traceback; success exits 0.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .analysis import Settings, segment, select_and_prepare
from .dataset import load
from .errors import SegmentationError
from .features import FeatureSelection
from .findings import Problem
from .memory import map_large_blocks_separately
from .settings import (
    DEFAULT_K,
    DEFAULT_MISSING,
    DEFAULT_PLACEHOLDERS,
    DEFAULT_SAMPLE_SIZE,
    DEFAULT_SCALING,
    DEFAULT_SEED,
    K_MAX,
    K_MIN,
    MISSING_POLICIES,
    PLACEHOLDER_POLICIES,
    SCALINGS,
)
from .synthetic import customers_to_csv_bytes, generate_customers

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_FAILURE = 1


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in one line with exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m segmentation", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    gen = commands.add_parser(
        "generate",
        help="write synthetic customers to a CSV file",
        description="Write synthetic customers in the origin schema.",
    )
    gen.add_argument(
        "-n",
        type=_positive,
        default=DEFAULT_SAMPLE_SIZE,
        help=f"number of customers (default {DEFAULT_SAMPLE_SIZE})",
    )
    gen.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    gen.add_argument("-o", "--output", type=Path, required=True, help="CSV file to write")

    seg = commands.add_parser(
        "segment",
        help="segment the customers of a CSV file",
        description="Segment a customer CSV and write it back with segment labels.",
    )
    seg.add_argument("input", type=Path, help="customer CSV file")
    seg.add_argument(
        "-k", type=_at_least_two, default=DEFAULT_K, help=f"number of segments (default {DEFAULT_K})"
    )
    seg.add_argument(
        "--features", type=_names, help="comma-separated feature columns (default: chosen automatically)"
    )
    seg.add_argument("--scaling", choices=SCALINGS, default=DEFAULT_SCALING, help="how numbers are scaled")
    seg.add_argument(
        "--missing",
        choices=MISSING_POLICIES,
        default=DEFAULT_MISSING,
        help="fill gaps (impute) or leave rows with gaps unsegmented (exclude)",
    )
    seg.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    _add_data_choices(seg)
    seg.add_argument("-o", "--output", type=Path, required=True, help="labeled CSV to write")
    seg.add_argument("--summary", type=Path, help="also write the per-segment summary CSV here")

    choose = commands.add_parser(
        "choose-k",
        help="score several numbers of segments and suggest one",
        description="Score k segments over a range and suggest a k.",
    )
    choose.add_argument("input", type=Path, help="customer CSV file")
    choose.add_argument("--k-min", type=_at_least_two, default=K_MIN, help=f"smallest k (default {K_MIN})")
    choose.add_argument("--k-max", type=_at_least_two, default=K_MAX, help=f"largest k (default {K_MAX})")
    choose.add_argument("--features", type=_names, help="comma-separated feature columns")
    choose.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    _add_data_choices(choose)
    return parser


def _add_data_choices(command: argparse.ArgumentParser) -> None:
    """Options on how the data are read into features, shared by segment and choose-k."""
    command.add_argument(
        "--include-outcomes",
        action="store_true",
        help="use outcome columns (churn, response, ...) as features too; by default they are "
        "left out and shown per segment",
    )
    command.add_argument(
        "--keep-extremes",
        action="store_true",
        help="fit the model on rows with extreme values too; by default they are left out of the "
        "fit and assigned to their nearest segment",
    )
    command.add_argument(
        "--placeholders",
        choices=PLACEHOLDER_POLICIES,
        default=DEFAULT_PLACEHOLDERS,
        help="placeholders such as n/a in category columns: a gap (missing) or a category of their own",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    map_large_blocks_separately()
    try:
        return {"generate": _generate, "segment": _segment, "choose-k": _choose_k}[args.command](args)
    except SegmentationError as exc:
        print(f"error: {exc}", file=sys.stderr)
    except OSError as exc:
        print(f"error: cannot write {exc.filename or 'the output'}: {exc.strerror or exc}", file=sys.stderr)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
    except Exception as exc:  # a bug of ours: still one line, never a traceback
        print(f"error: unexpected failure ({type(exc).__name__}: {exc}); please report it", file=sys.stderr)
        return EXIT_FAILURE
    return EXIT_BAD_INPUT


def _generate(args: argparse.Namespace) -> int:
    customers = generate_customers(args.n, seed=args.seed)
    args.output.write_bytes(customers_to_csv_bytes(customers))
    print(f"Wrote {len(customers):,} synthetic customers to {args.output}")
    return EXIT_OK


def _segment(args: argparse.Namespace) -> int:
    _check_output_folders(args.output, args.summary)
    dataset = load(args.input)
    settings = Settings(
        n_clusters=args.k,
        scaling=args.scaling,
        missing=args.missing,
        random_state=args.seed,
        features=args.features,
        include_outcomes=args.include_outcomes,
        keep_extremes=args.keep_extremes,
        placeholders=args.placeholders,
    )
    run = segment(dataset, settings)
    _print_detected(dataset.read_report.describe())
    _print_choice(run.selection, run.report.problems)
    unit = "order line" if run.selection.order_lines else "customer"  # say what a row is
    print(f"\n{run.result.n_clusters} segments of {_count(run.report.n_usable, unit)}:")
    print(_format_table(run.profiles.summary_with_names(run.names)))
    if not run.profiles.outcomes.empty:
        print("\nOutcomes per segment (not used to form the segments):")
        print(_format_table(run.profiles.outcomes))
    run.labeled_csv(path=args.output)
    print(f"\nWrote the labeled customers to {args.output}")
    if args.summary:
        args.summary.write_bytes(run.summary_csv())
        print(f"Wrote the segment summary to {args.summary}")
    return EXIT_OK


def _choose_k(args: argparse.Namespace) -> int:
    if args.k_max < args.k_min:
        raise SegmentationError(
            "bad-option", detail=f"--k-max ({args.k_max}) must not be smaller than --k-min ({args.k_min})."
        )
    from .choose_k import evaluate_k  # scikit-learn's metrics load only for this command

    dataset = load(args.input)
    settings = Settings(
        features=args.features,
        n_clusters=args.k_min,
        include_outcomes=args.include_outcomes,
        keep_extremes=args.keep_extremes,
        placeholders=args.placeholders,
    )
    selection, data, report = select_and_prepare(dataset, settings)
    _print_detected(dataset.read_report.describe())
    _print_choice(selection, report.problems)
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
    print(_format_table(choice.table))
    print(f"\nSuggested k: {choice.suggested_k}. {choice.reason}")
    fit_rows = data.for_fit().n_usable
    if choice.n_rows_scored < fit_rows:
        print(f"(scored on a random sample of {choice.n_rows_scored:,} of {_count(fit_rows, 'row')})")
    if fit_rows < report.n_usable:
        held = report.n_usable - fit_rows
        print(f"({_count(held, 'row')} with extreme values not scored, as the model is fitted without them)")
    return EXIT_OK


def _print_detected(lines: list[str]) -> None:
    print("Detected: " + "; ".join(lines))


def _print_choice(selection: FeatureSelection, problems: list[Problem]) -> None:
    """The problems found, then the features chosen and why each other column was left out."""
    shown = [p for p in problems if p.severity != "info"]
    if shown:
        print("\nProblems found:")
        for problem in shown:
            print(f"  - {problem.message}")
    print(f"\nFeatures: {', '.join(selection.features)}")
    for name, reason in selection.excluded.items():
        print(f"Left out: {name} — {reason}")


def _check_output_folders(*paths: Path | None) -> None:
    """Fail before any work when an output would go into a folder that does not exist."""
    for path in paths:
        if path is not None and not path.parent.is_dir():
            raise SegmentationError("bad-option", detail=f"The folder {str(path.parent)!r} does not exist.")


def _count(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def _format_table(table: pd.DataFrame) -> str:
    """A table as text, numbers in plain notation (12,345.67, never 1.2e+04)."""
    with pd.option_context("display.width", 200, "display.max_columns", 50):
        return table.to_string(float_format=_plain_number)


def _plain_number(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.2f}" if abs(value) >= 0.01 or value == 0 else f"{value:.4f}"


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _at_least_two(text: str) -> int:
    value = int(text)
    if value < 2:
        raise argparse.ArgumentTypeError(f"must be at least 2, not {value}")
    return value


def _names(text: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    if not names:
        raise argparse.ArgumentTypeError("give at least one column name")
    return names
