"""Browser tests: Debian's chromium driven by Playwright against the app served on localhost."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("FEEDBACKBOT_CHROMIUM", "/usr/bin/chromium")
# The flags a headless chromium needs on a closed network, run as root in CI.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium (scripts/test does)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def app_config() -> dict[str, object]:
    """Browser tests use the forms as people do, CSRF tokens included."""
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app served over HTTP in a background thread, on the test database."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def page(browser, live_server: str):
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


# A status the test itself provokes (a wrong password's 401, a busy database's 503) is logged by
# chromium as "Failed to load resource"; that is the page handling it, not an error in the page.
_EXPECTED_CONSOLE = "Failed to load resource: the server responded with a status of "


@pytest.fixture(autouse=True)
def no_console_errors(browser, monkeypatch):
    """Fail a browser test on any console error or uncaught script error: CSP violations included."""
    errors: list[str] = []

    def watch(page) -> None:
        page.on(
            "console",
            lambda message: (
                errors.append(f"console: {message.text}")
                if message.type == "error" and not message.text.startswith(_EXPECTED_CONSOLE)
                else None
            ),
        )
        page.on("pageerror", lambda error: errors.append(f"page error: {error}"))

    real_new_context = browser.new_context

    def new_context(*args, **kwargs):
        context = real_new_context(*args, **kwargs)
        context.on("page", watch)
        return context

    monkeypatch.setattr(browser, "new_context", new_context)
    yield errors
    assert errors == [], errors
