"""axe and a screenshot for the privacy page and the legal notice, in each language and
viewport, reached the way a citizen does: from the start page's footer."""

import pytest
from playwright.sync_api import Page

from tests.browser import steps
from tests.browser.conftest import LiveServer
from tests.browser.steps import CheckAxe, Shoot, assert_on, looked_at


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_privacy_and_legal_notice_from_the_footer_have_no_axe_violations(
    lang: str, page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    page.goto(f"{live_server.url}/?lang={lang}")
    for path, name in (("/privacy", "privacy"), ("/legal", "legal")):
        with page.expect_navigation():
            page.locator(f".site-footer a[href='{path}']").click()
        assert_on(page, path)
        assert steps.html_lang(page) == lang
        assert page.locator("h1").is_visible()
        looked_at(page, check_axe, shoot, name)
    # The legal notice leads back to the privacy page.
    with page.expect_navigation():
        page.locator("main a[href='/privacy']").click()
    assert_on(page, "/privacy")
    assert page.locator("main a[href^='mailto:']").is_visible()  # the DPO
