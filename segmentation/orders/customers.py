"""From order lines to one row per customer: recency, frequency, monetary value and behaviour.

Two steps, both plain data in and out:

- ``propose_mapping`` finds which column plays which role (customer key, order
  id, date, amount or quantity × price, category, product, status) from header
  names in several languages and from content; every choice can be changed.
- ``build_customers`` groups the lines per customer, leaving out (and
  reporting) lines without a customer or date, treating cancellations and
  returns apart, and adds RFM scores and the R×F segment.

All work is vectorised over integer codes: customers, orders and products are
factorised once, then summed, counted and ranked with NumPy and pandas.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..prepare.dataset import Dataset
from ..prepare.dates import ParsedDates, as_text
from ..report.errors import SegmentationError
from ..report.export import summary_csv
from ..report.findings import Problem
from .lines import (
    UTC_OFFSET,
    LineFacts,
    OrderMapping,
    check_columns,
    line_facts,
    order_codes_of,
    read_dates,
)
from .rfm import quintile_scores, rfm_segments

DAYS_PER_MONTH = 365.25 / 12


ROLES: tuple[str, ...] = tuple(f.name for f in fields(OrderMapping))


# ---------------------------------------------------------------- building the customers table


@dataclass
class CustomerTable:
    """One row per customer built from order lines, and what was left out and why.

    Attributes
    ----------
    customers : pandas.DataFrame
        The customer key (under its own column name, exact text) then the measures.
    mapping : OrderMapping
        The roles used.
    as_of : pandas.Timestamp
        The reference date of ``recency_days``.
    dates : ParsedDates
        How the date column was read.
    line_customer : numpy.ndarray
        For each input line, the row of its customer in ``customers`` (-1: none).
    line_notes : numpy.ndarray
        For each input line, why it has no customer row (empty when it has one).
    problems : list of Problem
        What was left out, read or assumed, by code.
    """

    customers: pd.DataFrame
    mapping: OrderMapping
    as_of: pd.Timestamp
    dates: ParsedDates
    line_customer: np.ndarray
    line_notes: np.ndarray
    problems: list[Problem] = field(default_factory=list)

    def to_csv(self, *, delimiter: str = ",") -> bytes:
        """The customers table as UTF-8 CSV (text cells guarded against formulas)."""
        return summary_csv(self.customers.set_index(self.mapping.customer), delimiter=delimiter)

    def line_segments(self, customer_segments: np.ndarray) -> np.ndarray:
        """Each input line's segment from its customer's (0 for lines without a customer row)."""
        segments = np.asarray(customer_segments, dtype=np.int64)
        padded = np.concatenate([segments, [0]])
        return padded[self.line_customer]  # -1 picks the padding 0


def build_customers(
    dataset: Dataset,
    mapping: OrderMapping,
    *,
    as_of: str | pd.Timestamp | None = None,
    day_first: bool | None = None,
) -> CustomerTable:
    """One row per customer from order lines.

    Parameters
    ----------
    dataset : Dataset
        The order lines as loaded.
    mapping : OrderMapping
        Which column plays which role (see ``propose_mapping``).
    as_of : str or Timestamp, optional
        Reference date for recency; by default the day after the last order date.
    day_first : bool, optional
        Force the day/month order of dates such as ``02/04/22``.

    Returns
    -------
    CustomerTable

    Raises
    ------
    SegmentationError
        Unknown columns, a date column without dates, amounts that are not numbers,
        or no line with both a customer and a date.
    """
    mapping = mapping.settled()
    check_columns(dataset, mapping)
    dates = read_dates(dataset, mapping, day_first)
    facts = line_facts(dataset, mapping, dates)
    purchase = facts.purchase
    if not purchase.any():
        raise SegmentationError("orders-no-lines", customer=mapping.customer, date=mapping.date)
    reference = _reference_day(facts, purchase, as_of)
    table, line_customer = _measures(dataset, mapping, facts, purchase, reference)
    problems = _line_problems(dataset, mapping, facts, dates) + _customer_problems(facts, line_customer)
    return CustomerTable(
        customers=table,
        mapping=mapping,
        as_of=pd.Timestamp(np.datetime64(reference, "D")),
        dates=dates,
        line_customer=line_customer,
        line_notes=_line_notes(facts, line_customer),
        problems=problems,
    )


def _reference_day(facts: LineFacts, purchase: np.ndarray, as_of: str | pd.Timestamp | None) -> int:
    if as_of is None:
        return int(facts.day[purchase].max()) + 1
    try:
        stamp = pd.Timestamp(as_of)
    except (ValueError, TypeError) as exc:
        raise SegmentationError("orders-bad-as-of", value=str(as_of)) from exc
    return int(np.datetime64(stamp.normalize(), "D").astype(np.int64))


def _measures(
    dataset: Dataset, mapping: OrderMapping, facts: LineFacts, purchase: np.ndarray, reference: int
) -> tuple[pd.DataFrame, np.ndarray]:
    """The customers table and each line's customer row."""
    buyers, line_customer = _buyer_rows(facts, purchase)
    n = len(buyers)
    cust = line_customer[purchase]
    days = facts.day[purchase]
    first = _group_min(cust, days, n)
    last = _group_max(cust, days, n)
    frequency = _distinct_per_customer(cust, _order_codes(facts)[purchase], n)
    tenure = reference - first
    columns: dict[str, object] = {
        mapping.customer: facts.keys[buyers].to_numpy(),
        "recency_days": reference - last,
        "frequency": frequency,
    }
    if facts.amount is not None:
        monetary = _monetary(facts.amount, facts, line_customer, n)
        columns["monetary"] = np.round(monetary, 2)
        columns["average_order_value"] = np.round(monetary / frequency, 2)
    columns["tenure_days"] = tenure
    columns["orders_per_month"] = np.round(frequency / np.maximum(tenure / DAYS_PER_MONTH, 1.0), 3)
    if mapping.product:
        product, _ = order_codes_of(dataset.raw[mapping.product])
        columns["distinct_products"] = _distinct_per_customer(cust, product[purchase], n)
    if mapping.category:
        top, share = _top_category(dataset, mapping.category, cust, purchase, n)
        columns["top_category"], columns["top_category_share"] = top, share
    columns["first_order"] = _iso(first)
    columns["last_order"] = _iso(last)
    table = pd.DataFrame(columns)
    _add_scores(table, has_amounts=facts.amount is not None)
    return table, line_customer


