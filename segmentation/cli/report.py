"""``report``: segment a customer CSV and write the report to send, one self-contained HTML file."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..model.analysis import Segmentation, segment
from ..model.settings import (
    DEFAULT_K,
    DEFAULT_MISSING,
    DEFAULT_SCALING,
    DEFAULT_SEED,
    K_MAX,
    K_MIN,
    MISSING_POLICIES,
    SCALINGS,
)
from ..prepare.dataset import load
from ..report.errors import SegmentationError
from ..report.numbers import plural
from .common import (
    ENCODING_HELP,
    EXIT_OK,
    SHEET_HELP,
    add_data_choices,
    check_output_folders,
    check_sheet,
    column_names,
    import_in_background,
    is_parquet_input,
)
from .segment import _segment_settings


def add_parser(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "report",
        help="segment a customer CSV and write a report to send (one HTML file)",
        description="Segment a customer CSV and write one self-contained HTML report: it opens "
        "offline in any browser, with the interactive charts inside. Takes the options of segment.",
    )
    add_run_options(command)
    command.add_argument("-o", "--output", type=Path, required=True, help="HTML report to write")
    command.add_argument(
        "--k-scores",
        action="store_true",
        help="also score every k from 2 to 10 and draw the curves in the report (takes longer)",
    )
    command.add_argument(
        "--save-model", type=Path, help="also save the model (skops file) here; the report gives its id"
    )
    command.set_defaults(run=run)


def add_run_options(command: argparse.ArgumentParser) -> None:
    """The input and every choice of ``segment`` that changes the segments (a test keeps them alike)."""
    command.add_argument("input", type=Path, help="customer CSV file")
    command.add_argument("-k", type=int, default=DEFAULT_K, help=f"number of segments (default {DEFAULT_K})")
    command.add_argument(
        "--features",
        type=column_names,
        help="comma-separated feature columns (default: chosen automatically)",
    )
    command.add_argument(
        "--scaling", choices=SCALINGS, default=DEFAULT_SCALING, help="how numbers are scaled"
    )
    command.add_argument(
        "--missing",
        choices=MISSING_POLICIES,
        default=DEFAULT_MISSING,
        help="fill gaps (impute) or leave rows with gaps unsegmented (exclude)",
    )
    command.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    add_data_choices(command)
    command.add_argument(
        "--like", type=Path, help="a saved model whose segment numbers and names to keep (matched by centres)"
    )
    command.add_argument("--encoding", metavar="NAME", help=ENCODING_HELP)
    command.add_argument("--sheet", metavar="NAME", help=SHEET_HELP)


def run(args: argparse.Namespace) -> int:
    if is_parquet_input(args.input):
        raise SegmentationError("bad-option", detail="The report is made from a CSV input, not Parquet.")
    check_output_folders(args.output, args.save_model)
    result = _fit(args)
    model_id = None
    if args.save_model:
        from ..reuse.modelfile import save_model

        model_id = save_model(result, args.save_model)
        print(f"Saved the model to {args.save_model} (model id {model_id})")
    k_choice = None
    if args.k_scores:
        from ..model.choose_k import evaluate_k

        settings = result.settings
        k_max = max(K_MIN, min(K_MAX, result.data.for_fit().n_usable - 1))  # k below the number of rows
        k_choice = evaluate_k(
            result.data, k_max=k_max, scaling=settings.scaling, random_state=settings.random_state
        )
    write_report(result, args.output, source_name=args.input.name, model_id=model_id, k_choice=k_choice)
    print(f"Wrote the report on {plural(result.result.n_clusters, 'segment')} to {args.output}")
    return EXIT_OK


def _fit(args: argparse.Namespace) -> Segmentation:
    """Segment the CSV as ``segment`` would, numbered like ``--like`` when given."""
    import_in_background("segmentation.model.kmeans", "segmentation.model.profiles")
    settings = _segment_settings(args)  # a bad setting is refused before the file is read
    check_sheet(args)
    dataset = load(args.input, encoding=args.encoding, sheet=args.sheet)
    like = None
    if args.like:  # refuse a bad model file before fitting
        from ..reuse.modelfile import read_model

        like = read_model(args.like)
    result = segment(dataset, settings)
    if like is not None:
        from ..reuse.matching import segment_like

        result, matching = segment_like(result, like)
        print("\n".join(matching.lines()))
    return result


def write_report(result: Segmentation, path: Path, **options: object) -> None:
    """Write ``report_html(result, **options)`` to ``path`` as UTF-8."""
    from ..report.html import report_html

    path.write_text(report_html(result, **options), encoding="utf-8")  # type: ignore[arg-type]
