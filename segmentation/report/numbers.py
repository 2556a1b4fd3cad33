"""How numbers and counts are written for people: one home for every message, table and CLI line.

>>> plural(1, "row"), plural(1234, "cell")
('1 row', '1,234 cells')
>>> number_text(43148600000.0), number_text(0.34020)
('43,148,600,000', '0.3402')
>>> table_number(12345.678), table_number(0.5), table_number(0.00123)
('12,346', '0.50', '0.0012')
>>> cells_are(1), cells_are(2000)
('1 cell is', '2,000 cells are')
"""

from __future__ import annotations


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


def table_number(value: float) -> str:
    """A number in a printed table: whole above 1,000, two decimals, four below 0.01 (never 1e-05)."""
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.2f}" if abs(value) >= 0.01 or value == 0 else f"{value:.4f}"


def cells_are(count: int) -> str:
    """``1 cell is`` or ``2,000 cells are``: the start of a sentence about cells."""
    return "1 cell is" if count == 1 else f"{count:,} cells are"
