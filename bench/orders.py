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
import pyarrow as pa
import pyarrow.compute as pc

from segmentation.io.reader import ReadReport
from segmentation.orders.customers import build_customers
from segmentation.orders.lines import propose_mapping
from segmentation.prepare.columns import analyze_table
from segmentation.prepare.dataset import Dataset, load

CATEGORIES = np.array(["Toys", "Books", "Garden", "Kitchen", "Sports", "Music", "Beauty", "Office"])


def order_lines_frame(n: int, seed: int = 7) -> pd.DataFrame:
    """``n`` synthetic order lines as text cells, like a real export (built with Arrow, in seconds)."""
    rng = np.random.default_rng(seed)
    n_orders, n_customers = max(n // 4, 1), max(n // 20, 1)
    order = pa.array(np.sort(rng.integers(0, n_orders, n)))
    # Per order: its customer and one time (its lines share it), to the minute, over two years.
    customers = pc.utf8_lpad(pa.array(rng.integers(0, n_customers, n_orders)).cast(pa.string()), 6, "0")
    minutes = pa.array(rng.integers(0, 730 * 24 * 60, n_orders) * 60 + 1_640_995_200, pa.timestamp("s"))
    padded = pc.strftime(minutes, format="%m/%d/%Y %H:%M")
    dates = pc.replace_substring_regex(padded, r"(^|/| )0(\d)", r"\1\2")  # 2/24/2003 0:05, as exports write
    quantity = rng.integers(1, 10, n)
    returned = rng.random(n) < 0.02
    quantity[returned] *= -1
    no_key = pa.array(rng.random(n) < 0.005)
    invoice = pc.cast(pc.add(order, 100_000), pa.string())
    columns = {
        "CustomerID": pc.if_else(no_key, "", customers.take(order)),
        "InvoiceNo": pc.if_else(pa.array(returned), pc.binary_join_element_wise("C", invoice, ""), invoice),
        "InvoiceDate": dates.take(order),
        "StockCode": pa.array(rng.integers(10_000, 13_000, n)).cast(pa.string()),
        "Category": pa.array(CATEGORIES[rng.integers(0, len(CATEGORIES), n)]),
        "Quantity": pa.array(quantity).cast(pa.string()),
        "UnitPrice": pa.array(np.round(rng.gamma(2.0, 5.0, n), 2)).cast(pa.string()),
        "Status": pa.array(np.where(rng.random(n) < 0.01, "Cancelled", "Shipped")),
    }
    return pd.DataFrame(
        {name: pd.arrays.ArrowStringArray(text.cast(pa.string())) for name, text in columns.items()}
    )


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
        cpu = time.process_time()
        mapping = propose_mapping(dataset)
        mapped = time.perf_counter()
        built = build_customers(dataset, mapping)
        done = time.perf_counter()
        cpu = time.process_time() - cpu
    print(
        json.dumps(
            {
                "rows": rows,
                "customers": len(built.customers),
                "load_seconds": loaded - start,
                "mapping_seconds": mapped - loaded,
                "build_seconds": done - mapped,
                "to_customers_seconds": done - loaded,
                "to_customers_cpu_seconds": cpu,
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
