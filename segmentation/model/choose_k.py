"""Help choose the number of segments: quality and stability across k.

For each k the same model is fitted and scored by inertia (the elbow),
silhouette, Calinski-Harabasz, Davies-Bouldin, and stability: how much the
segments agree (adjusted Rand index) when the model is refitted on bootstrap
samples. Large files are scored on a seeded sample, which keeps the whole
sweep within seconds and changes the scores very little.

Speed: the silhouette (pairwise distances, quadratic in rows) is computed on
a seeded sample of ``SILHOUETTE_SAMPLE`` rows, within about 0.005 of its value
on every row; and the sweep's many small fits run on one thread. KMeans'
OpenMP threads wait for each other actively, so on a busy machine (other
sessions, other programs) a fit of 10,000 rows took 0.9 s on two threads and
0.07 s on one. So each k is scored on one thread, and two k at a time on two
Python threads (KMeans and the distances release the GIL). The sweep of the
10k-row churn export went from 60 s to about 3 s.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

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
from threadpoolctl import threadpool_limits

from ..prepare.validation import FeatureData
from .kmeans import SegmentResult, build_preprocessor, model_input
from .settings import DEFAULT_SCALING, DEFAULT_SEED, K_MAX, K_MIN, Scaling

Progress = Callable[[float, str], None]
SILHOUETTE_SAMPLE = 3_000
SWEEP_THREADS = min(2, os.cpu_count() or 1)  # k scored at once, each on one thread
FIT_SAMPLE = 100_000
STABILITY_SAMPLE = 20_000
REFIT_STARTS = 1
STABLE = 0.8
# scikit-learn computes the silhouette's pairwise distances in blocks of at most
# this many MB; its default (1 GB) would hold all 10,000 x 10,000 distances at
# once, 760 MB that a server with several sessions cannot spare. Same scores.
SCORING_MEMORY_MB = 64
SILHOUETTE_TIE = 0.01  # silhouettes closer than this to the best are a tie
# Below this best silhouette, customers form a continuum: segments are slices of it, not natural
# groups (Kaufman and Rousseeuw read under 0.25 as "no substantial structure").
WEAK_STRUCTURE = 0.25


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

    @property
    def best_silhouette(self) -> float:
        """The highest silhouette over the k scored (NaN when none could be scored)."""
        return float(self.table["silhouette"].max())

    @property
    def structure_note(self) -> str | None:
        """Said plainly when even the best k separates customers weakly; None otherwise."""
        return continuum_note(self.best_silhouette, best=True)


def continuum_note(silhouette: float, *, best: bool = False) -> str | None:
    """A plain warning when a silhouette is under ``WEAK_STRUCTURE``: the customers form a
    continuum and segments are slices of it. None for a higher (or unknown) silhouette."""
    if not np.isfinite(silhouette) or silhouette >= WEAK_STRUCTURE:
        return None
    which = "the best silhouette over every k scored" if best else "the silhouette of these segments"
    return (
        f"Weak structure: {which} is {silhouette:.2f} (under {WEAK_STRUCTURE}). The customers form a "
        "continuum rather than natural groups; the segments are slices of it, useful for a summary "
        "but not distinct kinds of customer."
    )


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
    # float32, as the final model: KMeans runs about twice as fast, with the same segments.
    encoded = _sample(np.asarray(encoded, dtype=np.float32), FIT_SAMPLE, rng)
    silhouette_rows = _sample_index(len(encoded), SILHOUETTE_SAMPLE, rng)
    reference = encoded[_sample_index(len(encoded), STABILITY_SAMPLE, rng)]
    # Refits on half the rows, drawn without replacement (subsampling, as in Ben-Hur et al. 2002):
    # a quarter of the work of full-size bootstrap samples with two starts, and the same reading.
    boot_size = min(max(len(encoded) // 2, k_max), len(encoded), STABILITY_SAMPLE)  # >= k rows to refit
    boots = [np.sort(rng.choice(len(encoded), boot_size, replace=False)) for _ in range(n_bootstrap)]

    ks = range(k_min, k_max + 1)

    def score(k: int) -> dict[str, float]:
        # Both settings hold for the calling thread only (OpenMP's thread count is per thread).
        with config_context(working_memory=SCORING_MEMORY_MB), threadpool_limits(limits=1):
            return _score(encoded, k, silhouette_rows, reference, boots, random_state)

    rows = []
    # Each k on one OpenMP thread, two k at a time: see the module's note on speed. Progress is
    # reported from the calling thread (a dashboard's progress bar belongs to it).
    with ThreadPoolExecutor(max_workers=SWEEP_THREADS) as pool:
        for step, future in enumerate([pool.submit(score, k) for k in ks], start=1):  # in the order of k
            rows.append(future.result())
            if progress:
                progress(step / len(ks), f"k = {rows[-1]['k']} scored ({step} of {len(ks)})")
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
    # float64: scikit-learn would upcast float32 distances block by block, at twice the cost.
    sil_x, sil_labels = encoded[silhouette_rows].astype(np.float64), labels[silhouette_rows]
    # Stability: refit on bootstrap samples and compare how each refit labels
    # the same reference customers with how the full fit labels them.
    expected = kmeans.predict(reference)
    agreement = [
        adjusted_rand_score(
            expected,
            KMeans(n_clusters=k, n_init=REFIT_STARTS, random_state=seed + i)
            .fit(encoded[rows])
            .predict(reference),
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


def segments_silhouette(
    data: FeatureData, result: SegmentResult, *, random_state: int = DEFAULT_SEED
) -> float:
    """The silhouette of fitted segments, on a seeded sample of the rows they were fitted on.

    What the Segments page checks against ``WEAK_STRUCTURE``; NaN when it cannot be computed.
    """
    fit = data.for_fit()
    rng = np.random.default_rng(random_state)
    positions = np.flatnonzero(fit.usable)[_sample_index(fit.n_usable, SILHOUETTE_SAMPLE, rng)]
    rows = np.zeros(len(fit.usable), dtype=bool)
    rows[positions] = True
    encoded = result.pipeline[:-1].transform(model_input(replace(fit, usable=rows)))
    with config_context(working_memory=SCORING_MEMORY_MB), threadpool_limits(limits=1):
        return _safe(silhouette_score, np.asarray(encoded, dtype=np.float64), result.segments[positions])


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
