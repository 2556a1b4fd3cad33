"""Synthetic customers in the seed schema, drawn from known personas.

The data serves demos and tests: each persona is a tight, well separated
blob in standardized feature space with its own dominant product category,
so KMeans with ``k = personas`` should recover the personas as clusters,
while every value stays realistic (dollars, integer scores and ages, ...).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from ..prepare.schema import PRODUCT_CATEGORIES, SEED_CATEGORICAL, SEED_ID, SEED_NUMERIC

__all__ = [
    "PERSONAS",
    "Persona",
    "customers_to_csv_bytes",
    "generate_customers",
    "generate_customers_with_personas",
]

INCOME_RANGE = (15_000, 250_000)
SCORE_RANGE = (1, 100)
AGE_RANGE = (18, 80)
DOMINANT_SHARE = 0.75
ID_PREFIX = "C"
ID_MIN_DIGITS = 7


@dataclass(frozen=True)
class Persona:
    """Distribution of one customer persona.

    Income is log-normal (``income`` is the median, ``income_sigma`` the
    log-scale spread); purchases are Poisson; the other features are normal
    with ``(mean, sd)``. ``share`` is the relative weight in the population.
    """

    name: str
    share: float
    income: float
    income_sigma: float
    spending_score: tuple[float, float]
    purchases: float
    age: tuple[float, float]
    years_with_company: tuple[float, float]
    average_order_value: tuple[float, float]
    activity_per_week: tuple[float, float]
    category: str


# The first four personas have distinct dominant categories, so any
# ``personas <= 4`` also separates on product_category.
PERSONAS: tuple[Persona, ...] = (
    Persona(
        "Affluent tech enthusiasts",
        0.14,
        165_000,
        0.15,
        (72, 7),
        38,
        (40, 6),
        (6.0, 2.0),
        (420, 60),
        (5.5, 1.2),
        "electronics",
    ),
    Persona(
        "Young fashion shoppers",
        0.15,
        38_000,
        0.18,
        (85, 5),
        60,
        (24, 3),
        (1.5, 1.0),
        (60, 12),
        (11.0, 1.8),
        "fashion",
    ),
    Persona(
        "Budget families",
        0.16,
        52_000,
        0.15,
        (36, 6),
        26,
        (41, 5),
        (8.0, 2.5),
        (85, 15),
        (3.0, 0.8),
        "home_goods",
    ),
    Persona(
        "Beauty devotees",
        0.12,
        80_000,
        0.15,
        (60, 6),
        34,
        (32, 4),
        (4.0, 1.5),
        (140, 20),
        (7.0, 1.2),
        "beauty",
    ),
    Persona(
        "Loyal seniors",
        0.13,
        68_000,
        0.15,
        (44, 6),
        20,
        (69, 5),
        (22.0, 4.0),
        (160, 30),
        (1.8, 0.6),
        "home_goods",
    ),
    Persona(
        "Occasional bargain hunters",
        0.12,
        31_000,
        0.18,
        (14, 5),
        5,
        (36, 7),
        (2.0, 1.2),
        (28, 8),
        (0.7, 0.3),
        "fashion",
    ),
    Persona(
        "Premium homemakers",
        0.09,
        125_000,
        0.15,
        (55, 6),
        16,
        (53, 5),
        (12.0, 3.0),
        (280, 40),
        (2.5, 0.7),
        "home_goods",
    ),
    Persona(
        "Gadget-curious students",
        0.09,
        24_000,
        0.15,
        (66, 6),
        45,
        (20, 1.5),
        (1.0, 0.6),
        (95, 18),
        (9.0, 1.5),
        "electronics",
    ),
)


def _persona_counts(n: int, shares: np.ndarray) -> np.ndarray:
    """Split ``n`` rows by ``shares`` exactly (largest remainder)."""
    exact = n * shares / shares.sum()
    counts = np.floor(exact).astype(np.int64)
    remainder_order = np.argsort(-(exact - counts), kind="stable")
    counts[remainder_order[: n - counts.sum()]] += 1
    return counts


def _customer_ids(n: int) -> pa.Array:
    """``C0000001``, ``C0000002``, ... built with Arrow kernels (fast)."""
    width = max(ID_MIN_DIGITS, len(str(n)))
    numbers = pc.cast(pa.array(np.arange(1, n + 1, dtype=np.int64)), pa.string())
    return pc.binary_join_element_wise(ID_PREFIX, pc.utf8_lpad(numbers, width, "0"), "")


def _text_series(values: pa.Array) -> pd.Series:
    """Wrap an Arrow string array as pandas' default ``str`` dtype."""
    return pd.Series(values, dtype=pd.StringDtype("pyarrow", na_value=np.nan))


