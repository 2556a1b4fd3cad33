"""Extract the dashboard's and the CLI's messages and update the catalogues: ``make messages``.

The messages are every ``_()``, ``N_()`` and ``ngettext()`` in app.py, pages/, ui/ and
segmentation/ (Babel's Python extractor), plus the titles and templates of the findings
catalogue, which are data (``Kind`` entries) and translated where a finding is shown.
The template goes to ``locale/messages.pot``; each language's ``messages.po`` is updated
from it (translations kept, new messages empty, gone ones dropped).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from . import DEFAULT_LANGUAGE, DOMAIN, LANGUAGES, LOCALE_DIR

ROOT = LOCALE_DIR.parents[2]
SOURCE_DIRS = ("pages", "ui", "segmentation")
SOURCE_FILES = ("app.py",)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"


def _python_messages(catalog: Catalog) -> None:
    method_map = [("**.py", "python")]
    for folder in SOURCE_DIRS:
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / folder,
            method_map,
            keywords=KEYWORDS,
            comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True,
        ):
            catalog.add(
                message, None, [(f"{folder}/{filename}", lineno)], auto_comments=comments, context=context
            )
    for name in SOURCE_FILES:
        with (ROOT / name).open("rb") as file:
            from babel.messages.extract import extract

            for lineno, message, comments, context in extract("python", file, keywords=KEYWORDS):
                catalog.add(message, None, [(name, lineno)], auto_comments=comments, context=context)


def _findings_messages(catalog: Catalog) -> None:
    from ..report.findings import CATALOGUE

    for code, kind in CATALOGUE.items():
        location = [(f"segmentation/report/catalogue#{code}", 0)]
        catalog.add(kind.title, None, location, auto_comments=[f"Heading of finding {code}"])
        catalog.add(
            kind.template, None, location, auto_comments=[f"Message of finding {code}; keep the {{fields}}"]
        )


def extracted() -> Catalog:
    """Every message of the product, as found in the source now."""
    catalog = Catalog(project="segmentation", domain=DOMAIN, charset="utf-8")
    _python_messages(catalog)
    _findings_messages(catalog)
    return catalog


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def update() -> list[str]:
    """Write the template and update every translated language's catalogue; the paths written."""
    template = extracted()
    written = []
    with TEMPLATE.open("wb") as file:
        write_po(file, template, width=100, omit_header=False, sort_output=False, include_lineno=False)
    written.append(str(TEMPLATE.relative_to(ROOT)))
    for language in LANGUAGES:
        if language == DEFAULT_LANGUAGE:
            continue
        path = po_path(language)
        if path.exists():
            with path.open("rb") as file:
                catalog = read_po(file, locale=language)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=language, project="segmentation", domain=DOMAIN, charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        with path.open("wb") as file:
            write_po(file, catalog, width=100, ignore_obsolete=True, include_lineno=False)
        written.append(str(path.relative_to(ROOT)))
    return written


if __name__ == "__main__":
    for written_path in update():
        print(written_path, file=sys.stderr)
