"""Real-browser tests: Debian's Chromium driven by Playwright against the running app.

Fixtures (see tests/browser/test_harness.py for use):

* ``live_server`` (session): the real app served on 127.0.0.1 by a werkzeug thread, on a
  fresh migrated and demo-seeded SQLite database; ``.url`` (no trailing slash) and ``.app``.
* ``browser`` (session): a headless Chromium (``/usr/bin/chromium``, installed by
  ``make browser-deps``; Playwright's own browser download is never used).
* ``page``: one test per viewport, ids ``phone`` (390x844, touch, 2x) and ``desktop``
  (1280x800), locale ``nl-BE``; ``new_page(viewport, locale=...)`` for other locales or
  several pages in one test. ``phone_page`` / ``desktop_page`` pin a single viewport.
* ``check_axe(page, name)``: asserts no WCAG 2.1 A/AA violations on the current page.
* ``shoot(page, name)``: full-page PNG into test-artifacts/screenshots/<test>/<NN>-<name>.png.

Missing Chromium or axe-core fails loudly (never skips): run ``make test``.
"""

import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from sqlalchemy.orm import Session
from werkzeug.serving import BaseWSGIServer, make_server

from app import create_app
from app.config import Config
from app.demo.seed import seed_demo
from tests.factories import TEST_SECRET_KEY

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"

# Playwright adds --headless itself. Without the background-networking flags Chromium keeps
# dialling Google services, which the closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root in a container
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

VIEWPORTS: dict[str, dict[str, Any]] = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


# --- The app ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveServer:
    url: str
    app: Flask


@pytest.fixture(scope="session")
def live_server(
    fresh_database: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    # SQLite only: the browser tests exercise pages, not the engine; the engine and the API
    # are proven on SQLite and PostgreSQL by the rest of the suite.
    url = fresh_database("sqlite")
    instance = tmp_path_factory.mktemp("browser-instance")
    app = create_app(
        Config.from_env(
            instance,
            env={"DATABASE_URL": url, "SECRET_KEY": TEST_SECRET_KEY, "BLAUWLIJN_DEMO": "1"},
        )
    )
    config = app.config["BLAUWLIJN"]
    with Session(app.extensions["db_engine"]) as session, session.begin():
        seed_demo(session, now=datetime.now(UTC), zone=config.zone)

    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        app.extensions["db_engine"].dispose()


# --- The browser --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium. "
            "Run `make test` (or `make browser-deps`, as root), which installs it."
        )
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


NewPage = Callable[..., Page]


@pytest.fixture
def new_page(browser: Browser) -> Iterator[NewPage]:
    """``new_page("phone" | "desktop", locale="nl-BE")``: a page in its own fresh context."""
    contexts: list[BrowserContext] = []

    def make(viewport: str = "desktop", *, locale: str = "nl-BE") -> Page:
        # bypass_csp: axe is a test tool injected into the page as an inline script, which the
        # app's Content-Security-Policy (script-src 'self') rightly blocks. The CSP itself is
        # asserted by HTTP-level tests; nothing extra is served by the product for testing.
        context = browser.new_context(locale=locale, bypass_csp=True, **VIEWPORTS[viewport])
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def page(request: pytest.FixtureRequest, new_page: NewPage) -> Page:
    """The test runs once per viewport (ids ``phone`` and ``desktop``), locale nl-BE."""
    return new_page(request.param)


@pytest.fixture
def phone_page(new_page: NewPage) -> Page:
    return new_page("phone")


@pytest.fixture
def desktop_page(new_page: NewPage) -> Page:
    return new_page("desktop")


# --- Helpers ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def check_axe() -> Callable[[Page, str], None]:
    """``check_axe(page, name)``: fail when axe finds WCAG 2.1 A/AA violations on the page."""
    if not AXE_JS.exists():
        pytest.fail(
            f"{AXE_JS.relative_to(ROOT)} is missing: run `make test` (or `make browser-deps`), "
            "which installs axe-core from package-lock.json."
        )

    def check(page: Page, name: str) -> None:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        violations = result["violations"]
        if violations:  # raised, not asserted: pytest's rewrite would dump axe's raw objects
            lines = [
                f"  - {v['id']} ({v['impact']}): {v['help']}, {len(v['nodes'])} node(s), e.g. "
                + "; ".join(_selector(n["target"]) for n in v["nodes"][:3])
                for v in violations
            ]
            raise AssertionError(
                f"axe: {len(violations)} accessibility violation(s) on {name!r} ({page.url}):\n"
                + "\n".join(lines)
            )

    return check


@pytest.fixture
def shoot(request: pytest.FixtureRequest) -> Callable[[Page, str], Path]:
    """``shoot(page, name)``: a numbered full-page screenshot of this test's steps."""
    folder = SCREENSHOTS / _safe(request.node.name)
    step = 0

    def take(page: Page, name: str) -> Path:
        nonlocal step
        step += 1
        if step == 1 and folder.exists():  # a rerun replaces the previous run's pictures
            for old in folder.glob("*.png"):
                old.unlink()
        path = folder / f"{step:02d}-{_safe(name)}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def _safe(name: str) -> str:
    """A file name: ``test_x[phone]`` becomes ``test_x_phone_``."""
    return re.sub(r"[^\w.-]+", "_", name)


def _selector(target: list[Any]) -> str:
    """axe's target: one CSS selector, or a path through iframes / shadow roots."""
    return " >> ".join(t if isinstance(t, str) else " >>> ".join(t) for t in target)
