"""Browser: Choose k's Compute on the 10k-row churn-like file, from the click until the suggestion shows.

    python -m bench.choosek_browser [--repeats 3] [--port 8611]

Each repeat starts a fresh ``streamlit run app.py`` and headless Chromium
(see bench/browser.py), uploads bench/out/churn_like.csv (written by
bench/churnlike.py from ../shared/datasets/ClientesBanco.csv), opens the
Segments page (so the segmentation is in the cache, as when a person comes
from it), then Choose k, and times a click on Compute until the "Suggested
k" box is visible and the app is idle. The target is under 8 s. Prints one
JSON line.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from pathlib import Path

from .browser import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, Server, idle_at
from .churnlike import OUT, write_churn_like

ROOT = Path(__file__).resolve().parent.parent


def one_run(csv: Path, index: int, port: int | None) -> float:
    from playwright.sync_api import expect, sync_playwright

    server = Server(ROOT, OUT / f"choosek_browser_{index}.log")
    if port:
        server.port, server.url = port, f"http://127.0.0.1:{port}"
        server.cmd[server.cmd.index("--server.port") + 1] = str(port)
    with server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(server.url)
            idle_at(page)
            page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(csv))
            expect(page.get_by_test_id("stSidebar")).to_contain_text(csv.name, timeout=TIMEOUT_MS)
            idle_at(page)
            nav = page.get_by_test_id("stSidebarNav")
            nav.get_by_role("link").filter(has_text=re.compile(r"Segments$")).click()
            page.locator("[data-testid='stPlotlyChart'] .js-plotly-plot").first.wait_for(state="visible")
            idle_at(page)
            nav.get_by_role("link").filter(has_text=re.compile(r"Choose k$")).click()
            expect(page.get_by_role("button", name="Compute")).to_be_visible(timeout=TIMEOUT_MS)
            idle_at(page)
            start = time.perf_counter()
            page.get_by_role("button", name="Compute").click()
            expect(page.get_by_text(re.compile(r"^Suggested k = \d+"))).to_be_visible(timeout=TIMEOUT_MS)
            return idle_at(page) - start
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--port", type=int, help="serve on this port (default: a free one)")
    args = parser.parse_args()
    csv = write_churn_like(OUT / "churn_like.csv")
    seconds = [one_run(csv, i, args.port) for i in range(args.repeats)]
    print(json.dumps({"compute_seconds": seconds, "median": statistics.median(seconds), "target": 8}))


if __name__ == "__main__":
    main()
