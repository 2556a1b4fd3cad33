"""Score new customers with a saved model: same features, same numbers, and a word on fit.

Columns are matched to the model's features by the rules used everywhere else
(``features.column_key``: case and separators do not matter), in any order and
any file dress the reader understands. Gaps are filled with the training fill
values (or the rows left unscored, when the model excluded rows with gaps);
category values the model has not seen get no category (an all-zero one-hot)
and are counted. Every row is written back, cell for cell, with ``segment``,
``segment_name``, ``segment_fit`` and, where a row could not be scored,
``segment_note``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import overload

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..prepare.columns import ParsedColumn, arrow_text
from ..prepare.dataset import Dataset
from ..prepare.features import column_key, normalise_categories
from ..report.errors import SegmentationError
from ..report.export import labeled_csv
from ..report.findings import Problem
from .modelfile import FeatureSpec, Manifest, SavedModel

SEGMENT_FIT = "segment_fit"
TYPICAL, ATYPICAL = "typical", "atypical"
MAX_EXAMPLES = 5


@dataclass(frozen=True)
class ScoringInput:
    """The model's input for a file: matrix of the scorable rows, and what was found on the way."""

    matrix: np.ndarray  # float32, rows = scorable rows, columns = the model's features
    scorable: np.ndarray  # bool per input row
    notes: np.ndarray  # object per input row: "" or why it was not scored
    raw_numeric: dict[str, np.ndarray]  # model feature -> values per input row, NaN = missing
    matched: dict[str, str]  # model feature -> column of the file
    extra_columns: tuple[str, ...]
    unknown_categories: dict[str, dict[str, int]]


@dataclass(frozen=True)
class Scoring:
    """New customers scored with a model: one segment (0 = not scored), fit and note per row."""

    dataset: Dataset
    model: SavedModel
    segments: np.ndarray
    fit: np.ndarray  # "typical", "atypical", or "" for a row not scored
    notes: np.ndarray
    matched: dict[str, str]
    extra_columns: tuple[str, ...]
    unknown_categories: dict[str, dict[str, int]]
    raw_numeric: dict[str, np.ndarray] = field(repr=False)

    def __post_init__(self) -> None:
        # Shared between dashboard sessions. raw_numeric may be the dataset's own
        # columns, which are not ours to lock; nothing here writes to them.
        for array in (self.segments, self.fit, self.notes):
            array.setflags(write=False)

    @property
    def scored(self) -> np.ndarray:
        return self.segments > 0

    @property
    def problems(self) -> list[Problem]:
        """What the scoring found, as catalogue findings."""
        return _problems(self)

    @overload
    def labeled_csv(self, *, path: None = None) -> bytes: ...
    @overload
    def labeled_csv(self, *, path: str | Path) -> None: ...
    def labeled_csv(self, *, path: str | Path | None = None) -> bytes | None:
        """Every input row and cell, plus segment, segment_name, segment_fit (and segment_note).

        Same rules as the labeled CSV of a segmentation; returns the bytes, or
        writes them to ``path`` and returns None.
        """
        notes = self.notes if (self.notes != "").any() else None
        return labeled_csv(
            self.dataset.raw,
            self.segments,
            self.model.manifest.names,
            notes=notes,
            delimiter=self.dataset.read_report.delimiter,
            extra_columns=((SEGMENT_FIT, self.fit),),
            path=path,
        )


