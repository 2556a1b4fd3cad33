"""Nothing is fetched from the internet: every request the browser makes goes to the app's own server.

Customer-data tools run in closed networks, so fonts, icons (the Material
Symbols of the navigation), favicons and scripts must all be served by
Streamlit itself. The browser's every request and websocket is recorded while
a person clicks through all pages, uploads a file and computes the k scores.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page

from tests.e2e.conftest import wait_for_app
from tests.e2e.test_dashboard import assert_no_crash, go_to, open_app
from tests.e2e.test_untrusted_files import compute, upload
from tests.hostile import hostile_csv

LOCAL_SCHEMES = {"data", "blob", "about"}


def test_the_browser_fetches_nothing_from_outside_the_server(
    app_server: str, page: Page, tmp_path: Path
) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("websocket", lambda socket: requested.append(socket.url))

    path = tmp_path / "customers.csv"
    path.write_bytes(hostile_csv())
    open_app(page, app_server)
    upload(page, path)
    for title in ("Segments", "Choose k", "Export", "Data"):
        go_to(page, title)
        if title == "Choose k":
            compute(page)
        assert_no_crash(page)
    page.reload()  # a fresh load: the favicon, fonts and scripts again
    wait_for_app(page)
    page.wait_for_load_state("networkidle")

    server = urlsplit(app_server).netloc
    outside = [
        url
        for url in requested
        if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).netloc != server
    ]
    assert requested, "no request was recorded"
    assert outside == [], f"requests to other hosts: {sorted(set(outside))}"
    fonts = [url for url in requested if url.endswith(".woff2")]
    assert any("MaterialSymbols" in url for url in fonts), "the navigation icons' font comes from the server"
