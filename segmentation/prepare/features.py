"""Choose which columns describe a customer, and say why the others were left out.

Two kinds of files arrive: the origin schema (``annual_income``,
``spending_score``, ... and ``product_category``), recognised whatever the
spelling of its headers, and any other export, where numbers become numeric
features and short lists of text values become categories.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..model.settings import DEFAULT_MAX_CATEGORIES
from ..report.errors import SegmentationError
from ..report.findings import Problem
from . import roles
from .columns import ParsedColumn, arrow_text
from .informative import uninformative_reason
from .leakage import derived_columns
from .schema import PRODUCT_CATEGORIES, SEED_CATEGORICAL, SEED_ID, SEED_NUMERIC

MAX_MISSING_SHARE = 0.5
# One-hot encoding a column with more values than this would swamp the others.
MAX_FORCED_CATEGORIES = 100
_SEED_MIN_MATCHES = 3
_ID_NAMES = frozenset(
    {
        "id",
        "customerid",
        "custid",
        "clientnum",
        "clientid",
        "clientnumber",
        "customernumber",
        "accountid",
        "accountnumber",
        "userid",
        "memberid",
        "uuid",
        "guid",
        "cdcliente",
    }
)
DATE_REASON = "date: not used as a feature (derive e.g. days since from it first)"


@dataclass(frozen=True)
class OrderLinesHint:
    """Why a file looks like order lines, and the columns the order-lines route needs.

    ``customer_column`` repeats over rows (a customer on several lines);
    ``order_column``, ``date_column`` and ``amount_columns`` are what else
    was found (``None`` or empty when the file has none).
    """

    customer_column: str
    n_customers: int
    n_rows: int
    order_column: str | None = None
    date_column: str | None = None
    amount_columns: tuple[str, ...] = ()


@dataclass
class FeatureSelection:
    """The feature columns, their role, and a reason for every column left out.

    What ``choose_features`` proposes (or the user chose), so that every
    column of the file is accounted for in the report.

    Attributes
    ----------
    numeric, categorical : list of str
        The feature columns, by role.
    excluded : dict of str to str
        Every other column, with the reason it was left out.
    schema : {"seed", "generic"}
        ``"seed"`` when the file has at least three of the origin document's columns.
    fixed_categories : dict of str to tuple of str
        Category features whose values are a known, fixed list (the seed schema's product categories).
    id_column : str or None
        The customer identifier column, if one was recognised.
    notes : list of Problem
        Findings about the choice: ``order-lines``, ``outcome-columns``.
    outcomes : list of str
        Outcome columns (churn, response, ...) left out of the features so that
        the profiles can show them per segment.
    order_lines : OrderLinesHint or None
        Set when rows look like order lines rather than customers.
    features : list of str
        The numeric, then the categorical features.
    """

    numeric: list[str]
    categorical: list[str]
    excluded: dict[str, str] = field(default_factory=dict)
    schema: Literal["seed", "generic"] = "generic"
    fixed_categories: dict[str, tuple[str, ...]] = field(default_factory=dict)
    id_column: str | None = None
    notes: list[Problem] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    order_lines: OrderLinesHint | None = None

    @property
    def features(self) -> list[str]:
        """The numeric, then the categorical features."""
        return [*self.numeric, *self.categorical]


def column_key(name: str) -> str:
    """``Annual Income``, ``annual-income`` and ``AnnualIncome`` all give ``annualincome``."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


def name_tokens(name: str) -> list[str]:
    """Words of a header, splitting on punctuation and camelCase (``customerID`` → customer, id)."""
    return [t.lower() for t in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", name)]


def seed_columns(names: Sequence[str]) -> dict[str, str]:
    """Map seed-schema names to the file's columns that spell them, in any style."""
    wanted = {column_key(seed): seed for seed in (*SEED_NUMERIC, SEED_CATEGORICAL, SEED_ID)}
    found: dict[str, str] = {}
    for name in names:
        seed = wanted.get(column_key(name))
        if seed and seed not in found:
            found[seed] = name
    return found


def choose_features(
    columns: dict[str, ParsedColumn],
    *,
    max_categories: int = DEFAULT_MAX_CATEGORIES,
    features: Sequence[str] | None = None,
    as_categorical: Sequence[str] = (),
    include_outcomes: bool = False,
) -> FeatureSelection:
    """Propose features for clustering.

    Parameters
    ----------
    columns : dict of str to ParsedColumn
        The analysed columns of a file.
    max_categories : int
        A text column with more distinct values is not proposed as a category.
    features : sequence of str, optional
        Overrides the proposal; each column takes the role its content allows.
    as_categorical : sequence of str
        Numeric codes (region numbers and the like) to treat as categories.
    include_outcomes : bool
        Propose outcome columns (churn, response, ...) as features; by default
        they are left out and listed in ``outcomes``, for the profiles.

    Returns
    -------
    FeatureSelection
        The features, a reason for every column left out, and notes such as
        ``order-lines`` (with ``order_lines`` naming the customer key).

    Raises
    ------
    SegmentationError
        ``unknown-column`` when ``features`` or ``as_categorical`` name a column
        the file lacks; for ``features``, ``no-feature-chosen`` when it is empty,
        ``empty-feature`` for a column without values and ``too-many-categories``
        for a text column with too many distinct values.
    """
    unknown = [name for name in [*(features or []), *as_categorical] if name not in columns]
    if unknown:
        raise SegmentationError(
            "unknown-column", names=", ".join(map(repr, unknown)), columns=", ".join(columns)
        )
    seed = seed_columns(list(columns))
    is_seed = sum(1 for s in seed if s != SEED_ID) >= _SEED_MIN_MATCHES
    if is_seed:
        selection = _seed_selection(columns, seed)
    else:
        selection = _generic_selection(columns, max_categories, include_outcomes=include_outcomes)
        _leave_out(selection, _uninformative(columns, selection.features))
    _leave_out(
        selection,
        {d.column: d.reason for d in derived_columns(columns, selection.features, selection.outcomes)},
    )
    if features is not None:
        selection = _override(selection, columns, list(features))
    for name in as_categorical:
        if name in selection.numeric:
            selection.numeric.remove(name)
            selection.categorical.append(name)
    selection.order_lines = order_lines_hint(columns)
    selection.notes.extend(_notes(selection))
    return selection


def _uninformative(columns: dict[str, ParsedColumn], names: list[str]) -> dict[str, str]:
    """Rare flags and nearly constant columns among ``names``, with their reasons."""
    reasons = {name: uninformative_reason(columns[name]) for name in names}
    return {name: reason for name, reason in reasons.items() if reason}


def _leave_out(selection: FeatureSelection, reasons: dict[str, str]) -> None:
    """Move proposed features out of the selection, each with its reason (a user's choice puts them back)."""
    for name, reason in reasons.items():
        for role in (selection.numeric, selection.categorical):
            if name in role:
                role.remove(name)
        selection.excluded[name] = reason


def _seed_selection(columns: dict[str, ParsedColumn], seed: dict[str, str]) -> FeatureSelection:
    selection = FeatureSelection(numeric=[], categorical=[], schema="seed", id_column=seed.get(SEED_ID))
    for name in SEED_NUMERIC:
        column = seed.get(name)
        if column is None:
            continue
        reason = _unusable_reason(columns[column])
        if reason is None and columns[column].info.kind != "numeric":
            reason = "expected numbers, but most cells are not numbers"
        if reason:
            selection.excluded[column] = reason
        else:
            selection.numeric.append(column)
    category = seed.get(SEED_CATEGORICAL)
    if category is not None:
        selection.categorical.append(category)
        selection.fixed_categories[category] = PRODUCT_CATEGORIES
    used = set(selection.features) | set(selection.excluded)
    for name in columns:
        if name == selection.id_column:
            selection.excluded[name] = "customer ID: identifies a customer, describes nothing"
        elif name not in used and roles.is_outcome(name, columns[name].info, _few_values(columns[name])):
            selection.excluded[name] = roles.OUTCOME
            selection.outcomes.append(name)
        elif name not in used:
            selection.excluded[name] = "not part of the customer schema (add it to the features to use it)"
    return selection


def _generic_selection(
    columns: dict[str, ParsedColumn], max_categories: int, *, include_outcomes: bool = False
) -> FeatureSelection:
    selection = FeatureSelection(numeric=[], categorical=[])
    for name, column in columns.items():
        info = column.info
        if not include_outcomes and roles.is_outcome(name, info, _few_values(column)):
            selection.excluded[name] = roles.OUTCOME
            selection.outcomes.append(name)
            continue
        reason = (
            _date_reason(column)
            or roles.identity_reason(name, info, consecutive=_consecutive(column))
            or _id_reason(name, column)
            or _unusable_reason(column)
        )
        if reason is None and info.kind == "text" and info.n_distinct > max_categories:
            reason = (
                f"text with {info.n_distinct:,} different values (more than {max_categories}): "
                "too many to use as a category"
            )
        if reason:
            selection.excluded[name] = reason
            if selection.id_column is None and reason.startswith("customer ID"):
                selection.id_column = name
        elif info.kind == "numeric":
            selection.numeric.append(name)
        else:
            selection.categorical.append(name)
    return selection


def _few_values(column: ParsedColumn) -> list[str]:
    """The distinct texts of a column with a few values (for outcome words such as "Cancelado")."""
    texts = column.values  # a text column's values are a Series
    if column.info.kind != "text" or not isinstance(texts, pd.Series):
        return []
    if column.info.n_distinct > roles.MAX_OUTCOME_LEVELS:
        return []
    return [str(v) for v in pd.unique(texts.dropna())]


def _consecutive(column: ParsedColumn) -> bool:
    """1, 2, 3, ... (or 0, 1, 2, ...) in file order: a row number."""
    info = column.info
    if info.kind != "numeric" or not info.integer_like or not info.unique_per_row:
        return False
    values = np.asarray(column.values, dtype=np.float64)
    return values[0] in (0.0, 1.0) and bool(np.all(np.diff(values) == 1))


def _date_reason(column: ParsedColumn) -> str | None:
    return DATE_REASON if column.info.kind == "date" else None


def _id_reason(name: str, column: ParsedColumn) -> str | None:
    info = column.info
    named_like_id = "id" in name_tokens(name) or column_key(name) in _ID_NAMES
    named_like_id = named_like_id or roles.is_customer_named(name)
    mostly_distinct = info.n_present > 0 and info.n_distinct > 0.5 * info.n_present
    if named_like_id and mostly_distinct:
        return "customer ID: named like an identifier and almost unique per row"
    if info.unique_per_row and (info.kind == "text" or _looks_like_counter(column)):
        return "customer ID: a different value in every row"
    return None


def _looks_like_counter(column: ParsedColumn) -> bool:
    """Unique integers that run in order or fill a range are row numbers, not measurements.

    Unique incomes in a small file are not IDs; 1, 2, 3, ... or 1001..1200 are.
    """
    if not column.info.integer_like:
        return False
    values = np.asarray(column.values, dtype=np.float64)
    steps = np.diff(values)
    return bool(np.all(steps > 0) or np.all(steps < 0) or values.max() - values.min() + 1 == len(values))


def _unusable_reason(column: ParsedColumn) -> str | None:
    info = column.info
    if info.kind == "empty":
        return "no values"
    if info.kind == "date":
        return DATE_REASON
    if info.constant:
        return "the same value in every row: it cannot tell customers apart"
    if info.n_missing > MAX_MISSING_SHARE * info.n_rows:
        return f"{info.n_missing / info.n_rows:.0%} of the cells are missing"
    return None


def _override(
    proposal: FeatureSelection, columns: dict[str, ParsedColumn], features: list[str]
) -> FeatureSelection:
    if not features:
        raise SegmentationError("no-feature-chosen")
    selection = FeatureSelection(
        numeric=[],
        categorical=[],
        schema=proposal.schema,
        id_column=proposal.id_column,
        fixed_categories={k: v for k, v in proposal.fixed_categories.items() if k in features},
        outcomes=[name for name in proposal.outcomes if name not in features],
    )
    for name in features:
        info = columns[name].info
        if info.kind == "numeric":
            selection.numeric.append(name)
        elif info.kind == "empty":
            raise SegmentationError("empty-feature", column=name)
        elif info.n_distinct > MAX_FORCED_CATEGORIES and name not in selection.fixed_categories:
            raise SegmentationError(
                "too-many-categories", column=name, n_distinct=info.n_distinct, limit=MAX_FORCED_CATEGORIES
            )
        else:
            selection.categorical.append(name)
    selection.excluded = {
        name: proposal.excluded.get(name, "not chosen as a feature")
        for name in columns
        if name not in features
    }
    return selection


def order_lines_hint(columns: dict[str, ParsedColumn]) -> OrderLinesHint | None:
    """Rows that are order lines: a column named like a customer key (text or numbers) repeats.

    A repeating customer key is enough; an order number, a date column and
    line amounts, when present, are named too. A row-number or ID column
    elsewhere in the file does not hide it.
    """
    infos = {name: column.info for name, column in columns.items()}
    for name in roles.customer_key_candidates(infos):
        info = infos[name]
        if roles.is_repeating_customer_key(name, info):
            return OrderLinesHint(
                customer_column=name,
                n_customers=info.n_distinct,
                n_rows=info.n_rows,
                order_column=roles.order_column(infos),
                date_column=next((n for n, i in infos.items() if i.kind == "date"), None),
                amount_columns=roles.amount_columns(infos),
            )
    return None


def _notes(selection: FeatureSelection) -> list[Problem]:
    notes = []
    hint = selection.order_lines
    if hint is not None:
        notes.append(
            Problem.of(
                "order-lines",
                column=hint.customer_column,
                count=hint.n_rows,
                n_distinct=hint.n_customers,
                n_rows=hint.n_rows,
                evidence=_order_evidence(hint),
            )
        )
    if selection.outcomes:
        one = len(selection.outcomes) == 1
        notes.append(
            Problem.of(
                "outcome-columns",
                count=len(selection.outcomes),
                columns=", ".join(selection.outcomes),
                noun="column" if one else "columns",
                pronoun="it" if one else "them",
            )
        )
    return notes


def _order_evidence(hint: OrderLinesHint) -> str:
    found = []
    if hint.order_column:
        found.append(f"order numbers in {hint.order_column!r}")
    if hint.date_column:
        found.append(f"dates in {hint.date_column!r}")
    if hint.amount_columns:
        found.append("line amounts in " + ", ".join(map(repr, hint.amount_columns[:3])))
    return f", with {', '.join(found)}" if found else ""


def normalise_categories(values: pd.Series, known: Sequence[str] = ()) -> pd.Series:
    """``Home Goods`` and `` HOME-GOODS `` both become ``home_goods``.

    With ``known`` categories, a value that differs from one only by its
    separators (``HomeGoods``, ``home__goods``) becomes that category.
    """
    # Normalise each distinct value once: categories repeat over millions of rows.
    encoded = pc.dictionary_encode(arrow_text(values)).combine_chunks()
    lowered = pc.utf8_lower(pc.utf8_trim_whitespace(encoded.dictionary))
    normalised = pc.replace_substring_regex(lowered, r"[\s\-_]+", "_")
    if known:
        squeezed = pc.replace_substring(normalised, "_", "")
        match = pc.index_in(squeezed, value_set=pa.array([k.replace("_", "") for k in known]))
        normalised = pc.if_else(pc.is_valid(match), pa.array(known, normalised.type).take(match), normalised)
    if normalised.equals(encoded.dictionary):  # written as categories already: nothing to rewrite
        return pd.Series(pd.arrays.ArrowStringArray(arrow_text(values)), index=values.index)
    return pd.Series(pd.arrays.ArrowStringArray(normalised.take(encoded.indices)), index=values.index)
