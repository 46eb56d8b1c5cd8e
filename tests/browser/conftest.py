"""Browser tests: Playwright (sync API) driving Debian's chromium against `live_server`.

Fixtures and helpers:
  page            a phone-sized page (360 x 740, touch) whose base URL is the live server
  desktop_page    the same at 1280 x 800
  new_page(w, h)  a page of any size, for tests that need both
  login(page, user, password=PASSWORD)  sign in through the real form
  screenshot(page, name)                a PNG under $ARTIFACTS_DIR (default: artifacts/)
  assert_accessible(page)               axe on the current page: zero violations

Every test in this folder is marked `browser`. Without chromium (or Playwright) they skip
saying why, unless REQUIRE_SERVICES is set, when they fail.

Playwright's sync API keeps an asyncio loop registered as running in the test thread,
and Django refuses ORM calls from a thread with a running loop. The browser therefore
lives for this package only, and DJANGO_ALLOW_ASYNC_UNSAFE is set exactly as long as it
does; no coroutine ever touches the database here, so the guard has nothing to protect.
"""

import os
import re
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct horse battery staple"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


def artifacts_dir() -> Path:
    path = Path(os.environ.get("ARTIFACTS_DIR") or REPO / "artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="package")
def browser():
    if not os.path.exists(CHROMIUM):
        skip_or_fail(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("Playwright for Python is not installed (make install)")

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class CspWatch:
    """Collects the browser's Content-Security-Policy complaints for one page."""

    PATTERN = re.compile(r"Content Security Policy", re.IGNORECASE)

    def __init__(self):
        self.violations: list[str] = []

    def __call__(self, message):
        if message.type == "error" and self.PATTERN.search(message.text):
            self.violations.append(message.text)


@pytest.fixture
def new_page(browser, live_server, transactional_db):
    """new_page(width, height) -> a fresh page in its own context (own cookies and language).

    A page that breaks the Content-Security-Policy (an inline style or script) fails
    the test at teardown, so the policy is proven in the browser, not only in headers.
    """
    contexts = []
    watches = []

    def make(width: int, height: int, *, phone: bool | None = None, locale: str = "en-GB"):
        phone = width < 768 if phone is None else phone
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": height},
            is_mobile=phone,
            has_touch=phone,
            locale=locale,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        watch = CspWatch()
        page.on("console", watch)
        watches.append(watch)
        return page

    yield make
    for context in contexts:
        context.close()
    broken = [text for watch in watches for text in watch.violations]
    if broken:
        pytest.fail("The page broke its Content-Security-Policy:\n" + "\n".join(broken))


@pytest.fixture
def page(new_page):
    return new_page(**PHONE)


@pytest.fixture
def desktop_page(new_page):
    return new_page(**DESKTOP)


def login(page, user, password: str = PASSWORD) -> None:
    """Sign in through the login form and wait until the site has let the user in."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def screenshot(page, name: str) -> Path:
    """Save a full-page PNG as $ARTIFACTS_DIR/<name>.png and return its path."""
    path = artifacts_dir() / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_accessible(page) -> None:
    """Run axe (every rule it ships, WCAG 2.2 AA and best practice) and fail on any violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    if results.violations_count:
        lines = [f"{page.url}: {results.violations_count} accessibility violation(s)"]
        for violation in results.response["violations"]:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"]:
                lines.append(f"    {', '.join(map(str, node['target']))}: {node['failureSummary']}")
        pytest.fail("\n".join(lines), pytrace=False)