def score(dataset: Dataset, model: SavedModel) -> Scoring:
    """Score every row of ``dataset`` with ``model``.

    Parameters
    ----------
    dataset : Dataset
        The new customers (``segmentation.load``), in any column order and file dress.
    model : SavedModel
        A model opened with ``modelfile.read_model``.

    Returns
    -------
    Scoring
        Per row: segment (0 = not scored), ``typical``/``atypical`` and a note;
        plus the matched and extra columns and the unseen category values.

    Examples
    --------
    >>> scoring = score(load("next_month.csv"), read_model("model.skops"))  # doctest: +SKIP
    >>> scoring.labeled_csv(path="scored.csv")  # doctest: +SKIP

    Raises
    ------
    SegmentationError
        ``model-feature-missing`` when a feature has no column in the file,
        ``model-feature-not-numeric`` when a numeric feature's column holds text.
    """
    prepared = scoring_input(dataset.columns, model.manifest)
    segments, fit = assign(prepared, model, dataset.n_rows)
    return Scoring(
        dataset=dataset,
        model=model,
        segments=segments,
        fit=fit,
        notes=prepared.notes,
        matched=prepared.matched,
        extra_columns=prepared.extra_columns,
        unknown_categories=prepared.unknown_categories,
        raw_numeric=prepared.raw_numeric,
    )


