"""Small customer files made by code, so the suite runs on a bare clone.

The builders every test folder shares are here, once: ``csv_bytes`` (rows to a
CSV), ``customers_csv`` (``generate``'s synthetic customers), ``fitted_run`` (a
segmentation of them) and ``model_file`` (a run saved as a model file).

``mall_like_csv`` has the shape of the public Mall Customers export (zero-padded
IDs, a gender column, age, income and spending score with five planted
groups), which the page and browser tests upload as a person would.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import numpy as np

from segmentation import Segmentation, Settings, load, segment
from segmentation.io.synthetic import customers_to_csv_bytes, generate_customers

REPO = Path(__file__).resolve().parents[1]
# The public CSVs beside the checkout (../shared/datasets); tests that read them skip where absent.
DATASETS = REPO.parent / "shared" / "datasets"

MALL_LIKE_NAME = "mall_customers.csv"
MALL_LIKE_COLUMNS = ("Age", "Annual Income (k$)", "Spending Score (1-100)")
# (income centre, spending centre) of the five groups the public file is known for.
_GROUPS = ((25, 20), (25, 80), (55, 50), (90, 15), (90, 85))


def mall_like_csv(n_rows: int = 200, *, seed: int = 7) -> bytes:
    """A Mall-Customers-shaped CSV: ``CustomerID`` 0001..n, ``Genre``, age, income, spending score."""
    rng = np.random.default_rng(seed)
    group = np.arange(n_rows) % len(_GROUPS)
    centres = np.array(_GROUPS)[group]
    income = np.clip(np.rint(centres[:, 0] + rng.normal(0, 6, n_rows)), 15, 140).astype(int)
    spending = np.clip(np.rint(centres[:, 1] + rng.normal(0, 7, n_rows)), 1, 99).astype(int)
    age = rng.integers(18, 70, n_rows)
    genre = rng.choice(["Male", "Female"], n_rows)
    lines = ["CustomerID,Genre,Age,Annual Income (k$),Spending Score (1-100)"]
    lines += [f"{i + 1:04d},{genre[i]},{age[i]},{income[i]},{spending[i]}" for i in range(n_rows)]
    return ("\n".join(lines) + "\n").encode()


def csv_bytes(rows: list[list[object]], delimiter: str = ",") -> bytes:
    """``rows`` (the header first) as CSV bytes, quoted where a cell needs it, one ``\\n`` per row."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def customers_csv(n: int, *, seed: int, personas: int = 5) -> bytes:
    """``n`` synthetic customers (``generate``'s personas) as the ``generate`` command writes them."""
    return customers_to_csv_bytes(generate_customers(n, seed=seed, personas=personas))


def fitted_run(n: int, *, seed: int, **settings: Any) -> Segmentation:
    """A segmentation of ``n`` synthetic customers with ``Settings(**settings)``."""
    return segment(load(customers_csv(n, seed=seed)), Settings(**settings))


def model_file(run: Segmentation, names: dict[int, str] | None = None) -> bytes:
    """``run`` saved as a model file (skops), with segment names as edited by a person."""
    from segmentation.reuse.modelfile import model_bytes  # skops loads only for the tests that need it

    return model_bytes(run, names)


class CreatesAFile:
    """A pickle payload whose loading opens ``path`` for writing (so creates it): proof that it ran."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self):
        return (open, (str(self.path), "w"))
