"""Segments for tables larger than memory: fit on a sample, then score every row in batches.

The model does not change with size: ``segment`` fits the usual pipeline on a
seeded random sample of at most ``fit_rows`` rows, saves it as a model file
(skops bytes), and every row of the table (the sample's included) is then
scored with that model batch by batch, locally here or on Spark
(``segmentation.scale.spark``), so memory stays flat however many rows there are.
Each output batch is the input batch, every column as it was, plus
``segment``, ``segment_name``, ``segment_fit`` and ``segment_note``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..io.reader import ReadReport
from ..io.tables import ParquetSink, count_rows, iter_batches, open_parquet, sample_rows, text_frame
from ..model.analysis import segment
from ..model.settings import DEFAULT_FIT_ROWS, Settings
from ..prepare.columns import ColumnInfo, ParsedColumn, analyze_column, analyze_table
from ..prepare.dataset import Dataset
from ..prepare.features import FeatureSelection
from ..prepare.validation import ValidationReport
from ..report.export import SEGMENT, SEGMENT_NAME, SEGMENT_NOTE, unique_name
from ..reuse.modelfile import SavedModel, model_bytes, read_model
from ..reuse.scoring import ATYPICAL, SEGMENT_FIT, assign, match_columns, scoring_input
from ..runtime.memory import release_freed_memory

OUTPUT_COLUMNS = (SEGMENT, SEGMENT_NAME, SEGMENT_FIT, SEGMENT_NOTE)


@dataclass
class SegmentTotals:
    """Per-segment counts and feature sums over every scored batch, for the summary.

    Arrays are indexed by segment number; index 0 (not scored) is never counted.
    """

    names: dict[int, str]
    features: tuple[str, ...]
    rows: int = 0
    not_scored: int = 0
    atypical: int = 0
    sizes: np.ndarray = field(init=False)
    sums: dict[str, np.ndarray] = field(init=False)
    counts: dict[str, np.ndarray] = field(init=False)

    def __post_init__(self) -> None:
        slots = len(self.names) + 1
        self.sizes = np.zeros(slots, dtype=np.int64)
        self.sums = {feature: np.zeros(slots) for feature in self.features}
        self.counts = {feature: np.zeros(slots, dtype=np.int64) for feature in self.features}

    def add(self, scoring: BatchScore) -> None:
        """Count one scored batch."""
        segments = scoring.segments
        slots = len(self.sizes)
        self.rows += len(segments)
        self.not_scored += int((segments == 0).sum())
        self.atypical += int((scoring.fit == ATYPICAL).sum())
        self.sizes += np.bincount(segments, minlength=slots)
        self.sizes[0] = 0
        for feature in self.features:
            values = scoring.raw_numeric.get(feature)
            if values is None:
                continue
            present = (segments > 0) & ~np.isnan(values)
            self.sums[feature] += np.bincount(segments[present], weights=values[present], minlength=slots)
            self.counts[feature] += np.bincount(segments[present], minlength=slots)

    def summary(self) -> pd.DataFrame:
        """One row per segment: name, size, share and the mean of each numeric feature."""
        index = pd.RangeIndex(1, len(self.names) + 1, name="segment")
        sizes = self.sizes[1:]
        table = pd.DataFrame(
            {"name": [self.names[n] for n in index], "size": sizes, "share": sizes / max(sizes.sum(), 1)},
            index=index,
        )
        for feature in self.features:
            counts = self.counts[feature][1:]
            with np.errstate(invalid="ignore", divide="ignore"):  # a segment with no value: NaN
                table[feature] = np.where(counts > 0, self.sums[feature][1:] / counts, np.nan)
        return table


@dataclass(frozen=True)
class FitSummary:
    """What the fit on the sample chose and found; the sample's rows themselves are let go."""

    selection: FeatureSelection
    report: ValidationReport
    segments: np.ndarray  # the sample rows' segments, as fitted


@dataclass(frozen=True)
class ScaleRun:
    """What a batch run did: rows in and out, the fit sample, the model and the per-segment totals."""

    rows: int
    fit_rows: int
    output: Path
    model_data: bytes
    totals: SegmentTotals
    seconds: float
    fit: FitSummary | None = None


def dataset_from_arrow(table: pa.Table | pa.RecordBatch) -> Dataset:
    """A typed Arrow table as the core's ``Dataset``: its cells as text, each column analysed."""
    raw = text_frame(table)
    report = ReadReport(
        encoding="Parquet",
        delimiter=",",
        line_ending="none",
        final_newline=True,
        quoted_fields=False,
        n_rows=len(raw),
        n_columns=raw.shape[1],
    )
    return Dataset(raw=raw, read_report=report, columns=analyze_table(raw))


def output_names(names: Sequence[str]) -> list[str]:
    """The appended columns' names: ``segment`` etc., with a suffix where the input already uses one."""
    taken = set(names)
    return [unique_name(base, taken) for base in OUTPUT_COLUMNS]