def assign(prepared: ScoringInput, model: SavedModel, n_rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's segment (0 = not scored) and fit (typical, atypical, or "" when not scored)."""
    segments = np.zeros(n_rows, dtype=np.int64)
    fit = np.full(n_rows, "", dtype=object)
    if prepared.scorable.any():
        distances = model.pipeline.transform(prepared.matrix)
        nearest = distances.argmin(axis=1)
        segments[prepared.scorable] = nearest + 1
        far = _far_from_centre(distances, nearest, model.manifest)
        far |= _outside_range(prepared, model.manifest)[prepared.scorable]
        fit[prepared.scorable] = np.where(far, ATYPICAL, TYPICAL)
    return segments, fit


def match_columns(names: list[str], manifest: Manifest) -> dict[str, str]:
    """Model feature -> the file's column spelling it (exact name first, then ``column_key``)."""
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(column_key(name), name)
    matched: dict[str, str] = {}
    for feature in manifest.features:
        column = feature.name if feature.name in names else by_key.get(column_key(feature.name))
        if column is None:
            raise SegmentationError(
                "model-feature-missing",
                column=feature.name,
                example=feature.name.replace("_", " ").title(),
                columns=", ".join(names),
            )
        matched[feature.name] = column
    return matched


def scoring_input(columns: dict[str, ParsedColumn], manifest: Manifest) -> ScoringInput:
    """Build the model input of a file's columns, as the model was trained (see the module docstring)."""
    matched = match_columns(list(columns), manifest)
    n_rows = len(next(iter(columns.values())).values)
    raw_numeric = {f.name: _numeric_values(columns[matched[f.name]], n_rows) for f in manifest.numeric}
    texts = {f.name: _category_text(columns[matched[f.name]], f) for f in manifest.categorical}
    gaps = np.column_stack(
        [np.isnan(v) for v in raw_numeric.values()] + [t.isna().to_numpy() for t in texts.values()]
    )
    scorable, notes = _scorable_rows(
        gaps, [f.name for f in (*manifest.numeric, *manifest.categorical)], manifest
    )
    matrix = np.empty((int(scorable.sum()), len(manifest.features)), dtype=np.float32, order="F")
    for j, spec in enumerate(manifest.numeric):
        values = raw_numeric[spec.name][scorable]
        matrix[:, j] = np.where(np.isnan(values), spec.fill, values)
    unknown: dict[str, dict[str, int]] = {}
    for j, spec in enumerate(manifest.categorical, start=len(manifest.numeric)):
        values = texts[spec.name][scorable].fillna(str(spec.fill))
        matrix[:, j], outside = _category_codes(values, spec)
        if outside:
            unknown[spec.name] = outside
    used = set(matched.values())
    return ScoringInput(
        matrix=matrix,
        scorable=scorable,
        notes=notes,
        raw_numeric=raw_numeric,
        matched=matched,
        extra_columns=tuple(name for name in columns if name not in used),
        unknown_categories=unknown,
    )


def _numeric_values(column: ParsedColumn, n_rows: int) -> np.ndarray:
    if column.info.kind == "empty":
        return np.full(n_rows, np.nan)
    if not isinstance(column.values, np.ndarray):
        raise SegmentationError("model-feature-not-numeric", column=column.info.name)
    return np.asarray(column.values, dtype=np.float64)


def _category_text(column: ParsedColumn, spec: FeatureSpec) -> pd.Series:
    """The column's values as the training run saw them (codes as text, fixed lists normalised)."""
    values = column.values
    if isinstance(values, np.ndarray):  # numeric codes used as categories
        text = pd.Series(values).map(lambda v: "" if np.isnan(v) else f"{v:g}")
        values = text.mask(text == "").astype("string")
    values = pd.Series(values).reset_index(drop=True)
    return normalise_categories(values, known=spec.categories) if spec.fixed else values


def _category_codes(values: pd.Series, spec: FeatureSpec) -> tuple[np.ndarray, dict[str, int]]:
    """Codes into the model's categories (-1: not seen in training) and the unseen values' counts."""
    text = arrow_text(values)
    codes = pc.fill_null(pc.index_in(text, value_set=pa.array(spec.categories, pa.string())), -1)
    codes = codes.to_numpy(zero_copy_only=False)
    outside = values[codes < 0].value_counts()
    return codes, {str(value): int(count) for value, count in outside.items()}


def _scorable_rows(gaps: np.ndarray, names: list[str], manifest: Manifest) -> tuple[np.ndarray, np.ndarray]:
    """Rows the model can score, and a note for each other row (same rule as in training)."""
    n_gaps = gaps.sum(axis=1)
    scorable = n_gaps == 0 if manifest.missing == "exclude" else n_gaps < gaps.shape[1]
    notes = np.full(len(gaps), "", dtype=object)
    excluded = np.flatnonzero(~scorable)
    if excluded.size:
        # One note per pattern of gaps, not per row: many rows share a few patterns.
        patterns, which = np.unique(gaps[excluded], axis=0, return_inverse=True)
        texts = np.array([_not_scored_note(pattern, names) for pattern in patterns], dtype=object)
        notes[excluded] = texts[which.ravel()]
    return scorable, notes


def _not_scored_note(pattern: np.ndarray, names: list[str]) -> str:
    if pattern.all():
        return "not scored: no value in any feature column"
    return "not scored: missing " + ", ".join(name for name, gap in zip(names, pattern, strict=True) if gap)


def _far_from_centre(distances: np.ndarray, nearest: np.ndarray, manifest: Manifest) -> np.ndarray:
    """Farther from the own centre than 99% of that segment's training customers."""
    thresholds = np.array([s.distance_p99 for s in manifest.segments])
    own = distances[np.arange(len(nearest)), nearest]
    return own > thresholds[nearest]


def _outside_range(prepared: ScoringInput, manifest: Manifest) -> np.ndarray:
    """Far outside the training range on some numeric feature (by more than the margin × range)."""
    far = np.zeros(len(prepared.scorable), dtype=bool)
    for spec in manifest.numeric:
        margin = manifest.range_margin * (spec.maximum - spec.minimum)
        values = prepared.raw_numeric[spec.name]
        with np.errstate(invalid="ignore"):
            far |= (values < spec.minimum - margin) | (values > spec.maximum + margin)
    return far


def _problems(scoring: Scoring) -> list[Problem]:
    problems = []
    for column, counts in scoring.unknown_categories.items():
        total = sum(counts.values())
        examples = ", ".join(f"{v!r} ({n})" for v, n in list(counts.items())[:MAX_EXAMPLES])
        cells = "1 customer has" if total == 1 else f"{total:,} customers have"
        problems.append(
            Problem.of("unknown-category-scored", column=column, count=total, cells=cells, examples=examples)
        )
    n_unscored = int((scoring.notes != "").sum())
    if n_unscored:
        reason = (
            "missing feature values" if scoring.model.manifest.missing == "exclude" else "no feature value"
        )
        problems.append(Problem.of("rows-not-scored", count=n_unscored, n=n_unscored, reason=reason))
    if scoring.extra_columns:
        problems.append(Problem.of("extra-columns", columns=", ".join(scoring.extra_columns)))
    return problems
