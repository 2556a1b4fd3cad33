"""Every message of the product has its Russian text, with the same template fields."""

from __future__ import annotations

import re
import string

import pytest

from segmentation.i18n import LANGUAGES, catalogue
from segmentation.i18n.extract import extracted, po_path

FORMATTER = string.Formatter()


def fields_of(text: str) -> list[str]:
    """The ``str.format`` fields of a template, with their conversions and specs."""
    return sorted(
        f"{name}!{conversion}:{spec}"
        for _, name, spec, conversion in FORMATTER.parse(text)
        if name is not None
    )


MESSAGES = [message for message in extracted() if message.id]


def test_the_source_has_messages_to_translate():
    assert len(MESSAGES) > 100  # the findings catalogue alone has more than 50 headings and templates


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_every_message_has_a_translation(language):
    translations = catalogue(language)
    assert po_path(language).exists()
    untranslated = [
        message.id if isinstance(message.id, str) else message.id[0]
        for message in MESSAGES
        if (message.id if isinstance(message.id, str) else message.id[0]) not in translations
    ]
    assert not untranslated, (
        f"{len(untranslated)} messages without {language}: run make messages, then translate"
    )


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_translations_keep_the_template_fields(language):
    translations = catalogue(language)
    for message in MESSAGES:
        ids = (message.id,) if isinstance(message.id, str) else message.id
        forms = translations.get(ids[0])
        if forms is None:
            continue
        for form in (forms,) if isinstance(forms, str) else forms:
            assert fields_of(form) == fields_of(ids[-1]), (ids[0], form)


def test_russian_texts_are_russian():
    """A translation that is the English text again (outside names and field-only messages) is a slip."""
    translations = catalogue("ru")
    for message in MESSAGES:
        key = message.id if isinstance(message.id, str) else message.id[0]
        letters = re.sub(r"\{[^}]*\}|`[^`]*`|--[\w-]+|[A-Z][\w]*[a-z]\w*|\b[A-Za-z_]+\b", "", key)
        if not re.search(r"[A-Za-z]{3}", letters) or key not in translations:
            continue
        text = translations[key]
        text = text if isinstance(text, str) else text[0]
        assert re.search("[а-яё]", text, re.IGNORECASE), (key, text)
