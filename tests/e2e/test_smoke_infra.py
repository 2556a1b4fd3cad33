"""Smoke test of the e2e infrastructure: server starts, browser connects, app renders."""

from playwright.sync_api import Page

from tests.e2e.conftest import screenshot, wait_for_app


def test_app_opens_without_error(app_server: str, page: Page) -> None:
    """The app renders and shows no exception (a traceback, or the generic error box)."""
    page.goto(app_server)
    wait_for_app(page)

    assert page.locator("[data-testid='stApp']").count() == 1
    assert page.get_by_text("Traceback").count() == 0
    # With client.showErrorDetails = "none" an exception shows no traceback,
    # only an stException box, so look for that too.
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "smoke_infra")
