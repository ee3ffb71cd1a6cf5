"""Issue 7's walk as `make run` serves it: no Twilio account, so the console gets the
simulated phone (app/static/js/simulated_phone.js) and steers the caller through
``ivr.telephony.simulated``, where `flask --app app ivr-sim` would pick it up."""

from playwright.sync_api import Page, expect

from callcenter.models import TakenCall
from ivr.models import Call
from ivr.telephony.simulated import PENDING
from tests.browser import steps
from tests.browser.conftest import LiveServer
from tests.browser.steps import CheckAxe, Shoot, looked_at

CALL_TAKERS = {"desktop": "GALOP-4001", "phone": "GALOP-4002"}


def _queued(live_server: LiveServer, caller: str) -> int:
    with steps.db(live_server) as session, session.begin():
        return steps.queued_caller(session, caller, waited=20, topic="question").id


def _pending(live_server: LiveServer, call_id: int) -> str:
    """The TwiML the console left for the simulated caller (ivr-sim collects it)."""
    with steps.db(live_server) as session:
        return str(session.get_one(Call, call_id).state.get(PENDING, ""))


def test_the_simulated_phone_takes_holds_and_ends_a_call(
    page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    viewport = "phone" if page.viewport_size and page.viewport_size["width"] < 500 else "desktop"
    steps.sign_in_to_console(page, live_server, CALL_TAKERS[viewport])
    steps.assert_on(page, "/console")
    expect(page.locator("#phone .notice")).to_contain_text("ivr-sim")
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "ready")
    looked_at(page, check_axe, shoot, "simulated-ready")

    number = "+3247066" + ("0001" if viewport == "desktop" else "0002")
    call_id = _queued(live_server, number)
    row = page.locator(f"#queue-rows tr[data-call='{call_id}']")
    expect(row).to_contain_text(number, timeout=5000)
    row.locator("button").click()
    # No one rings it by hand: the simulated phone rings as Twilio would after the redirect.
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "in-call")
    assert "<Client>" in _pending(live_server, call_id)
    looked_at(page, check_axe, shoot, "simulated-in-call")

    page.locator("#phone-hold").click()
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "on-hold")
    assert "<Play" in _pending(live_server, call_id)
    page.locator("#phone-hold").click()
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "in-call")
    assert "<Client>" in _pending(live_server, call_id)

    # Transfer to an officer: the caller leaves this phone, the panel says to whom.
    page.select_option("#transfer-officer", label="Bart Vanderstraeten")
    page.locator("#caller-panel form[data-moves-call] button").click()
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "ended")
    expect(page.locator("#caller-panel")).to_contain_text("Bart Vanderstraeten")
    assert "<Dial" in _pending(live_server, call_id)
    looked_at(page, check_axe, shoot, "simulated-transferred")
    page.select_option("#category", "information")
    with page.expect_navigation():
        page.locator("#caller-panel form[data-navigate] button[type=submit]").click()
    steps.assert_on(page, "/console")
    with steps.db(live_server) as session:
        assert session.get_one(TakenCall, call_id).wrapped_at is not None


def test_the_call_takers_hang_up_ends_the_simulated_caller(
    page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    """Issue 14: Hang up ends the ivr-sim caller's call too, and the panel then offers no
    hold or transfer, in the console and on the call's own page."""
    viewport = "phone" if page.viewport_size and page.viewport_size["width"] < 500 else "desktop"
    steps.sign_in_to_console(page, live_server, CALL_TAKERS[viewport])
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "ready")
    number = "+3247066" + ("0011" if viewport == "desktop" else "0012")
    call_id = _queued(live_server, number)
    page.locator(f"#queue-rows tr[data-call='{call_id}'] button").click()
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "in-call")
    expect(page.locator("#transfer-officer")).to_be_visible()

    page.locator("#phone-hold").click()  # on hold, the browser's leg is gone: still ends
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "on-hold")
    page.locator("#phone-hangup").click()
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "ended")
    expect(page.locator("#caller-panel")).to_contain_text("Het gesprek is beëindigd")
    expect(page.locator("#transfer-officer")).to_have_count(0)
    expect(page.locator("#phone .phone-buttons")).to_be_hidden()
    assert "<Hangup" in _pending(live_server, call_id)  # what ivr-sim collects next
    with steps.db(live_server) as session:
        assert session.get_one(Call, call_id).ended_at is not None
    looked_at(page, check_axe, shoot, "simulated-hung-up")

    # The call's own page (without JavaScript the console opens it): no Hold, no Transfer.
    page.goto(f"{live_server.url}/console/calls/{call_id}")
    expect(page.locator("main")).to_contain_text("Het gesprek is beëindigd")
    expect(page.locator("form[action$='/hold']")).to_have_count(0)
    expect(page.locator("form[action$='/transfer']")).to_have_count(0)
    looked_at(page, check_axe, shoot, "call-page-after-hang-up")
