"""Every page in both themes and at a phone's and a desktop's width: axe-core, overflow, screenshots.

axe-core (the npm package; .ci/run installs it into .ci/node) is injected into each page and
must report no serious or critical violation. At 390 px nothing may stick out sideways (wide
tables and charts scroll inside their own frame). Screenshots: tests/e2e/screenshots/
a11y_<theme>_<width>_<page>.png.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.e2e.conftest import REPO_ROOT, screenshot, wait_for_app

AXE_JS = Path(os.environ.get("AXE_CORE_JS", REPO_ROOT / ".ci/node/node_modules/axe-core/axe.min.js"))
PAGES = ("", "data", "segments", "choose_k", "export", "score")  # "" is the start page
SERIOUS = ("serious", "critical")
WIDTHS = (390, 1400)


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"][:5]],
            "summary": v["nodes"][0].get("failureSummary", "")[:300],
        }
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("theme", ("light", "dark"))
def test_every_page_is_accessible_and_fits(app_server: str, browser: Browser, theme: str, width: int) -> None:
    assert AXE_JS.exists(), f"axe-core missing at {AXE_JS}: npm install --prefix .ci/node axe-core"
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=theme)
    page = context.new_page()
    page.set_default_timeout(60_000)
    found: dict[str, list[dict]] = {}
    too_wide: dict[str, int] = {}
    try:
        for path in PAGES:
            page.goto(app_server.rstrip("/") + "/" + path)
            wait_for_app(page)
            page.wait_for_timeout(500)  # charts draw after the script run ends
            name = path or "start"
            screenshot(page, f"a11y_{theme}_{width}_{name}")
            violations = axe_violations(page)
            if violations:
                found[name] = violations
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 1:
                too_wide[name] = overflow
    finally:
        context.close()
    assert not found, found
    assert not too_wide, f"pages wider than the window by (px): {too_wide}"
