"""What a segment is called: its name when it has one, else ``Segment N``."""

from __future__ import annotations

from collections.abc import Mapping


def segment_name(names: Mapping[int, str], segment: int) -> str:
    """The name of segment number ``segment`` in ``names``, or ``Segment N`` without one.

    >>> segment_name({1: "Loyal big spenders"}, 1), segment_name({}, 2)
    ('Loyal big spenders', 'Segment 2')
    """
    number = int(segment)
    return names.get(number, f"Segment {number}")
