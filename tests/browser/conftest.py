"""Real uvicorn on 127.0.0.1 and real Chromium (Debian's) driven by Playwright."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from app.config import SEEDS_DIR
from app.db import open_database
from app.migrate import upgrade
from app.seed import load_seeds
from tests.conftest import EDITOR, PASSWORD, add_accounts
from tests.servers import uvicorn_server

CHROMIUM = os.environ.get("WHOSAID_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# Collect CSP violations and keep a canary that hostile text could set. Init scripts run
# before the page's own scripts and are not subject to its CSP.
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


class LiveServer:
    def __init__(self, url: str, database_url: str) -> None:
        self.url = url
        self.database_url = database_url


@pytest.fixture
def live_server(tmp_path: Path, database_url: str) -> Iterator[LiveServer]:
    upgrade(database_url, quiet=True)
    db = open_database(database_url)
    with db.write_session() as session:
        load_seeds(session, SEEDS_DIR, actor="browser-editor")
        session.commit()
    add_accounts(db)
    db.dispose()
    editor = {"WHOSAID_EDITOR": "browser-editor"}
    with uvicorn_server(database_url, tmp_path / "instance", env=editor) as url:
        yield LiveServer(url, database_url)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def sign_in(page: Page, email: str) -> None:
    """Sign in through the form, as a person would."""
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


class Browsers:
    """Open pages in separate browser contexts (separate people), check them at the end."""

    def __init__(self, browser: Browser, url: str) -> None:
        self.browser = browser
        self.url = url
        self.pages: list[tuple[Page, list[str]]] = []

    def open(self, email: str) -> Page:
        context = self.browser.new_context(base_url=self.url, accept_downloads=True)
        context.add_init_script(WATCH)
        context.set_default_timeout(10_000)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        self.pages.append((page, errors))
        sign_in(page, email)
        return page

    def close(self) -> None:
        for page, errors in self.pages:
            violations = page.evaluate("window.__csp || []") if not page.is_closed() else []
            page.context.close()
            assert violations == [], f"CSP violations: {violations}"
            assert errors == [], f"JavaScript errors: {errors}"


@pytest.fixture
def people(browser: Browser, live_server: LiveServer) -> Iterator[Browsers]:
    opened = Browsers(browser, live_server.url)
    yield opened
    opened.close()


@pytest.fixture
def page(people: Browsers) -> Page:
    """One editor, signed in."""
    return people.open(EDITOR)
