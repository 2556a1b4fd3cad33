"""The catalogue of findings: every problem and error the product reports, by stable code.

Modelled on frictionless-py's error catalogue: a finding is a small object with
a stable ``code`` (what tests, the CLI and the pages group and count by) and a
message built from the code's template (what people read). Wording can change
freely; codes do not.

Each part of the core adds its codes to its family's module in ``catalogue/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import gettext
from .catalogue import columns, features, models, orders, reading, scale
from .kinds import Kind, Severity

_FAMILIES = (reading, features, columns, scale, models, orders)
CATALOGUE: dict[str, Kind] = {kind.code: kind for family in _FAMILIES for kind in family.KINDS}


def message(code: str, /, **fields: object) -> str:
    """The message of ``code`` in the current language, its template filled from ``fields``."""
    return gettext(CATALOGUE[code].template).format(**fields)


@dataclass(frozen=True)
class Problem:
    """One finding about the data, phrased for the person who owns the file.

    Data problems that still allow segmentation are collected as problems
    (in ``ValidationReport.problems`` and ``FeatureSelection.notes``) rather
    than raised; pages and the CLI group and count them by ``code``.

    Attributes
    ----------
    code : str
        The stable code of the finding in ``CATALOGUE``, e.g. ``"empty-cells"``.
    message : str
        The text shown to the user, built from the code's template.
    column : str or None
        The column it concerns, if one.
    count : int
        How many cells or rows it concerns.
    lines : tuple of int
        Where some of them are in the file (line 1 is the header), when known.
    severity : {"error", "warning", "info"}
        From the catalogue.
    title : str
        The catalogue's short heading for the code.

    Examples
    --------
    >>> from segmentation import Problem
    >>> problem = Problem.of("left-out", column="email", reason="free text")
    >>> problem.message, problem.severity
    ('email: left out — free text.', 'info')
    """

    code: str
    message: str
    column: str | None = None
    count: int = 0
    lines: tuple[int, ...] = ()
    # The template's values, so the message can be written again in another language
    # (a result computed once is shown to people who read different languages).
    fields: tuple[tuple[str, object], ...] = field(default=(), compare=False, repr=False)

    @property
    def text(self) -> str:
        """The message in the current language (``message`` is in the language it was made in)."""
        if not self.fields and self.message:
            return gettext(self.message)
        return message(self.code, **dict(self.fields))

    @property
    def severity(self) -> Severity:
        """How serious the finding is: ``"error"``, ``"warning"`` or ``"info"``."""
        return CATALOGUE[self.code].severity

    @property
    def title(self) -> str:
        """The catalogue's short heading for the code, in the current language."""
        return gettext(CATALOGUE[self.code].title)

    @classmethod
    def of(
        cls, code: str, /, *, column: str | None = None, count: int = 0, lines: tuple[int, ...] = (), **fields
    ) -> Problem:
        """A problem of kind ``code``; ``fields`` (and ``column``) fill its template."""
        if column is not None:
            fields["column"] = column
        return cls(code, message(code, **fields), column, count, tuple(lines), tuple(fields.items()))


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 row``, ``2 rows``, ``1,234 cells``: a count with its noun in the right number."""
    noun = singular if count == 1 else (plural_form or f"{singular}s")
    return f"{count:,} {noun}"


def number_text(value: float) -> str:
    """A number as people write it, never in scientific notation: 43,148,600,000, 2,594, 0.3402."""
    if value == int(value) or abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def line_list(lines: tuple[int, ...] | list[int], total: int) -> str:
    """``line 7``, ``lines 3, 9 and 12`` or ``lines 3, 9, 12, ... (and 10 more)`` for a message."""
    shown = [f"{line:,}" for line in lines]
    if len(shown) == 1 and total == 1:
        return f"line {shown[0]}"
    more = total - len(shown)
    if more > 0:
        return f"lines {', '.join(shown)} and {more:,} more"
    return f"lines {', '.join(shown[:-1])} and {shown[-1]}" if len(shown) > 1 else f"lines {shown[0]}"


def group_by_code(problems: list[Problem]) -> dict[str, list[Problem]]:
    """Problems grouped by code, in the order each code first appears."""
    groups: dict[str, list[Problem]] = {}
    for problem in problems:
        groups.setdefault(problem.code, []).append(problem)
    return groups
