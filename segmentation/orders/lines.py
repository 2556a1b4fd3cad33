"""Order lines: which column plays which role (customer, date, amount, ...), and the facts read from each line."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..prepare.columns import ParsedColumn, analyze_column
from ..prepare.dataset import Dataset
from ..prepare.dates import ParsedDates, as_text, encode_text, looks_like_dates, parse_dates
from ..prepare.roles import order_role_score
from ..report.errors import SegmentationError
from .platforms import recognise

MAX_CATEGORY_VALUES = 50


# Status texts meaning cancelled or returned (lower-case, without accents).
CANCELLED_STATUS = (
    r"cancel|annul|storn|отмен|iptal|anulad|void|refund|return|devol|retour|ruckgabe|zuruck|reembols"
)


# A credit note's number: C and the digits of an invoice number (UCI Online Retail's C536379).
CREDIT_INVOICE = r"^[Cc]\d+$"
# ... counted only where the other invoice numbers are numbers: hex ids and UUIDs start with c too.
NUMERIC_INVOICE = r"^\d+$"
NUMERIC_SHARE = 0.9
# Customer "keys" that say there is no customer (lower case, trimmed): such lines have none.
MISSING_CUSTOMER = frozenset(
    {
        "", "na", "n/a", "n.a.", "#n/a", "nan", "null", "(null)", "nil", "none", "-", "--", "?", "unknown",
        "unk", "undefined", "missing", "(blank)", "not available", "unbekannt", "desconocido", "desconhecido",
        "inconnu", "sconosciuto", "неизвестно", "bilinmiyor",
    }
)  # fmt: skip


@dataclass(frozen=True)
class OrderMapping:
    """Which column plays which role. ``customer`` and ``date`` are required; the others optional.

    Monetary value comes from ``amount`` or, without it, from ``quantity`` × ``price``, or from
    ``price`` alone when there is no quantity (one line, one item).
    """

    customer: str
    date: str
    order: str | None = None
    amount: str | None = None
    quantity: str | None = None
    price: str | None = None
    category: str | None = None
    product: str | None = None
    status: str | None = None

    @property
    def has_amounts(self) -> bool:
        return self.amount is not None or self.price is not None

    def roles(self) -> dict[str, str | None]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def describe(self) -> list[str]:
        """One line per role, ``role: column`` (or ``—``)."""
        lines = [f"{role}: {column if column else '—'}" for role, column in self.roles().items()]
        if self.amount and (self.quantity or self.price):
            lines.append(f"(line values from {self.amount}; a negative quantity still marks a return)")
        elif self.price and not self.quantity and not self.amount:
            lines.append(f"(line values from {self.price}: no quantity column, so one item per line)")
        return lines

    def with_changes(self, **changes: Any) -> OrderMapping:
        return replace(self, **changes)

    def settled(self) -> OrderMapping:
        """The one money rule, for every caller: an amount gives the line values, so a price is
        not used beside it; a quantity is kept, since its sign still marks returns."""
        return replace(self, price=None) if self.amount and self.price else self


def _column(dataset: Dataset, name: str) -> ParsedColumn:
    return dataset.columns.get(name) or analyze_column(name, dataset.raw[name])


def _fits(dataset: Dataset, name: str, role: str) -> bool:
    """Whether the column's content can play ``role``."""
    info = _column(dataset, name).info
    if role in ("amount", "quantity", "price"):
        return info.kind == "numeric"
    if role == "date":
        return info.kind == "date" or looks_like_dates(dataset.raw[name])
    if info.kind in ("empty", "date"):
        return False
    if role == "customer":
        return 1 < info.n_distinct < max(info.n_rows, 2)
    if role in ("category", "status"):
        return info.kind == "text" and info.n_distinct <= MAX_CATEGORY_VALUES
    return True


