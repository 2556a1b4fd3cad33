"""Numbers, percentages and dates written for the current language (Babel's CLDR data).

English: 1,234,567 · 12.5% · 2 Dec 2026. Russian: 1 234 567 · 12,5 % · 2 дек. 2026 г.
"""

from __future__ import annotations

import datetime as dt

from babel import dates, numbers

from . import current_language

# Babel's locale for each language: the CLDR root of the language, no region.
_LOCALES = {"en": "en", "ru": "ru"}


def _locale() -> str:
    return _LOCALES[current_language()]


def integer(value: int) -> str:
    """A whole number with the language's group separator: 1,234 / 1 234."""
    return numbers.format_decimal(int(value), locale=_locale())


def decimal(value: float, digits: int = 2) -> str:
    """A number with at most ``digits`` decimals, never in scientific notation: 0.34 / 0,34."""
    pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "")
    return numbers.format_decimal(value, format=pattern, locale=_locale(), decimal_quantization=True)


def percent(share: float, digits: int = 1) -> str:
    """A share in [0, 1] as a percentage: 12.5% / 12,5 %."""
    pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "") + "%"
    return numbers.format_percent(share, format=pattern, locale=_locale())


def date(value: dt.date) -> str:
    """A date in the language's medium format: Dec 2, 2026 / 2 дек. 2026 г."""
    return dates.format_date(value, format="medium", locale=_locale())


def datetime(value: dt.datetime) -> str:
    """A date and time in the language's medium format."""
    return dates.format_datetime(value, format="medium", locale=_locale())