def _normal(rng: np.random.Generator, params: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """One normal draw per row from the (mean, sd) of that row's persona."""
    return params[labels, 0] + params[labels, 1] * rng.standard_normal(labels.size)


def generate_customers_with_personas(
    n: int = 100, *, seed: int = 42, personas: int = 5
) -> tuple[pd.DataFrame, np.ndarray]:
    """Like :func:`generate_customers`, plus the true persona index per row.

    The index refers to ``PERSONAS``; tests use it to check that clustering
    recovers the personas.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}")
    if (
        isinstance(personas, bool)
        or not isinstance(personas, (int, np.integer))
        or not (1 <= personas <= len(PERSONAS))
    ):
        raise ValueError(f"personas must be an integer in 1..{len(PERSONAS)}, got {personas!r}")
    n, personas = int(n), int(personas)

    table = PERSONAS[:personas]
    rng = np.random.default_rng(seed)
    counts = _persona_counts(n, np.array([p.share for p in table]))
    labels = rng.permutation(np.repeat(np.arange(personas), counts))

    def params(field: str) -> np.ndarray:
        return np.array([getattr(p, field) for p in table], dtype=np.float64)

    log_income_params = np.column_stack([np.log(params("income")), params("income_sigma")])
    log_income = _normal(rng, log_income_params, labels)
    income = np.clip(np.rint(np.exp(log_income)), *INCOME_RANGE).astype(np.int64)
    spending = np.clip(np.rint(_normal(rng, params("spending_score"), labels)), *SCORE_RANGE).astype(np.int64)
    purchases = rng.poisson(params("purchases")[labels]).astype(np.int64)
    age = np.clip(np.rint(_normal(rng, params("age"), labels)), *AGE_RANGE).astype(np.int64)
    # Nobody has been a customer since before turning 18.
    years = np.clip(_normal(rng, params("years_with_company"), labels), 0.0, age - AGE_RANGE[0])
    years = np.round(years, 1)
    order_value = np.round(np.clip(_normal(rng, params("average_order_value"), labels), 5.0, None), 2)
    activity = np.round(np.clip(_normal(rng, params("activity_per_week"), labels), 0.0, None), 1)

    dominant = np.array([PRODUCT_CATEGORIES.index(p.category) for p in table])[labels]
    # Any of the other three categories, uniformly, for the non-dominant rows.
    other = (dominant + rng.integers(1, len(PRODUCT_CATEGORIES), size=n)) % len(PRODUCT_CATEGORIES)
    category_codes = np.where(rng.random(n) < DOMINANT_SHARE, dominant, other)
    categories = pa.array(PRODUCT_CATEGORIES).take(pa.array(category_codes))

    columns = dict(
        zip(SEED_NUMERIC, (income, spending, purchases, age, years, order_value, activity), strict=True)
    )
    # copy=False: the arrays are ours alone, so skip consolidating them into blocks.
    frame = pd.DataFrame(
        {SEED_ID: _text_series(_customer_ids(n)), **columns, SEED_CATEGORICAL: _text_series(categories)},
        copy=False,
    )
    return frame, labels


def generate_customers(n: int = 100, *, seed: int = 42, personas: int = 5) -> pd.DataFrame:
    """``n`` synthetic customers in the seed schema, from the first ``personas`` personas.

    For demos, tests and benchmarks: each persona is a well separated group,
    so KMeans with ``k = personas`` should find them, while the values stay
    realistic (dollars, integer scores and ages, ...).

    Parameters
    ----------
    n : int, default 100
        Number of customers.
    seed : int, default 42
        Random seed; the same seed gives the same customers.
    personas : int, default 5
        How many of ``PERSONAS`` to draw from, 1 to ``len(PERSONAS)``.

    Returns
    -------
    pandas.DataFrame
        ``customer_id``, then the seven numeric features, then ``product_category``.

    Raises
    ------
    ValueError
        Unless ``n >= 0`` and ``1 <= personas <= len(PERSONAS)`` are integers.

    Examples
    --------
    >>> from segmentation import generate_customers
    >>> customers = generate_customers(10, seed=1)
    >>> customers.shape
    (10, 9)
    >>> list(customers.columns[:3])
    ['customer_id', 'annual_income', 'spending_score']
    """
    frame, _ = generate_customers_with_personas(n, seed=seed, personas=personas)
    return frame


def customers_to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8, comma-separated CSV of ``df`` without the index.

    Uses Arrow's CSV writer (several times faster than ``DataFrame.to_csv``
    on a million rows); it quotes every string cell, which readers undo.
    """
    table = pa.Table.from_pandas(df, preserve_index=False)
    sink = pa.BufferOutputStream()
    pa_csv.write_csv(table, sink, pa_csv.WriteOptions(batch_size=64 * 1024))
    return sink.getvalue().to_pybytes()