def propose_mapping(dataset: Dataset) -> OrderMapping | None:
    """The best guess of each role from names and content; None without a customer key and a date.

    A platform's export (Shopify, WooCommerce, UCI Online Retail) is read with
    that platform's roles, the others guessed as usual. Distinct orders must lie between the
    number of customers and the number of rows.
    """
    recognised = recognise(list(dataset.raw.columns))
    found: dict[str, str] = dict(recognised.roles) if recognised else {}
    taken: set[str] = set(found.values())
    settled = recognised.settled if recognised else frozenset()
    for role in ("date", "customer", "order", "quantity", "price", "amount", "status", "category", "product"):
        if role in settled:
            continue
        choice = _best_column(dataset, role, taken)
        if role == "order" and choice and not _plausible_orders(dataset, choice, found.get("customer")):
            choice = None
        if choice:
            found[role] = choice
            taken.add(choice)
    if "date" not in found:
        found.update(_dates_by_content(dataset, taken))
    if "customer" not in found or "date" not in found:
        return None
    if "amount" not in found and "price" not in found:
        found.pop("quantity", None)  # a quantity alone gives no line value
    return OrderMapping(**found)


def _best_column(dataset: Dataset, role: str, taken: set[str]) -> str | None:
    scored = [
        (order_role_score(name, role), -i, name)
        for i, name in enumerate(dataset.raw.columns)
        if name not in taken
    ]
    for score, _, name in sorted(scored, reverse=True):
        if score == 0:
            return None
        if _fits(dataset, name, role):
            return name
    return None


def _dates_by_content(dataset: Dataset, taken: set[str]) -> dict[str, str]:
    for name in dataset.raw.columns:
        if name not in taken and _fits(dataset, name, "date"):
            return {"date": name}
    return {}


def _plausible_orders(dataset: Dataset, order: str, customer: str | None) -> bool:
    n_orders = _column(dataset, order).info.n_distinct
    n_customers = _column(dataset, customer).info.n_distinct if customer else 1
    return n_customers <= n_orders <= dataset.n_rows


def looks_like_order_lines(dataset: Dataset) -> OrderMapping | None:
    """The proposed mapping when customers repeat over rows (order lines), else None."""
    mapping = propose_mapping(dataset)
    if mapping is None:
        return None
    info = _column(dataset, mapping.customer).info
    return mapping if info.n_distinct < info.n_present else None


@dataclass
class LineFacts:
    """Per order line: who, when, how much, and what kind of line it is."""

    customer: np.ndarray  # customer code, -1 without a key
    day: np.ndarray  # int64 days since 1970, -1 without a date
    amount: np.ndarray | None  # float64 line value (NaN unknown), None without amounts
    cancelled: np.ndarray  # bool: status means cancelled or returned
    credit: np.ndarray  # bool: credit invoice (C…) or negative quantity / amount
    keys: pd.Index  # customer key text per code
    order: np.ndarray | None = None  # order id code, -1 without one; None without an order column
    spread: int = 0  # cells read from their order's first line (order-level fields)

    @property
    def purchase(self) -> np.ndarray:
        return (self.customer >= 0) & (self.day >= 0) & ~self.cancelled & ~self.credit


def check_columns(dataset: Dataset, mapping: OrderMapping) -> None:
    unknown = [c for c in mapping.roles().values() if c is not None and c not in dataset.raw.columns]
    if unknown:
        raise SegmentationError(
            "unknown-column", names=", ".join(map(repr, unknown)), columns=", ".join(dataset.raw.columns)
        )
    if mapping.quantity is not None and mapping.price is None and mapping.amount is None:
        raise SegmentationError("orders-quantity-price")


def _numbers(dataset: Dataset, name: str, role: str) -> np.ndarray:
    column = _column(dataset, name)
    if column.info.kind != "numeric":
        raise SegmentationError("orders-not-numbers", role=role, column=name)
    return np.asarray(column.values, dtype=np.float64)


