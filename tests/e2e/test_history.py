"""Saved work in the browser: save, reopen and migrate; and sign-in isolation on a team server.

The sign-in test starts a local OpenID Connect provider (oidc-provider-mock, on
127.0.0.1) and a dashboard with ``[auth]`` in a secrets file of its own; people
sign in by typing their subject on the provider's authorize form.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from segmentation.store.store import open_store
from tests.e2e.conftest import REPO_ROOT, _free_port, _health_ok, _tail, wait_for_app

TIMEOUT_MS = 60_000


@contextmanager
def _process(cmd: list[str], health: str, log: Path, env: dict[str, str], ready=_health_ok) -> Iterator[None]:
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 60
        while not ready(health):
            assert proc.poll() is None and time.monotonic() < deadline, _tail(log)
            time.sleep(0.25)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def dashboard(folder: Path, *extra: str, port: int | None = None) -> Iterator[tuple[str, str]]:
    """A dashboard with a store of its own; yields (base URL, store URL)."""
    port = port or _free_port()
    store_url = f"sqlite:///{folder / 'store' / 'segmentation.db'}"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "SEGMENTATION_STORE_URL": store_url}
    cmd = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--server.headless", "true", *extra,
    ]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    with _process(cmd, f"{base}/_stcore/health", folder / "streamlit.log", env):
        yield base, store_url


def _go(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    wait_for_app(page)


def _save(page: Page, name: str) -> None:
    field = page.get_by_label("Name", exact=True)
    field.fill(name)
    field.press("Enter")  # submits the form (Streamlit's forms submit on Enter)
    wait_for_app(page)
    expect(page.get_by_text(f"Saved {name} ")).to_be_visible(timeout=TIMEOUT_MS)


def test_save_reopen_and_migrate(browser: Browser, tmp_path: Path) -> None:
    with dashboard(tmp_path) as (base, store_url):
        page = browser.new_page()
        page.goto(base)
        wait_for_app(page)
        _go(page, "History")
        _save(page, "October")
        _go(page, "Data")
        seed = page.get_by_label("Seed", exact=True).and_(page.get_by_test_id("stNumberInputField"))
        seed.fill("43")
        seed.press("Enter")
        wait_for_app(page)
        _go(page, "History")
        _save(page, "November")
        expect(page.get_by_text("100 customers in both 'October' and 'November'")).to_be_visible()
        expect(page.locator(".js-plotly-plot .sankey")).to_have_count(1, timeout=TIMEOUT_MS)
        with page.expect_download() as download:
            page.get_by_role("button", name="Download").filter(has_text="customers").click()
        moved = Path(download.value.path()).read_text().splitlines()
        assert moved[0] == "customer_key,old_segment,old_segment_name,new_segment,new_segment_name"
        assert [open_store(store_url).names()] == [["October", "November"]]

        page.get_by_role("button", name="Reopen").click()
        wait_for_app(page)
        # The choice stayed on October (chosen while it was the only one): reopening it brings its
        # data back (synthetic, seed 42, after November's seed 43) and its segments on the Segments page.
        expect(page.get_by_text("October is open")).to_be_visible(timeout=TIMEOUT_MS)
        expect(page.get_by_test_id("stSidebar").get_by_text("Synthetic customers (seed 42)")).to_be_visible()
        _go(page, "Segments")
        expect(page.get_by_text("Segment profiles")).to_be_visible(timeout=TIMEOUT_MS)
        page.close()


# ---------------------------------------------------------------- sign-in


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture
def provider(tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    cmd = [sys.executable, "-m", "oidc_provider_mock", "--port", str(port), "--host", "127.0.0.1"]
    issuer = f"http://127.0.0.1:{port}"
    metadata = f"{issuer}/.well-known/openid-configuration"
    with _process(cmd, metadata, tmp_path / "oidc.log", dict(os.environ), ready=_answers):
        yield issuer


def _secrets(folder: Path, issuer: str, port: int) -> Path:
    path = folder / "secrets.toml"
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "e2e-cookie-secret-not-for-production-0123456789"\n'
        'client_id = "segmentation-dashboard"\n'
        'client_secret = "e2e-client-secret"\n'
        f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
    )
    return path


def _sign_in(browser: Browser, base: str, subject: str) -> Page:
    page = browser.new_context().new_page()
    page.goto(base)
    wait_for_app(page)
    _go(page, "History")
    page.get_by_role("button", name="Sign in").click()
    page.locator("input[name=sub]").fill(subject)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{base}/**", timeout=TIMEOUT_MS)
    wait_for_app(page)
    _go(page, "History")
    expect(page.get_by_text(f"Signed in as {subject}")).to_be_visible(timeout=TIMEOUT_MS)
    return page


def test_each_person_sees_only_their_own_saved_work(browser: Browser, tmp_path: Path, provider: str) -> None:
    port = _free_port()
    secrets = _secrets(tmp_path, provider, port)
    with dashboard(tmp_path, "--secrets.files", str(secrets), port=port) as (base, store_url):
        visitor = browser.new_context().new_page()
        visitor.goto(base)
        wait_for_app(visitor)
        _go(visitor, "History")
        expect(visitor.get_by_text("Sign in to save segmentations")).to_be_visible()
        expect(visitor.get_by_role("button", name="Save")).to_have_count(0)

        alice = _sign_in(browser, base, "alice")
        _save(alice, "Alice October")
        bob = _sign_in(browser, base, "bob")
        expect(bob.get_by_text("Nothing saved yet")).to_be_visible()
        expect(bob.get_by_text("Alice October")).to_have_count(0)
        _save(bob, "Bob October")
        expect(bob.get_by_role("combobox", name="Saved segmentation")).to_have_value("Bob October")

        alice.reload()
        wait_for_app(alice)
        _go(alice, "History")
        expect(alice.get_by_text("Signed in as alice")).to_be_visible(timeout=TIMEOUT_MS)
        expect(alice.get_by_text("Bob October")).to_have_count(0)
        expect(alice.get_by_role("combobox", name="Saved segmentation")).to_have_value("Alice October")
        visitor.reload()
        wait_for_app(visitor)
        _go(visitor, "History")
        expect(visitor.get_by_text("Sign in to save segmentations")).to_be_visible()

        store = open_store(store_url)
        assert store.names(f"{provider} alice") == ["Alice October"]
        assert store.names(f"{provider} bob") == ["Bob October"]
        assert store.names() == []  # nothing belongs to nobody
        assert store.count() == 2
