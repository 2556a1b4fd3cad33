"""Two people on one server: what one does never shows in the other's session.

Both start on the same synthetic customers, so the server shares their cached
work (same bytes, same settings); what each of them changes (segment names,
feature choices, an upload) must stay in their own session. Each person is a
separate browser context, hence a separate Streamlit session.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, expect

from segmentation.io.synthetic import customers_to_csv_bytes, generate_customers
from tests.e2e.conftest import wait_for_app
from tests.e2e.test_dashboard import SLOW, UI, assert_no_crash, go_to, open_app, sidebar, upload

NEW_NAME = "Night owls of A"


def names_editor(page: Page) -> Locator:
    """The segment-names editor: the grid with "segment" and "name" columns and no "share" column."""
    header = page.locator("th[role='columnheader']")
    editor = (
        page.get_by_test_id("stDataFrame")
        .filter(has=header.filter(has_text=re.compile(r"^\s*segment\s*$")))
        .filter(has=header.filter(has_text=re.compile(r"^\s*name\s*$")))
        .filter(has=header.filter(has_text=re.compile(r"^\s*size\s*$")))  # the editor: segment | name | size
        .filter(has_not=header.filter(has_text=re.compile(r"^\s*share\s*$")))
    )
    expect(editor).to_have_count(1, timeout=SLOW)
    return editor


def rename_first_segment(page: Page, name: str) -> None:
    """Double-click the first row's name cell, as a person would, type the new name, press Enter.

    The grid is a canvas; a double-click opens its cell editor (a textarea),
    and the test waits for that editor rather than for a fixed time.
    """
    page.bring_to_front()  # with two tabs open, only the front one gets key events
    wait_for_app(page)
    editor = names_editor(page)
    editor.scroll_into_view_if_needed()
    box = editor.bounding_box()
    assert box is not None
    # First data row (below the 35 px header), in the "name" column (segment | name | size).
    page.mouse.dblclick(box["x"] + box["width"] * 0.45, box["y"] + 35 + 17)
    cell = page.locator("textarea.gdg-input")
    expect(cell).to_be_visible(timeout=UI)
    cell.fill(name)
    page.keyboard.press("Enter")
    wait_for_app(page)
    expect(heatmap(page)).to_contain_text(name, timeout=UI)


def heatmap(page: Page) -> Locator:
    return page.get_by_test_id("stPlotlyChart").nth(1)


def heatmap_labels(page: Page) -> str:
    """The heatmap's row labels: the segment names this session shows."""
    chart = heatmap(page)
    chart.scroll_into_view_if_needed()
    expect(chart.locator(".ytick").first).to_be_attached(timeout=SLOW)
    return " | ".join(chart.locator(".ytick").all_text_contents())


def features_box(page: Page) -> Locator:
    return page.get_by_test_id("stMultiSelect").filter(has_text="Columns that describe a customer")


def feature_chips(page: Page) -> list[str]:
    """The chosen feature columns, as the multiselect's tags show them."""
    tags = features_box(page).locator("[data-tag]")
    expect(tags.first).to_be_attached(timeout=UI)
    return [t.get_attribute("aria-label") or "" for t in tags.all()]


def remove_feature(page: Page, feature: str) -> None:
    features_box(page).get_by_role("button", name=f"Remove {feature}", exact=True).click()
    expect(features_box(page).locator(f"[data-tag][aria-label='{feature}']")).to_have_count(0, timeout=UI)
    wait_for_app(page)


def test_names_features_and_uploads_stay_in_their_own_session(
    app_server: str, page: Page, browser: Browser, tmp_path: Path
) -> None:
    context_b = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        b = context_b.new_page()
        open_app(page, app_server)
        open_app(b, app_server)

        # A renames a segment; B, on the same shared result, keeps the proposed names.
        go_to(page, "Segments")
        go_to(b, "Segments")
        before_b = heatmap_labels(b)
        rename_first_segment(page, NEW_NAME)
        b.reload()  # a reload of B's tab is a new session for B, still on the shared cache
        wait_for_app(b)
        go_to(b, "Segments")
        assert NEW_NAME not in heatmap_labels(b)
        assert heatmap_labels(b) == before_b

        # A leaves a feature out; B still has the proposal.
        go_to(page, "Data")
        go_to(b, "Data")
        assert "age" in feature_chips(page) and "age" in feature_chips(b)
        remove_feature(page, "age")
        assert "age" not in feature_chips(page)
        go_to(b, "Segments")
        go_to(b, "Data")
        assert "age" in feature_chips(b)

        # A uploads a file; B still works on synthetic customers.
        path = tmp_path / "a_secret.csv"
        path.write_bytes(customers_to_csv_bytes(generate_customers(123, seed=5)))
        upload(page, path)
        expect(sidebar(page)).to_contain_text("a_secret.csv", timeout=UI)
        expect(sidebar(page)).to_contain_text("123 rows")
        go_to(b, "Segments")
        expect(sidebar(b)).to_contain_text("Synthetic customers", timeout=UI)
        expect(sidebar(b)).to_contain_text("100 rows")
        expect(sidebar(b)).not_to_contain_text("a_secret")
        go_to(b, "Data")
        expect(b.get_by_test_id("stFileUploader")).not_to_contain_text("a_secret")

        # A's own work is all still there.
        expect(sidebar(page)).to_contain_text("a_secret.csv")
        assert_no_crash(page)
        assert_no_crash(b)
    finally:
        context_b.close()
