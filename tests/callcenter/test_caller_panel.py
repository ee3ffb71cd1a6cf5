"""Item 4: the caller panel of a taken call: who it is, their appointments, earlier calls and
call-backs; cancel on their behalf through the engine (the call-taker as actor, channel
phone), register a call-back, wrap up with a category and a note."""

from datetime import UTC, datetime

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.notify.models import CallbackTask
from callcenter.claims import take_call
from callcenter.models import CallTakerPresence, TakenCall
from callcenter.presence import set_status
from scheduling.enums import (
    ActorKind,
    BookingStatus,
    CallbackStatus,
    Channel,
    PresenceStatus,
    Role,
)
from scheduling.models import AuditEntry
from tests.bidi import assert_isolated
from tests.callcenter.calls import NOW, NOW_UTC, booked_for, queued_call, signed_in
from tests.staff_login import csrf_of

CALLER = "+32470123456"


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time(NOW) as frozen:
        yield frozen


@pytest.fixture
def taken(session, call_taker):
    """A caller with an appointment to come, one past, an earlier call, taken by the
    signed-in call-taker."""
    call = queued_call(session, caller=CALLER)
    assert take_call(session, call=call, staff_id=call_taker.id, now=NOW_UTC)
    set_status(session, call_taker.id, PresenceStatus.BUSY, NOW_UTC)
    return session.get(TakenCall, call.id)


def _post(client, path: str, **data: str):
    return client.post(path, data={"csrf_token": csrf_of(client, "/console"), **data})


def test_the_panel_shows_who_calls_and_their_history(client, session, taken):
    coming = booked_for(session, CALLER, name="Jan Peeters")
    booked_for(session, CALLER, name="Jan Peeters", start=datetime(2026, 10, 5, 9, tzinfo=UTC))
    booked_for(session, "+32470999999", name="Someone Else")
    earlier = queued_call(
        session, caller=CALLER, outcome="abandoned", now=datetime(2026, 11, 2, 9, tzinfo=UTC)
    )
    session.add(
        CallbackTask(
            reason="hung up while waiting", phone=CALLER, call_id=earlier.id, created_at=NOW_UTC
        )
    )
    session.flush()
    page = client.get(f"/console/calls/{taken.call_id}").get_data(as_text=True)
    assert "Jan Peeters" in page
    assert "Someone Else" not in page
    assert coming.reference in page
    assert "Cancel this appointment" in page
    assert "Hung up while waiting" in page
    assert "Hung up while waiting" in page  # in the reader's words


def test_the_panel_of_an_unknown_caller(client, session, taken):
    page = client.get(f"/console/calls/{taken.call_id}").get_data(as_text=True)
    assert "Unknown caller" in page
    assert "No upcoming appointments." in page


def test_cancel_on_the_callers_behalf_records_the_call_taker_and_the_phone(
    client, session, taken, call_taker
):
    booking = booked_for(session, CALLER)
    answer = _post(
        client, f"/console/calls/{taken.call_id}/bookings/{booking.id}/cancel", reason="Ill"
    )
    assert answer.status_code == 302
    session.refresh(booking)
    assert booking.status is BookingStatus.CANCELLED
    entry = session.scalars(select(AuditEntry).where(AuditEntry.booking_id == booking.id)).one()
    assert (entry.actor_kind, entry.actor_id, entry.channel) == (
        ActorKind.STAFF,
        call_taker.id,
        Channel.PHONE,
    )


def test_only_the_callers_own_appointments_can_be_cancelled(client, session, taken):
    other = booked_for(session, "+32470999999")
    answer = _post(client, f"/console/calls/{taken.call_id}/bookings/{other.id}/cancel", reason="x")
    assert answer.status_code == 403
    session.expire_all()
    assert other.status is BookingStatus.CONFIRMED


def test_cancelling_needs_a_reason(client, session, taken):
    booking = booked_for(session, CALLER)
    answer = _post(
        client, f"/console/calls/{taken.call_id}/bookings/{booking.id}/cancel", reason=" "
    )
    assert answer.status_code == 400
    assert "Give the reason for cancelling." in answer.get_data(as_text=True)


def test_register_a_call_back(client, session, taken):
    answer = _post(
        client, f"/console/calls/{taken.call_id}/callback", reason="Wants the officer to call"
    )
    assert answer.status_code == 302
    task = session.scalars(select(CallbackTask).where(CallbackTask.call_id == taken.call_id)).one()
    assert (task.phone, task.reason, task.status) == (
        CALLER,
        "Wants the officer to call",
        CallbackStatus.OPEN,
    )


def test_wrap_up_with_a_category_and_note_makes_the_call_taker_available(
    client, session, taken, call_taker
):
    answer = _post(
        client,
        f"/console/calls/{taken.call_id}/wrap-up",
        category="information",
        note="Opening hours",
    )
    assert answer.status_code == 302
    assert answer.location.endswith("/console")
    session.expire_all()
    assert (taken.category, taken.note, taken.wrapped_at) == (
        "information",
        "Opening hours",
        NOW_UTC,
    )
    assert session.get(CallTakerPresence, call_taker.id).status is PresenceStatus.AVAILABLE
    assert "Calls to wrap up" not in client.get("/console").get_data(as_text=True)


def test_wrap_up_needs_a_category(client, session, taken):
    answer = _post(client, f"/console/calls/{taken.call_id}/wrap-up", category="", note="x")
    assert answer.status_code == 400
    assert "Choose what the call was about." in answer.get_data(as_text=True)
    session.expire_all()
    assert taken.wrapped_at is None


def test_another_call_taker_cannot_open_the_panel_but_a_supervisor_can(app, session, taken):
    other = app.test_client()
    signed_in(other, session, Role.CALL_TAKER)
    assert other.get(f"/console/calls/{taken.call_id}").status_code == 403
    supervisor = app.test_client()
    signed_in(supervisor, session, Role.SUPERVISOR)
    assert supervisor.get(f"/console/calls/{taken.call_id}").status_code == 200


def test_what_people_typed_is_isolated_in_the_panel_and_the_console(client, session, taken):
    # Stored before the edges refused direction characters: shown isolated all the same.
    booked_for(session, CALLER, name="Jan \u202eneeteP")
    session.add(CallbackTask(reason="Bel \u202eterug", phone=CALLER, created_at=NOW_UTC))
    session.flush()
    assert_isolated(
        client.get(f"/console/calls/{taken.call_id}").get_data(as_text=True), "Jan \u202eneeteP"
    )
    assert_isolated(
        client.get(f"/console/calls/{taken.call_id}").get_data(as_text=True), "Bel \u202eterug"
    )
