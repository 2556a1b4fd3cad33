"""Exports of shop platforms, made by code with the platforms' real column layouts.

Shopify's orders export has one row per line item; order-level fields (totals,
financial status, addresses) are filled on an order's first line only, while
``Name`` (the order, ``#1001``), ``Email`` and ``Created at`` (with its UTC
offset) are on every line. Its customers export has one row per customer.
WooCommerce's common order export ("Advanced Order Export") writes one row per
item with order fields on the first row only; UCI's Online Retail has one row
per invoice line, credit notes numbered ``C…`` and ``NA`` for unknown customers.
"""

from __future__ import annotations

import csv
import io
import random

SHOPIFY_ORDERS = [
    "Name",
    "Email",
    "Financial Status",
    "Paid at",
    "Fulfillment Status",
    "Fulfilled at",
    "Accepts Marketing",
    "Currency",
    "Subtotal",
    "Shipping",
    "Taxes",
    "Total",
    "Discount Code",
    "Discount Amount",
    "Shipping Method",
    "Created at",
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem price",
    "Lineitem compare at price",
    "Lineitem sku",
    "Lineitem requires shipping",
    "Lineitem taxable",
    "Lineitem fulfillment status",
    "Billing Name",
    "Billing Street",
    "Billing Address1",
    "Billing Address2",
    "Billing Company",
    "Billing City",
    "Billing Zip",
    "Billing Province",
    "Billing Country",
    "Billing Phone",
    "Shipping Name",
    "Shipping Street",
    "Shipping Address1",
    "Shipping Address2",
    "Shipping Company",
    "Shipping City",
    "Shipping Zip",
    "Shipping Province",
    "Shipping Country",
    "Shipping Phone",
    "Notes",
    "Note Attributes",
    "Cancelled at",
    "Payment Method",
    "Payment Reference",
    "Refunded Amount",
    "Vendor",
    "Id",
    "Tags",
    "Risk Level",
    "Source",
    "Lineitem discount",
]
SHOPIFY_CUSTOMERS = [
    "Customer ID",
    "First Name",
    "Last Name",
    "Email",
    "Accepts Email Marketing",
    "Default Address Company",
    "Default Address Address1",
    "Default Address Address2",
    "Default Address City",
    "Default Address Province Code",
    "Default Address Country Code",
    "Default Address Zip",
    "Default Address Phone",
    "Phone",
    "Accepts SMS Marketing",
    "Total Spent",
    "Total Orders",
    "Note",
    "Tax Exempt",
    "Tags",
]
WOOCOMMERCE_ORDERS = [
    "Order Number",
    "Order Status",
    "Order Date",
    "Customer Note",
    "First Name (Billing)",
    "Last Name (Billing)",
    "Company (Billing)",
    "Address 1&2 (Billing)",
    "City (Billing)",
    "State Code (Billing)",
    "Postcode (Billing)",
    "Country Code (Billing)",
    "Email (Billing)",
    "Phone (Billing)",
    "Payment Method Title",
    "Cart Discount Amount",
    "Order Subtotal Amount",
    "Shipping Method Title",
    "Order Shipping Amount",
    "Order Refund Amount",
    "Order Total Amount",
    "Order Total Tax Amount",
    "SKU",
    "Item #",
    "Item Name",
    "Quantity (- Refund)",
    "Item Cost",
]
ONLINE_RETAIL = [
    "InvoiceNo",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "UnitPrice",
    "CustomerID",
    "Country",
]

FIRST = ("Ann", "Bob", "Chloé", "Dev", "Eva", "Finn", "Gia", "Hugo", "Ines", "Jon")
LAST = ("Smith", "Jones", "Martin", "Patel", "Novak", "Berg", "Rossi", "Dubois", "Costa", "Kim")
PRODUCTS = (("Mug", "MUG-1", 12.0), ("Tee", "TEE-2", 25.0), ("Cap", "CAP-3", 18.5), ("Bag", "BAG-4", 40.0))