def _line_amounts(dataset: Dataset, mapping: OrderMapping) -> tuple[np.ndarray | None, np.ndarray]:
    """Line values and the lines with a negative quantity or amount."""
    negative = np.zeros(dataset.n_rows, dtype=bool)
    quantity = _numbers(dataset, mapping.quantity, "quantity") if mapping.quantity else None
    if quantity is not None:
        negative |= quantity < 0
    if mapping.amount:
        amount = _numbers(dataset, mapping.amount, "amount")
    elif quantity is not None and mapping.price:
        amount = quantity * _numbers(dataset, mapping.price, "price")
    elif mapping.price:
        amount = _numbers(dataset, mapping.price, "price")  # no quantity: one item per line
    else:
        return None, negative
    return amount, negative | (amount < 0)


def _status_cancelled(dataset: Dataset, name: str | None) -> tuple[np.ndarray, np.ndarray]:
    """Lines whose status means cancelled or returned, and lines with a status at all."""
    if name is None:
        return np.zeros(dataset.n_rows, dtype=bool), np.zeros(dataset.n_rows, dtype=bool)
    codes, labels = encode_text(dataset.raw[name])
    plain = pc.replace_substring_regex(pc.utf8_normalize(pc.utf8_lower(labels), "NFKD"), r"\p{Mn}", "")
    return _per_line(pc.match_substring_regex(plain, CANCELLED_STATUS), codes), codes >= 0


def _credit_invoices(codes: np.ndarray, labels: pa.Array) -> np.ndarray:
    """Lines of credit notes (``C536379``), where the other invoice numbers are numbers."""
    credit = pc.match_substring_regex(labels, CREDIT_INVOICE)
    others = pc.filter(labels, pc.invert(credit))
    numeric = pc.sum(pc.match_substring_regex(others, NUMERIC_INVOICE)).as_py() or 0
    if not len(others) or numeric < NUMERIC_SHARE * len(others):
        return np.zeros(len(codes), dtype=bool)
    return _per_line(credit, codes)


