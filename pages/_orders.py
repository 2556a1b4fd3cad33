"""UI for order lines: propose the column roles, build one row per customer, RFM view, exports.

When the Data page sees order lines it offers to build the customers table; that
table then becomes the current data source (kind ``"customers"``), so Segments,
Choose k and Export work on customers. The order lines and the built table are
kept here, keyed by the customers table's content, for the RFM view and for
labeling each order line with its customer's segment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from segmentation import Dataset, FeatureSelection, Segmentation, SegmentationError
from segmentation.orders.customers import ROLES, CustomerTable, build_customers, customer_features
from segmentation.orders.lines import OrderMapping, looks_like_order_lines, propose_mapping
from segmentation.report import order_views
from segmentation.report.text import markdown_text
from ui import keys, server, sources, work

NONE = "—"
REQUIRED = ("customer", "date")
ROLE_LABELS = {
    "customer": "Customer key",
    "date": "Order date",
    "order": "Order / invoice id",
    "amount": "Line amount",
    "quantity": "Quantity",
    "price": "Unit price",
    "category": "Category",
    "product": "Product",
    "status": "Status",
}


@dataclass(frozen=True)
class OrderOrigin:
    """Where a customers table came from: the order-lines source and the built table."""

    lines: sources.Source
    built: CustomerTable


# ---------------------------------------------------------------- cached core


def _proposed_mapping(key: str, dataset: Dataset) -> OrderMapping | None:
    return server.cached(("order mapping", key), lambda: propose_mapping(dataset))


def _looks_like_orders(key: str, dataset: Dataset) -> OrderMapping | None:
    return server.cached(("order lines?", key), lambda: looks_like_order_lines(dataset))


def _built(
    key: str, mapping: OrderMapping, as_of: dt.date | None, day_first: bool | None, dataset: Dataset
) -> CustomerTable:
    as_of_stamp = None if as_of is None else pd.Timestamp(as_of)
    return server.cached(
        ("customers", key, mapping, as_of, day_first),
        lambda: build_customers(dataset, mapping, as_of=as_of_stamp, day_first=day_first),
        spinner="Building one row per customer…",
    )


def origin(source: sources.Source | None = None) -> OrderOrigin | None:
    """The order lines behind the current (or given) source, when it is a built customers table."""
    source = source or sources.current_source()
    return (
        st.session_state.get(keys.ORDER_ORIGINS, {}).get(source.key) if source.kind == "customers" else None
    )


# ---------------------------------------------------------------- Data page


def is_order_lines(source: sources.Source, dataset: Dataset, proposal: FeatureSelection) -> bool:
    """The Data page's test: the feature chooser's order-lines note, or our own mapping."""
    if source.kind != "upload":
        return False
    noted = any(p.code == "order-lines" for p in proposal.notes)
    return noted or _looks_like_orders(source.key, dataset) is not None


def segmented_label(order_lines: bool) -> str:
    """What the Data page's count counts: customers, or order lines until one row per customer is built."""
    return (
        "Order lines segmented (one row per customer not built yet)" if order_lines else "Customers segmented"
    )


def order_lines_section(source: sources.Source, dataset: Dataset) -> None:
    """Say the file holds order lines; propose roles; build the customers table on request."""
    st.subheader("Order lines")
    st.info(
        "This file holds **order lines**: customers appear on several rows. Segments should group "
        "customers, so build one row per customer first (recency, frequency, monetary value, "
        "order value, tenure, products, RFM scores)."
    )
    proposal = _proposed_mapping(source.key, dataset)
    roles = proposal.roles() if proposal else {}
    options = [NONE, *dataset.raw.columns]
    chosen: dict[str, str | None] = {}
    columns = st.columns(3)
    for i, role in enumerate(ROLES):
        current = roles.get(role)
        choice = columns[i % 3].selectbox(
            ROLE_LABELS[role] + (" *" if role in REQUIRED else ""),
            options,
            index=options.index(current) if current in options else 0,
            key=f"orders_{role}_{source.key[:16]}",
        )
        chosen[role] = None if choice == NONE else choice
    as_of = st.date_input(
        "Reference date for recency (empty: the day after the last order)",
        value=None,
        key=f"orders_as_of_{source.key[:16]}",
    )
    order = st.radio(
        "Dates such as 02/04/22",
        ("decide from the file", "day first", "month first"),
        horizontal=True,
        key=f"orders_day_first_{source.key[:16]}",
        help="Decided from values over 12 when the file has some; otherwise month first is assumed and said.",
    )
    day_first = {"day first": True, "month first": False}.get(order)
    if st.button("Build one row per customer", type="primary", key=keys.ORDERS_BUILD):
        _build_and_use(source, dataset, chosen, as_of, day_first)
    _show_build_error()


