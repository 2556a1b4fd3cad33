"""The catalogue of findings: every problem and error the product reports, by stable code.

Modelled on frictionless-py's error catalogue: a finding is a small object with
a stable ``code`` (what tests, the CLI and the pages group and count by) and a
message built from the code's template (what people read). Wording can change
freely; codes do not.

Each part of the core adds its codes to its family's module in ``catalogue/``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .catalogue import columns, features, models, orders, reading, scale, store, workbooks
from .kinds import Kind, Severity
from .numbers import line_list as line_list  # the formatters live in numbers; kept importable here
from .numbers import number_text as number_text
from .numbers import plural as plural

_FAMILIES = (reading, features, columns, scale, models, orders, workbooks, store)
CATALOGUE: dict[str, Kind] = {kind.code: kind for family in _FAMILIES for kind in family.KINDS}


def message(code: str, /, **fields: object) -> str:
    """The message of ``code`` with its template filled from ``fields``."""
    return CATALOGUE[code].template.format(**fields)


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

    @property
    def severity(self) -> Severity:
        """How serious the finding is: ``"error"``, ``"warning"`` or ``"info"``."""
        return CATALOGUE[self.code].severity

    @property
    def title(self) -> str:
        """The catalogue's short heading for the code."""
        return CATALOGUE[self.code].title

    @classmethod
    def of(
        cls, code: str, /, *, column: str | None = None, count: int = 0, lines: tuple[int, ...] = (), **fields
    ) -> Problem:
        """A problem of kind ``code``; ``fields`` (and ``column``) fill its template."""
        if column is not None:
            fields["column"] = column
        return cls(code, message(code, **fields), column, count, tuple(lines))


def group_by_code(problems: list[Problem]) -> dict[str, list[Problem]]:
    """Problems grouped by code, in the order each code first appears."""
    groups: dict[str, list[Problem]] = {}
    for problem in problems:
        groups.setdefault(problem.code, []).append(problem)
    return groups
