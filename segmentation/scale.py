"""Segments for tables larger than memory: fit on a sample, then score every row in batches.

The model does not change with size: ``segment`` fits the usual pipeline on a
seeded random sample of at most ``fit_rows`` rows, saves it as a model file
(skops bytes), and every row of the table (the sample's included) is then
scored with that model batch by batch, locally here or on Spark
(``segmentation.spark``), so memory stays flat however many rows there are.
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

from .analysis import Segmentation, segment
from .columns import analyze_table
from .dataset import Dataset
from .export import SEGMENT, SEGMENT_NAME, SEGMENT_NOTE
from .modelfile import SavedModel, model_bytes, read_model
from .reader import ReadReport
from .scoring import SEGMENT_FIT, Scoring, score
from .settings import Settings
from .tables import ParquetSink, count_rows, iter_batches, open_parquet, sample_rows, text_frame

DEFAULT_FIT_ROWS = 1_000_000
OUTPUT_COLUMNS = (SEGMENT, SEGMENT_NAME, SEGMENT_FIT, SEGMENT_NOTE)


@dataclass
class SegmentTotals:
    """Per-segment counts and feature sums over every scored batch, for the summary."""

    names: dict[int, str]
    features: tuple[str, ...]
    rows: int = 0
    not_scored: int = 0
    atypical: int = 0
    sizes: dict[int, int] = field(default_factory=dict)
    sums: dict[tuple[int, str], float] = field(default_factory=dict)
    counts: dict[tuple[int, str], int] = field(default_factory=dict)

    def add(self, scoring: Scoring) -> None:
        """Count one scored batch."""
        segments = scoring.segments
        self.rows += len(segments)
        self.not_scored += int((segments == 0).sum())
        self.atypical += int((scoring.fit == "atypical").sum())
        numbers, sizes = np.unique(segments[segments > 0], return_counts=True)
        for number, size in zip(numbers.tolist(), sizes.tolist(), strict=True):
            self.sizes[number] = self.sizes.get(number, 0) + size
        for feature in self.features:
            values = scoring.raw_numeric.get(feature)
            if values is None:
                continue
            present = (segments > 0) & ~np.isnan(values)
            sums = np.bincount(segments[present], weights=values[present], minlength=len(self.names) + 1)
            counts = np.bincount(segments[present], minlength=len(self.names) + 1)
            for number in self.names:
                key = (number, feature)
                self.sums[key] = self.sums.get(key, 0.0) + float(sums[number])
                self.counts[key] = self.counts.get(key, 0) + int(counts[number])

    def summary(self) -> pd.DataFrame:
        """One row per segment: name, size, share and the mean of each numeric feature."""
        scored = max(sum(self.sizes.values()), 1)
        index = pd.RangeIndex(1, len(self.names) + 1, name="segment")
        table = pd.DataFrame(
            {
                "name": [self.names[n] for n in index],
                "size": [self.sizes.get(n, 0) for n in index],
                "share": [self.sizes.get(n, 0) / scored for n in index],
            },
            index=index,
        )
        for feature in self.features:
            table[feature] = [
                self.sums.get((n, feature), 0.0) / c if (c := self.counts.get((n, feature), 0)) else np.nan
                for n in index
            ]
        return table


@dataclass(frozen=True)
class ScaleRun:
    """What a batch run did: rows in and out, the fit sample, the model and the per-segment totals."""

    rows: int
    fit_rows: int
    output: Path
    model_data: bytes
    totals: SegmentTotals
    seconds: float
    fit: Segmentation | None = None


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
    free = []
    for base in OUTPUT_COLUMNS:
        name, suffix = base, 2
        while name in taken:
            name, suffix = f"{base}_{suffix}", suffix + 1
        taken.add(name)
        free.append(name)
    return free


def score_batch(batch: pa.RecordBatch, model: SavedModel) -> tuple[pa.RecordBatch, Scoring]:
    """The batch with the segment columns appended, and the scoring behind them."""
    scoring = score(dataset_from_arrow(batch), model)
    names = model.manifest.names
    segments = scoring.segments
    scored = segments > 0
    appended = [
        pa.array(segments, pa.int64(), mask=~scored),
        pa.array([names[s] if s else None for s in segments.tolist()], pa.string()),
        pa.array(np.where(scored, scoring.fit, None), pa.string()),
        pa.array([note or None for note in scoring.notes.tolist()], pa.string()),
    ]
    columns = [*batch.columns, *appended]
    return pa.RecordBatch.from_arrays(
        columns, names=[*batch.schema.names, *output_names(batch.schema.names)]
    ), scoring


def score_parquet(source: str | Path, output: str | Path, model_data: bytes) -> ScaleRun:
    """Score every row of a Parquet file or folder with a saved model, batch by batch, into ``output``."""
    started = time.perf_counter()
    model = read_model(model_data)
    table = open_parquet(source)
    totals = _totals(model)
    with ParquetSink(output) as sink:
        for batch in iter_batches(table):
            scored, scoring = score_batch(batch, model)
            sink.write(scored)
            totals.add(scoring)
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
    run = score_parquet(source, output, model_data)
    return ScaleRun(
        rows=run.rows,
        fit_rows=fit.dataset.n_rows,
        output=run.output,
        model_data=model_data,
        totals=run.totals,
        seconds=time.perf_counter() - started,
        fit=fit,
    )


def _totals(model: SavedModel) -> SegmentTotals:
    return SegmentTotals(names=model.manifest.names, features=tuple(f.name for f in model.manifest.numeric))


__all__ = [
    "DEFAULT_FIT_ROWS",
    "ScaleRun",
    "SegmentTotals",
    "count_rows",
    "dataset_from_arrow",
    "output_names",
    "score_batch",
    "score_parquet",
    "segment_parquet",
]
