"""Transfer: the call-taker puts the caller through to an officer's phone; the caller's own
officers are offered first; a wrong choice or a caller who hung up changes nothing."""

import xml.etree.ElementTree as ET

import pytest
from freezegun import freeze_time
from twilio.base.exceptions import TwilioRestException

from callcenter.claims import take_call
from callcenter.models import TakenCall
from scheduling.enums import Role
from tests.callcenter.calls import (
    NOW,
    NOW_UTC,
    booked_for,
    queued_call,
    signed_in,
    taken_call,
)
from tests.factories import make_staff
from tests.staff_login import csrf_of

CALLER = "+32470123456"


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time(NOW) as frozen:
        yield frozen


@pytest.fixture
def taken(session, call_taker):
    taken = taken_call(session, call_taker, caller=CALLER)
    taken.call.language = "fr"
    return taken


def _transfer(client, taken, officer: str):
    return client.post(
        f"/console/calls/{taken.call_id}/transfer",
        data={"csrf_token": csrf_of(client, "/console"), "officer": officer},
    )


def test_the_caller_is_put_through_to_the_officer(client, session, control, taken):
    officer = make_staff(session, name="Geert Demol", phone="+32470001001")
    answer = _transfer(client, taken, str(officer.id))
    assert answer.status_code == 302
    sid, twiml = control.redirects[-1]
    assert sid == taken.call.call_sid
    root = ET.fromstring(twiml)  # noqa: S314  # our own answer, in a test
    assert root.find("Say").get("language") == "fr-BE"  # the caller's language
    assert "Geert Demol" in root.find("Say").text
    dial = root.find("Dial")
    assert dial.text == "+32470001001"
    assert dial.get("action") == f"/ivr/transfer/done?officer={officer.id}"
    session.expire_all()
    assert session.get(TakenCall, taken.call_id).transferred_to_id == officer.id
    page = client.get(f"/console/calls/{taken.call_id}").get_data(as_text=True)
    assert "Put through to Geert Demol." in page
    assert 'name="officer"' not in page  # once is enough


def test_the_callers_own_officer_comes_first(client, session, control, taken):
    make_staff(session, name="Aaron Aerts", phone="+32470001002")
    booking = booked_for(session, CALLER)
    booking.staff.name, booking.staff.phone = "Zoë Zeger", "+32470001003"
    session.flush()
    page = client.get(f"/console/calls/{taken.call_id}").get_data(as_text=True)
    options = page[page.index('name="officer"') :].split("</select>")[0]
    assert options.index("Zoë Zeger") < options.index("Aaron Aerts")


@pytest.mark.parametrize(
    "who",
    ["", "nobody", "no-phone", "inactive", "call-taker", "999999"],
)
def test_only_an_officer_with_a_phone_can_be_chosen(client, session, control, taken, who):
    people = {
        "no-phone": make_staff(session, phone=None),
        "inactive": make_staff(session, phone="+32470001004", active=False),
        "call-taker": make_staff(session, roles=(Role.CALL_TAKER,), phone="+32470001005"),
    }
    chosen = str(people[who].id) if who in people else who
    answer = _transfer(client, taken, chosen)
    assert answer.status_code == 400
    assert "Choose the officer to put the caller through to." in answer.get_data(as_text=True)
    assert control.redirects == []
    session.expire_all()
    assert session.get(TakenCall, taken.call_id).transferred_to_id is None


def test_a_caller_who_hung_up_is_not_transferred(client, session, control, taken):
    officer = make_staff(session, phone="+32470001006")
    control.fail = TwilioRestException(404, "https://api.twilio.com", "not in progress")
    answer = _transfer(client, taken, str(officer.id))
    assert answer.status_code == 502
    session.expire_all()
    assert session.get(TakenCall, taken.call_id).transferred_to_id is None


def test_a_wrapped_up_call_cannot_be_transferred(client, session, control, taken):
    officer = make_staff(session, phone="+32470001007")
    taken.wrapped_at = NOW_UTC
    session.flush()
    assert _transfer(client, taken, str(officer.id)).status_code == 409
    assert control.redirects == []


def test_another_call_takers_call_is_not_theirs(client, session, control):
    other = make_staff(session, roles=(Role.CALL_TAKER,))
    call = queued_call(session, caller=CALLER)
    assert take_call(session, call=call, staff_id=other.id, now=NOW_UTC)
    signed_in(client, session, Role.CALL_TAKER)
    officer = make_staff(session, phone="+32470001008")
    answer = client.post(
        f"/console/calls/{call.id}/transfer",
        data={"csrf_token": csrf_of(client, "/console"), "officer": str(officer.id)},
    )
    assert answer.status_code == 403
    assert control.redirects == []
