"""Fixtures for the browser tests: Debian's Chromium driven by Playwright.

Playwright's browsers cannot be downloaded here, so the tests drive the
distribution's Chromium and skip where it is not installed.
"""

import os
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from shouwang.test import Personas

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium reaches for Google's servers,
# which an intranet build machine cannot reach.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 5_000
SCREENSHOTS = Path(tempfile.gettempdir())

# Browsers here say they prefer Chinese, as the college's do: without a locale,
# Chromium asks for English and Django's LocaleMiddleware obliges.
CHINA = {"locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
DESKTOP = {**CHINA, "viewport": {"width": 1280, "height": 800}}
# A phone as most students hold it: a link opened in WeChat on an iPhone-sized screen.
PHONE = {
    **CHINA,
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49(0x18003137) "
        "NetType/WIFI Language/zh_CN"
    ),
}

_reports_key = pytest.StashKey[dict]()  # test phase -> report, for the page fixture


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the browser tests after all others (after pytest-django's own ordering).

    From the first browser test to the end of the session Playwright's event loop
    runs in the main thread, where Django would refuse any other test's ORM call
    and DJANGO_ALLOW_ASYNC_UNSAFE must stay set; no other test should see either."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the test, so fixtures can tell a failed test at teardown.
    report = yield
    item.stash.setdefault(_reports_key, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session; each test opens its own context."""
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)")

    # Playwright's sync API runs an event loop in this thread for as long as it is
    # started, and Django refuses ORM calls (fixtures, the flush after each test)
    # from a thread with a running loop.
    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if saved is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


@pytest.fixture
def new_page(browser, live_server, request):
    """Open a page in a fresh context (own cookies) on the live server.

    A failed test leaves a screenshot of each of its pages in /tmp."""
    contexts = []

    def new_page(**options):
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield new_page

    reports = request.node.stash.get(_reports_key, {})
    failed = any(report.failed for report in reports.values())
    for number, context in enumerate(contexts):
        if failed:
            for page in context.pages:
                path = SCREENSHOTS / f"shouwang-{request.node.name}-{number}.png"
                try:
                    page.screenshot(path=path, full_page=True)
                except PlaywrightError as error:  # the failure itself matters more
                    print(f"no screenshot of {page.url}: {error}")
                else:
                    print(f"screenshot: {path} ({page.url})")
        context.close()


@pytest.fixture
def page(new_page):
    return new_page(**DESKTOP)


@pytest.fixture
def phone(new_page):
    return new_page(**PHONE)


@pytest.fixture
def personas(transactional_db):
    """The shared personas, written where the live server's thread can read them."""

    class TestPersonas(Personas):
        pass

    TestPersonas.create_personas()
    return TestPersonas
