"""Shared Playwright support for browser tests (real Chromium against ``live_server``).

Use it from a test module::

    import pytest

    from tests.browser_support import login, page  # noqa: F401  (``page`` is a fixture)

    @pytest.mark.browser
    def test_something(page, live_server, make_user):
        make_user("office", username="office1")
        login(page, "office1")
        page.goto("/livelihood/")

``page`` is a fresh browser context per test whose ``base_url`` is the live server,
so ``page.goto("/path/")`` works. The browser is the system Chromium at
/usr/bin/chromium; Playwright never downloads one. When Chromium is missing the test
is skipped with the reason, unless ``REQUIRE_BROWSER=1`` is set (as in CI), in which
case it fails.
"""

import os
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Long enough for a cold first request on a slow CI machine, short enough to fail fast.
DEFAULT_TIMEOUT_MS = 15_000


def _browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes", "on"}


def _ensure_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"needs Chromium but {CHROMIUM} is missing"
    if _browser_required():
        pytest.fail(f"{reason} (REQUIRE_BROWSER=1 is set, so a missing browser is a failure)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def page(live_server):
    """A Playwright page in a fresh context pointed at the live server.

    Playwright's sync API runs an event loop in this thread, which makes Django refuse
    ORM calls from the test body ("async unsafe"); the test and the live server use
    the ORM synchronously on purpose, so that check is switched off here.
    """
    _ensure_chromium()
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        context = browser.new_context(base_url=live_server.url, locale="zh-CN")
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        browser_page = context.new_page()
        try:
            yield browser_page
        finally:
            context.close()
            browser.close()


def login(page, username: str, password: str = PASSWORD) -> None:
    """Log in through the real login form and wait until the browser has left it.

    Fails the test with the page's error text when the login is refused.
    """
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.locator("form:has(input[name=password])").locator("[type=submit]").click()
    if "/accounts/login/" in page.url:
        pytest.fail(f"login as {username!r} was refused: {page.inner_text('main')[:300]}", pytrace=False)
