"""A customer file someone else prepared: markup in its name, a header and a category value."""

from __future__ import annotations

import csv
import io

NAME = "[report](http--evil.example-f) <img src=x onerror=alert(1)>.csv"
HEADER = '<a href="http://evil.example/h">income</a>'
GOLD = "<a href='http://evil.example/c'>gold</a>"


def hostile_csv(n: int = 90) -> bytes:
    """Customers with a hostile header and category value; three clear groups."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["customer_id", HEADER, "visits", "tier"])
    for i in range(n):
        group = i % 3
        writer.writerow(
            [f"C{i:04d}", 20 + 30 * group + i % 7, 3 + 4 * group + i % 3, (GOLD, "silver", "bronze")[group]]
        )
    return out.getvalue().encode()
