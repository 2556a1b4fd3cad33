"""``python -m segmentation``: generate, segment and choose-k from the shell.

Bad input ends with one clear line on stderr and exit code 2, never a
traceback; success exits 0.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .analysis import segment, select_and_prepare
from .dataset import load
from .encoding import encoding_names
from .errors import SegmentationError
from .export import summary_csv
from .features import FeatureSelection
from .findings import Problem
from .memory import give_freed_memory_back
from .settings import (
    DEFAULT_FIT_ROWS,
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
    Settings,
)
from .text import terminal_text

_ENCODING_HELP = "the file's encoding (default: detected), one of: " + ", ".join(encoding_names())
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
    gen.add_argument("-o", "--output", type=Path, required=True, help="CSV file to write (.parquet: Parquet)")

    seg = commands.add_parser(
        "segment",
        help="segment the customers of a CSV file",
        description="Segment a customer CSV and write it back with segment labels.",
    )
    seg.add_argument("input", type=Path, help="customer CSV file, or Parquet file or folder")
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
    seg.add_argument(
        "-o", "--output", type=Path, required=True, help="labeled CSV to write (.parquet: Parquet)"
    )
    seg.add_argument(
        "--fit-rows",
        type=_positive,
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
    for command in (seg, sco):
        command.add_argument("--encoding", metavar="NAME", help=_ENCODING_HELP)

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
    choose.add_argument("--encoding", metavar="NAME", help=_ENCODING_HELP)
    _add_data_choices(choose)
    _add_customers_parser(commands)
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
    give_freed_memory_back()
    try:
        commands = {
            "generate": _generate,
            "segment": _segment,
            "choose-k": _choose_k,
            "score": _score,
            "customers": _customers,
        }
        return commands[args.command](args)
    except SegmentationError as exc:
        print(f"error: {terminal_text(exc)}", file=sys.stderr)
    except OSError as exc:
        print(f"error: cannot write {exc.filename or 'the output'}: {exc.strerror or exc}", file=sys.stderr)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
    except Exception as exc:  # a bug of ours: still one line, never a traceback
        print(f"error: unexpected failure ({type(exc).__name__}: {exc}); please report it", file=sys.stderr)
        return EXIT_FAILURE
    return EXIT_BAD_INPUT


def _import_in_background(*modules: str) -> None:
    """Start importing ``modules`` on another thread while this one reads the input.

    The model's libraries (scikit-learn, SciPy) take about a second to import, as
    long as reading and checking a million-row file, and that work runs in Arrow
    and NumPy mostly without the GIL, so on a machine with two cores or more the
    two overlap. A later ``import`` of a module waits until this one is done.
    Everything of ours those modules import is imported already (this module's
    imports), so neither thread waits on the other. A failure here is left to the
    later import, which reports it.
    """

    # An import holds the GIL for long stretches; switching threads every millisecond
    # instead of every five keeps the reading's many short Arrow calls from queueing.
    switch_interval = sys.getswitchinterval()

    def load_quietly() -> None:
        try:
            for module in modules:
                importlib.import_module(module)
        except Exception:  # the later import fails again and reports it
            pass
        finally:
            sys.setswitchinterval(switch_interval)

    sys.setswitchinterval(min(switch_interval, 0.001))
    threading.Thread(target=load_quietly, name=f"import {', '.join(modules)}").start()


def _generate(args: argparse.Namespace) -> int:
    from .synthetic import customers_to_csv_bytes, generate_customers

    customers = generate_customers(args.n, seed=args.seed)
    if _is_parquet_name(args.output):
        from .tables import write_frame

        write_frame(customers, args.output)
    else:
        args.output.write_bytes(customers_to_csv_bytes(customers))
    print(f"Wrote {len(customers):,} synthetic customers to {args.output}")
    return EXIT_OK


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


def _segment(args: argparse.Namespace) -> int:
    if _is_parquet_input(args.input):
        return _segment_parquet(args)
    _csv_output(args)
    _check_output_folders(args.output, args.summary, args.save_model)
    _import_in_background("segmentation.model", "segmentation.profiles")
    dataset = load(args.input, encoding=args.encoding)
    settings = _segment_settings(args)
    like = None
    if args.like:  # refuse a bad model file before fitting
        # skops loads only when a model is read or saved: it is a third of the start-up otherwise.
        from .modelfile import read_model

        like = read_model(args.like)
    run = segment(dataset, settings)
    matching = None
    if like is not None:
        from .matching import segment_like

        run, matching = segment_like(run, like)
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
    if matching is not None:
        print("\n" + "\n".join(matching.lines()))
    if args.save_model:
        from .modelfile import save_model

        print(f"Saved the model to {args.save_model} (model id {save_model(run, args.save_model)})")
    return EXIT_OK


def _score(args: argparse.Namespace) -> int:
    if _is_parquet_input(args.input) or args.engine == "spark":
        return _score_parquet(args)
    from .drift import drift_report
    from .modelfile import read_model
    from .scoring import score

    _csv_output(args)
    model = read_model(args.model)
    dataset = load(args.input, encoding=args.encoding)
    scoring = score(dataset, model)
    _print_detected(dataset.read_report.describe())
    _print_problems(scoring.problems, everything=True)
    report = drift_report(scoring)
    print(f"\nModel {model.model_id}: {model.manifest.n_clusters} segments\n")
    print("\n".join(report.lines()))
    scoring.labeled_csv(path=args.output)
    print(f"\nWrote the scored customers to {args.output}")
    if args.summary:
        args.summary.write_bytes(summary_csv(report.shares, delimiter=dataset.read_report.delimiter))
        print(f"Wrote the segment summary to {args.summary}")
    return EXIT_OK


def _choose_k(args: argparse.Namespace) -> int:
    if args.k_max < args.k_min:
        raise SegmentationError(
            "bad-option", detail=f"--k-max ({args.k_max}) must not be smaller than --k-min ({args.k_min})."
        )
    _import_in_background("segmentation.model", "segmentation.choose_k")  # scikit-learn loads only here
    dataset = load(args.input, encoding=args.encoding)
    settings = Settings(
        features=args.features,
        n_clusters=args.k_min,
        include_outcomes=args.include_outcomes,
        keep_extremes=args.keep_extremes,
        placeholders=args.placeholders,
    )
    from .choose_k import evaluate_k

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


# ---------------------------------------------------------------- customers (order lines → customers)

_ROLE_HELP = {
    "customer": "column with the customer key",
    "order": "column with the order or invoice id (default: each purchase day is one order)",
    "date": "column with the order date",
    "amount": "column with the line amount",
    "quantity": "column with the quantity (with --price, instead of --amount)",
    "price": "column with the unit price (with --quantity)",
    "category": "column with the product category",
    "product": "column with the product id",
    "status": "column with the order status (cancelled lines are left out)",
}


def _add_customers_parser(commands: argparse._SubParsersAction) -> None:
    cust = commands.add_parser(
        "customers",
        help="build one row per customer from order lines",
        description="Summarise order lines per customer: recency, frequency, monetary value, RFM scores.",
    )
    cust.add_argument("input", type=Path, help="order lines CSV file")
    cust.add_argument("-o", "--output", type=Path, required=True, help="customers CSV to write")
    cust.add_argument("--encoding", metavar="NAME", help=_ENCODING_HELP)
    for role, text in _ROLE_HELP.items():
        cust.add_argument(f"--{role}", metavar="COLUMN", help=f"{text} (default: detected)")
    cust.add_argument(
        "--as-of", help="reference date for recency, YYYY-MM-DD (default: day after the last order)"
    )
    order = cust.add_mutually_exclusive_group()
    order.add_argument(
        "--day-first", dest="day_first", action="store_true", default=None, help="dates are day/month"
    )
    order.add_argument("--month-first", dest="day_first", action="store_false", help="dates are month/day")


def _customers(args: argparse.Namespace) -> int:
    from .orders import OrderMapping, build_customers, customer_features, propose_mapping

    dataset = _load_any(args.input, encoding=args.encoding)
    chosen = {role: getattr(args, role) for role in _ROLE_HELP if getattr(args, role)}
    proposal = propose_mapping(dataset)
    roles = proposal.roles() if proposal else {}
    if chosen.get("amount") or (chosen.get("quantity") and chosen.get("price")):
        roles.update(amount=None, quantity=None, price=None)
    roles.update(chosen)
    if not roles.get("customer") or not roles.get("date"):
        raise SegmentationError("orders-no-mapping")
    built = build_customers(dataset, OrderMapping(**roles), as_of=args.as_of, day_first=args.day_first)
    _print_detected(dataset.read_report.describe())
    print("\nColumns used:\n" + "\n".join(f"  {line}" for line in built.mapping.describe()))
    print(f"\nReference date (recency): {built.as_of.date().isoformat()}")
    _print_problems(built.problems, everything=True)
    if _is_parquet_name(args.output):
        from .tables import write_frame

        write_frame(built.customers, args.output)
    else:
        args.output.write_bytes(built.to_csv(delimiter=dataset.read_report.delimiter))
    print(f"\nWrote {len(built.customers):,} customers from {dataset.n_rows:,} order lines to {args.output}")
    features = ",".join(customer_features(built.customers))
    print(f"Segment them with: python -m segmentation segment {args.output} --features {features} -o OUT.csv")
    return EXIT_OK


# ---------------------------------------------------------------- Parquet and Spark


def _is_parquet_name(path: Path) -> bool:
    from .formats import PARQUET_SUFFIXES

    return path.suffix.lower() in PARQUET_SUFFIXES


def _is_parquet_input(path: Path) -> bool:
    from .formats import is_parquet

    return is_parquet(path)


def _parquet_output(args: argparse.Namespace) -> None:
    if not _is_parquet_name(args.output):
        raise SegmentationError(
            "bad-option", detail=f"Parquet in, Parquet out: name the output NAME.parquet, not {args.output}."
        )


def _csv_output(args: argparse.Namespace) -> None:
    if _is_parquet_name(args.output):
        raise SegmentationError(
            "bad-option", detail=f"CSV in, CSV out: Parquet output needs Parquet input, not {args.input}."
        )


def _segment_parquet(args: argparse.Namespace) -> int:
    """Fit on a sample of at most --fit-rows rows, then score every row in batches into a Parquet file."""
    from .scale import segment_parquet

    _parquet_output(args)
    _check_output_folders(args.output, args.summary, args.save_model)
    settings = _segment_settings(args)
    run = segment_parquet(args.input, args.output, settings, fit_rows=args.fit_rows)
    sample = "every row" if run.fit_rows == run.rows else f"a seeded random sample of {run.fit_rows:,} rows"
    print(f"Detected: Parquet, {run.rows:,} rows; the model was fitted on {sample}")
    _print_choice(run.fit.selection, run.fit.report.problems)
    _print_totals(run)
    if args.summary:
        args.summary.write_bytes(summary_csv(run.totals.summary()))
        print(f"Wrote the segment summary to {args.summary}")
    if args.save_model:
        args.save_model.write_bytes(run.model_data)
        print(f"Saved the model to {args.save_model}")
    return EXIT_OK


def _score_parquet(args: argparse.Namespace) -> int:
    """Score a Parquet table with a saved model, in batches here or on Spark."""
    from .modelfile import read_model
    from .scale import score_parquet

    if args.engine == "local":  # Spark writes a folder of Parquet files under any name
        _parquet_output(args)
    read_model(args.model)  # a bad or missing model file is refused before any work
    model_data = args.model.read_bytes()
    if args.engine == "spark":
        from .spark import score_parquet_on_spark

        rows = score_parquet_on_spark(args.input, args.output, model_data, master=args.spark_master)
        print(f"Scored {rows:,} customers on Spark into {args.output} (a folder of Parquet files)")
        return EXIT_OK
    run = score_parquet(args.input, args.output, model_data)
    print(f"Detected: Parquet, {run.rows:,} rows")
    _print_totals(run)
    if args.summary:
        args.summary.write_bytes(summary_csv(run.totals.summary()))
        print(f"Wrote the segment summary to {args.summary}")
    return EXIT_OK


def _load_any(path: Path, *, encoding: str | None = None):
    """A CSV, or a Parquet file or folder read whole (its cells as text), as a ``Dataset``.

    ``encoding`` is the CSV's (None: detected); Parquet text is always UTF-8.
    """
    if _is_parquet_input(path):
        from .scale import dataset_from_arrow
        from .tables import open_parquet

        return dataset_from_arrow(open_parquet(path).to_table())
    return load(path, encoding=encoding)


def _print_totals(run) -> None:
    totals = run.totals
    print(f"\n{len(totals.names)} segments of {totals.rows - totals.not_scored:,} customers:")
    print(_format_table(totals.summary()))
    if totals.not_scored:
        print(f"{_count(totals.not_scored, 'row')} not scored (segment_note says why)")
    print(f"{_count(totals.atypical, 'row')} atypical for their segment")
    print(f"\nWrote {_count(run.rows, 'row')} with their segments to {run.output}")


def _print_detected(lines: list[str]) -> None:
    print("Detected: " + "; ".join(terminal_text(line) for line in lines))


def _print_problems(problems: list, *, everything: bool = False) -> None:
    shown = [p for p in problems if everything or p.severity != "info"]
    if shown:
        print("\nProblems found:")
        for problem in shown:
            print(f"  - {terminal_text(problem.message)}")


def _print_choice(selection: FeatureSelection, problems: list[Problem]) -> None:
    """The problems found, then the features chosen and why each other column was left out."""
    _print_problems(problems)
    print(f"\nFeatures: {', '.join(terminal_text(name) for name in selection.features)}")
    for name, reason in selection.excluded.items():
        print(f"Left out: {terminal_text(name)} — {terminal_text(reason)}")


def _check_output_folders(*paths: Path | None) -> None:
    """Fail before any work when an output would go into a folder that does not exist."""
    for path in paths:
        if path is not None and not path.parent.is_dir():
            raise SegmentationError("bad-option", detail=f"The folder {str(path.parent)!r} does not exist.")


def _count(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def _format_table(table: pd.DataFrame) -> str:
    """The table as text: numbers in plain notation (12,345.67, never 1.2e+04), and every header,
    index label and text cell safe for the terminal."""
    table = table.rename(index=_terminal_label, columns=_terminal_label)
    text = table.select_dtypes(include=["object", "string"]).columns
    table[text] = table[text].map(_terminal_label)
    with pd.option_context("display.width", 200, "display.max_columns", 50):
        return table.to_string(float_format=_plain_number)


def _plain_number(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.2f}" if abs(value) >= 0.01 or value == 0 else f"{value:.4f}"


def _terminal_label(value: object) -> object:
    return terminal_text(value) if isinstance(value, str) else value


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
