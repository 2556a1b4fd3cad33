"""Retraining that keeps the numbering: match new segments to a saved model's by their centres.

The new segments' centres are measured in the saved model's space (the new
customers encoded by the old preparation step, averaged per new segment), and
an optimal assignment on the distances to the old centres
(``scipy.optimize.linear_sum_assignment``) pairs them. A pair counts as the
same segment when the new centre lies within the old segment's typical radius
(the 99th percentile of its training distances); it then keeps the old number
and name. Other segments are new, and old ones left without a partner vanished.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import linear_sum_assignment

from ..model.analysis import Segmentation
from ..model.kmeans import SegmentResult, reorder_segments
from ..model.profiles import profile_segments
from .modelfile import SavedModel
from .scoring import scoring_input


@dataclass(frozen=True)
class Matching:
    """How the new segments relate to the saved model's.

    ``kept`` maps a new segment number to the old number it continues (the
    same number); ``new`` lists numbers of segments with no old partner;
    ``vanished`` the old numbers with no new partner; ``distances`` the centre
    distance of each kept pair, in the old model's scaled space.
    """

    kept: dict[int, int]
    new: tuple[int, ...]
    vanished: tuple[int, ...]
    distances: dict[int, float]
    model_id: str

    def lines(self) -> list[str]:
        """The match in plain lines, for the command line."""
        lines = [f"Matched to model {self.model_id}: {len(self.kept)} segments kept their number and name."]
        lines += [
            f"  segment {n} continues segment {o} (centre moved {self.distances[n]:.2f})"
            for n, o in self.kept.items()
        ]
        if self.new:
            lines.append("  new segments: " + ", ".join(map(str, self.new)))
        if self.vanished:
            lines.append("  vanished segments of the model: " + ", ".join(map(str, self.vanished)))
        return lines


def segment_like(run: Segmentation, model: SavedModel) -> tuple[Segmentation, Matching]:
    """Renumber a fresh run so segments that persist keep the saved model's numbers and names.

    Parameters
    ----------
    run : Segmentation
        A fit of the new data (``segmentation.segment``).
    model : SavedModel
        The model whose numbering to keep; the new file must have its features.

    Returns
    -------
    (Segmentation, Matching)
        A renumbered copy of ``run`` (``run`` itself is not changed), whose
        pipeline predicts the new numbers, and the match.

    Raises
    ------
    SegmentationError
        ``model-feature-missing`` when the new file lacks one of the model's features.
    """
    distances = _centre_distances(run, model)
    rows, cols = linear_sum_assignment(distances)
    radius = np.array([s.distance_p99 for s in model.manifest.segments])
    old_numbers = [s.number for s in model.manifest.segments]
    k = run.result.n_clusters
    pairs = {
        int(r) + 1: old_numbers[c]
        for r, c in zip(rows, cols, strict=True)
        if distances[r, c] <= radius[c] and old_numbers[c] <= k
    }
    final = _final_numbers(pairs, k)
    result = _renumbered(run.result, final)
    profiles = profile_segments(run.data, result)
    old_names = model.manifest.names
    names = {
        final[raw]: old_names[pairs[raw]] if raw in pairs else profiles.names[final[raw]]
        for raw in range(1, k + 1)
    }
    matching = Matching(
        kept={final[raw]: old for raw, old in pairs.items()},
        new=tuple(sorted(final[raw] for raw in range(1, k + 1) if raw not in pairs)),
        vanished=tuple(n for n in old_numbers if n not in pairs.values()),
        distances={
            final[raw]: float(distances[raw - 1, old_numbers.index(old)]) for raw, old in pairs.items()
        },
        model_id=model.model_id,
    )
    return replace(run, result=result, profiles=profiles, names=names), matching


def _centre_distances(run: Segmentation, model: SavedModel) -> np.ndarray:
    """Distances (new segment × old segment) between centres, in the old model's space."""
    prepared = scoring_input(run.dataset.columns, model.manifest)
    both = prepared.scorable & (run.result.segments > 0)
    encoded = model.pipeline.named_steps["prepare"].transform(prepared.matrix[both[prepared.scorable]])
    labels = run.result.segments[both] - 1
    k = run.result.n_clusters
    counts = np.maximum(np.bincount(labels, minlength=k), 1)
    centres: np.ndarray = np.stack(
        [np.bincount(labels, weights=encoded[:, j], minlength=k) for j in range(encoded.shape[1])], 1
    )
    centres /= counts[:, None]
    old = model.pipeline.named_steps["kmeans"].cluster_centers_
    return np.sqrt(((centres[:, None, :] - old[None, :, :]) ** 2).sum(axis=2))


def _final_numbers(pairs: dict[int, int], k: int) -> dict[int, int]:
    """Current number -> final number: kept pairs take the old one, the rest the free ones in order."""
    final = dict(pairs)
    free = iter(n for n in range(1, k + 1) if n not in pairs.values())
    for raw in range(1, k + 1):
        if raw not in final:
            final[raw] = next(free)
    return final


def _renumbered(result: SegmentResult, final: dict[int, int]) -> SegmentResult:
    """A copy of ``result`` whose pipeline and segments use the final numbers."""
    k = result.n_clusters
    order = np.empty(k, dtype=np.int64)
    for raw, number in final.items():
        order[number - 1] = raw - 1
    pipeline = copy.deepcopy(result.pipeline)
    reorder_segments(pipeline.named_steps["kmeans"], order)
    lookup = np.array([0, *(final[raw] for raw in range(1, k + 1))], dtype=np.int64)
    return SegmentResult(
        pipeline=pipeline,
        segments=lookup[result.segments],
        n_clusters=k,
        inertia=result.inertia,
        encoded_names=result.encoded_names,
        centers=np.ascontiguousarray(result.centers[order]),
    )
