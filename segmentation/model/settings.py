"""Every default of the product, defined once.

The core's functions, the command line and the dashboard all take their
defaults from here, so "5 segments, standard scaling, gaps filled, seed 42"
is written in one place. Constants only, plus the ``Settings`` value, checked
when it is made (as scikit-learn checks its parameter constraints): nothing
heavier than the standard library is imported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, Literal

from ..report.errors import SegmentationError

Scaling = Literal["standard", "robust", "minmax", "none"]
#: The accepted values of ``Settings.scaling`` (and of ``--scaling``), in the order offered:
#: StandardScaler, RobustScaler (median and IQR, for skewed data), MinMaxScaler, or none.
SCALINGS: tuple[Scaling, ...] = ("standard", "robust", "minmax", "none")
MissingPolicy = Literal["impute", "exclude"]
#: The accepted values of ``Settings.missing``: fill gaps in feature columns (median, most
#: frequent value), or leave rows with a gap unsegmented (segment 0, with a note).
MISSING_POLICIES: tuple[MissingPolicy, ...] = ("impute", "exclude")
PlaceholderPolicy = Literal["missing", "category"]
PLACEHOLDER_POLICIES: tuple[PlaceholderPolicy, ...] = ("missing", "category")

DEFAULT_K = 5  # the origin document's number of segments
DEFAULT_SCALING: Scaling = "standard"
DEFAULT_MISSING: MissingPolicy = "impute"
DEFAULT_PLACEHOLDERS: PlaceholderPolicy = "missing"  # "n/a", "Não informado": a gap, not a category
DEFAULT_SEED = 42
DEFAULT_MAX_CATEGORIES = 20  # more distinct texts than this: not a category
K_MIN, K_MAX = 2, 10  # the range offered for k, and scored by choose-k
DEFAULT_SAMPLE_SIZE = 100  # synthetic customers, as in the origin document
DEFAULT_FIT_ROWS = 1_000_000  # Parquet input: the model is fitted on a sample of at most this many rows


@dataclass(frozen=True)
class Settings:
    """Every choice that changes the segments; hashable, so it can key a cache.

    Parameters
    ----------
    n_clusters : int
        Number of segments (k).
    scaling : {"standard", "robust", "minmax", "none"}
        How numeric features are put on a common scale before KMeans.
    missing : {"impute", "exclude"}
        Fill gaps (median, most frequent value) or leave rows with a gap unsegmented.
    random_state : int
        Seed of KMeans' starts; the same seed gives the same segments.
    features : tuple of str, optional
        The feature columns; ``None`` uses the proposed features.
    as_categorical : tuple of str
        Numeric columns to treat as categories (region codes and the like).
    max_categories : int
        A text column with more distinct values than this is not proposed as a category.
    include_outcomes : bool
        Propose outcome columns (churn, response, ...) as features too; by default they are
        left out and shown per segment, since segments should explain them, not be made of them.
    keep_extremes : bool
        Fit the model on rows with extreme values too; by default they are left out of the fit
        (a few corrupt rows would otherwise make a segment of their own) and then given their
        nearest segment.
    placeholders : {"missing", "category"}
        Placeholders such as ``n/a`` or ``Não informado`` in a category column are gaps
        (``"missing"``) or a category of their own (``"category"``).

    Examples
    --------
    >>> from segmentation import Settings
    >>> Settings().n_clusters
    5
    >>> Settings(n_clusters=3, scaling="robust").scaling
    'robust'
    >>> Settings() == Settings(n_clusters=5)  # equal settings, same cache key
    True
    >>> Settings(n_clusters=1)
    Traceback (most recent call last):
    ...
    segmentation.report.errors.SegmentationError: The number of segments must be a whole number of at least 2 (got 1).
    """

    n_clusters: int = DEFAULT_K
    scaling: Scaling = DEFAULT_SCALING
    missing: MissingPolicy = DEFAULT_MISSING
    random_state: int = DEFAULT_SEED
    features: tuple[str, ...] | None = None
    as_categorical: tuple[str, ...] = ()
    max_categories: int = DEFAULT_MAX_CATEGORIES
    include_outcomes: bool = False
    keep_extremes: bool = False
    placeholders: PlaceholderPolicy = DEFAULT_PLACEHOLDERS

    def __post_init__(self) -> None:
        for name in ("features", "as_categorical"):  # a list from a caller: kept hashable
            value = getattr(self, name)
            if isinstance(value, list):
                object.__setattr__(self, name, tuple(value))
        for f in fields(self):
            what, rule, holds = _CONSTRAINTS[f.name]
            value = getattr(self, f.name)
            if not holds(value):
                raise SegmentationError("bad-setting", what=what, rule=rule, value=value)


def _whole(at_least: int, below: int | None = None) -> Callable[[Any], bool]:
    def holds(value: Any) -> bool:
        whole = isinstance(value, int) and not isinstance(value, bool)
        return whole and value >= at_least and (below is None or value < below)

    return holds


def _one_of(choices: tuple[str, ...]) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, str) and value in choices


def _names(optional: bool) -> Callable[[Any], bool]:
    def holds(value: Any) -> bool:
        if value is None:
            return optional
        return isinstance(value, tuple) and all(isinstance(name, str) for name in value)

    return holds


def _choices(choices: tuple[str, ...]) -> str:
    return "one of " + ", ".join(repr(choice) for choice in choices)


# What each field of Settings must be: (what it is called, the rule in words, the check).
_CONSTRAINTS: dict[str, tuple[str, str, Callable[[Any], bool]]] = {
    "n_clusters": ("The number of segments", "a whole number of at least 2", _whole(2)),
    "scaling": ("The scaling", _choices(SCALINGS), _one_of(SCALINGS)),
    "missing": ("The handling of gaps", _choices(MISSING_POLICIES), _one_of(MISSING_POLICIES)),
    "random_state": ("The random seed", "a whole number from 0 to 4294967295", _whole(0, 2**32)),
    "features": ("The feature columns", "a list of column names, or none", _names(optional=True)),
    "as_categorical": ("The columns read as categories", "a list of column names", _names(optional=False)),
    "max_categories": ("The most categories of a text column", "a whole number of at least 1", _whole(1)),
    "include_outcomes": ("Using outcome columns as features", "True or False", lambda v: isinstance(v, bool)),
    "keep_extremes": ("Fitting on extreme values", "True or False", lambda v: isinstance(v, bool)),
    "placeholders": (
        "The handling of placeholders",
        _choices(PLACEHOLDER_POLICIES),
        _one_of(PLACEHOLDER_POLICIES),
    ),
}


DEFAULTS = Settings()
