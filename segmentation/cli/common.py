"""What every command shares: exit codes, the argument parser, reading the input, printing findings and tables."""

from __future__ import annotations

import argparse
import importlib
import sys
import threading
from pathlib import Path

import pandas as pd

from ..io.encoding import encoding_names
from ..model.settings import (
    DEFAULT_PLACEHOLDERS,
    PLACEHOLDER_POLICIES,
)
from ..prepare.dataset import load
from ..prepare.features import FeatureSelection
from ..report.errors import SegmentationError
from ..report.findings import Problem
from ..report.numbers import plural, table_number
from ..report.text import terminal_text
from .hints import problem_text

ENCODING_HELP = (
    "the file's encoding (default: detected): any encoding Python knows, by its usual name "
    "(e.g. utf-8, cp1252, gbk, big5, cp932, cp949, utf-16-le), or one of: " + ", ".join(encoding_names())
)
SHEET_HELP = "workbook input (.xlsx, .xls, .ods, ...): the sheet to read (default: the first holding a table)"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


EXIT_OK = 0


EXIT_BAD_INPUT = 2


EXIT_FAILURE = 1


class Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in one line with exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def add_data_choices(command: argparse.ArgumentParser) -> None:
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


def import_in_background(*modules: str) -> None:
    """Start importing ``modules`` on another thread while this one reads the input.

    The model's libraries (scikit-learn, SciPy) take about as long to import as
    reading and checking a million-row file (docs/benchmarks.md), and that work runs in Arrow
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


def is_parquet_name(path: Path) -> bool:
    from ..io.formats import PARQUET_SUFFIXES

    return path.suffix.lower() in PARQUET_SUFFIXES


def is_parquet_input(path: Path) -> bool:
    from ..io.formats import is_parquet

    return is_parquet(path)


def check_parquet_output(args: argparse.Namespace) -> None:
    if not is_parquet_name(args.output):
        raise SegmentationError(
            "bad-option", detail=f"Parquet in, Parquet out: name the output NAME.parquet, not {args.output}."
        )


def check_csv_output(args: argparse.Namespace) -> None:
    if is_parquet_name(args.output):
        raise SegmentationError(
            "bad-option", detail=f"CSV in, CSV out: Parquet output needs Parquet input, not {args.input}."
        )


def check_sheet(args: argparse.Namespace) -> None:
    """``--sheet`` only for a workbook input (told by content, as ``load`` tells it)."""
    from ..io.workbook import is_workbook

    if getattr(args, "sheet", None) is not None and not is_workbook(args.input):
        raise SegmentationError(
            "bad-option", detail=f"--sheet is for workbook input; {args.input} is not a workbook."
        )


def is_workbook_name(path: Path) -> bool:
    return path.suffix.lower() in WORKBOOK_SUFFIXES


def load_any(
    path: Path, *, encoding: str | None = None, literal_quotes: bool = False, sheet: str | None = None
):
    """A CSV, or a Parquet file or folder read whole (its cells as text), as a ``Dataset``.

    ``encoding`` is the CSV's (None: detected); Parquet text is always UTF-8.
    """
    if is_parquet_input(path):
        from ..io.tables import open_parquet
        from ..scale.parquet import dataset_from_arrow

        return dataset_from_arrow(open_parquet(path).to_table())
    return load(path, encoding=encoding, literal_quotes=literal_quotes, sheet=sheet)


def print_totals(run) -> None:
    totals = run.totals
    print(f"\n{len(totals.names)} segments of {totals.rows - totals.not_scored:,} customers:")
    print(format_table(totals.summary()))
    if totals.not_scored:
        print(f"{plural(totals.not_scored, 'row')} not scored (segment_note says why)")
    print(f"{plural(totals.atypical, 'row')} atypical for their segment")
    print(f"\nWrote {plural(run.rows, 'row')} with their segments to {run.output}")


def print_detected(lines: list[str]) -> None:
    print("Detected: " + "; ".join(terminal_text(line) for line in lines))


def print_problems(problems: list, *, everything: bool = False, hints: dict[str, str] | None = None) -> None:
    shown = [p for p in problems if everything or p.severity != "info"]
    if shown:
        print("\nProblems found:")
        for problem in shown:
            print(f"  - {terminal_text(problem_text(problem, hints or {}))}")


def print_choice(selection: FeatureSelection, problems: list[Problem], hints: dict[str, str]) -> None:
    """The problems found (with ``hints``: how to change them), then the features chosen and why
    each other column was left out."""
    print_problems(problems, hints=hints)
    print(f"\nFeatures: {', '.join(terminal_text(name) for name in selection.features)}")
    for name, reason in selection.excluded.items():
        print(f"Left out: {terminal_text(name)} — {terminal_text(reason)}")


def check_output_folders(*paths: Path | None) -> None:
    """Fail before any work when an output would go into a folder that does not exist."""
    for path in paths:
        if path is not None and not path.parent.is_dir():
            raise SegmentationError("bad-option", detail=f"The folder {str(path.parent)!r} does not exist.")


def format_table(table: pd.DataFrame) -> str:
    """The table as text: numbers in plain notation (12,345.67, never 1.2e+04), and every header,
    index label and text cell safe for the terminal."""
    table = table.rename(index=terminal_label, columns=terminal_label)
    text = table.select_dtypes(include=["object", "string"]).columns
    table[text] = table[text].map(terminal_label)
    with pd.option_context("display.width", 200, "display.max_columns", 50):
        return table.to_string(float_format=table_number)


def terminal_label(value: object) -> object:
    return terminal_text(value) if isinstance(value, str) else value


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def column_names(text: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    if not names:
        raise argparse.ArgumentTypeError("give at least one column name")
    return names