def to_csv(header: list[str], rows: list[dict[str, object]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n", restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def shopify_orders(
    n_orders: int = 60, n_customers: int = 12, seed: int = 1
) -> tuple[bytes, dict[str, float]]:
    """A Shopify orders export and each customer's true spend (Σ quantity × price)."""
    pick = random.Random(seed)
    rows: list[dict[str, object]] = []
    spend: dict[str, float] = {}
    for number in range(1001, 1001 + n_orders):
        who = pick.randrange(n_customers)
        email = f"{FIRST[who % 10].lower()}.{LAST[who % 10].lower()}{who}@example.com"
        created = (
            f"2024-{pick.randint(1, 12):02d}-{pick.randint(1, 28):02d} {pick.randint(0, 23):02d}:15:00 -0500"
        )
        items = [pick.choice(PRODUCTS) for _ in range(pick.randint(1, 3))]
        quantities = [pick.randint(1, 3) for _ in items]
        subtotal = sum(q * p for q, (_, _, p) in zip(quantities, items, strict=True))
        refunded = number % 17 == 0
        if not refunded:
            spend[email] = spend.get(email, 0.0) + subtotal
        for line, ((title, sku, price), quantity) in enumerate(zip(items, quantities, strict=True)):
            row: dict[str, object] = {
                "Name": f"#{number}",
                "Email": email,
                "Created at": created,
                "Lineitem quantity": quantity,
                "Lineitem name": title,
                "Lineitem price": f"{price:.2f}",
                "Lineitem sku": sku,
                "Lineitem requires shipping": "true",
                "Lineitem taxable": "true",
                "Lineitem fulfillment status": "fulfilled",
                "Vendor": "Our Shop",
                "Lineitem discount": "0.00",
            }
            if line == 0:  # order-level fields: on the order's first line only
                row.update(
                    {
                        "Financial Status": "refunded" if refunded else "paid",
                        "Paid at": created,
                        "Fulfillment Status": "fulfilled",
                        "Accepts Marketing": "yes",
                        "Currency": "USD",
                        "Subtotal": f"{subtotal:.2f}",
                        "Shipping": "5.00",
                        "Taxes": f"{subtotal * 0.08:.2f}",
                        "Total": f"{subtotal * 1.08 + 5:.2f}",
                        "Shipping Method": "Standard",
                        "Billing Name": f"{FIRST[who % 10]} {LAST[who % 10]}",
                        "Billing Address1": f"{who + 1} Main St",
                        "Billing City": "Springfield",
                        "Billing Zip": f"0{who:04d}",
                        "Billing Country": "US",
                        "Payment Method": "Shopify Payments",
                        "Refunded Amount": f"{subtotal:.2f}" if refunded else "0.00",
                        "Id": 5000000000 + number,
                        "Risk Level": "Low",
                        "Source": "web",
                    }
                )
            rows.append(row)
    return to_csv(SHOPIFY_ORDERS, rows), spend


def shopify_customers(n: int = 10) -> bytes:
    rows = []
    for i in range(n):
        rows.append(
            {
                "Customer ID": 7000000000 + i,
                "First Name": FIRST[i % 10],
                "Last Name": LAST[(i * 3) % 10],
                "Email": f"{FIRST[i % 10].lower()}{i}@example.com",
                "Accepts Email Marketing": "yes" if i % 2 else "no",
                "Default Address Address1": f"{i + 1} High Street",
                "Default Address Address2": "Apt 2" if i % 3 == 0 else ("Suite 9" if i % 3 == 1 else ""),
                "Default Address City": ("Leeds", "York", "Bath")[i % 3],
                "Default Address Country Code": "GB",
                "Default Address Zip": f"LS{i} 1AA",
                "Phone": f"+4411300{i:04d}",
                "Accepts SMS Marketing": "no",
                "Total Spent": f"{40 + (i * 37) % 300:.2f}",
                "Total Orders": 1 + (i * 7) % 9,
                "Note": "" if i % 4 else "Prefers phone calls",
                "Tax Exempt": "no",
                "Tags": ("vip, newsletter", "wholesale", "vip", "")[i % 4],
            }
        )
    return to_csv(SHOPIFY_CUSTOMERS, rows)


def woocommerce_orders(n_orders: int = 40, n_customers: int = 8, seed: int = 2) -> bytes:
    pick = random.Random(seed)
    rows: list[dict[str, object]] = []
    for number in range(501, 501 + n_orders):
        who = pick.randrange(n_customers)
        items = [pick.choice(PRODUCTS) for _ in range(pick.randint(1, 3))]
        for line, (title, sku, price) in enumerate(items):
            row: dict[str, object] = {
                "SKU": sku,
                "Item #": line + 1,
                "Item Name": title,
                "Quantity (- Refund)": 1 + line,
                "Item Cost": f"{price:.2f}",
            }
            if line == 0:
                row.update(
                    {
                        "Order Number": number,
                        "Order Status": "Completed" if number % 9 else "Cancelled",
                        "Order Date": f"2024-{pick.randint(1, 12):02d}-{pick.randint(1, 28):02d} 10:00",
                        "First Name (Billing)": FIRST[who],
                        "Last Name (Billing)": LAST[who],
                        "Email (Billing)": f"{FIRST[who].lower()}@example.org",
                        "Phone (Billing)": f"555-01{who:02d}",
                        "Order Total Amount": f"{sum(p for _, _, p in items):.2f}",
                    }
                )
            rows.append(row)
    return to_csv(WOOCOMMERCE_ORDERS, rows)


def online_retail(n: int = 300, seed: int = 3) -> bytes:
    pick = random.Random(seed)
    rows = []
    for i in range(n):
        credit = i % 25 == 0
        rows.append(
            {
                "InvoiceNo": f"{'C' if credit else ''}{536365 + i // 3}",
                "StockCode": pick.choice(PRODUCTS)[1],
                "Description": "WHITE HANGING HEART",
                "Quantity": -1 if credit else pick.randint(1, 12),
                "InvoiceDate": f"12/{1 + i % 28}/2010 8:26",
                "UnitPrice": "2.55",
                "CustomerID": "NA" if (i // 3) % 7 == 0 else f"{17850 + (i // 3) % 20}",
                "Country": "United Kingdom",
            }
        )
    return to_csv(ONLINE_RETAIL, rows)


OLIST_ITEMS = [
    "order_id",
    "order_item_id",
    "product_id",
    "seller_id",
    "shipping_limit_date",
    "price",
    "freight_value",
]
OLIST_ORDERS = [
    "order_id",
    "customer_id",
    "order_status",
    "order_purchase_timestamp",
    "order_approved_at",
    "order_delivered_carrier_date",
    "order_delivered_customer_date",
    "order_estimated_delivery_date",
]
OLIST_CUSTOMERS = [
    "customer_id",
    "customer_unique_id",
    "customer_zip_code_prefix",
    "customer_city",
    "customer_state",
]


def olist(
    n_orders: int = 80, n_people: int = 15, seed: int = 4
) -> tuple[bytes, bytes, bytes, dict[str, float]]:
    """Olist's items, orders and customers tables (one customer_id per order) and each person's spend."""
    pick = random.Random(seed)
    items, orders, customers = [], [], []
    spend: dict[str, float] = {}
    for n in range(n_orders):
        order_id = f"{pick.getrandbits(128):032x}"
        customer_id = f"{pick.getrandbits(128):032x}"  # Olist: a new customer_id for every order
        person = f"{n % n_people:032x}"
        status = "canceled" if n % 13 == 0 else "delivered"
        when = f"2017-{1 + n % 12:02d}-{1 + n % 28:02d} 10:{n % 60:02d}:00"
        orders.append(
            {"order_id": order_id, "customer_id": customer_id, "order_status": status,
             "order_purchase_timestamp": when, "order_approved_at": when}
        )  # fmt: skip
        customers.append(
            {"customer_id": customer_id, "customer_unique_id": person, "customer_zip_code_prefix": "01310",
             "customer_city": "sao paulo", "customer_state": "SP"}
        )  # fmt: skip
        for item in range(1, pick.randint(1, 3) + 1):
            price = pick.choice((29.9, 49.0, 120.5))
            items.append(
                {"order_id": order_id, "order_item_id": item, "product_id": f"p{pick.randint(1, 9)}",
                 "seller_id": "s1", "shipping_limit_date": when, "price": f"{price:.2f}", "freight_value": "7.50"}
            )  # fmt: skip
            if status != "canceled":
                spend[person] = spend.get(person, 0.0) + price
    return to_csv(OLIST_ITEMS, items), to_csv(OLIST_ORDERS, orders), to_csv(OLIST_CUSTOMERS, customers), spend
