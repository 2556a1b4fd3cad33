"""End-to-end tests of the dashboard, driven as a person would: clicks, keys, files.

Each test gets a fresh browser context (its own Streamlit session) from the
``page`` fixture. Elements are found by data-testid, ARIA role and visible text;
after every interaction we wait for the visible result (``expect``) and for the
script run to finish (``wait_for_app``); the only timed waits are short polls
while the data grid redraws after a wheel scroll.

st.dataframe is a canvas grid; its accessible twin (``role=grid``) holds the
cells as text (visually hidden, hence CSS not get_by_role) but only for the
columns scrolled into view, so ``grid_headers`` scrolls it sideways with the
mouse wheel, as a person would, to see them all.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.conftest import screenshot, wait_for_app
from tests.fixtures import MALL_LIKE_COLUMNS, mall_like_csv

MALL_COLUMNS = MALL_LIKE_COLUMNS
SYNTHETIC_COLUMNS = ("annual_income", "average_order_value")

SLOW = 60_000  # ms: cold start and the first segmentation of a session
UI = 20_000  # ms: a visible reaction to an interaction

# The grid's accessible table is visually hidden, so role queries (which skip
# hidden elements) do not see it; CSS on its ARIA roles does.
HEADER = "th[role='columnheader']"


@pytest.fixture(scope="module")
def mall(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Mall-Customers-shaped export made by code (tests/fixtures.py), as a file to upload."""
    path = tmp_path_factory.mktemp("uploads") / "Mall_Customers.csv"
    path.write_bytes(mall_like_csv())
    return path


# --------------------------------------------------------------------------- helpers


def open_app(page: Page, base_url: str) -> None:
    """Open the dashboard on its Data page (the default page is Start) and wait until it has run."""
    page.set_default_timeout(SLOW)
    page.goto(base_url.rstrip("/") + "/data")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Data", exact=True)).to_be_visible(timeout=SLOW)


def go_to(page: Page, title: str) -> None:
    """Click the page's link in the sidebar navigation."""
    nav = page.get_by_test_id("stSidebarNav")
    nav.get_by_role("link").filter(has_text=re.compile(rf"{re.escape(title)}$")).click()
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible(timeout=SLOW)
    wait_for_app(page)


def sidebar(page: Page) -> Locator:
    return page.get_by_test_id("stSidebar")


def upload(page: Page, path: Path) -> None:
    """Choose a file in the Data page's uploader (the dropzone's file input)."""
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(path))
    expect(page.get_by_test_id("stFileUploader")).to_contain_text(path.name, timeout=UI)
    wait_for_app(page)


def assert_no_crash(page: Page) -> None:
    """No traceback text and no exception box (showErrorDetails = none hides tracebacks)."""
    assert page.get_by_text("Traceback").count() == 0
    assert page.get_by_test_id("stException").count() == 0


def means_table(page: Page) -> Locator:
    """The grid of the per-segment means table ("Segment profiles") on the Segments page.

    Found by its "share" column, which only this table on the page has.
    """
    frame = page.get_by_test_id("stDataFrame").filter(
        has=page.locator(HEADER).filter(has_text=re.compile(r"^\s*share\s*$"))
    )
    expect(frame).to_be_visible(timeout=SLOW)
    grid = frame.locator("table[role='grid']")
    expect(grid.locator(HEADER).first).to_be_attached(timeout=SLOW)
    return grid


def grid_headers(page: Page, grid: Locator) -> list[str]:
    """All column headers of a data grid, scrolling it sideways with the mouse wheel to its end."""
    frame = grid.locator("xpath=ancestor::*[@data-testid='stDataFrame'][1]")
    scroller = frame.locator(".dvn-scroller").first
    frame.scroll_into_view_if_needed()
    box = frame.bounding_box()
    assert box is not None, "the data grid has no size"
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + min(box["height"] / 2, 60))

    seen: list[str] = []

    def collect() -> bool:
        new = [
            h.strip() for h in grid.locator(HEADER).all_text_contents() if h.strip() and h.strip() not in seen
        ]
        seen.extend(new)
        return bool(new)

    at_end = "e => e.scrollLeft + e.clientWidth >= e.scrollWidth - 2"
    collect()
    for _ in range(30):
        if scroller.evaluate(at_end):
            break
        before = scroller.evaluate("e => e.scrollLeft")
        page.mouse.wheel(400, 0)
        for _ in range(40):  # until the grid has scrolled and redrawn its headers (<= 4 s)
            page.wait_for_timeout(100)
            if collect() or scroller.evaluate(f"e => e.scrollLeft !== {before}"):
                break
    for _ in range(10):  # the last columns' headers may be drawn just after the scroll ends
        page.wait_for_timeout(100)
        collect()
    return seen


def expect_grid_rows(grid: Locator, n: int) -> None:
    expect(grid.locator("tbody tr[role='row']")).to_have_count(n, timeout=UI)