def _buyer_rows(facts: LineFacts, purchase: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Customer codes with at least one purchase (in key order of appearance) and each line's row."""
    buyers = np.flatnonzero(np.bincount(facts.customer[purchase], minlength=len(facts.keys)))
    row_of_code = np.full(len(facts.keys) + 1, -1, dtype=np.int64)
    row_of_code[buyers] = np.arange(len(buyers))
    return buyers, row_of_code[facts.customer]  # customer -1 picks the last slot, -1


def _group_min(groups: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    out = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(out, groups, values)
    return out


def _group_max(groups: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    out = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(out, groups, values)
    return out


def _order_codes(facts: LineFacts) -> np.ndarray:
    """Order id codes; without an order column, each purchase day counts as one order."""
    return facts.day if facts.order is None else facts.order


def _distinct_per_customer(cust: np.ndarray, codes: np.ndarray, n: int) -> np.ndarray:
    """How many different non-negative codes each customer has."""
    present = codes >= 0
    width = int(codes.max(initial=0)) + 1
    pairs = pd.unique(cust[present] * width + codes[present])  # hashing: no sort of a million pairs
    return np.bincount(pairs // width, minlength=n).astype(np.int64)


def _monetary(line_amount: np.ndarray, facts: LineFacts, line_customer: np.ndarray, n: int) -> np.ndarray:
    """Purchases minus credits; status-cancelled lines count nothing."""
    amount = np.nan_to_num(line_amount, nan=0.0)
    signed = np.where(facts.credit, -np.abs(amount), np.where(facts.cancelled, 0.0, amount))
    counted = (line_customer >= 0) & (facts.day >= 0)
    return np.bincount(line_customer[counted], weights=signed[counted], minlength=n)


def _top_category(
    dataset: Dataset, name: str, cust: np.ndarray, purchase: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each customer's most bought category (by lines) and its share of the customer's lines."""
    codes, labels = order_codes_of(dataset.raw[name])
    codes = codes[purchase]
    present = codes >= 0
    width = len(labels) + 1
    tally = pd.Series(cust[present] * width + codes[present]).value_counts(sort=False)
    pairs, counts = tally.index.to_numpy(), tally.to_numpy()
    owner, category = pairs // width, pairs % width
    order = np.lexsort((category, -counts, owner))  # most lines first, then first category
    firsts = order[np.r_[True, owner[order][1:] != owner[order][:-1]]]
    top = np.full(n, None, dtype=object)
    share = np.full(n, np.nan)
    totals = np.bincount(owner, weights=counts, minlength=n)
    top[owner[firsts]] = labels[category[firsts]].to_numpy()
    share[owner[firsts]] = np.round(counts[firsts] / totals[owner[firsts]], 3)
    return top, share


def _iso(days: np.ndarray) -> pd.Series:
    """Days since 1970 as ``YYYY-MM-DD`` text (Arrow's cast: no Python object per customer)."""
    text = pa.array(days.astype(np.int32), type=pa.int32()).cast(pa.date32()).cast(pa.string())
    return pd.Series(pd.arrays.ArrowStringArray(text))


def _add_scores(table: pd.DataFrame, *, has_amounts: bool) -> None:
    table["r_score"] = quintile_scores(table["recency_days"].to_numpy(), higher_is_better=False)
    table["f_score"] = quintile_scores(table["frequency"].to_numpy())
    if has_amounts:
        table["m_score"] = quintile_scores(table["monetary"].to_numpy())
    table["rfm_segment"] = rfm_segments(table["r_score"].to_numpy(), table["f_score"].to_numpy())


# ---------------------------------------------------------------- what was left out and why

NOTE_NO_KEY = "no customer key"
NOTE_NO_DATE = "no date"
NOTE_ONLY_RETURNS = "the customer has only cancellations or returns"


def _line_notes(facts: LineFacts, line_customer: np.ndarray) -> np.ndarray:
    notes = np.full(len(line_customer), "", dtype=object)
    notes[line_customer < 0] = NOTE_ONLY_RETURNS
    notes[facts.day < 0] = NOTE_NO_DATE
    notes[facts.customer < 0] = NOTE_NO_KEY
    return notes


def _counted(code: str, *, count: int, **fields: Any) -> Problem:
    """A problem about ``count`` lines or customers; templates show the count as ``n``."""
    return Problem.of(code, count=count, n=count, **fields)


def _money(facts: LineFacts, mask: np.ndarray) -> float:
    return 0.0 if facts.amount is None else float(np.nansum(np.abs(facts.amount[mask])))


def _line_problems(
    dataset: Dataset, mapping: OrderMapping, facts: LineFacts, dates: ParsedDates
) -> list[Problem]:
    problems = [Problem.of("orders-dates-read", column=mapping.date, how=dates.describe())]
    blank = _blank_lines(dataset, facts.customer < 0)
    if blank.any():
        problems.append(_counted("orders-blank-lines", count=int(blank.sum())))
    no_key = (facts.customer < 0) & ~blank
    if no_key.any():
        problems.append(_counted("orders-no-key", column=mapping.customer, count=int(no_key.sum())))
    no_date = (facts.day < 0) & ~no_key
    if no_date.any():
        examples = ", ".join(map(repr, dates.failed_examples)) or "empty cells"
        problems.append(
            _counted("orders-no-date", column=mapping.date, count=int(no_date.sum()), examples=examples)
        )
    if facts.cancelled.any():
        problems.append(
            _counted(
                "orders-cancelled", column=mapping.status, count=int(facts.cancelled.sum()),
                amount=_money(facts, facts.cancelled),
            )
        )  # fmt: skip
    if facts.credit.any():
        problems.append(
            _counted("orders-returns", count=int(facts.credit.sum()), amount=_money(facts, facts.credit))
        )
    if facts.spread:
        problems.append(_counted("orders-order-level", count=facts.spread))
    # A format of the whole column: its first cells show it.
    if pc.any(pc.match_substring_regex(as_text(dataset.raw[mapping.date].head(10_000)), UTC_OFFSET)).as_py():
        problems.append(Problem.of("orders-utc-offset", column=mapping.date))
    if facts.amount is None:
        problems.append(Problem.of("orders-no-amount"))
    elif np.isnan(facts.amount).any():
        problems.append(_counted("orders-amount-missing", count=int(np.isnan(facts.amount).sum())))
    return problems


def _blank_lines(dataset: Dataset, candidates: np.ndarray) -> np.ndarray:
    """Lines whose every cell is empty (told once as blank, not as lines without a customer).

    Only ``candidates`` (lines without a customer) are looked at: a blank line has none.
    """
    blank = candidates.copy()
    rows = np.flatnonzero(candidates)
    for name in dataset.raw.columns:
        blank[rows] &= (dataset.raw[name].iloc[rows] == "").to_numpy(dtype=bool)
    return blank


def _customer_problems(facts: LineFacts, line_customer: np.ndarray) -> list[Problem]:
    orphans = (line_customer < 0) & (facts.customer >= 0) & (facts.day >= 0)
    if not orphans.any():
        return []
    n_customers = len(np.unique(facts.customer[orphans]))
    return [_counted("orders-only-returns", count=n_customers, n_lines=int(orphans.sum()))]


# Suggested features for segmenting the customers table (not the key, the dates, or the derived scores).
CUSTOMER_FEATURES = (
    "recency_days",
    "frequency",
    "monetary",
    "average_order_value",
    "tenure_days",
    "orders_per_month",
    "distinct_products",
)


def customer_features(table: pd.DataFrame) -> list[str]:
    """The measures of ``table`` worth clustering on, in ``CUSTOMER_FEATURES`` order."""
    return [name for name in CUSTOMER_FEATURES if name in table.columns]