@dataclass(frozen=True)
class BatchScore:
    """One batch's segments (0 = not scored), fit, notes, and its numeric features in file units."""

    segments: np.ndarray
    fit: np.ndarray
    notes: np.ndarray
    raw_numeric: dict[str, np.ndarray]


def model_columns(batch: pa.RecordBatch, model: SavedModel) -> dict[str, ParsedColumn]:
    """The batch's columns that the model reads, parsed as the column analysis would.

    Typed numeric columns are taken as they are (no round trip through text);
    text columns go through ``columns.analyze_column`` like a CSV's cells.
    Other columns are not read at all.
    """
    numeric = {f.name for f in model.manifest.numeric}
    matched = match_columns(batch.schema.names, model.manifest)
    columns: dict[str, ParsedColumn] = {}
    for feature, name in matched.items():
        column = batch.column(name)
        if name in columns:
            continue
        if feature in numeric and _is_number(column.type):
            values = pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False)
            info = ColumnInfo(name=name, kind="numeric", n_rows=len(values), n_empty=column.null_count)
            columns[name] = ParsedColumn(info, values)
        else:
            columns[name] = analyze_column(name, text_frame(pa.table({name: column}))[name])
    return columns


def _is_number(arrow_type: pa.DataType) -> bool:
    return (
        pa.types.is_integer(arrow_type) or pa.types.is_floating(arrow_type) or pa.types.is_decimal(arrow_type)
    )


def score_batch(batch: pa.RecordBatch, model: SavedModel) -> tuple[pa.RecordBatch, BatchScore]:
    """The batch with the segment columns appended, and the scores behind them."""
    prepared = scoring_input(model_columns(batch, model), model.manifest)
    segments, fit = assign(prepared, model, batch.num_rows)
    names = model.manifest.names
    scored = segments > 0
    appended = [
        pa.array(segments, pa.int64(), mask=~scored),
        pa.array(np.array([None, *(names[n] for n in sorted(names))], dtype=object)[segments], pa.string()),
        pa.array(np.where(scored, fit, np.array(None, dtype=object)), pa.string()),
        pa.array([note or None for note in prepared.notes.tolist()], pa.string()),
    ]
    labeled = pa.RecordBatch.from_arrays(
        [*batch.columns, *appended], names=[*batch.schema.names, *output_names(batch.schema.names)]
    )
    return labeled, BatchScore(segments, fit, prepared.notes, prepared.raw_numeric)


def score_parquet(source: str | Path, output: str | Path, model_data: bytes) -> ScaleRun:
    """Score every row of a Parquet file or folder with a saved model, batch by batch, into ``output``."""
    started = time.perf_counter()
    model = read_model(model_data)
    table = open_parquet(source)
    totals = _totals(model)
    with ParquetSink(output) as sink:
        for number, batch in enumerate(iter_batches(table), start=1):
            scored, scoring = score_batch(batch, model)
            sink.write(scored)
            totals.add(scoring)
            del batch, scored, scoring
            if number % 4 == 0:  # hand freed batches back, so memory stays flat over any number of rows
                release_freed_memory()
    return ScaleRun(
        rows=totals.rows,
        fit_rows=0,
        output=Path(output),
        model_data=model_data,
        totals=totals,
        seconds=time.perf_counter() - started,
    )


def segment_parquet(
    source: str | Path,
    output: str | Path,
    settings: Settings,
    *,
    fit_rows: int = DEFAULT_FIT_ROWS,
) -> ScaleRun:
    """Fit on a seeded sample of at most ``fit_rows`` rows, then score every row into ``output``."""
    started = time.perf_counter()
    table = open_parquet(source)
    sample, _ = sample_rows(table, fit_rows, seed=settings.random_state)
    fit = segment(dataset_from_arrow(sample), settings)
    del sample
    model_data = model_bytes(fit)
    summary = FitSummary(fit.selection, fit.report, fit.result.segments)
    fit_rows = fit.dataset.n_rows
    del fit  # the sample's cells and model input: scoring must not hold them as well
    release_freed_memory()
    run = score_parquet(source, output, model_data)
    return ScaleRun(
        rows=run.rows,
        fit_rows=fit_rows,
        output=run.output,
        model_data=model_data,
        totals=run.totals,
        seconds=time.perf_counter() - started,
        fit=summary,
    )


def _totals(model: SavedModel) -> SegmentTotals:
    return SegmentTotals(names=model.manifest.names, features=tuple(f.name for f in model.manifest.numeric))


__all__ = [
    "DEFAULT_FIT_ROWS",
    "BatchScore",
    "ScaleRun",
    "SegmentTotals",
    "count_rows",
    "dataset_from_arrow",
    "model_columns",
    "output_names",
    "score_batch",
    "score_parquet",
    "segment_parquet",
]