def _per_line(flags: pa.Array, codes: np.ndarray) -> np.ndarray:
    """A per-distinct-text flag spread over the lines (False for empty cells)."""
    per_label = np.asarray(flags.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
    return np.append(per_label, False)[codes]


def order_codes_of(cells: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes (−1 for empty or missing) and the distinct texts they stand for."""
    codes, labels = encode_text(cells)
    return codes, pd.Index(labels.to_pandas(types_mapper=pd.ArrowDtype).astype("string"))


def customer_codes_of(cells: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Customer codes (−1 for empty cells and placeholders such as ``NA`` or ``unknown``) and key texts."""
    codes, labels = encode_text(cells)
    placeholder = pc.is_in(pc.utf8_lower(labels), value_set=pa.array(sorted(MISSING_CUSTOMER)))
    codes = np.where(_per_line(placeholder, codes), -1, codes)
    return codes, pd.Index(labels.to_pandas(types_mapper=pd.ArrowDtype).astype("string"))


def line_facts(dataset: Dataset, mapping: OrderMapping, dates: ParsedDates) -> LineFacts:
    """What each order line says, as arrays over the lines."""
    customer, keys = customer_codes_of(dataset.raw[mapping.customer])
    days = dates.values.astype("datetime64[D]").astype(np.int64)
    day = np.where(np.isnat(dates.values), -1, days)
    amount, negative = _line_amounts(dataset, mapping)
    orders = encode_text(dataset.raw[mapping.order]) if mapping.order else None
    credit = negative if orders is None else negative | _credit_invoices(*orders)
    cancelled, status_given = _status_cancelled(dataset, mapping.status)
    order = orders[0] if orders is not None else None
    spread = 0
    if order is not None:  # order-level cells filled on an order's first line only
        order, spread = continue_orders(order)
        customer, n_customer = spread_over_order(customer, order, customer >= 0)
        day, n_day = spread_over_order(day, order, day >= 0)
        flags, n_status = spread_over_order(cancelled.astype(np.int64), order, status_given)
        cancelled = flags.astype(bool)
        spread += n_customer + n_day + n_status
    return LineFacts(customer, day, amount, cancelled & ~credit, credit, keys, order=order, spread=spread)


def continue_orders(order: np.ndarray) -> tuple[np.ndarray, int]:
    """Lines without an order id after a line with one continue that order (its further items).

    Exports that write order fields on an order's first row only leave the
    order id empty on the rows of its further items.
    """
    empty = order < 0
    if not empty.any() or empty.all():
        return order, 0
    last = np.maximum.accumulate(np.where(empty, -1, np.arange(len(order))))
    continued = empty & (last >= 0)
    filled = np.where(continued, order[np.maximum(last, 0)], order)
    return filled, int(continued.sum())


def spread_over_order(values: np.ndarray, order: np.ndarray, given: np.ndarray) -> tuple[np.ndarray, int]:
    """An order-level column's value on every line of its order, and how many lines were filled.

    Platforms write order-level fields (customer, date, financial status) on
    an order's first line only. A column is read so only when it has that
    shape: in orders of several lines, the first line ``given`` and the others
    not, nearly always. Scattered gaps are left as they are (they are missing).
    """
    if not _first_line_only(order, given):
        return values, 0
    first = _first_lines(order)
    first_given = first[given[first]]
    per_order = np.full(int(order.max()) + 1, -1, dtype=np.int64)
    per_order[order[first_given]] = values[first_given]
    has_order = order >= 0
    from_order = per_order[np.maximum(order, 0)]
    empty = has_order & ~given & (from_order >= 0)
    return np.where(empty, from_order, values), int(empty.sum())


def _first_lines(order: np.ndarray) -> np.ndarray:
    """Index of each order's first line (orders with an id)."""
    with_id = np.flatnonzero(order >= 0)
    _, first = np.unique(order[with_id], return_index=True)
    return with_id[first]


def _first_line_only(order: np.ndarray, given: np.ndarray, share: float = 0.9) -> bool:
    """Whether, in orders of several lines, the first line has the value and the others do not."""
    with_id = order >= 0
    n_later = int(with_id.sum()) - (int(order.max(initial=-1)) + 1)  # lines after their order's first
    if n_later <= 0 or int((~given & with_id).sum()) < share * n_later:
        return False  # too few empty cells for the shape: the usual case, settled without sorting
    counts = np.bincount(order[with_id])
    first = _first_lines(order)
    multi_first = first[counts[order[first]] > 1]
    if not len(multi_first):
        return False
    later = (order >= 0) & (counts[np.maximum(order, 0)] > 1)
    later[multi_first] = False
    if not later.any():
        return False
    return given[multi_first].mean() >= share and (~given[later]).mean() >= share


# A UTC offset after a time (Shopify's "2024-01-15 10:23:45 -0500"): the date written is the shop's own.
UTC_OFFSET = r"(\d)\s*(?:[+-]\d{2}:?\d{2}|Z|UTC|GMT)$"


def read_dates(dataset: Dataset, mapping: OrderMapping, day_first: bool | None) -> ParsedDates:
    """The order dates, read as written; a UTC offset after the time is set aside (the local date counts)."""
    cells = dataset.raw[mapping.date]
    dates = parse_dates(cells, day_first=day_first)
    offsets = re.compile(UTC_OFFSET)
    if (dates.layout is None or dates.n_failed) and any(
        offsets.search(cell) for cell in dates.failed_examples
    ):
        local = pc.replace_substring_regex(as_text(cells), UTC_OFFSET, "\\1")
        without_offset = parse_dates(local, day_first=day_first)
        if without_offset.layout is not None and without_offset.n_failed < dates.n_failed + (
            dates.layout is None
        ) * len(cells):
            dates = without_offset
    if dates.layout is None or dates.n_failed > 0.5 * max(dataset.n_rows - dates.n_empty, 1):
        raise SegmentationError(
            "orders-not-dates", column=mapping.date, examples=", ".join(map(repr, dates.failed_examples))
        )
    return dates
