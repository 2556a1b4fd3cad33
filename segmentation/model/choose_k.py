"""Help choose the number of segments: quality and stability across k.

For each k the same model is fitted and scored by inertia (the elbow),
silhouette, Calinski-Harabasz, Davies-Bouldin, and stability: how much the
segments agree (adjusted Rand index) when the model is refitted on bootstrap
samples. Large files are scored on a seeded sample, which keeps the whole
sweep within seconds and changes the scores very little.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn import config_context
from sklearn.cluster import KMeans
from sklearn.metrics import (
    adjusted_rand_score,
    calinski_harabasz_score,
    davies_bouldin_score,
    silhouette_score,
)

from ..prepare.validation import FeatureData
from .kmeans import build_preprocessor, model_input
from .settings import DEFAULT_SCALING, DEFAULT_SEED, K_MAX, K_MIN, Scaling

Progress = Callable[[float, str], None]
SILHOUETTE_SAMPLE = 10_000
FIT_SAMPLE = 100_000
STABILITY_SAMPLE = 20_000
STABLE = 0.8
# scikit-learn computes the silhouette's pairwise distances in blocks of at most
# this many MB; its default (1 GB) would hold all 10,000 x 10,000 distances at
# once, 760 MB that a server with several sessions cannot spare. Same scores.
SCORING_MEMORY_MB = 64
SILHOUETTE_TIE = 0.01  # silhouettes closer than this to the best are a tie


@dataclass
class KChoice:
    """Scores per k, the suggested k and why: what ``evaluate_k`` returns.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per k (the index): ``inertia``, ``silhouette``,
        ``calinski_harabasz``, ``davies_bouldin`` and ``stability`` (mean
        adjusted Rand index over bootstrap refits; NaN where a score cannot be computed).
    suggested_k : int
        The k with the best silhouette among the stable ones (see ``suggest_k``).
    reason : str
        Why that k is suggested, in a sentence for the user.
    n_rows_scored : int
        Rows the models were fitted on (a seeded sample of large files).
    """

    table: pd.DataFrame  # index k; inertia, silhouette, calinski_harabasz, davies_bouldin, stability
    suggested_k: int
    reason: str
    n_rows_scored: int


def evaluate_k(
    data: FeatureData,
    *,
    k_min: int = K_MIN,
    k_max: int = K_MAX,
    scaling: Scaling = DEFAULT_SCALING,
    random_state: int = DEFAULT_SEED,
    n_bootstrap: int = 3,
    progress: Progress | None = None,
) -> KChoice:
    """Score k from ``k_min`` to ``k_max`` and suggest one.

    Helps the user choose the number of segments: each k is fitted on the
    same encoded input as the final model (without held-out extreme rows) and
    scored for quality and stability. Files over 100,000 rows are scored on a
    seeded sample.

    Parameters
    ----------
    data : FeatureData
        Model input, from ``prepare`` or ``select_and_prepare``.
    k_min, k_max : int, default 2 and 10
        The range of k; ``k_max`` is lowered to the number of usable rows minus one.
    scaling : {"standard", "robust", "minmax", "none"}, default "standard"
        As for ``fit_segments``.
    random_state : int, default 42
        Seed of the samples and of KMeans.
    n_bootstrap : int, default 3
        Bootstrap refits per k for the stability score.
    progress : callable, optional
        ``progress(fraction, message)`` is called after each k, for a progress bar.

    Returns
    -------
    KChoice

    Raises
    ------
    ValueError
        Unless ``2 <= k_min <= k_max`` (after lowering ``k_max``), or for an unknown ``scaling``.
    """
    data = data.for_fit()  # rows with extreme values are scored as the model is fitted: without them
    k_max = min(k_max, data.n_usable - 1)
    if k_min < 2 or k_max < k_min:
        raise ValueError(f"need 2 <= k_min <= k_max < number of usable rows, got {k_min}..{k_max}")
    rng = np.random.default_rng(random_state)
    encoded = build_preprocessor(data, scaling=scaling).fit_transform(model_input(data))
    encoded = _sample(np.asarray(encoded, dtype=np.float64), FIT_SAMPLE, rng)
    silhouette_rows = _sample_index(len(encoded), SILHOUETTE_SAMPLE, rng)
    reference = encoded[_sample_index(len(encoded), STABILITY_SAMPLE, rng)]
    boot_size = min(len(encoded), STABILITY_SAMPLE)
    boots = [rng.integers(0, len(encoded), boot_size) for _ in range(n_bootstrap)]

    rows = []
    ks = range(k_min, k_max + 1)
    for step, k in enumerate(ks, start=1):
        with config_context(working_memory=SCORING_MEMORY_MB):  # this thread only
            rows.append(_score(encoded, k, silhouette_rows, reference, boots, random_state))
        if progress:
            progress(step / len(ks), f"k = {k} scored ({step} of {len(ks)})")
    table = pd.DataFrame(rows).set_index("k")
    suggested, reason = suggest_k(table)
    return KChoice(table=table, suggested_k=suggested, reason=reason, n_rows_scored=len(encoded))


def _score(
    encoded: np.ndarray,
    k: int,
    silhouette_rows: np.ndarray,
    reference: np.ndarray,
    boots: list[np.ndarray],
    seed: int,
) -> dict[str, float]:
    kmeans = KMeans(n_clusters=k, n_init=2, random_state=seed).fit(encoded)
    labels = kmeans.labels_
    sil_x, sil_labels = encoded[silhouette_rows], labels[silhouette_rows]
    # Stability: refit on bootstrap samples and compare how each refit labels
    # the same reference customers with how the full fit labels them.
    expected = kmeans.predict(reference)
    agreement = [
        adjusted_rand_score(
            expected,
            KMeans(n_clusters=k, n_init=2, random_state=seed + i).fit(encoded[rows]).predict(reference),
        )
        for i, rows in enumerate(boots, start=1)
    ]
    return {
        "k": k,
        "inertia": float(kmeans.inertia_),
        "silhouette": _safe(silhouette_score, sil_x, sil_labels),
        "calinski_harabasz": _safe(calinski_harabasz_score, encoded, labels),
        "davies_bouldin": _safe(davies_bouldin_score, encoded, labels),
        "stability": float(np.mean(agreement)) if agreement else float("nan"),
    }


def _safe(metric: Callable[..., float], x: np.ndarray, labels: np.ndarray) -> float:
    """Metrics need at least two distinct labels; duplicated points can give fewer."""
    return float(metric(x, labels)) if 1 < len(np.unique(labels)) < len(x) else float("nan")


def suggest_k(table: pd.DataFrame) -> tuple[int, str]:
    """The k with the best silhouette among the stable ones (all, if none is stable).

    Silhouettes within ``SILHOUETTE_TIE`` of the best count as a tie: merging two
    close groups barely changes the silhouette, so among tied k the one with the
    best Calinski-Harabasz score (between- over within-segment spread) wins.
    """
    stable = table[table["stability"] >= STABLE]
    pool = stable if not stable.empty else table
    scores = pool["silhouette"].dropna()
    if scores.empty:
        k = int(pool.index[0])
        return k, f"k = {k}: no k could be scored by silhouette, so the smallest is suggested."
    tied = pool.loc[scores.index[scores >= scores.max() - SILHOUETTE_TIE], "calinski_harabasz"].dropna()
    k = int(tied.index[int(tied.argmax())] if len(tied) > 1 else scores.index[int(scores.argmax())])
    row = table.loc[k]
    best = (
        f"has the best silhouette ({row['silhouette']:.2f})"
        if row["silhouette"] >= scores.max()
        else f"has a silhouette ({row['silhouette']:.2f}) as good as the best ({scores.max():.2f}) "
        f"and the best Calinski-Harabasz score of those"
    )
    if stable.empty:
        return k, (
            f"k = {k} {best}, but no k gives stable "
            f"segments (best stability {table['stability'].max():.2f}): the data may have no clear groups."
        )
    return k, (
        f"k = {k} {best} among the k whose segments "
        f"are stable across refits (stability {row['stability']:.2f})."
    )


def _sample_index(n: int, size: int, rng: np.random.Generator) -> np.ndarray:
    return np.sort(rng.choice(n, size, replace=False)) if n > size else np.arange(n)


def _sample(x: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    return x[_sample_index(len(x), size, rng)]
