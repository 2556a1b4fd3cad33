"""``generate``: write synthetic customers in the origin schema."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..model.settings import (
    DEFAULT_SAMPLE_SIZE,
    DEFAULT_SEED,
)
from .common import EXIT_OK, is_parquet_name, positive


def add_parser(commands: argparse._SubParsersAction) -> None:
    gen = commands.add_parser(
        "generate",
        help="write synthetic customers to a CSV file",
        description="Write synthetic customers in the origin schema.",
    )
    gen.add_argument(
        "-n",
        type=positive,
        default=DEFAULT_SAMPLE_SIZE,
        help=f"number of customers (default {DEFAULT_SAMPLE_SIZE})",
    )
    gen.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    gen.add_argument("-o", "--output", type=Path, required=True, help="CSV file to write (.parquet: Parquet)")
    gen.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..io.synthetic import customers_to_csv_bytes, generate_customers

    customers = generate_customers(args.n, seed=args.seed)
    if is_parquet_name(args.output):
        from ..io.tables import write_frame

        write_frame(customers, args.output)
    else:
        args.output.write_bytes(customers_to_csv_bytes(customers))
    print(f"Wrote {len(customers):,} synthetic customers to {args.output}")
    return EXIT_OK
