"""Choosing the language, plural forms and number/date formats."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from segmentation.i18n import (
    current_language,
    formats,
    gettext,
    language_from_environment,
    language_of,
    ngettext,
    set_language,
    use_language,
)
from segmentation.report.errors import SegmentationError
from segmentation.report.findings import Problem


@pytest.mark.parametrize(
    ("tag", "language"),
    [
        ("ru-RU", "ru"),
        ("ru", "ru"),
        ("RU_ru.UTF-8", "ru"),
        ("en-GB", "en"),
        ("de-DE", "en"),
        (None, "en"),
        ("", "en"),
    ],
)
def test_language_of_a_browser_or_posix_tag(tag, language):
    assert language_of(tag) == language


def test_language_from_the_environment_follows_gettext_precedence():
    assert language_from_environment({"LANG": "ru_RU.UTF-8"}) == "ru"
    assert language_from_environment({"LANG": "ru_RU.UTF-8", "LC_ALL": "en_US.UTF-8"}) == "en"
    assert language_from_environment({"LANGUAGE": "ru:en", "LANG": "C"}) == "ru"
    assert language_from_environment({"LANG": "C"}) == "en"
    assert language_from_environment({}) == "en"


def test_the_language_is_per_thread_and_scoped():
    with use_language("ru"):
        assert current_language() == "ru"
        seen = []
        worker = threading.Thread(target=lambda: seen.append(current_language()))
        worker.start()
        worker.join()
        assert seen == ["en"]  # another session's run starts in English
    assert current_language() == "en"
    with pytest.raises(ValueError):
        set_language("xx")


def test_findings_are_written_in_the_reader_s_language():
    problem = Problem.of("file-too-large", size_mb=300, limit_mb=200)
    assert problem.text.startswith("The file is 300 MB")
    with use_language("ru"):
        assert problem.title == "Файл слишком большой"
        assert problem.text.startswith("Файл занимает 300 МБ")
    error = SegmentationError("file-empty")
    with use_language("ru"):
        assert error.text().startswith("Файл пуст")
        assert gettext("Empty file") == "Пустой файл"
    assert str(error).startswith("The file is empty")


def test_russian_plural_forms():
    # Gettext's three Russian forms: 1, 21 → first; 2-4, 22 → second; 5-20, 11-14 → third.
    with use_language("ru"):
        forms = {n: ngettext("{n} row", "{n} rows", n) for n in (1, 2, 5, 11, 21, 22, 25)}
    assert forms[1] == forms[21] != forms[2]
    assert forms[2] == forms[22] != forms[5]
    assert forms[5] == forms[11] == forms[25]
    assert ngettext("{n} row", "{n} rows", 1) == "{n} row"
    assert ngettext("{n} row", "{n} rows", 3) == "{n} rows"


def test_numbers_and_dates_follow_the_language():
    assert formats.integer(1234567) == "1,234,567"
    assert formats.decimal(0.34567) == "0.35"
    assert formats.percent(0.125) == "12.5%"
    assert formats.date(dt.date(2026, 12, 2)) == "Dec 2, 2026"
    with use_language("ru"):
        assert formats.integer(1234567) == "1\xa0234\xa0567"
        assert formats.decimal(0.34567) == "0,35"
        assert formats.percent(0.125).startswith("12,5")
        assert formats.date(dt.date(2026, 12, 2)) == "2 дек. 2026\u202fг."
