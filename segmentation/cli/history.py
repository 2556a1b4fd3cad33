"""``history``: list the saved segmentations, or show one and the history of its model."""

from __future__ import annotations

import argparse

from ..report.text import terminal_text
from .common import EXIT_OK, format_table
from .saving import add_store_option


def add_parser(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "history",
        help="list the saved segmentations, or show one",
        description="List the saved segmentations; with --show, one of them and the history of its model.",
    )
    command.add_argument(
        "--show", metavar="NAME", help="show this saved segmentation and its model's history"
    )
    command.add_argument(
        "--rename", nargs=2, metavar=("NAME", "NEW_NAME"), help="rename a saved segmentation"
    )
    command.add_argument("--delete", metavar="NAME", help="delete a saved segmentation")
    add_store_option(command)
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..store.store import open_store

    store = open_store(args.store)
    if args.rename:
        store.rename(*args.rename)
        print(f"Renamed {terminal_text(args.rename[0])!r} to {terminal_text(args.rename[1])!r}")
    elif args.delete:
        store.delete(args.delete)
        print(f"Deleted {terminal_text(args.delete)!r}")
    elif args.show:
        _show(store, args.show)
    else:
        _list(store)
    return EXIT_OK


def _list(store) -> None:
    items = store.list()
    if not items:
        print(f"Nothing saved yet in {store.label} (save with: segment ... --save NAME)")
        return
    print(f"{len(items)} saved in {store.label}:")
    for item in items:
        customers = f"{item.n_customers:,} customers" if item.n_customers else "no customers"
        flag = "" if item.readable else " (saved by a newer version)"
        print(
            f"  {terminal_text(item.name)}  {item.period.isoformat()}  {item.n_segments} segments  "
            f"{customers}  model {item.lineage}{flag}"
        )


def _show(store, name: str) -> None:
    from ..store.history import lineage_history

    item = store.load(name)
    info = item.info
    print(
        f"{terminal_text(info.name)}: period {info.period.isoformat()}, saved {info.saved_at:%Y-%m-%d %H:%M} UTC"
    )
    print(
        f"  k = {item.settings.n_clusters}, {item.settings.scaling} scaling, seed {item.settings.random_state}"
    )
    print(f"  model {info.model_id} (line {info.lineage}); data fingerprint {info.fingerprint[:16]}")
    key = f" by {terminal_text(info.key_column)}" if info.key_column else ""
    print(f"  {info.n_customers:,} customers saved{key}")
    print(format_table(item.summary))
    print()
    print("\n".join(terminal_text(line) for line in lineage_history(store, name).lines()))
