"""``segment --save NAME``: save the run in the store (the options and the step after the run)."""

from __future__ import annotations

import argparse
import hashlib
from datetime import date
from pathlib import Path

from ..report.errors import SegmentationError
from ..report.text import terminal_text


def add_save_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--save", metavar="NAME", help="also save the segmentation in the store under NAME")
    command.add_argument(
        "--no-customers",
        action="store_true",
        help="with --save: save without each customer's key and segment (no migration then)",
    )
    command.add_argument(
        "--key",
        metavar="COLUMN",
        help="with --save: the customer key column (default: the recognised ID column)",
    )
    command.add_argument(
        "--period",
        type=period_date,
        help="with --save: the date the data describe (YYYY-MM-DD, default today)",
    )
    add_store_option(command)


def add_store_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--store",
        metavar="URL",
        help="the store: a SQLAlchemy URL (default: $SEGMENTATION_STORE_URL, else a file in $SEGMENTATION_DATA_DIR)",
    )


def period_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-30") from None


def check_key(args: argparse.Namespace, columns: list[str]) -> None:
    if args.save and args.key and args.key not in columns:
        raise SegmentationError("bad-option", detail=f"--key: the file has no column {args.key!r}")


def save_run(args: argparse.Namespace, run, like=None) -> None:
    """Save ``run`` as asked by ``--save``; says what was saved."""
    from ..store.records import model_identity, snapshot_of
    from ..store.store import open_store

    store = open_store(args.store)
    snapshot = snapshot_of(
        run,
        name=args.save,
        fingerprint=file_fingerprint(args.input),
        period=args.period,
        source={"kind": "file", "name": Path(args.input).name},
        key_column=args.key,
        with_customers=not args.no_customers,
        like_model_id=model_identity(like.manifest) if like is not None else None,
    )
    info = store.save(snapshot)
    if snapshot.keys is not None:
        saved = f"with {info.n_customers:,} customers (key {terminal_text(info.key_column)})"
    elif args.no_customers:
        saved = "without its customers"
    else:
        saved = "without its customers: no customer ID column was recognised (name one with --key)"
    print(f"Saved as {terminal_text(info.name)!r} ({info.period.isoformat()}) in {store.label}, {saved}")


def file_fingerprint(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
