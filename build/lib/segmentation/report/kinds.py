"""What one entry of the findings catalogue is: a stable code, a severity, a heading, a template."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Kind:
    """One entry of the catalogue: a code, how serious it is, a heading and a message template.

    ``template`` is a ``str.format`` template over the fields the reporting code passes.
    """

    code: str
    severity: Severity
    title: str
    template: str