def _build_and_use(
    source: sources.Source,
    dataset: Dataset,
    chosen: dict[str, str | None],
    as_of: dt.date | None,
    day_first: bool | None,
) -> None:
    st.session_state.pop(keys.ORDERS_ERROR, None)
    if not chosen["customer"] or not chosen["date"]:
        st.session_state[keys.ORDERS_ERROR] = "Choose the customer key and the order date columns."
        return
    try:
        with st.spinner("Building one row per customer…"):
            built = _built(source.key, OrderMapping(**chosen), as_of, day_first, dataset)
    except SegmentationError as exc:
        st.session_state[keys.ORDERS_ERROR] = str(exc)
        return
    use_customers(source, built)
    st.rerun()


def _show_build_error() -> None:
    error = st.session_state.get(keys.ORDERS_ERROR)
    if error:
        st.error(markdown_text(error))


def use_customers(lines: sources.Source, built: CustomerTable) -> None:
    """Make the built customers table the data source, with its measures as the proposed features."""
    data = built.to_csv(delimiter=sources.source_dataset(lines).read_report.delimiter)
    key = sources.data_key(data)
    st.session_state.setdefault(keys.ORDER_ORIGINS, {})[key] = OrderOrigin(lines, built)
    stem = f"{lines.stem}_customers"
    built_source = sources.Source(
        "customers", f"Customers from {lines.name}", data, key, file_stem=stem, parent_key=lines.key
    )
    sources.set_source(built_source)
    st.session_state[keys.FEATURES] = tuple(customer_features(built.customers))


def customers_section() -> None:
    """On the Data page, for a built customers table: how it was built and a way back."""
    found = origin()
    if found is None:
        return
    built = found.built
    st.subheader("Built from order lines")
    st.markdown(
        f"**{len(built.customers):,} customers** from {len(built.line_customer):,} order lines of "
        f"**{markdown_text(found.lines.name)}**; recency counted to **{built.as_of.date().isoformat()}**."
    )
    st.markdown("  \n".join(f"- {markdown_text(line)}" for line in built.mapping.describe()))
    for problem in built.problems:
        (st.warning if problem.severity == "warning" else st.info)(markdown_text(problem.message))
    if st.button("Back to the order lines", key=keys.ORDERS_BACK):
        sources.set_source(found.lines)
        st.rerun()


def sidebar_note() -> str | None:
    """A line for the sidebar when the data is a customers table built from order lines."""
    found = origin()
    if found is None:
        return None
    return f"One row per customer, built from {len(found.built.line_customer):,} order lines of {found.lines.name}"


# ---------------------------------------------------------------- Segments page


def rfm_view(seg: Segmentation, names: dict[int, str]) -> None:
    table = order_views.rfm_table(seg, names)
    if table is None:
        return
    st.subheader("RFM view")
    st.caption(
        "Customers of each segment by their RFM segment (recency × frequency scores, the usual map: "
        "Champions, Loyal customers, … Hibernating)."
    )
    st.dataframe(table, width="stretch", key="rfm_table")


# ---------------------------------------------------------------- Export page


def order_lines_csv(seg: Segmentation, names: dict[int, str]) -> bytes | None:
    """The original order lines, every cell as read, each with its customer's segment."""
    found = origin()
    if found is None:
        return None
    lines = sources.source_dataset(found.lines)
    return order_views.order_lines_csv(lines, found.built, seg, names)


def order_lines_download(seg: Segmentation, names: dict[int, str]) -> None:
    data = order_lines_csv(seg, names)
    if data is None:
        return
    found = origin()
    st.subheader("Order lines with their customer's segment")
    st.write(
        f"Every line of **{found.lines.name}**, every cell exactly as read, plus its customer's "
        "`segment`, `segment_name` and, for lines left out, `segment_note` saying why."
    )
    file_name = work.download_name("order_lines_segments")
    st.download_button(
        "Download order lines with segments",
        data,
        file_name=file_name,
        mime="text/csv",
        key="download_order_lines",
        on_click="ignore",
    )
    st.caption(f"{len(found.built.line_customer):,} lines · saved as {markdown_text(file_name)}")
