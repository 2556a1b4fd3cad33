"""``customers``: build one row per customer from order lines."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..report.errors import SegmentationError
from ..report.text import terminal_text
from .common import (
    ENCODING_HELP,
    EXIT_BAD_INPUT,
    EXIT_OK,
    is_parquet_name,
    load_any,
    print_detected,
    print_problems,
)

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


def add_parser(commands: argparse._SubParsersAction) -> None:
    cust = commands.add_parser(
        "customers",
        help="build one row per customer from order lines",
        description="Summarise order lines per customer: recency, frequency, monetary value, RFM scores.",
    )
    cust.add_argument("input", type=Path, help="order lines CSV file")
    cust.add_argument(
        "--orders",
        type=Path,
        metavar="ORDERS",
        help="orders table to join when the lines name their order but not its customer (e.g. Olist's)",
    )
    cust.add_argument(
        "--customers",
        type=Path,
        metavar="CUSTOMERS",
        help="customers table to join to the orders (e.g. Olist's, with customer_unique_id)",
    )
    cust.add_argument("-o", "--output", type=Path, required=True, help="customers CSV to write")
    cust.add_argument("--encoding", metavar="NAME", help=ENCODING_HELP)
    cust.add_argument(
        "--literal-quotes",
        action="store_true",
        help='read " as an ordinary character (for a file where a stray quote opens a cell that takes in rows)',
    )
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
    cust.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..orders.customers import build_customers, customer_features
    from ..orders.lines import OrderMapping, propose_mapping
    from ..orders.pieces import missing_table

    try:
        dataset = load_any(args.input, encoding=args.encoding, literal_quotes=args.literal_quotes)
    except SegmentationError as exc:
        if exc.code != "runaway-quote":
            raise
        print(f"error: {terminal_text(exc)} To read them so, add --literal-quotes.", file=sys.stderr)
        return EXIT_BAD_INPUT
    dataset = _joined(dataset, args)
    chosen = {role: getattr(args, role) for role in _ROLE_HELP if getattr(args, role)}
    proposal = propose_mapping(dataset)
    roles = proposal.roles() if proposal else {}
    roles.update(chosen)  # the money rule is the core's (OrderMapping.settled), as on the Data page
    if not roles.get("customer") or not roles.get("date"):
        order = missing_table(dataset)
        raise (
            SegmentationError("orders-missing-table", order=order)
            if order
            else SegmentationError("orders-no-mapping")
        )
    customer, date = str(roles.pop("customer")), str(roles.pop("date"))
    mapping = OrderMapping(customer, date, **roles)
    built = build_customers(dataset, mapping, as_of=args.as_of, day_first=args.day_first)
    print_detected(dataset.read_report.describe())
    print("\nColumns used:\n" + "\n".join(f"  {line}" for line in built.mapping.describe()))
    print(f"\nReference date (recency): {built.as_of.date().isoformat()}")
    print_problems(built.problems, everything=True)
    if is_parquet_name(args.output):
        from ..io.tables import write_frame

        write_frame(built.customers, args.output)
    else:
        args.output.write_bytes(built.to_csv(delimiter=dataset.read_report.delimiter))
    print(f"\nWrote {len(built.customers):,} customers from {dataset.n_rows:,} order lines to {args.output}")
    features = ",".join(customer_features(built.customers))
    print(f"Segment them with: python -m segmentation segment {args.output} --features {features} -o OUT.csv")
    return EXIT_OK


def _joined(dataset, args: argparse.Namespace):
    """The lines joined with the orders (and customers) tables given, saying how; else the lines."""
    if args.orders is None:
        if args.customers is not None:
            raise SegmentationError(
                "orders-missing-table", order="(the orders table is needed to reach customers)"
            )
        return dataset
    from ..orders.pieces import join_pieces

    orders = load_any(args.orders, encoding=args.encoding)
    customers = load_any(args.customers, encoding=args.encoding) if args.customers else None
    joined = join_pieces(dataset, orders, customers)
    print("Joined tables:\n" + "\n".join(f"  {line}" for line in joined.describe()))
    return joined.dataset
