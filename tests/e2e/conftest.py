"""End-to-end test infrastructure: a real Streamlit server driven by headless Chromium.

Fixtures: ``chromium_path``, ``app_server`` (base URL), ``browser``, ``page``.
Helpers for tests: ``from tests.e2e.conftest import wait_for_app, screenshot``.

Why Debian's chromium and not Playwright's: Playwright's browser download is not
reachable from this network, so we launch /usr/bin/chromium via executable_path.
Every test in this folder gets the ``e2e`` marker (``-m "not e2e"`` skips them).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

E2E_DIR = Path(__file__).resolve().parent
REPO_ROOT = E2E_DIR.parents[1]
SCREENSHOT_DIR = E2E_DIR / "screenshots"

# Without the background-networking flags Chromium keeps trying to reach
# Google's hosts, which this machine's closed network refuses; as root it also
# needs --no-sandbox.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

SERVER_START_TIMEOUT_S = 60
SERVER_LOG_KEY = pytest.StashKey[Path]()
SERVER_STOP_TIMEOUT_S = 10

# The app under test; override to run this infrastructure against another script.
APP_ENV_VAR = "SEGMENTATION_E2E_APP"

# Values of stApp's data-test-script-state once a script run is over
# (Streamlit 1.67 frontend: initial, running, rerunRequested, stopRequested,
# notRunning, compilationError). "initial" is *before* the first run, so we
# wait for an explicit finished state rather than just "not running".
_APP_IDLE = (
    "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
    "[data-test-script-state='notRunning'],"
    "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
    "[data-test-script-state='compilationError']"
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under tests/e2e as ``e2e`` so it can be selected or deselected."""
    for item in items:
        if item.path.is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.e2e)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Path of the system Chromium; skip locally if missing, but fail on CI.

    CI must never go green because the browser tests quietly skipped.
    """
    path = "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else shutil.which("chromium")
    if path:
        return path
    reason = "Chromium not found (install Debian's package: apt-get install -y chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; browser tests are required on CI", pytrace=False)
    pytest.skip(reason)


def _free_port() -> int:
    """A port the OS says is free right now on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _health_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200 and response.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


def _tail(path: Path, max_chars: int = 6000) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return text[-max_chars:] or "(no output)"


@pytest.fixture(scope="session")
def app_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start ``streamlit run`` on a free port and yield its base URL.

    The server's stdout/stderr go to a temp log so a failed start can show why;
    failing tests also show its tail, because with client.showErrorDetails =
    "none" the browser only gets a generic error and the traceback is in the log.
    """
    app = Path(os.environ.get(APP_ENV_VAR, "app.py"))
    if not (REPO_ROOT / app).is_file():  # an absolute path ignores REPO_ROOT
        pytest.fail(f"Streamlit app not found: {REPO_ROOT / app} (set {APP_ENV_VAR}?)", pytrace=False)

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("streamlit") / "server.log"
    request.config.stash[SERVER_LOG_KEY] = log_path
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}

    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while not _health_ok(f"{base_url}/_stcore/health"):
            if proc.poll() is not None:
                pytest.fail(
                    f"Streamlit exited with code {proc.returncode} before it was healthy.\n"
                    f"Command: {' '.join(cmd)}\n--- server output ---\n{_tail(log_path)}",
                    pytrace=False,
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"Streamlit was not healthy after {SERVER_START_TIMEOUT_S} s.\n"
                    f"Command: {' '.join(cmd)}\n--- server output ---\n{_tail(log_path)}",
                    pytrace=False,
                )
            time.sleep(0.25)
        yield base_url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=SERVER_STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    """One headless Chromium for the whole session (starting it is the slow part)."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh context per test, so cookies/session state never leak between tests."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator:
    """On an e2e test failure, save a screenshot and show the server log's tail."""
    report = yield
    if report.when != "call" or not report.failed:
        return report
    funcargs = getattr(item, "funcargs", {})
    page = funcargs.get("page")
    if page is not None and not page.is_closed():
        try:
            path = screenshot(page, f"FAILED-{item.name}")
            report.sections.append(("e2e screenshot", str(path)))
        except Exception as exc:  # never hide the real failure behind this one
            report.sections.append(("e2e screenshot", f"could not save: {exc}"))
    log_path = item.config.stash.get(SERVER_LOG_KEY, None)
    if "app_server" in funcargs and log_path is not None:
        report.sections.append(("streamlit server log (tail)", _tail(log_path, 3000)))
    return report


# --------------------------------------------------------------------------- helpers


def wait_for_app(page: Page, timeout: float = 60000) -> None:
    """Wait until the app is connected and its script run has finished.

    A finished run can be followed at once by another (st.rerun, a widget
    callback), so after a short settle delay we wait for the idle state again.
    The delay uses page.wait_for_timeout, never time.sleep, so Playwright keeps
    processing events meanwhile.
    """
    page.wait_for_selector(_APP_IDLE, state="attached", timeout=timeout)
    page.wait_for_timeout(250)
    page.wait_for_selector(_APP_IDLE, state="attached", timeout=timeout)


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as tests/e2e/screenshots/NAME.png and return its path."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    path = SCREENSHOT_DIR / f"{safe}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
