"""``migrate``: how customers moved between two saved segmentations, matched by customer key."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..report.text import terminal_text
from .common import EXIT_OK, check_output_folders, format_table
from .saving import add_store_option


def add_parser(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "migrate",
        help="compare two saved segmentations customer by customer",
        description="Print the migration matrix between two saved segmentations (customers matched by key, "
        "exactly as written) and write the customers who moved.",
    )
    command.add_argument("old", help="the earlier saved segmentation")
    command.add_argument("new", help="the later saved segmentation")
    command.add_argument(
        "-o", "--output", type=Path, help="CSV of the moves (key, old and new segment) to write"
    )
    command.add_argument(
        "--from", dest="from_segment", type=int, metavar="SEGMENT", help="only moves from this old segment"
    )
    command.add_argument(
        "--to", dest="to_segment", type=int, metavar="SEGMENT", help="only moves to this new segment"
    )
    add_store_option(command)
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..store.migration import migrate
    from ..store.store import open_store

    check_output_folders(args.output)
    store = open_store(args.store)
    migration = migrate(store.customers(args.old), store.customers(args.new))
    print("\n".join(terminal_text(line) for line in migration.lines()))
    print("\nCustomers (rows: old segment, columns: new segment):")
    print(format_table(migration.labeled(migration.counts)))
    print("\nRow shares:")
    print(format_table(migration.labeled(migration.shares).map(lambda s: f"{s:.1%}")))
    if args.output:
        chosen = (args.from_segment, args.to_segment) if args.from_segment is not None else (None, None)
        if (args.from_segment is None) != (args.to_segment is None):
            from ..report.errors import SegmentationError

            raise SegmentationError("bad-option", detail="--from and --to go together")
        args.output.write_bytes(migration.moves_csv(*chosen))
        what = "the moves" if chosen[0] is None else f"the moves from {chosen[0]} to {chosen[1]}"
        print(f"\nWrote {what} to {args.output}")
    return EXIT_OK
