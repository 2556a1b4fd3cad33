"""English and Russian: gettext messages with a per-run language, and Babel formatting.

Messages are marked with ``_()`` (or ``N_()`` where only the English text is stored and
translated later, e.g. tables of labels). The catalogues are gettext ``.po`` files in
``locale/<lang>/LC_MESSAGES/messages.po``; they are read with Babel at first use (no
compiled ``.mo`` files are committed or built). ``python -m segmentation.i18n.extract``
extracts the messages and updates the catalogues.

The language is a context variable: the dashboard sets it at the start of each script run
(each session's runs happen in that session's own thread), the CLI once from ``--lang`` or
``LANG``. Code that runs without one gets English.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

LANGUAGES: tuple[str, ...] = ("en", "ru")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"

_language: ContextVar[str] = ContextVar("segmentation_language", default=DEFAULT_LANGUAGE)


def language_of(tag: str | None) -> str:
    """The supported language of a browser or POSIX locale tag: ``ru-RU``, ``ru_RU.UTF-8`` → ``ru``."""
    if not tag:
        return DEFAULT_LANGUAGE
    primary = tag.replace("-", "_").split("_")[0].split(".")[0].lower()
    return primary if primary in LANGUAGES else DEFAULT_LANGUAGE


def language_from_environment(environ: dict[str, str] | os._Environ[str] = os.environ) -> str:
    """The language of the POSIX locale variables, in gettext's order of precedence."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value and value not in ("C", "POSIX"):
            return language_of(value.split(":")[0])
    return DEFAULT_LANGUAGE


def current_language() -> str:
    return _language.get()


def set_language(language: str) -> None:
    """Use ``language`` for the rest of this run (thread or task)."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; one of {', '.join(LANGUAGES)}")
    _language.set(language)


@contextmanager
def use_language(language: str) -> Iterator[None]:
    """Use ``language`` inside the block, then the previous one again."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; one of {', '.join(LANGUAGES)}")
    token = _language.set(language)
    try:
        yield
    finally:
        _language.reset(token)


@cache
def catalogue(language: str) -> dict[str, str | tuple[str, ...]]:
    """The translations of ``language``: msgid → msgstr (a tuple of forms for plurals).

    Untranslated and fuzzy entries are left out, so they fall back to English.
    """
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == DEFAULT_LANGUAGE or not path.exists():
        return {}
    with path.open("rb") as file:
        po = read_po(file, locale=language)
    translations: dict[str, str | tuple[str, ...]] = {}
    for message in po:
        if not message.id or message.fuzzy:
            continue
        key = str(message.id if isinstance(message.id, str) else message.id[0])
        string = message.string
        if isinstance(string, str):
            if string:
                translations[key] = string
        elif string and all(string):
            translations[key] = tuple(str(form) for form in string)
    return translations


@cache
def _plural_index(language: str) -> Callable[[int], int]:
    """gettext's compiled ``Plural-Forms`` rule of ``language`` (CLDR's rules, from Babel)."""
    return _gettext.c2py(get_plural(language).plural_expr)


def gettext(message: str) -> str:
    """``message`` in the current language (itself when there is no translation)."""
    translated = catalogue(_language.get()).get(message)
    return translated if isinstance(translated, str) else message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of ``singular``/``plural`` for ``count`` in the current language's plural rules."""
    language = _language.get()
    forms = catalogue(language).get(singular)
    if isinstance(forms, tuple):
        index = _plural_index(language)(count)
        return forms[min(index, len(forms) - 1)]
    return singular if count == 1 else plural


def N_(message: str) -> str:
    """Mark ``message`` for extraction only; translate it with ``_()`` where it is shown."""
    return message


_ = gettext

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "N_",
    "_",
    "current_language",
    "gettext",
    "language_from_environment",
    "language_of",
    "ngettext",
    "set_language",
    "use_language",
]
