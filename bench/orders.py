"""Order lines to customers: wall time of propose_mapping + build_customers on a loaded file.

    python -m bench.orders [ROWS]     (default 1,000,000 order lines)

Writes synthetic order lines (about 20 lines per customer, 4 per order, 2 % returns,
1 % cancelled, 0.5 % without a customer, ``2/24/2003 13:05`` dates) to a CSV,
loads it as the CLI does (timed apart), then times the mapping and the customers
table, the step with the ≤ 2 s target. Prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from segmentation.columns import analyze_table
from segmentation.dataset import Dataset, load
from segmentation.orders import build_customers, propose_mapping
from segmentation.reader import ReadReport

CATEGORIES = np.array(["Toys", "Books", "Garden", "Kitchen", "Sports", "Music", "Beauty", "Office"])


def order_lines_frame(n: int, seed: int = 7) -> pd.DataFrame:
    """``n`` synthetic order lines as text cells, like a real export."""
    rng = np.random.default_rng(seed)
    n_orders, n_customers = max(n // 4, 1), max(n // 20, 1)
    order = np.sort(rng.integers(0, n_orders, n))
    order_customer = rng.integers(0, n_customers, n_orders)
    order_day = np.datetime64("2022-01-01") + rng.integers(0, 730, n_orders).astype("timedelta64[D]")
    stamp = pd.to_datetime(order_day[order]) + pd.to_timedelta(
        rng.integers(0, 86_400, n) // 60 * 60, unit="s"
    )
    quantity = rng.integers(1, 10, n)
    returned = rng.random(n) < 0.02
    quantity[returned] *= -1
    customer = pd.Series(order_customer[order]).map("{:06d}".format)
    customer[rng.random(n) < 0.005] = ""
    invoice = pd.Series(order + 100_000).astype(str)
    invoice[returned] = "C" + invoice[returned]
    status = np.where(rng.random(n) < 0.01, "Cancelled", "Shipped")
    frame = pd.DataFrame(
        {
            "CustomerID": customer,
            "InvoiceNo": invoice,
            "InvoiceDate": stamp.strftime("%-m/%-d/%Y %-H:%M"),
            "StockCode": pd.Series(rng.integers(10_000, 13_000, n)).astype(str),
            "Category": CATEGORIES[rng.integers(0, len(CATEGORIES), n)],
            "Quantity": quantity.astype(str),
            "UnitPrice": np.round(rng.gamma(2.0, 5.0, n), 2).astype(str),
            "Status": status,
        }
    )
    return frame.astype("string[pyarrow]")


def order_lines_dataset(n: int, seed: int = 7) -> Dataset:
    """The same lines as a loaded ``Dataset`` (without writing a file)."""
    raw = order_lines_frame(n, seed)
    report = ReadReport("UTF-8", ",", "LF", True, False, len(raw), raw.shape[1])
    return Dataset(raw=raw, read_report=report, columns=analyze_table(raw))


def main(rows: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "order_lines.csv"
        order_lines_frame(rows).to_csv(path, index=False)
        start = time.perf_counter()
        dataset = load(path, max_bytes=1 << 40)
        loaded = time.perf_counter()
        mapping = propose_mapping(dataset)
        mapped = time.perf_counter()
        built = build_customers(dataset, mapping)
        done = time.perf_counter()
    print(
        json.dumps(
            {
                "rows": rows,
                "customers": len(built.customers),
                "load_seconds": loaded - start,
                "mapping_seconds": mapped - loaded,
                "build_seconds": done - mapped,
                "to_customers_seconds": done - loaded,
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
