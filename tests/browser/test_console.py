"""The call-takers' console in a real browser, every state of it, with axe on each: Twilio's
``Device`` is replaced at its boundary (the bundled SDK file) by a double that raises the
SDK's events (registered, incoming, accept, disconnect, error, tokenWillExpire)."""

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, Route, expect

from app.notify.models import CallbackTask
from callcenter.models import TakenCall
from tests.browser import steps
from tests.browser.conftest import LiveServer
from tests.browser.steps import CheckAxe, Shoot, looked_at
from tests.callcenter.calls import RecordedControl

CALL_TAKERS = {"desktop": "GALOP-4001", "phone": "GALOP-4002"}
PHONE = {
    "twilio_account_sid": "AC" + "1" * 32,
    "twilio_api_key_sid": "SK" + "2" * 32,
    "twilio_api_key_secret": "browser-test-secret-0123456789abcdefghij",
    "twilio_twiml_app_sid": "AP" + "3" * 32,
}

# The SDK's Device as the page uses it, and calls the test rings it with.
FAKE_SDK = """
(function () {
  function Emitter() { this.handlers = {}; }
  Emitter.prototype.on = function (name, fn) { (this.handlers[name] = this.handlers[name] || []).push(fn); };
  Emitter.prototype.emit = function (name) {
    var args = Array.prototype.slice.call(arguments, 1);
    (this.handlers[name] || []).forEach(function (fn) { fn.apply(null, args); });
  };
  function Device(token) {
    Emitter.call(this); window.__device = this; window.__tokens = [token]; this.disconnected = 0;
  }
  Device.prototype = Object.create(Emitter.prototype);
  Device.prototype.register = function () {
    var self = this; setTimeout(function () { self.emit("registered"); }, 0); return Promise.resolve();
  };
  Device.prototype.updateToken = function (token) { window.__tokens.push(token); };
  Device.prototype.disconnectAll = function () { this.disconnected += 1; };
  Device.prototype.connect = function (options) {
    var call = new Call(0); window.__call = call; window.__dialled = options.params.To;
    return Promise.resolve(call);
  };
  function Call(id) {
    Emitter.call(this); this.muted = false; this.customParameters = new Map([["call", String(id)]]);
  }
  Call.prototype = Object.create(Emitter.prototype);
  Call.prototype.accept = function () { var self = this; this.accepted = true; setTimeout(function () { self.emit("accept"); }, 0); };
  Call.prototype.reject = function () { this.rejected = true; };
  Call.prototype.disconnect = function () { this.emit("disconnect"); };
  Call.prototype.mute = function (muted) { this.muted = muted; };
  Call.prototype.isMuted = function () { return this.muted; };
  window.__ring = function (id) { var call = new Call(id); window.__call = call; window.__device.emit("incoming", call); return true; };
  window.Twilio = { Device: Device };
})();
"""


@pytest.fixture
def console_app(live_server: LiveServer) -> Iterator[RecordedControl]:
    """The browser phone set up (tokens signed), Twilio's REST API recorded."""
    app = live_server.app
    original = app.config["BLAUWLIJN"]
    app.config["BLAUWLIJN"] = dataclasses.replace(original, **PHONE)
    control = RecordedControl()
    app.extensions["console_control"] = control
    yield control
    app.config["BLAUWLIJN"] = original
    app.extensions.pop("console_control", None)


def _fake_sdk(route: Route) -> None:
    route.fulfill(status=200, content_type="text/javascript", body=FAKE_SDK)


def _queued(live_server: LiveServer, caller: str) -> int:
    with steps.db(live_server) as session, session.begin():
        return steps.queued_caller(session, caller, waited=75).id


def _state(page: Page) -> str:
    return str(page.locator("#phone-state").get_attribute("data-state"))


def _sign_in_with_the_sdk_double(page: Page, live_server: LiveServer) -> str:
    """Open the console as this viewport's call-taker, the SDK file replaced by the double;
    the viewport's name."""
    viewport = "phone" if page.viewport_size and page.viewport_size["width"] < 500 else "desktop"
    page.route("**/static/vendor/twilio.min.js", _fake_sdk)
    steps.sign_in_to_console(page, live_server, CALL_TAKERS[viewport])
    return viewport


