"""Turn chosen columns into model input and report every data problem found.

Data problems are collected, not raised: the report says what was found and
what was done about it (imputed, excluded, ignored). Only what makes
clustering impossible raises ``SegmentationError``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..io.reader import LineNumbers, one_line_per_row
from ..model.settings import (
    DEFAULT_K,
    DEFAULT_MISSING,
    DEFAULT_PLACEHOLDERS,
    MISSING_POLICIES,
    PLACEHOLDER_POLICIES,
    MissingPolicy,
    PlaceholderPolicy,
)
from ..report.errors import SegmentationError
from ..report.findings import Problem, plural
from ..report.kinds import Severity
from .columns import ColumnInfo, ParsedColumn
from .features import FeatureSelection, normalise_categories
from .outliers import find_extremes, over_rows, sentinel_problems
from .problems import row_findings, validation_problems


@dataclass
class ValidationReport:
    """Per-column facts and the findings about the feature columns.

    Data problems are reported here rather than raised, with what was done
    about each (imputed, excluded, ignored), so the user can fix the file.

    Attributes
    ----------
    n_rows : int
        Rows in the file.
    n_usable : int
        Rows the model may use (segmented).
    columns : dict of str to ColumnInfo
        The facts found about every column of the file.
    problems : list of Problem
        Findings, e.g. ``empty-cells``, ``not-a-number``, ``extreme-rows``,
        ``blank-rows``, ``left-out``.
    unknown_categories : dict of str to dict of str to int
        Per fixed-list category feature: values outside the list and their counts.
    n_excluded : int
        Rows left unsegmented.
    """

    n_rows: int
    n_usable: int
    columns: dict[str, ColumnInfo]
    problems: list[Problem] = field(default_factory=list)
    unknown_categories: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def n_excluded(self) -> int:
        """Rows left unsegmented: ``n_rows - n_usable``."""
        return self.n_rows - self.n_usable

    def by_severity(self, severity: Severity) -> list[Problem]:
        """The problems of one severity (``"error"``, ``"warning"`` or ``"info"``), in order."""
        return [p for p in self.problems if p.severity == severity]


@dataclass
class FeatureData:
    """Model input for every row of the file, and which rows the model may use.

    Values are kept as observed, so profiles describe real values; the model
    fills gaps with ``fill_values`` before scaling (see ``model.model_input``).

    Attributes
    ----------
    numeric : pandas.DataFrame
        Numeric features as floats (NaN = missing), one row per file row.
    categorical : pandas.DataFrame
        Category features as text (NA = missing).
    categories : dict of str to list of str
        Per category feature, the values the model one-hot encodes.
    usable : numpy.ndarray of bool
        Rows the model may use (segmented); the others get segment 0.
    row_notes : numpy.ndarray of str
        Why a row is excluded, or why it was assigned without taking part in
        the fit; ``""`` for the others. The labeled export's ``segment_note``.
    missing_policy : {"impute", "exclude"}
        The missing-value policy the input was built with.
    fill_values : dict of str to float or str
        What fills a gap (median, most frequent value), for columns that have gaps.
    held_out : numpy.ndarray of bool or None
        Usable rows with extreme values that the model is fitted without (see ``fit_rows``).
    n_usable : int
        Number of usable rows.
    """

    numeric: pd.DataFrame
    categorical: pd.DataFrame
    categories: dict[str, list[str]]
    usable: np.ndarray
    row_notes: np.ndarray
    missing_policy: MissingPolicy
    fill_values: dict[str, float | str] = field(default_factory=dict)
    held_out: np.ndarray | None = None

    @property
    def fit_rows(self) -> np.ndarray:
        """Rows the model is fitted on: the usable rows without the held-out extremes."""
        return self.usable if self.held_out is None else self.usable & ~self.held_out

    def for_fit(self) -> FeatureData:
        """This input restricted to the fit rows (itself when no row is held out)."""
        if self.held_out is None or not self.held_out.any():
            return self
        return replace(self, usable=self.fit_rows, held_out=None)

    def held_out_rows(self) -> FeatureData | None:
        """This input restricted to the held-out rows, to assign them a segment; None if none."""
        if self.held_out is None or not self.held_out.any():
            return None
        return replace(self, usable=self.usable & self.held_out, held_out=None)

    def filled_numeric(self, name: str) -> np.ndarray:
        """A numeric feature over the usable rows, gaps filled (read-only: it may be the stored column)."""
        values = over_rows(self.numeric[name].to_numpy(), self.usable)
        fill = self.fill_values.get(name)
        return values if fill is None else np.where(np.isnan(values), fill, values)

    def filled_categorical(self, name: str) -> pd.Series:
        """A categorical feature over the usable rows, gaps filled."""
        values = over_rows(self.categorical[name], self.usable)
        fill = self.fill_values.get(name)
        return values if fill is None else values.fillna(fill)

    @property
    def n_usable(self) -> int:
        """Number of usable rows."""
        return int(self.usable.sum())


def prepare(
    columns: dict[str, ParsedColumn],
    selection: FeatureSelection,
    *,
    missing: MissingPolicy = DEFAULT_MISSING,
    n_clusters: int = DEFAULT_K,
    placeholders: PlaceholderPolicy = DEFAULT_PLACEHOLDERS,
    keep_extremes: bool = False,
    lines: LineNumbers = one_line_per_row,
) -> tuple[FeatureData, ValidationReport]:
    """Build the model input and the validation report.

    Every data problem in the feature columns is found here and reported with
    what was done about it; only what makes clustering impossible is raised.

    Parameters
    ----------
    columns : dict of str to ParsedColumn
        The analysed columns (``Dataset.columns``).
    selection : FeatureSelection
        The chosen features.
    missing : {"impute", "exclude"}
        Fill gaps (median for numbers, most frequent value for categories) or
        leave rows with a gap out of the model. Either way, rows without any
        feature value, blank rows and a second header row are left out, with a note.
    n_clusters : int
        Segments asked for; fewer usable rows raise ``too-few-rows``.
    placeholders : {"missing", "category"}
        Placeholders (``n/a``, ``Não informado``) in category features are gaps,
        or a category of their own.
    keep_extremes : bool
        Fit on rows with extreme values too. By default they are held out of
        the fit (``FeatureData.held_out``) and later given their nearest segment.
    lines : callable
        Maps rows to file lines, for the line numbers in the report.

    Returns
    -------
    data : FeatureData
        The model input and which rows it may use.
    report : ValidationReport
        Every data problem found, and what was done about it.

    Raises
    ------
    SegmentationError
        ``no-usable-feature`` when ``selection`` has no feature; ``too-few-rows``
        when fewer than ``n_clusters`` rows are usable.
    ValueError
        For an unknown ``missing`` or ``placeholders`` policy.
    """
    if missing not in MISSING_POLICIES:
        raise ValueError(f"missing must be one of {MISSING_POLICIES}, not {missing!r}")
    if placeholders not in PLACEHOLDER_POLICIES:
        raise ValueError(f"placeholders must be one of {PLACEHOLDER_POLICIES}, not {placeholders!r}")
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
            name: _category_values(columns[name], selection.fixed_categories.get(name), placeholders)
            for name in selection.categorical
        },
        index=range(n_rows),
    )
    categories, unknown = _categories(categorical, selection)
    usable, notes = _usable_rows(numeric, categorical, missing)
    rows = row_findings(columns, usable, notes, lines)
    extremes = find_extremes(numeric, usable, lines, keep=keep_extremes)
    held_out = None if keep_extremes else extremes.rows
    if held_out is not None and extremes.notes is not None:  # notes are made with the first extreme row
        notes[held_out] = extremes.notes[held_out]
    data = FeatureData(
        numeric=numeric,
        categorical=categorical,
        categories=categories,
        usable=usable,
        row_notes=notes,
        missing_policy=missing,
        fill_values=_fill_values(numeric, categorical, usable),
        held_out=held_out,
    )
    report = ValidationReport(
        n_rows=n_rows,
        n_usable=data.n_usable,
        columns={name: column.info for name, column in columns.items()},
        problems=[
            *rows,
            *validation_problems(columns, selection, unknown, missing, placeholders),
            *extremes.problems,
            *sentinel_problems(numeric, usable),
        ],
        unknown_categories=unknown,
    )
    if data.n_usable < n_clusters:
        hint = (
            " Fill in the missing values, or switch the missing-value policy to 'impute'."
            if missing == "exclude"
            else ""
        )
        raise SegmentationError(
            "too-few-rows",
            n_usable=data.n_usable,
            rows=plural(data.n_usable, "customer row"),
            n_clusters=n_clusters,
            hint=hint,
        )
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
        values = over_rows(numeric[name].to_numpy(), usable)
        if np.isnan(values).any():
            fills[name] = float(np.nanmedian(values)) if np.isfinite(values).any() else 0.0
    for name in categorical.columns:
        cells = over_rows(categorical[name], usable)
        if cells.isna().any():
            counts = cells.value_counts()
            fills[name] = str(counts.index[0]) if len(counts) else ""
    return fills


def _category_values(
    column: ParsedColumn,
    fixed: tuple[str, ...] | None,
    placeholders: PlaceholderPolicy = DEFAULT_PLACEHOLDERS,
) -> pd.Series:
    values = column.values
    if isinstance(values, np.ndarray):  # numeric codes used as categories
        text = pd.Series(values).map(lambda v: "" if np.isnan(v) else f"{v:g}")
        values = text.mask(text == "").astype("string")
    elif placeholders == "category" and column.placeholders is not None:
        values = values.fillna(column.placeholders)  # "Não informado" becomes a category of its own
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
            unknown[name] = {str(value): int(n) for value, n in outside.value_counts().items()}
    return categories, unknown


def _usable_rows(
    numeric: pd.DataFrame, categorical: pd.DataFrame, missing: MissingPolicy
) -> tuple[np.ndarray, np.ndarray]:
    names = np.asarray([*numeric.columns, *categorical.columns])
    gap_columns = [np.isnan(numeric[name].to_numpy()) for name in numeric.columns]
    gap_columns += [categorical[name].isna().to_numpy() for name in categorical.columns]
    n_gaps = np.zeros(len(numeric), dtype=np.int64)
    for gaps in gap_columns:  # column by column: stacking them first would copy them all
        n_gaps += gaps
    usable = n_gaps == 0 if missing == "exclude" else n_gaps < len(names)
    notes = np.full(len(n_gaps), "", dtype=object)
    excluded = np.flatnonzero(~usable)
    if excluded.size:
        # One note per pattern of gaps, not per row: millions of rows share a few patterns.
        gaps = np.column_stack([column[excluded] for column in gap_columns])
        patterns, which = np.unique(gaps, axis=0, return_inverse=True)
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


def _excluded_reasons(selection: FeatureSelection) -> str:
    reasons = "; ".join(f"{name}: {why}" for name, why in list(selection.excluded.items())[:6])
    return reasons or "no columns"
