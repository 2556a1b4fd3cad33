"""Shop platforms' exports recognised by their column layouts: Shopify, WooCommerce, UCI Online Retail.

A platform's export names its columns the same way in every shop, so a file
holding a platform's tell-tale columns is read with that platform's roles
(Shopify's customer is ``Email``, its order ``Name``, its date ``Created at``).
Headers are compared by their key (case, spaces and punctuation ignored), so
``Lineitem quantity`` and ``LINEITEM_QUANTITY`` are one column. Each role lists
candidates in order; the first present column plays it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..prepare.roles import column_key


@dataclass(frozen=True)
class Platform:
    """An export layout: the columns that identify it and the candidates for each role."""

    name: str
    identifying: frozenset[str]
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def matches(self, keys: set[str]) -> bool:
        return self.identifying <= keys


def _keys(*names: str) -> tuple[str, ...]:
    return tuple(column_key(name) for name in names)


PLATFORMS = (
    Platform(
        "Shopify orders export",
        frozenset(
            _keys("Name", "Email", "Financial Status", "Created at", "Lineitem quantity", "Lineitem price")
        ),
        {
            "customer": _keys("Customer ID", "Email"),
            "order": _keys("Name"),
            "date": _keys("Created at"),
            "quantity": _keys("Lineitem quantity"),
            "price": _keys("Lineitem price"),
            "product": _keys("Lineitem sku", "Lineitem name"),
            "status": _keys("Financial Status"),
            "amount": (),  # Total is order-level (first line only): line values are quantity × price
        },
    ),
    Platform(
        "WooCommerce orders export",
        frozenset(_keys("Order Number", "Order Status", "Order Date", "Item Name")),
        {
            "customer": _keys(
                "Customer User ID", "Customer ID", "Email (Billing)", "Billing Email", "Customer Email"
            ),
            "order": _keys("Order Number", "Order ID"),
            "date": _keys("Order Date"),
            "quantity": _keys("Quantity (- Refund)", "Quantity", "Qty"),
            "price": _keys("Item Cost", "Item Price", "Cost"),
            "product": _keys("SKU", "Product ID", "Item Name"),
            "status": _keys("Order Status"),
            "amount": (),  # Order Total Amount is order-level
        },
    ),
    Platform(
        "Olist orders (items, orders and customers joined)",
        frozenset(_keys("order_id", "order_item_id", "order_purchase_timestamp")),
        {
            # customer_id is one per order in Olist; customer_unique_id is the person.
            "customer": _keys("customer_unique_id", "customer_id"),
            "order": _keys("order_id"),
            "date": _keys("order_purchase_timestamp"),
            "price": _keys("price"),
            "product": _keys("product_id"),
            "status": _keys("order_status"),
            "amount": (),  # one row per item: the price is the line's value
            "quantity": (),
        },
    ),
    Platform(
        "UCI Online Retail",
        frozenset(_keys("StockCode", "Quantity", "InvoiceDate")),
        {
            "customer": _keys("CustomerID", "Customer ID"),
            "order": _keys("InvoiceNo", "Invoice"),
            "date": _keys("InvoiceDate"),
            "quantity": _keys("Quantity"),
            "price": _keys("UnitPrice", "Price"),
            "product": _keys("StockCode"),
            "amount": (),
        },
    ),
)


@dataclass(frozen=True)
class Recognised:
    """A platform found in a file's header, the column playing each role, and the roles it settles.

    ``settled`` roles are not guessed from other columns even when the platform
    has no column for them (Shopify's ``Total`` is no line amount).
    """

    platform: str
    roles: dict[str, str]
    settled: frozenset[str] = frozenset()


def recognise(columns: Sequence[str]) -> Recognised | None:
    """The first platform whose identifying columns the header has, with its roles; else None."""
    by_key: dict[str, str] = {}
    for name in columns:
        by_key.setdefault(column_key(name), name)
    for platform in PLATFORMS:
        if not platform.matches(set(by_key)):
            continue
        roles = {}
        for role, candidates in platform.roles.items():
            found = next((by_key[key] for key in candidates if key in by_key), None)
            if found is not None:
                roles[role] = found
        if "customer" in roles and "date" in roles:
            return Recognised(platform.name, roles, frozenset(platform.roles))
    return None