def assert_scatter_rendered(page: Page, n_segments: int) -> Locator:
    """The first plotly chart (the scatter) has drawn its points and one legend entry per segment."""
    chart = page.get_by_test_id("stPlotlyChart").first
    expect(chart.locator(".js-plotly-plot")).to_be_visible(timeout=SLOW)
    # render_mode="webgl": the points are on a GL canvas; an SVG fallback has .point paths.
    expect(chart.locator("canvas, .scatterlayer .point").first).to_be_attached(timeout=SLOW)
    # One legend entry per segment, plus the "Segment centres" trace.
    expect(chart.locator(".legend .traces")).to_have_count(n_segments + 1, timeout=UI)
    expect(chart.locator(".legend").get_by_text("Segment centres")).to_be_visible()
    return chart


# --------------------------------------------------------------------------- scenarios


def test_open_dashboard_shows_segments_of_synthetic_customers(app_server: str, page: Page) -> None:
    """Data page first, then Segments via the sidebar: scatter and a 5-row means table."""
    open_app(page, app_server)
    expect(sidebar(page)).to_contain_text("Synthetic customers", timeout=UI)
    expect(sidebar(page)).to_contain_text("100 rows · k = 5")
    expect(page.get_by_test_id("stMetric").filter(has_text="Customers segmented")).to_contain_text("100")
    assert_no_crash(page)

    go_to(page, "Segments")
    assert page.url.rstrip("/").endswith("/segments")
    assert_scatter_rendered(page, n_segments=5)
    expect(page.get_by_text("Showing all 100 segmented customers")).to_be_visible()

    grid = means_table(page)
    expect_grid_rows(grid, 5)

    # The README picture, before the table is scrolled: a viewport tall enough for
    # the title, the scatter and the profiles table (the main area scrolls inside
    # the app, so a "full page" shot is only the viewport).
    page.set_viewport_size({"width": 1400, "height": 1360})
    page.get_by_role("heading", name="Segments", exact=True).scroll_into_view_if_needed()
    page.mouse.move(700, 40)  # blank header area: no hover label, no sidebar button
    wait_for_app(page)
    expect(grid.locator(HEADER).filter(has_text="annual_income")).to_be_attached()
    screenshot(page, "segments")

    headers = grid_headers(page, grid)
    for column in ("name", "size", "share", *SYNTHETIC_COLUMNS):
        assert column in headers, f"{column!r} not among the means table's columns {headers}"
    assert_no_crash(page)


def test_sample_size_slider_changes_number_of_customers(app_server: str, page: Page) -> None:
    """Keyboard on the slider's thumb regenerates the synthetic customers with the new size."""
    open_app(page, app_server)
    expect(sidebar(page)).to_contain_text("100 rows")
    slider = page.get_by_role("slider", name="Sample size")
    expect(slider).to_have_value("100")

    slider.focus()
    page.keyboard.press("ArrowRight")  # step 10
    expect(slider).to_have_value("110", timeout=UI)
    expect(sidebar(page)).to_contain_text("110 rows", timeout=UI)
    wait_for_app(page)
    metric = page.get_by_test_id("stMetric").filter(has_text="Customers segmented")
    expect(metric).to_contain_text("110", timeout=UI)
    expect(page.get_by_text("First 100 of 110 rows")).to_be_visible()

    for _ in range(4):
        page.keyboard.press("ArrowRight")
    expect(slider).to_have_value("150", timeout=UI)
    expect(sidebar(page)).to_contain_text("150 rows", timeout=UI)
    wait_for_app(page)
    expect(metric).to_contain_text("150", timeout=UI)
    assert_no_crash(page)

    # The new size is what the other pages segment, too.
    go_to(page, "Segments")
    expect(page.get_by_text("Showing all 150 segmented customers")).to_be_visible(timeout=UI)
    assert_no_crash(page)


def test_upload_mall_customers_shows_segments_in_its_own_columns(
    app_server: str, page: Page, mall: Path
) -> None:
    """Mall_Customers.csv: 5 segments described by Age, Annual Income (k$), Spending Score (1-100)."""
    open_app(page, app_server)
    upload(page, mall)
    expect(sidebar(page)).to_contain_text("Mall_Customers.csv", timeout=UI)
    expect(sidebar(page)).to_contain_text("200 rows · k = 5")
    expect(page.get_by_test_id("stMetric").filter(has_text="Customers segmented")).to_contain_text("200")
    expect(page.get_by_test_id("stAlert").filter(has_text="could not be used")).to_have_count(0)
    assert_no_crash(page)

    go_to(page, "Segments")
    assert_scatter_rendered(page, n_segments=5)
    grid = means_table(page)
    expect_grid_rows(grid, 5)
    headers = grid_headers(page, grid)
    for column in MALL_COLUMNS:
        assert column in headers, f"{column!r} not among the means table's columns {headers}"
    for column in SYNTHETIC_COLUMNS:
        assert column not in headers, f"synthetic column {column!r} shown for Mall_Customers.csv: {headers}"
    assert_no_crash(page)
    screenshot(page, "segments_mall")


