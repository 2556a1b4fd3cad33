"""How to change what a finding reports, in the command line's words (its flags).

The core's messages say what happened and name no flag, since the dashboard
shows them too; each caller adds how to change it in its own terms (the
dashboard's are in ``ui/hints.py``).
"""

from __future__ import annotations

import argparse

from ..report.findings import Problem

#: Errors (``SegmentationError`` codes): what to do, on the command line.
ERROR_HINTS = {
    "model-unreadable": "segment --save-model saves one.",
    "orders-no-mapping": "Name them with --customer COLUMN --date COLUMN.",
    "spark-missing": "Or leave out --engine spark to score here.",
}


def data_choice_hints(args: argparse.Namespace) -> dict[str, str]:
    """Hints for the findings of segment and choose-k, given the options they ran with."""
    hints = {}
    if not args.keep_extremes:
        hints["extreme-rows"] = "Keep them in the fit with --keep-extremes."
    if not args.include_outcomes:
        hints["outcome-columns"] = "--include-outcomes segments on every outcome column."
    return hints


def with_hint(message: str, code: str, hints: dict[str, str]) -> str:
    """``message`` followed by the hint for ``code``, if there is one."""
    hint = hints.get(code)
    return f"{message} {hint}" if hint else message


def problem_text(problem: Problem, hints: dict[str, str]) -> str:
    return with_hint(problem.message, problem.code, hints)
