"""Turn chosen columns into model input and report every data problem found.

Data problems are collected, not raised: the report says what was found and
what was done about it (imputed, excluded, ignored). Only what makes
clustering impossible raises ``SegmentationError``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .columns import ColumnInfo, ParsedColumn
from .errors import SegmentationError
from .features import FeatureSelection, normalise_categories
from .findings import Problem, Severity
from .settings import DEFAULT_K, DEFAULT_MISSING, MISSING_POLICIES, MissingPolicy

MAX_EXAMPLES = 5


@dataclass
class ValidationReport:
    """Per-column facts and the findings about the feature columns."""

    n_rows: int
    n_usable: int
    columns: dict[str, ColumnInfo]
    problems: list[Problem] = field(default_factory=list)
    unknown_categories: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def n_excluded(self) -> int:
        return self.n_rows - self.n_usable

    def by_severity(self, severity: Severity) -> list[Problem]:
        return [p for p in self.problems if p.severity == severity]


@dataclass
class FeatureData:
    """Model input for every row of the file, and which rows the model may use.

    ``numeric`` holds floats (NaN = missing), ``categorical`` text (NA =
    missing), both as observed, so profiles describe real values.
    ``fill_values`` holds what fills a gap (median, most frequent value) in
    columns that have gaps; the model fills gaps with them before scaling. ``row_notes`` says why a row is
    excluded.
    """

    numeric: pd.DataFrame
    categorical: pd.DataFrame
    categories: dict[str, list[str]]
    usable: np.ndarray
    row_notes: np.ndarray
    missing_policy: MissingPolicy
    fill_values: dict[str, float | str] = field(default_factory=dict)

    def filled_numeric(self, name: str) -> np.ndarray:
        """A numeric feature over the usable rows, gaps filled (read-only: it may be the stored column)."""
        values = self.numeric[name].to_numpy()
        if not self.usable.all():
            values = values[self.usable]
        fill = self.fill_values.get(name)
        return values if fill is None else np.where(np.isnan(values), fill, values)

    def filled_categorical(self, name: str) -> pd.Series:
        """A categorical feature over the usable rows, gaps filled."""
        values = self.categorical[name]
        if not self.usable.all():
            values = values.loc[self.usable]
        fill = self.fill_values.get(name)
        return values if fill is None else values.fillna(fill)

    @property
    def n_usable(self) -> int:
        return int(self.usable.sum())


def prepare(
    columns: dict[str, ParsedColumn],
    selection: FeatureSelection,
    *,
    missing: MissingPolicy = DEFAULT_MISSING,
    n_clusters: int = DEFAULT_K,
) -> tuple[FeatureData, ValidationReport]:
    """Build the model input and the validation report.

    ``missing="impute"`` fills gaps (median for numbers, most frequent value for
    categories); ``"exclude"`` leaves rows with a gap out of the model. Either
    way, rows without any feature value are excluded, with a note.
    """
    if missing not in MISSING_POLICIES:
        raise ValueError(f"missing must be one of {MISSING_POLICIES}, not {missing!r}")
    if not selection.features:
        raise SegmentationError("no-usable-feature", reasons=_excluded_reasons(selection))
    n_rows = len(next(iter(columns.values())).values)
    # copy=False: the parsed arrays become the columns as they are, not a second copy.
    numeric = pd.DataFrame(
        {name: columns[name].values for name in selection.numeric},
        index=range(n_rows),
        dtype=np.float64,
        copy=False,
    )
    categorical = pd.DataFrame(
        {
            name: _category_values(columns[name], selection.fixed_categories.get(name))
            for name in selection.categorical
        },
        index=range(n_rows),
    )
    categories, unknown = _categories(categorical, selection)
    usable, notes = _usable_rows(numeric, categorical, missing)
    data = FeatureData(
        numeric=numeric,
        categorical=categorical,
        categories=categories,
        usable=usable,
        row_notes=notes,
        missing_policy=missing,
        fill_values=_fill_values(numeric, categorical, usable),
    )
    report = ValidationReport(
        n_rows=n_rows,
        n_usable=data.n_usable,
        columns={name: column.info for name, column in columns.items()},
        problems=_problems(columns, selection, unknown, missing),
        unknown_categories=unknown,
    )
    if data.n_usable < n_clusters:
        hint = (
            " Fill in the missing values, or switch the missing-value policy to 'impute'."
            if missing == "exclude"
            else ""
        )
        raise SegmentationError("too-few-rows", n_usable=data.n_usable, n_clusters=n_clusters, hint=hint)
    return data, report


def _fill_values(
    numeric: pd.DataFrame, categorical: pd.DataFrame, usable: np.ndarray
) -> dict[str, float | str]:
    """For each column with a gap among the usable rows: its median, or its most frequent value.

    Gap-free columns need no fill value, and skipping them saves a median of
    every column on large files.
    """
    fills: dict[str, float | str] = {}
    for name in numeric.columns:
        values = numeric[name].to_numpy()[usable]
        if np.isnan(values).any():
            fills[name] = float(np.nanmedian(values)) if np.isfinite(values).any() else 0.0
    for name in categorical.columns:
        values = categorical[name][usable]
        if values.isna().any():
            counts = values.value_counts()
            fills[name] = str(counts.index[0]) if len(counts) else ""
    return fills


def _category_values(column: ParsedColumn, fixed: tuple[str, ...] | None) -> pd.Series:
    values = column.values
    if isinstance(values, np.ndarray):  # numeric codes used as categories
        text = pd.Series(values).map(lambda v: "" if np.isnan(v) else f"{v:g}")
        values = text.mask(text == "").astype("string")
    values = values.reset_index(drop=True)
    return values if fixed is None else normalise_categories(values, known=fixed)


def _categories(
    categorical: pd.DataFrame, selection: FeatureSelection
) -> tuple[dict[str, list[str]], dict[str, dict[str, int]]]:
    """Categories per column (fixed ones kept whole) and the unknown values of fixed columns."""
    categories: dict[str, list[str]] = {}
    unknown: dict[str, dict[str, int]] = {}
    for name in categorical.columns:
        fixed = selection.fixed_categories.get(name)
        observed = categorical[name].dropna()
        if fixed is None:
            categories[name] = sorted(observed.unique().tolist())
            continue
        categories[name] = list(fixed)
        outside = observed[~observed.isin(fixed)]
        if not outside.empty:
            unknown[name] = outside.value_counts().to_dict()
    return categories, unknown


def _usable_rows(
    numeric: pd.DataFrame, categorical: pd.DataFrame, missing: MissingPolicy
) -> tuple[np.ndarray, np.ndarray]:
    gaps = pd.concat([numeric.isna(), categorical.isna()], axis=1)
    n_gaps = gaps.sum(axis=1).to_numpy()
    n_features = gaps.shape[1]
    usable = n_gaps == 0 if missing == "exclude" else n_gaps < n_features
    notes = np.full(len(gaps), "", dtype=object)
    excluded = np.flatnonzero(~usable)
    if excluded.size:
        # One note per pattern of gaps, not per row: millions of rows share a few patterns.
        patterns, which = np.unique(gaps.to_numpy()[excluded], axis=0, return_inverse=True)
        names = np.asarray(gaps.columns)
        texts = np.array(
            [
                "not segmented: no value in any feature column"
                if pattern.all()
                else f"not segmented: missing {', '.join(names[pattern])}"
                for pattern in patterns
            ],
            dtype=object,
        )
        notes[excluded] = texts[which.ravel()]
    return usable, notes


def _problems(
    columns: dict[str, ParsedColumn],
    selection: FeatureSelection,
    unknown: dict[str, dict[str, int]],
    missing: MissingPolicy,
) -> list[Problem]:
    problems: list[Problem] = list(selection.notes)
    for name in selection.features:
        info = columns[name].info
        if missing == "exclude":
            action = "these rows are left out of the segments"
        elif name in selection.numeric:
            action = "filled in with the column's median"
        else:
            action = "filled in with the most frequent value"
        problems.extend(_column_problems(info, action))
    for name, counts in unknown.items():
        total = sum(counts.values())
        examples = ", ".join(f"{value!r} ({count})" for value, count in list(counts.items())[:MAX_EXAMPLES])
        problems.append(
            Problem.of(
                "unknown-category",
                column=name,
                count=total,
                cells=_cells(total),
                examples=examples,
                allowed=", ".join(selection.fixed_categories[name]),
            )
        )
    for name, reason in selection.excluded.items():
        problems.append(Problem.of("left-out", column=name, reason=reason))
    return problems


def _column_problems(info: ColumnInfo, action: str) -> list[Problem]:
    found: list[Problem] = []
    name = info.name
    if info.n_empty:
        found.append(
            Problem.of(
                "empty-cells", column=name, count=info.n_empty, cells=_cells(info.n_empty), action=action
            )
        )
    for value, count in info.sentinels.items():
        found.append(
            Problem.of(
                "placeholder", column=name, count=count, cells=_cells(count), value=value, action=action
            )
        )
    if info.n_non_numeric:
        examples = "; ".join(f"line {line}: {value!r}" for line, value in info.non_numeric_examples)
        found.append(
            Problem.of(
                "not-a-number",
                column=name,
                count=info.n_non_numeric,
                lines=tuple(line for line, _ in info.non_numeric_examples),
                cells=_cells(info.n_non_numeric),
                examples=examples,
                action=action,
            )
        )
    if info.decimal_comma:
        found.append(Problem.of("decimal-comma", column=name))
    if info.thousands_separator:
        example = "1.234,5 = 1234.5" if info.thousands_separator == "." else "1,234.5 = 1234.5"
        found.append(Problem.of("thousands-separator", column=name, example=example))
    return found


def _cells(count: int) -> str:
    return "1 cell is" if count == 1 else f"{count:,} cells are"


def _excluded_reasons(selection: FeatureSelection) -> str:
    reasons = "; ".join(f"{name}: {why}" for name, why in list(selection.excluded.items())[:6])
    return reasons or "no columns"
