"""Files from elsewhere, in a real browser: no markup made from them, long names that fit, any extension.

The hostile file carries Markdown and HTML in its name, a header and a
category value; on every page no ``<a>`` element (HTML ``href`` or SVG
``xlink:href``) and no image may come from it. The long-names file has
real-looking 100-character column names and a year column; the scatter's
plotting area must stay at least 300 × 300 px at 1400 px wide.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot, wait_for_app
from tests.e2e.test_dashboard import SLOW, UI, assert_no_crash, go_to, open_app, sidebar
from tests.hostile import NAME, hostile_csv

PAGES = ("Data", "Segments", "Choose k", "Export")
LONG = (
    "Naive_Bayes_Classifier_Attrition_Flag_Card_Category_Contacts_Count_12_mon_"
    "Dependent_count_Education_Level_Months_Inactive_12_mon_{}"
)

# Every link-like element: HTML anchors, SVG anchors (href or xlink:href), images and iframes.
LINKS_JS = """() => Array.from(document.querySelectorAll('a, img, iframe, image')).map(e => ({
    tag: e.tagName,
    href: e.getAttribute('href') || e.getAttribute('xlink:href') || e.getAttribute('src') || '',
    text: (e.textContent || '').slice(0, 200),
}))"""


def links_from_the_file(page: Page) -> list[dict]:
    """Links or images whose target or text comes from the hostile file."""
    found = page.evaluate(LINKS_JS)
    marks = ("evil", "onerror", "income", "gold", "report")
    return [e for e in found if any(m in (e["href"] + e["text"]).lower() for m in marks)]


def long_names_csv(n: int = 400) -> bytes:
    rng = np.random.default_rng(7)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["CLIENTNUM", "Year", LONG.format(1), LONG.format(2), LONG.format(3)])
    for i in range(n):
        group = i % 4
        writer.writerow(
            [
                700000 + i,
                2012 + (i * 7) % 8,
                round(rng.normal(10 * group, 2), 2),
                round(rng.normal(-5 * group, 1.5), 2),
                round(rng.normal(3 * (group % 2), 1), 2),
            ]
        )
    return out.getvalue().encode()


def upload(page: Page, path: Path) -> None:
    """Choose a file in the Data page's uploader; the uploader may show a long name cut short."""
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(path))
    expect(page.get_by_role("button", name=f"Remove {path.name}")).to_be_attached(timeout=UI)
    wait_for_app(page)


def compute(page: Page) -> None:
    """Score k on the Choose k page (the button is disabled when this server already scored this file)."""
    button = page.get_by_role("button", name="Compute")
    if button.is_enabled():
        button.click()
    expect(page.get_by_text("Suggested k =")).to_be_visible(timeout=SLOW)
    wait_for_app(page)


def plot_area(page: Page) -> dict:
    """Width and height in px of the scatter's plotting area (its drag layer)."""
    chart = page.get_by_test_id("stPlotlyChart").first
    area = chart.locator("rect.nsewdrag").first
    expect(area).to_be_attached(timeout=SLOW)
    box = area.bounding_box()
    assert box is not None
    return box


def test_a_hostile_file_makes_no_link_on_any_page(app_server: str, page: Page, tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes(hostile_csv())
    open_app(page, app_server)
    upload(page, path)
    expect(page.get_by_test_id("stAlert").filter(has_text="could not be used")).to_have_count(0)
    shown = sidebar(page).inner_text().replace("\u2060", "")
    assert NAME in shown, f"the file name does not read as in the file: {shown!r}"
    for title in PAGES:
        go_to(page, title)
        if title == "Choose k":
            compute(page)
        if title == "Segments":
            expect(page.get_by_test_id("stPlotlyChart").first.locator(".legend")).to_be_attached(timeout=SLOW)
            legend = page.get_by_test_id("stPlotlyChart").first.locator(".legend").inner_html()
            assert "&lt;a href" in legend or "gold" not in legend  # the value as text, not a tag
        assert links_from_the_file(page) == [], f"links made from the file on {title}"
        assert_no_crash(page)
        screenshot(page, f"hostile_{title.replace(' ', '_')}")


def test_long_column_names_leave_the_scatter_its_room(app_server: str, page: Page, tmp_path: Path) -> None:
    path = tmp_path / "bank_churners.csv"
    path.write_bytes(long_names_csv())
    open_app(page, app_server)
    upload(page, path)
    go_to(page, "Segments")
    slider = page.get_by_role("slider", name="Number of segments (k)")
    slider.focus()
    page.keyboard.press("End")  # k = 10: the most legend entries
    expect(slider).to_have_value("10", timeout=UI)
    wait_for_app(page)
    expect(page.get_by_test_id("stPlotlyChart").first.locator(".legend .traces")).to_have_count(
        11, timeout=UI
    )
    box = plot_area(page)
    assert box["width"] >= 300 and box["height"] >= 300, f"plot area squeezed to {box}"
    page.set_viewport_size({"width": 1400, "height": 2400})
    wait_for_app(page)
    screenshot(page, "long_names_segments")
    assert_no_crash(page)


def test_a_csv_without_an_extension_is_accepted(app_server: str, page: Page, tmp_path: Path) -> None:
    path = tmp_path / "customers_export"
    path.write_bytes(hostile_csv())
    open_app(page, app_server)
    upload(page, path)
    expect(sidebar(page)).to_contain_text("customers_export", timeout=UI)
    expect(page.get_by_test_id("stAlert").filter(has_text="could not be used")).to_have_count(0)
    assert_no_crash(page)
