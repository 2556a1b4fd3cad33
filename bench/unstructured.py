"""Customers in ``generate``'s schema without any planted structure.

    python -m bench.unstructured ROWS out.csv

Every column is drawn independently and uniformly over a plausible range, and
customer ids are integers, so KMeans finds no natural groups and needs many
more iterations than on ``generate``'s personas: the hard case of the end-to-end
benchmark.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

CATEGORIES = np.array(["electronics", "fashion", "home_goods", "beauty"])


def unstructured_customers(rows: int, seed: int = 7) -> pd.DataFrame:
    """``rows`` customers with independent uniform values and integer ids 1..rows."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "customer_id": np.arange(1, rows + 1),
            "annual_income": rng.integers(15_000, 250_000, rows),
            "spending_score": rng.integers(1, 101, rows),
            "number_of_purchases": rng.integers(1, 120, rows),
            "age": rng.integers(18, 80, rows),
            "years_with_company": rng.uniform(0, 25, rows).round(1),
            "average_order_value": rng.uniform(5, 600, rows).round(2),
            "activity_per_week": rng.uniform(0, 20, rows).round(1),
            "product_category": CATEGORIES[rng.integers(0, len(CATEGORIES), rows)],
        }
    )


def write_unstructured(rows: int, path: Path) -> Path:
    unstructured_customers(rows).to_csv(path, index=False)
    return path


if __name__ == "__main__":
    write_unstructured(int(sys.argv[1]), Path(sys.argv[2]))
