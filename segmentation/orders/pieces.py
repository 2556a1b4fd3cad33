"""Order lines that come in pieces: items, orders and customers in separate tables (as Olist's).

Items name their order but not its customer; an orders table maps each order
to its customer and date; a customers table may map that customer id to the
person (Olist's ``customer_unique_id``). The tables are joined, items first,
on the column they share whose values key the other table, and each join
says which key it used and how many item rows found their match.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from ..prepare.columns import analyze_table
from ..prepare.dataset import Dataset
from ..prepare.roles import column_key, customer_key_candidates, order_column
from ..report.errors import SegmentationError


@dataclass(frozen=True)
class JoinStep:
    """One join: the table joined, the key column shared, and how many rows found a match."""

    table: str
    key: str
    n_rows: int
    n_matched: int

    def describe(self) -> str:
        return f"joined the {self.table} table on {self.key!r}: {self.n_matched:,} of {self.n_rows:,} rows matched"


@dataclass
class JoinedLines:
    """The order lines with their orders' (and customers') columns, and how they were joined."""

    dataset: Dataset
    steps: list[JoinStep]

    def describe(self) -> list[str]:
        return [step.describe() for step in self.steps]


def shared_key(lines: pd.DataFrame, other: pd.DataFrame) -> str | None:
    """The column both tables have (same name, or same key) that is a key of ``other`` and matches most lines.

    A key of ``other``: its non-empty values are unique there (one order per
    order id). None when no shared column matches any line.
    """
    other_by_key = {column_key(name): name for name in other.columns}
    best: tuple[int, str] | None = None
    for name in lines.columns:
        match = other_by_key.get(column_key(name))
        if match is None:
            continue
        values = other[match][other[match] != ""]
        if values.duplicated().any():
            continue
        n_matched = int(lines[name].isin(set(values)).sum())
        if n_matched and (best is None or n_matched > best[0]):
            best = (n_matched, name)
    return None if best is None else best[1]


def join_pieces(lines: Dataset, orders: Dataset | None, customers: Dataset | None = None) -> JoinedLines:
    """Order lines with the columns of their order (and its customer), joined on shared keys.

    Raises ``SegmentationError("orders-no-shared-key")`` when a table shares
    no key column with the lines.
    """
    raw = lines.raw
    steps = []
    for label, table in (("orders", orders), ("customers", customers)):
        if table is None:
            continue
        raw, step = _join(raw, table.raw, label)
        steps.append(step)
    report = dataclasses.replace(
        lines.read_report, header=tuple(raw.columns), n_columns=raw.shape[1], renamed_columns={}
    )
    columns = analyze_table(raw, delimiter=report.delimiter)
    return JoinedLines(
        Dataset(raw=raw, read_report=report, columns=columns, line_numbers=lines.line_numbers), steps
    )


def _join(raw: pd.DataFrame, other: pd.DataFrame, label: str) -> tuple[pd.DataFrame, JoinStep]:
    key = shared_key(raw, other)
    if key is None:
        raise SegmentationError(
            "orders-no-shared-key", table=label, columns=", ".join(map(repr, other.columns))
        )
    other_key = next(name for name in other.columns if column_key(name) == column_key(key))
    right = other[other[other_key] != ""].rename(columns={other_key: key})
    added = [name for name in right.columns if name != key and name not in raw.columns]
    joined = raw.merge(right[[key, *added]], on=key, how="left", validate="many_to_one")
    n_matched = int(raw[key].isin(set(right[key])).sum())
    for name in added:
        joined[name] = joined[name].fillna("").astype(pd.StringDtype("pyarrow"))
    return joined, JoinStep(label, key, len(raw), n_matched)


def missing_table(dataset: Dataset) -> str | None:
    """The order column of lines that name their order but have neither a customer nor a date, else None.

    Such lines (Olist's order items) need the orders table of their export.
    """
    from .lines import propose_mapping

    if propose_mapping(dataset) is not None:
        return None
    infos = {name: column.info for name, column in dataset.columns.items()}
    if customer_key_candidates(infos):
        return None
    return order_column(infos)