def test_a_call_taker_takes_a_caller_in_the_browser(
    page: Page,
    live_server: LiveServer,
    console_app: RecordedControl,
    check_axe: CheckAxe,
    shoot: Shoot,
) -> None:
    viewport = _sign_in_with_the_sdk_double(page, live_server)
    steps.assert_on(page, "/console")
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "ready")
    looked_at(page, check_axe, shoot, "ready")

    page.locator(".status-buttons button[value=available]").focus()
    with page.expect_navigation():
        page.keyboard.press("1")  # the first status: available
    expect(page.locator(".status-buttons button[value=available]")).to_have_attribute(
        "aria-pressed", "true"
    )

    # A caller joins the queue: the open page shows them without a reload.
    number = "+3247055" + ("0001" if viewport == "desktop" else "0002")
    call_id = _queued(live_server, number)
    row = page.locator(f"#queue-rows tr[data-call='{call_id}']")
    expect(row).to_contain_text(number, timeout=5000)
    expect(row).to_contain_text("1:1")  # waited 75 s and counting
    looked_at(page, check_axe, shoot, "caller-waiting")

    row.locator("button").click()
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "ringing")
    expect(page.locator("#caller-panel")).to_be_visible()
    expect(row).to_have_count(0, timeout=5000)  # gone from every console's queue
    assert console_app.redirects
    assert "<Client>" in console_app.redirects[-1][1]
    page.evaluate(f"window.__ring({call_id})")
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "in-call")
    assert page.evaluate("window.__call.accepted") is True
    looked_at(page, check_axe, shoot, "in-call")

    page.locator("#phone-hangup").focus()
    page.keyboard.press("m")
    expect(page.locator("#phone-mute")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.__call.isMuted()") is True

    page.keyboard.press("h")
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "on-hold")
    assert "<Play" in console_app.redirects[-1][1]
    page.evaluate("window.__call.emit('disconnect')")  # the caller left the browser's leg
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "on-hold")
    looked_at(page, check_axe, shoot, "on-hold")
    page.keyboard.press("h")
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "ringing")
    page.evaluate(f"window.__ring({call_id})")
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "in-call")

    page.keyboard.press("x")
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "ended")
    looked_at(page, check_axe, shoot, "ended")

    page.select_option("#category", "information")
    page.fill("#note", "Asked about opening hours")
    with page.expect_navigation():
        page.locator("#caller-panel form[data-navigate] button[type=submit]").click()
    steps.assert_on(page, "/console")
    with steps.db(live_server) as session:
        taken = session.get_one(TakenCall, call_id)
        assert (taken.category, taken.note) == ("information", "Asked about opening hours")

    # The call-back list, by its shortcut: claim the voice message, close it.
    task_id = _voicemail(live_server, number)
    page.locator("main h1").click()  # focus off any field: shortcuts are for the page
    with page.expect_navigation():
        page.keyboard.press("c")
    steps.assert_on(page, "/console/callbacks")
    item = page.locator(f"#callback-{task_id}")
    expect(item).to_contain_text("Bel me terug over de parkeerkaart")
    looked_at(page, check_axe, shoot, "callbacks")
    with page.expect_navigation():
        item.get_by_role("button").click()
    looked_at(page, check_axe, shoot, "callback-claimed")

    # Back on the console: call the citizen back through the browser phone.
    page.goto(f"{live_server.url}/console")
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "ready")
    page.locator(f"[data-dial='{number}']").click()
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "ringing")
    assert page.evaluate("window.__dialled") == number
    page.evaluate("window.__call.emit('accept')")
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "in-call")
    looked_at(page, check_axe, shoot, "calling-back")
    page.locator("#phone-hangup").click()
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "ended")

    page.goto(f"{live_server.url}/console/callbacks")
    page.locator(f"#callback-{task_id} select").select_option("reached")
    with page.expect_navigation():
        page.locator(f"#callback-{task_id} form").first.locator("button").click()
    expect(page.locator(f"#callback-{task_id}")).to_have_count(0)


def _voicemail(live_server: LiveServer, number: str) -> int:
    with steps.db(live_server) as session, session.begin():
        task = CallbackTask(
            reason="voice message",
            phone=number,
            transcription="Bel me terug over de parkeerkaart",
            created_at=datetime.now(UTC),
        )
        session.add(task)
        session.flush()
        return task.id


def test_the_phone_says_clearly_when_the_token_or_the_microphone_fails(
    page: Page,
    live_server: LiveServer,
    console_app: RecordedControl,
    check_axe: CheckAxe,
    shoot: Shoot,
) -> None:
    _sign_in_with_the_sdk_double(page, live_server)
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "ready")

    page.evaluate("window.__device.emit('error', {code: 31401, message: 'Permission denied'})")
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "microphone-failed")
    looked_at(page, check_axe, shoot, "microphone-failed")

    # The token is renewed before it expires; when renewing fails, the page says so.
    page.evaluate("window.__device.emit('tokenWillExpire')")
    page.wait_for_function("window.__tokens.length === 2")
    page.route("**/console/token", lambda route: route.fulfill(status=503, body="{}"))
    page.evaluate("window.__device.emit('tokenWillExpire')")
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "token-failed")
    looked_at(page, check_axe, shoot, "token-failed")

    page.reload()  # signing in fails from the start: the same clear state
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "token-failed")
