"""Turn chosen columns into model input and report every data problem found.

Data problems are collected, not raised: the report says what was found and
what was done about it (imputed, excluded, ignored). Only what makes
clustering impossible raises ``SegmentationError``.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import TypeVar

import numpy as np
import pandas as pd

from . import column_roles as roles
from .columns import ColumnInfo, ParsedColumn
from .errors import SegmentationError
from .features import FeatureSelection, normalise_categories
from .findings import Problem, Severity, line_list, number_text, plural
from .reader import LineNumbers, one_line_per_row
from .settings import (
    DEFAULT_K,
    DEFAULT_MISSING,
    DEFAULT_PLACEHOLDERS,
    MISSING_POLICIES,
    PLACEHOLDER_POLICIES,
    MissingPolicy,
    PlaceholderPolicy,
)

MAX_EXAMPLES = 5
# A value is extreme when it lies further than this many robust standard deviations
# (MAD or IQR based, so the extremes themselves cannot inflate the scale) beyond the
# EXTREME_QUANTILE .. 1 - EXTREME_QUANTILE range of its column.
EXTREME_SCALES = 10.0
EXTREME_QUANTILE = 0.001
MIN_ROWS_FOR_EXTREMES = 50
_SCALE_SAMPLE = 200_000
_MAD_TO_SD = 1.4826  # MAD of a normal distribution times this is its standard deviation
_IQR_TO_SD = 1 / 1.349
# Codes for "no value" written as numbers: all nines, and -1 where only counts make sense.
_NINES = (99.0, 999.0, 9999.0, 99999.0, 999999.0, -99.0, -999.0, -9999.0)
_COUNT_WORDS = frozenset(
    {"day", "days", "age", "count", "num", "number", "recency", "tenure", "previous", "pdays",
     "dias", "tage", "месяцев", "дней", "qty", "quantity", "visits", "months", "years", "weeks"}
)  # fmt: skip
NOTE_BLANK = "not segmented: blank row"
NOTE_SECOND_HEADER = "not segmented: second header row (column descriptions)"


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
    rows = _row_findings(columns, usable, notes, lines)
    extremes = _extremes(numeric, usable, lines, keep=keep_extremes)
    held_out = None if keep_extremes else extremes.rows
    if held_out is not None and held_out.any():
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
            *_problems(columns, selection, unknown, missing, placeholders),
            *extremes.problems,
            *_sentinel_problems(numeric, usable),
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


ArrayOrSeries = TypeVar("ArrayOrSeries", np.ndarray, pd.Series)


def over_rows(values: ArrayOrSeries, rows: np.ndarray) -> ArrayOrSeries:
    """``values[rows]`` (an array, or a Series keeping its labels), without the copy when every
    row is chosen (the usual case)."""
    return values if rows.all() else values[rows]


def present_values(values: np.ndarray) -> np.ndarray:
    """The values that are not NaN, without a copy when there is no gap."""
    gaps = np.isnan(values)
    return values[~gaps] if gaps.any() else values


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
        values = over_rows(categorical[name], usable)
        if values.isna().any():
            counts = values.value_counts()
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
            unknown[name] = outside.value_counts().to_dict()
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


def _row_findings(
    columns: dict[str, ParsedColumn], usable: np.ndarray, notes: np.ndarray, lines: LineNumbers
) -> list[Problem]:
    """Blank rows and a second header row: left out, with a note, and one finding each."""
    info = next(iter(columns.values())).info
    found = []
    blank = info.blank_rows
    if blank.size:
        usable[blank] = False
        notes[blank] = NOTE_BLANK
        shown = tuple(int(line) for line in lines(blank[:10]))
        found.append(
            Problem.of(
                "blank-rows",
                count=int(blank.size),
                lines=shown,
                rows=plural(int(blank.size), "blank row"),
                where=line_list(shown, int(blank.size)),
            )
        )
    headers = {name: c.info.second_header for name, c in columns.items() if c.info.second_header is not None}
    if headers:
        usable[0] = False
        notes[0] = NOTE_SECOND_HEADER
        line = int(lines(np.array([0]))[0])
        numeric = [name for name in headers if columns[name].info.kind == "numeric"]
        examples = "; ".join(f"{name}: {headers[name]!r}" for name in numeric[:3])
        found.append(Problem.of("second-header", count=1, lines=(line,), line=line, examples=examples))
    return found


@dataclass
class _Extremes:
    """Rows with extreme values (over all rows), a note for each, and one finding per column."""

    rows: np.ndarray
    notes: np.ndarray | None  # None when no row is extreme
    problems: list[Problem]


def extreme_mask(values: np.ndarray) -> np.ndarray | None:
    """Which values lie far outside the rest of their column, on a robust scale; None if none can.

    Far means more than ``EXTREME_SCALES`` robust standard deviations (from the
    MAD, or the IQR when over half the values are equal) beyond the 0.1-99.9%
    quantile range: a value set apart from the rest, not the end of a long
    tail (large spenders are customers too). Mean and standard deviation would
    be inflated by the very values looked for. A column with no spread (a rare
    0/1 flag) has no scale to judge by, so nothing in it is extreme.
    """
    present = present_values(values)
    if present.size < MIN_ROWS_FOR_EXTREMES:
        return None
    if present.size > _SCALE_SAMPLE:  # the scale from an even, fixed sample: as exact, far cheaper
        present = present[:: present.size // _SCALE_SAMPLE]
    low, q1, median, q3, high = np.quantile(
        present, [EXTREME_QUANTILE, 0.25, 0.5, 0.75, 1 - EXTREME_QUANTILE]
    )
    scale = max(_MAD_TO_SD * float(np.median(np.abs(present - median))), _IQR_TO_SD * (q3 - q1))
    if not scale > 1e-9 * max(abs(median), 1.0):
        return None
    reach = EXTREME_SCALES * scale
    with np.errstate(invalid="ignore"):
        mask = (values > high + reach) | (values < low - reach)
    return mask if mask.any() else None


def _extremes(numeric: pd.DataFrame, usable: np.ndarray, lines: LineNumbers, *, keep: bool) -> _Extremes:
    rows = np.zeros(len(usable), dtype=bool)
    notes = None  # made when the first extreme value is found: usually never
    problems = []
    action = (
        "kept in the fit (as asked)"
        if keep
        else "left out of the fit, then assigned to the nearest segment (keep them with --keep-extremes)"
    )

    def usable_values(name: str) -> np.ndarray:
        values = numeric[name].to_numpy()
        return values if usable.all() else np.where(usable, values, np.nan)

    # Column by column on every core: the quantiles and comparisons release the GIL.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        masks = list(pool.map(lambda name: extreme_mask(usable_values(name)), numeric.columns))
    for name, mask in zip(numeric.columns, masks, strict=True):
        values = numeric[name].to_numpy()
        if mask is None:
            continue
        where = np.flatnonzero(mask)
        rows |= mask
        if notes is None:
            notes = np.full(len(usable), "", dtype=object)
        notes[where] = np.where(
            notes[where] == "",
            f"extreme value in {name}; assigned to the nearest segment",
            notes[where] + f", {name}",
        )
        shown = tuple(int(line) for line in lines(where[:MAX_EXAMPLES]))
        examples = "; ".join(
            f"line {line}: {number_text(values[row])}"
            for line, row in zip(shown, where[:MAX_EXAMPLES], strict=False)
        )
        typical = np.nanquantile(np.where(usable & ~mask, values, np.nan), [0.01, 0.99])
        problems.append(
            Problem.of(
                "extreme-rows",
                column=name,
                count=int(where.size),
                lines=shown,
                rows=plural(int(where.size), "row"),
                examples=examples,
                low=number_text(float(typical[0])),
                high=number_text(float(typical[1])),
                action=action,
            )
        )
    return _Extremes(rows, notes, problems)


def _sentinel_problems(numeric: pd.DataFrame, usable: np.ndarray) -> list[Problem]:
    """Numbers that are likely codes for no value: 999-style nines, or -1 in a column of counts."""

    def column_problems(name: str) -> list[Problem]:
        values = present_values(over_rows(numeric[name].to_numpy(), usable))
        if values.size < 2:
            return []
        found = []
        for value, why in _likely_sentinels(name, values):
            count = int((values == value).sum())
            cells = plural(count, "cell")
            found.append(
                Problem.of(
                    "likely-sentinel",
                    column=name,
                    count=count,
                    value=number_text(value),
                    cells=cells,
                    why=why,
                )
            )
        return found

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # as in _extremes
        return [problem for found in pool.map(column_problems, numeric.columns) for problem in found]


def _likely_sentinels(name: str, values: np.ndarray) -> list[tuple[float, str]]:
    found = []
    top = float(values.max())
    if top in _NINES or _is_round(top):  # otherwise the maximum is no code: no need for the rest
        rest = values[values != top]
        if top in _NINES and rest.size and top > 2 * max(float(rest.max()), 0.0):
            found.append(
                (
                    top,
                    f"all nines, far above every other value, the next highest being {number_text(float(rest.max()))}",
                )
            )
        elif _is_round(top) and rest.size and _isolated_maximum(top, values, rest):
            found.append((top, "a round number far above the rest"))
    bottom = float(values.min())
    counts = bool(set(roles.header_words(name)) & _COUNT_WORDS)
    if bottom in (-1.0, -99.0, -999.0) and counts and (values[values != bottom] >= 0).all():
        found.append((bottom, "negative in a column of counts, days or ages"))
    return found


def _isolated_maximum(top: float, values: np.ndarray, rest: np.ndarray) -> bool:
    """A maximum on at most 1% of the cells, ten times the rest's 99th percentile and twice its maximum."""
    rare = (values == top).sum() <= 0.01 * values.size
    return bool(rare and top > 10 * max(float(np.quantile(rest, 0.99)), 1.0) and rest.max() < 0.5 * top)


