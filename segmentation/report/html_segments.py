"""The per-segment sections of the HTML report, and the report's numbers as text.

A segment's section holds its size and share, its means against every
customer's (in the file's units, with the difference in standard deviations),
its category mix, and the optional parts the run has: outcome rates (with the
overall rate and the lift when the profiles carry them) and the rule in words.
An optional part is a function in ``SEGMENT_PARTS`` that returns None when the
run lacks what it shows, so a new kind of result is one more function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..model.compare import overall_means, overall_shares
from ..model.segment_name import segment_name

if TYPE_CHECKING:
    from ..model.analysis import Segmentation


@dataclass
class Table:
    """A plain table for the template: header cells and rows of text."""

    columns: list[str]
    rows: list[list[str]]


@dataclass
class SegmentPart:
    """An optional part of a segment's section: a title, lines of text and/or a table."""

    title: str
    lines: list[str] = field(default_factory=list)
    table: Table | None = None
    css: str = ""


def count_text(value: Any) -> str:
    return f"{int(value):,}"


def share_text(value: Any) -> str:
    return "–" if pd.isna(value) else f"{100 * float(value):.1f}%"


def number_text(value: Any) -> str:
    """A mean in the file's units: 12,345.67; small values keep significant digits."""
    if pd.isna(value):
        return "–"
    value = float(value)
    if abs(value) >= 1000:
        return f"{value:,.0f}" if abs(value) >= 100_000 else f"{value:,.1f}"
    return f"{value:,.2f}" if abs(value) >= 0.01 or value == 0 else f"{value:.3g}"


def sigma_text(value: Any) -> str:
    return "–" if pd.isna(value) else f"{float(value):+.2f}"


def outcome_text(column: str, value: Any) -> str:
    return share_text(value) if ": share of " in column else number_text(value)


def segment_context(run: Segmentation, number: int, names: dict[int, str]) -> dict[str, object]:
    summary = run.profiles.summary.loc[number]
    return {
        "number": int(number),
        "name": segment_name(names, int(number)),
        "size": count_text(summary["size"]),
        "share": share_text(summary["share"]),
        "extras": [part for build in SEGMENT_PARTS if (part := build(run, int(number))) is not None],
        "means": _segment_means(run, int(number)),
        "mix": _segment_mix(run, int(number)),
    }


def _outcome_part(run: Segmentation, number: int) -> SegmentPart | None:
    """Each outcome's rate in the segment; with every customer's rate and the lift when known."""
    outcomes = run.profiles.outcomes
    if outcomes.empty:
        return None
    overall = getattr(run.profiles, "outcome_overall", None)
    lines = []
    rates = outcomes.loc[number].to_numpy(dtype=np.float64)  # a rate or a mean per measure
    for column, value in zip(outcomes.columns, rates, strict=True):
        line = f"{column}: {outcome_text(column, value)}"
        if overall is not None and column in overall.index and not pd.isna(overall[column]):
            everyone = float(overall[column])
            lift = f", lift {value / everyone:.2f}" if everyone and not np.isnan(value) else ""
            line += f" (all customers {outcome_text(column, everyone)}{lift})"
        lines.append(line)
    return SegmentPart("Outcomes (not used to form the segments)", lines=lines)


def _rule_part(run: Segmentation, number: int) -> SegmentPart | None:
    """The segment's rule in words and how well it holds, when the profiles carry rules."""
    rules = getattr(run.profiles, "rules", None)
    rule = next((r for r in getattr(rules, "rules", ()) if int(r.segment) == number), None)
    if rule is None:
        return None
    lines = [str(rule.text), f"It matches {share_text(rule.coverage)} of this segment's customers"]
    if not pd.isna(rule.precision):
        lines[-1] += f"; {share_text(rule.precision)} of the customers it matches are in this segment"
    return SegmentPart("Rule in words", lines=lines, css="rule")


def _tiny_part(run: Segmentation, number: int) -> SegmentPart | None:
    """A warning when the segment is too small to act on, when the profiles say which are."""
    tiny = getattr(run.profiles, "tiny_segments", None)
    note = tiny().get(number) if callable(tiny) else None
    return SegmentPart("Warning", lines=[f"{note}."], css="warning") if note else None


def rules_agreement(run: Segmentation) -> str:
    """How well the rules agree with the segments, or "" when the run has no rules."""
    rules = getattr(run.profiles, "rules", None)
    if rules is None:
        return ""
    return f"The rules in words put {share_text(rules.agreement)} of the customers in their own segment."


#: Optional parts of each segment's section, in order; each returns None when the run lacks it.
SEGMENT_PARTS: list[Callable[[Segmentation, int], SegmentPart | None]] = [
    _tiny_part,
    _rule_part,
    _outcome_part,
]


def _segment_means(run: Segmentation, number: int) -> list[dict[str, str]]:
    summary = run.profiles.summary
    overall = overall_means(run)
    return [
        {
            "feature": column,
            "mean": number_text(summary.loc[number, column]),
            "overall": number_text(overall[column]),
            "sigma": sigma_text(run.profiles.differences.loc[number, column]),
        }
        for column in run.selection.numeric
        if column in summary.columns
    ]


def _segment_mix(run: Segmentation, number: int) -> list[dict[str, Any]]:
    everyone = overall_shares(run)
    parts: list[dict[str, Any]] = []
    for feature, shares in run.profiles.category_mix.items():
        overall = everyone[feature].reindex(shares.columns, fill_value=0.0)
        rows = [
            {
                "value": str(value),
                "share": share_text(shares.loc[number, value]),
                "overall": share_text(total),
            }
            for value, total in zip(shares.columns, overall, strict=True)
        ]
        parts.append({"feature": feature, "rows": rows})
    return parts
