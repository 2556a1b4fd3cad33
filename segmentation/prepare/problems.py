"""What validation found in the chosen columns: gaps, placeholders, text in number columns, header rows."""

from __future__ import annotations

import numpy as np

from ..io.reader import LineNumbers
from ..model.settings import (
    DEFAULT_PLACEHOLDERS,
    MissingPolicy,
    PlaceholderPolicy,
)
from ..report.findings import Problem
from ..report.numbers import cells_are, line_list, plural
from .columns import ColumnInfo, ParsedColumn
from .features import FeatureSelection
from .outliers import MAX_EXAMPLES

NOTE_BLANK = "not segmented: blank row"
NOTE_SECOND_HEADER = "not segmented: second header row (column descriptions)"


def row_findings(
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


def validation_problems(
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
        problems.extend(column_problems(info, action, placeholders_as_category=as_category))
    for name, counts in unknown.items():
        total = sum(counts.values())
        examples = ", ".join(f"{value!r} ({count})" for value, count in list(counts.items())[:MAX_EXAMPLES])
        problems.append(
            Problem.of(
                "unknown-category",
                column=name,
                count=total,
                cells=cells_are(total),
                examples=examples,
                allowed=", ".join(selection.fixed_categories[name]),
            )
        )
    for name, reason in selection.excluded.items():
        problems.append(Problem.of("left-out", column=name, reason=reason))
    return problems


def column_problems(
    info: ColumnInfo, action: str, *, placeholders_as_category: bool = False
) -> list[Problem]:
    found: list[Problem] = []
    name = info.name
    n_empty = info.n_empty - int(info.blank_rows.size)  # blank rows have their own finding
    if n_empty > 0:
        found.append(
            Problem.of("empty-cells", column=name, count=n_empty, cells=cells_are(n_empty), action=action)
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
                cells=cells_are(count),
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
                cells=cells_are(info.n_non_numeric),
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