def _is_round(value: float) -> bool:
    """1000, 50000, 1e6: a power of ten, or one digit then zeros, at least 1000."""
    if value < 1000 or value != int(value):
        return False
    digits = str(int(value))
    return digits[1:] == "0" * (len(digits) - 1)


def _problems(
    columns: dict[str, ParsedColumn],
    selection: FeatureSelection,
    unknown: dict[str, dict[str, int]],
    missing: MissingPolicy,
    placeholders: PlaceholderPolicy = DEFAULT_PLACEHOLDERS,
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
        as_category = placeholders == "category" and name in selection.categorical
        problems.extend(_column_problems(info, action, placeholders_as_category=as_category))
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


def _column_problems(
    info: ColumnInfo, action: str, *, placeholders_as_category: bool = False
) -> list[Problem]:
    found: list[Problem] = []
    name = info.name
    n_empty = info.n_empty - int(info.blank_rows.size)  # blank rows have their own finding
    if n_empty > 0:
        found.append(
            Problem.of("empty-cells", column=name, count=n_empty, cells=_cells(n_empty), action=action)
        )
    for value, count in info.sentinels.items():
        if placeholders_as_category:
            handling, then = "read as a placeholder", "kept as a category of its own (switch: placeholders)"
        else:
            handling, then = "read as missing (a gap)", action
        found.append(
            Problem.of(
                "placeholder",
                column=name,
                count=count,
                cells=_cells(count),
                value=value,
                handling=handling,
                action=then,
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