def test_export_downloads_labeled_csv_with_ids_intact(
    app_server: str, page: Page, tmp_path: Path, mall: Path
) -> None:
    """The labeled CSV: 200 rows, CustomerID 0001..0200 in order (zeros kept), a segment each."""
    open_app(page, app_server)
    upload(page, mall)
    expect(sidebar(page)).to_contain_text("Mall_Customers.csv", timeout=UI)
    go_to(page, "Export")
    assert_no_crash(page)

    button = page.get_by_role("button", name="Download customers with segments")
    with page.expect_download(timeout=SLOW) as download_info:
        button.click()
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename == "Mall_Customers_segments.csv"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    text = saved.read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 200
    assert [r["CustomerID"] for r in rows] == [f"{i:04d}" for i in range(1, 201)]
    for r in rows:
        assert (r.get("segment") or "").strip(), f"no segment for customer {r['CustomerID']}"
        assert (r.get("segment_name") or "").strip(), f"no segment name for customer {r['CustomerID']}"
    assert {r["segment"] for r in rows} == {"1", "2", "3", "4", "5"}
    # Every input cell is kept as read.
    source = list(csv.DictReader(io.StringIO(mall.read_bytes().decode("utf-8-sig"), newline="")))
    assert [{k: r[k] for k in source[0]} for r in rows] == source
    wait_for_app(page)
    assert_no_crash(page)


@pytest.mark.parametrize(
    ("file_name", "content", "explains"),
    [
        ("broken.csv", bytes(range(256)) * 8, "binary data"),
        ("header_only.csv", b"CustomerID,Age,Annual Income (k$)\n", "no customer rows"),
    ],
    ids=["binary", "header-only"],
)
def test_broken_upload_shows_clear_error_and_keeps_working(
    app_server: str, page: Page, tmp_path: Path, file_name: str, content: bytes, explains: str
) -> None:
    """A file that cannot be used gives an error naming it and why; the previous data stays."""
    path = tmp_path / file_name
    path.write_bytes(content)
    open_app(page, app_server)
    upload(page, path)

    alert = page.get_by_test_id("stAlert").filter(has_text="could not be used")
    expect(alert).to_be_visible(timeout=UI)
    message = alert.inner_text()
    assert file_name in message
    assert explains in message, f"the error does not say what is wrong: {message!r}"
    expect(page.get_by_text("Still showing: Synthetic customers")).to_be_visible()
    expect(sidebar(page)).to_contain_text("Synthetic customers")
    expect(sidebar(page)).to_contain_text("100 rows")
    assert_no_crash(page)

    go_to(page, "Segments")
    assert_scatter_rendered(page, n_segments=5)
    grid = means_table(page)
    expect_grid_rows(grid, 5)
    assert "annual_income" in grid_headers(page, grid)
    assert_no_crash(page)

    # Back on Data the refusal is still explained, and nothing crashed.
    go_to(page, "Data")
    assert_no_crash(page)


def test_two_sessions_do_not_see_each_others_data(
    app_server: str, page: Page, browser: Browser, mall: Path
) -> None:
    """A's upload stays in A's session: B (another browser context) still has synthetic customers."""
    open_app(page, app_server)  # session A
    upload(page, mall)
    expect(sidebar(page)).to_contain_text("Mall_Customers.csv", timeout=UI)
    expect(sidebar(page)).to_contain_text("200 rows")

    context_b = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    try:
        page_b = context_b.new_page()
        open_app(page_b, app_server)
        expect(sidebar(page_b)).to_contain_text("Synthetic customers", timeout=UI)
        expect(sidebar(page_b)).to_contain_text("100 rows")
        expect(sidebar(page_b)).not_to_contain_text("Mall_Customers")
        expect(page_b.get_by_test_id("stFileUploader")).not_to_contain_text("Mall_Customers")
        go_to(page_b, "Segments")
        grid_b = means_table(page_b)
        headers_b = grid_headers(page_b, grid_b)
        assert "annual_income" in headers_b
        assert not set(MALL_COLUMNS) & set(headers_b), f"B sees Mall's columns: {headers_b}"
        assert_no_crash(page_b)
    finally:
        context_b.close()

    # A is unaffected by B's session (no reload: that would start a new session).
    expect(sidebar(page)).to_contain_text("Mall_Customers.csv", timeout=UI)
    expect(sidebar(page)).to_contain_text("200 rows")
    go_to(page, "Segments")
    headers_a = grid_headers(page, means_table(page))
    for column in MALL_COLUMNS:
        assert column in headers_a, f"A lost its data: {headers_a}"
    assert_no_crash(page)
