"""The browser harness itself: the live app is reachable, axe really runs, screenshots land."""

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import AXE_JS, LiveServer


def test_live_server_serves_the_seeded_app(
    page: Page, live_server: LiveServer, shoot: Callable[[Page, str], Path]
) -> None:
    response = page.goto(live_server.url + "/api/v1/services")
    assert response is not None
    assert response.status == 200
    assert "wijkagent" in page.inner_text("body").lower()
    picture = shoot(page, "services")
    assert picture.name == "01-services.png"
    assert picture.stat().st_size > 0


def test_axe_reports_an_image_without_alt(
    desktop_page: Page, check_axe: Callable[[Page, str], None]
) -> None:
    desktop_page.set_content(
        "<html lang='en'><head><title>t</title></head>"
        "<body><main><h1>Hi</h1><img src='x.png'></main></body></html>"
    )
    with pytest.raises(AssertionError, match="image-alt"):
        check_axe(desktop_page, "image without alt")


def test_axe_passes_a_clean_page(phone_page: Page, check_axe: Callable[[Page, str], None]) -> None:
    phone_page.set_content(
        "<html lang='en'><head><title>t</title></head>"
        "<body><main><h1>Hi</h1><img src='x.png' alt='A picture'></main></body></html>"
    )
    check_axe(phone_page, "clean page")


def test_axe_can_be_injected_despite_the_apps_csp(
    desktop_page: Page, live_server: LiveServer
) -> None:
    # The contexts bypass the CSP for the injected (inline) axe script only; see conftest.
    response = desktop_page.goto(live_server.url + "/api/v1/services")
    assert response is not None
    assert "script-src 'self'" in response.headers.get("content-security-policy", "")
    desktop_page.add_script_tag(path=str(AXE_JS))
    assert desktop_page.evaluate("axe.version").startswith("4.")
