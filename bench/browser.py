"""Browser: from choosing a CSV in the uploader until the Segments scatter is visible.

    python -m bench.browser customers_1000000.csv [--repeats 3] [--app-root DIR] [--screenshot PNG]

Each repeat starts a fresh ``streamlit run app.py`` (cold caches) and a fresh
headless Chromium (Debian's /usr/bin/chromium, driven by Playwright), and does
what a person would:

1. open the app and wait until its first script run is over (idle);
2. clock starts; choose the file in the Data page's uploader
   (``set_input_files`` on the dropzone input); wait until the sidebar shows
   the file name and its row count and the app is idle  → *upload*;
3. click "Segments" in the sidebar navigation; wait until the scatter
   (``[data-testid='stPlotlyChart'] .js-plotly-plot``) is visible and the app
   is idle  → *segments*; clock stops. upload + segments = *total*;
4. axes-only change: choose another feature in the "x axis" selectbox; wait
   until the scatter's x-axis title shows it and the app is idle → *axes*.

"Idle" = stApp's ``data-test-script-state`` is ``notRunning`` (as in
tests/e2e/conftest.py ``wait_for_app``); the time recorded is when idle was
first seen, confirmed still idle 250 ms later (the confirmation is not counted).
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
IDLE = "[data-testid='stApp'][data-test-connection-state='CONNECTED'][data-test-script-state='notRunning']"
SCATTER = "[data-testid='stPlotlyChart'] .js-plotly-plot"
TIMEOUT_MS = 180_000
TARGET_SECONDS = 15.0


def log(message: str) -> None:
    print(f"[browser {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200 and response.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


def status_kib(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in KiB (empty once it is gone)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    return {k: int(v) for k, v in re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", text, re.M)}


def vm_hwm_mib(pid: int) -> float | None:
    """Peak RSS of the server process so far (VmHWM), in MiB."""
    hwm = status_kib(pid).get("VmHWM")
    return None if hwm is None else hwm / 1024


class Server:
    """``streamlit run app.py`` on a free port; terminate, then kill, on exit."""

    def __init__(self, root: Path, log_path: Path, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.cmd = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ]
        self.root, self.log_path, self.env = root, log_path, env or {}

    def __enter__(self) -> Server:
        with open(self.log_path, "wb") as out:
            self.proc = subprocess.Popen(
                self.cmd,
                cwd=self.root,
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1", **self.env},
            )
        start = time.monotonic()
        while not healthy(f"{self.url}/_stcore/health"):
            if self.proc.poll() is not None:
                raise SystemExit(f"streamlit exited ({self.proc.returncode}); see {self.log_path}")
            if time.monotonic() - start > 60:
                self.__exit__()
                raise SystemExit(f"streamlit not healthy after 60 s; see {self.log_path}")
            time.sleep(0.2)
        self.startup_seconds = time.monotonic() - start
        return self

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def idle_at(page) -> float:
    """perf_counter time at which the app was seen idle (and still idle 250 ms later)."""
    while True:
        page.wait_for_selector(IDLE, state="attached", timeout=TIMEOUT_MS)
        seen = time.perf_counter()
        page.wait_for_timeout(250)
        if page.locator(IDLE).count():
            return seen


def one_run(csv: Path, root: Path, out: Path, index: int, screenshot: Path | None) -> dict:
    from playwright.sync_api import expect, sync_playwright

    rows_text = None
    with Server(root, out / f"browser_server_{index}.log") as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(server.url.rstrip("/") + "/data")  # the default page is Start
            idle_at(page)
            expect(page.get_by_role("heading", name="Data", exact=True)).to_be_visible()
            sidebar = page.get_by_test_id("stSidebar")

            t0 = time.perf_counter()
            page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(csv))
            expect(sidebar).to_contain_text(csv.name, timeout=TIMEOUT_MS)
            expect(sidebar).to_contain_text(re.compile(r"[\d,]+ rows"), timeout=TIMEOUT_MS)
            t1 = idle_at(page)
            match = re.search(r"([\d,]+) rows", sidebar.inner_text())
            rows_text = match.group(1) if match else None

            nav = page.get_by_test_id("stSidebarNav")
            t_click = time.perf_counter()
            nav.get_by_role("link").filter(has_text=re.compile(r"Segments$")).click()
            scatter = page.locator(SCATTER).first
            scatter.wait_for(state="visible", timeout=TIMEOUT_MS)
            t_visible = time.perf_counter()
            t2 = idle_at(page)
            caption = page.get_by_text(re.compile(r"^Showing [\d,]+ (of|all) ")).first.inner_text()
            points = page.evaluate(
                "() => { const p = document.querySelector(\"[data-testid='stPlotlyChart'] .js-plotly-plot\");"
                " if (!p || !p._fullData) return null;"
                " return p._fullData.reduce((n, t) => n + (t._length || 0), 0); }"
            )
            if screenshot is not None:
                scatter.scroll_into_view_if_needed()
                page.screenshot(path=str(screenshot), full_page=False)

            # Axes-only change: another feature on the x axis.
            box = page.get_by_test_id("stSelectbox").filter(has_text="x axis")
            current = page.locator(f"{SCATTER} .xtitle").first.text_content().strip()
            box.locator("input").click()
            options = page.get_by_role("option")
            options.first.wait_for(state="visible")
            labels = [t.strip() for t in options.all_inner_texts()]
            new_x = next(t for t in labels if t and t != current and t != "PCA projection")
            t3 = time.perf_counter()
            options.filter(has_text=re.compile(rf"^{re.escape(new_x)}$")).first.click()
            page.wait_for_function(
                "x => { const t = document.querySelector(\"[data-testid='stPlotlyChart'] .js-plotly-plot .xtitle\");"
                " return t && t.textContent.trim() === x; }",
                arg=new_x,
                timeout=TIMEOUT_MS,
            )
            t_title = time.perf_counter()
            t4 = idle_at(page)
            server_peak = vm_hwm_mib(server.proc.pid)
        finally:
            browser.close()
    return {
        "upload_seconds": t1 - t0,
        "segments_seconds": t2 - t1,
        "total_seconds": t2 - t0,
        "segments_click_to_scatter_visible": t_visible - t_click,
        "axes_seconds": t4 - t3,
        "axes_select_to_new_axis_drawn": t_title - t3,
        "axes_change": f"{current} -> {new_x}",
        "sidebar_rows": rows_text,
        "caption": caption,
        "points_drawn": points,  # incl. the segment-centre trace
        "server_startup_seconds": server.startup_seconds,
        "server_peak_rss_mib": server_peak,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.browser", description=__doc__.splitlines()[0])
    parser.add_argument("csv", type=Path)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--app-root",
        type=Path,
        default=Path(__file__).resolve().parent.parent,
        help="directory holding app.py (the server's cwd)",
    )
    parser.add_argument("--out", type=Path, default=None, help="folder for server logs (default bench/out)")
    parser.add_argument("--screenshot", type=Path, default=None, help="PNG of the scatter (first run)")
    args = parser.parse_args(argv)
    csv = args.csv.resolve()
    out = (args.out or args.app_root / "bench" / "out").resolve()
    out.mkdir(parents=True, exist_ok=True)
    runs = []
    for i in range(args.repeats):
        run = one_run(csv, args.app_root.resolve(), out, i + 1, args.screenshot if i == 0 else None)
        log(
            f"run {i + 1}/{args.repeats}: upload {run['upload_seconds']:.2f} s + segments "
            f"{run['segments_seconds']:.2f} s = {run['total_seconds']:.2f} s; axes {run['axes_seconds']:.2f} s; "
            f"{run['caption']!r}"
        )
        runs.append(run)

    def med(key: str) -> dict:
        values = [r[key] for r in runs]
        return {"median": statistics.median(values), "min": min(values), "max": max(values), "all": values}

    print(
        json.dumps(
            {
                "csv": csv.name,
                "csv_bytes": csv.stat().st_size,
                "repeats": len(runs),
                "total_seconds": med("total_seconds"),
                "upload_seconds": med("upload_seconds"),
                "segments_seconds": med("segments_seconds"),
                "axes_seconds": med("axes_seconds"),
                "server_peak_rss_mib": med("server_peak_rss_mib")
                if all(r["server_peak_rss_mib"] for r in runs)
                else None,
                "target_seconds": TARGET_SECONDS,
                "screenshot": str(args.screenshot) if args.screenshot else None,
                "runs": runs,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
