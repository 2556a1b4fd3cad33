"""The report to send, as a manager gets it: downloaded from the Export page, opened from disk.

The browser records every request while the report opens from a file:// URL;
none may leave the file. The charts must be drawn (screenshots are saved), a
hostile header must read as text (no image, no script run) and the print
stylesheet must start each segment on a page of its own.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import SCREENSHOT_DIR, screenshot
from tests.e2e.test_dashboard import SLOW, UI, assert_no_crash, go_to, open_app
from tests.e2e.test_untrusted_files import upload
from tests.hostile import GOLD

IMG_HEADER = "<img src=x onerror=alert(1)>"
LOCAL_SCHEMES = {"data", "blob", "about"}


def hostile_customers(n: int = 90) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["customer_id", IMG_HEADER, "visits", "tier"])
    for i in range(n):
        group = i % 3
        writer.writerow(
            [f"C{i:04d}", 20 + 30 * group + i % 7, 3 + 4 * group + i % 3, (GOLD, "silver", "bronze")[group]]
        )
    return out.getvalue().encode()


def download_report(page: Page, base_url: str, tmp_path: Path) -> Path:
    source = tmp_path / "customers.csv"
    source.write_bytes(hostile_customers())
    open_app(page, base_url)
    upload(page, source)
    go_to(page, "Export")
    assert_no_crash(page)
    with page.expect_download(timeout=SLOW) as download_info:
        page.get_by_role("button", name="Download report (.html)").click()
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename == "customers_report.html"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    return saved


def test_the_report_opens_from_disk_draws_its_charts_and_fetches_nothing(
    app_server: str, page: Page, browser: Browser, tmp_path: Path
) -> None:
    saved = download_report(page, app_server, tmp_path)

    offline = browser.new_context(viewport={"width": 1300, "height": 1000})
    report = offline.new_page()
    requested: list[str] = []
    dialogs: list[str] = []
    errors: list[str] = []
    report.on("request", lambda request: requested.append(request.url))
    report.on("websocket", lambda socket: requested.append(socket.url))
    report.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    report.on("pageerror", lambda error: errors.append(str(error)))
    try:
        report.goto(saved.as_uri())
        for chart in ("#heatmap", "#scatter"):
            expect(report.locator(f"{chart} .main-svg").first).to_be_attached(timeout=UI)
        expect(report.locator("#scatter .scatterlayer .point").first).to_be_attached(timeout=UI)
        expect(report.locator("#heatmap .hm image, #heatmap .heatmaplayer").first).to_be_attached(timeout=UI)
        report.wait_for_load_state("networkidle")
        report.wait_for_timeout(500)
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        report.locator("#heatmap-chart").screenshot(path=str(SCREENSHOT_DIR / "report-heatmap.png"))
        report.locator("#scatter-chart").screenshot(path=str(SCREENSHOT_DIR / "report-scatter.png"))
        screenshot(report, "report-full")

        outside = [
            url for url in requested if url != saved.as_uri() and url.split(":")[0] not in LOCAL_SCHEMES
        ]
        assert requested and requested[0] == saved.as_uri()
        assert outside == [], f"requests leaving the file: {sorted(set(outside))}"
        assert errors == [], errors

        # The hostile header and category value are text: no image, no link, no script ran.
        features = report.locator("#feature-list")
        expect(features).to_contain_text(IMG_HEADER)
        expect(report.locator("#segment-summary")).to_contain_text(IMG_HEADER)
        assert report.locator("img").count() == 0
        assert report.locator("a[href*='evil.example']").count() == 0
        assert dialogs == []

        # Printed, each segment starts a page and no table is split.
        report.emulate_media(media="print")
        breaks = report.eval_on_selector_all(
            "section.segment", "sections => sections.map(s => getComputedStyle(s).breakBefore)"
        )
        assert breaks and set(breaks) == {"page"}
        inside = report.eval_on_selector("table", "t => getComputedStyle(t).breakInside")
        assert inside == "avoid"
        assert len(report.pdf()) > 10_000
    finally:
        offline.close()
