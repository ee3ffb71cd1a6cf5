"""Item 4 (continued): booking and moving an appointment on the caller's behalf, through the
engine: the call-taker is the actor, "phone" the channel, and the citizen gets the SMS."""

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.notify.models import OutboxMessage
from scheduling.addresses import Address
from scheduling.booking import Booked, BookingRequest, Citizen, book
from scheduling.enums import ActorKind, Channel, LocationKind, MessageKind
from scheduling.models import AuditEntry, Booking
from scheduling.trail import Actor
from tests.callcenter.calls import NOW, NOW_UTC, taken_call
from tests.factories import make_district, make_service, make_site, make_staff, make_weekly
from tests.staff_login import csrf_of

BXL = ZoneInfo("Europe/Brussels")
CALLER = "+32470123456"


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time(NOW) as frozen:
        yield frozen


@pytest.fixture
def officer(session):
    """The wijkagent of Plaats, Bever: office hours 09–12 every day."""
    make_service(session, code="wijkagent", horizon_days=60)
    staff = make_staff(session, name="Geert Demol")
    site = make_site(session, name="Wijkpost Bever", street="Plaats", number="10")
    make_district(session, staff, streets=(("1547", "Plaats"),))
    for weekday in range(7):
        make_weekly(session, staff, weekday=weekday, starts=time(9), ends=time(12), site=site)
    return staff


@pytest.fixture
def taken(session, call_taker):
    return taken_call(session, call_taker, caller=CALLER)


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=BXL).astimezone(UTC)


def _booked(
    session,
    officer,
    *,
    start: datetime | None = None,
    name: str = "Jan Peeters",
    phone: str = CALLER,
    number: str = "3",
) -> Booked:
    """An appointment made on the web (for the caller unless ``phone`` says otherwise)."""
    request = BookingRequest(
        "wijkagent",
        start or _at(date(2026, 12, 3), 9),
        officer.id,
        LocationKind.OFFICE,
        Citizen(name, phone),
        address=Address("1547", "Plaats", number),
    )
    return book(session, request=request, actor=Actor.citizen(Channel.WEB), now=NOW_UTC, zone=BXL)


def _post(client, path: str, **data: str):
    return client.post(path, data={"csrf_token": csrf_of(client, "/console"), **data})


def _moments(html: str) -> list[str]:
    return re.findall(r'name="moment" value="([^"]+)"', html)


ADDRESS = {"postcode": "1547", "street": "Plaats", "number": "3"}


def test_book_for_the_caller(client, session, officer, taken, call_taker):
    page = _post(
        client, f"/console/calls/{taken.call_id}/book/moments", name="Jan Peeters", **ADDRESS
    )
    assert page.status_code == 200
    moments = _moments(page.get_data(as_text=True))
    assert len(moments) == 2 + 6 + 6  # three days: today from 11:00, then two whole mornings
    # Now is 10:00 in Brussels; the service wants an hour's notice: today at 11:00 first.
    assert moments[0] == f"{_at(date(2026, 12, 1), 11).isoformat()}|{officer.id}"

    answer = _post(
        client,
        f"/console/calls/{taken.call_id}/book",
        name="Jan Peeters",
        moment=moments[1],
        **ADDRESS,
    )

    assert answer.status_code == 302
    booking = session.scalars(select(Booking).where(Booking.citizen_phone == CALLER)).one()
    assert (booking.citizen_name, booking.staff_id, booking.channel) == (
        "Jan Peeters",
        officer.id,
        Channel.PHONE,
    )
    entry = session.scalars(select(AuditEntry).where(AuditEntry.booking_id == booking.id)).one()
    assert (entry.actor_kind, entry.actor_id, entry.channel) == (
        ActorKind.STAFF,
        call_taker.id,
        Channel.PHONE,
    )
    sms = session.scalars(select(OutboxMessage).where(OutboxMessage.booking_id == booking.id)).all()
    assert MessageKind.CONFIRMATION in {m.kind for m in sms}
    assert "Jan Peeters" in client.get(f"/console/calls/{taken.call_id}").get_data(as_text=True)


def test_booking_needs_an_address_in_the_zone(client, session, officer, taken):
    answer = _post(
        client,
        f"/console/calls/{taken.call_id}/book/moments",
        name="Jan",
        postcode="9999",
        street="Nergens",
        number="1",
    )
    assert answer.status_code == 400
    assert "not in our zone" in answer.get_data(as_text=True)
    answer = _post(
        client,
        f"/console/calls/{taken.call_id}/book/moments",
        name="Jan",
        postcode="15",
        street="",
        number="",
    )
    assert answer.status_code == 400


def test_a_moment_taken_meanwhile_is_refused(client, session, officer, taken):
    moments = _moments(
        _post(
            client, f"/console/calls/{taken.call_id}/book/moments", name="Jan", **ADDRESS
        ).get_data(as_text=True)
    )
    start = datetime.fromisoformat(moments[0].split("|")[0])
    _booked(session, officer, start=start, name="Other", phone="+32470999999", number="5")
    answer = _post(
        client, f"/console/calls/{taken.call_id}/book", name="Jan", moment=moments[0], **ADDRESS
    )
    assert answer.status_code == 409
    assert "no longer free" in answer.get_data(as_text=True)


def test_move_the_callers_appointment(client, session, officer, taken, call_taker):
    booking = _booked(session, officer).booking
    page = _post(client, f"/console/calls/{taken.call_id}/bookings/{booking.id}/moments")
    moments = _moments(page.get_data(as_text=True))
    assert moments
    assert f"{booking.start_at.isoformat()}|{officer.id}" not in moments
    answer = _post(
        client,
        f"/console/calls/{taken.call_id}/bookings/{booking.id}/move",
        moment=moments[2],
        reason="Works that day",
    )
    assert answer.status_code == 302
    session.refresh(booking)
    assert booking.start_at.isoformat() == moments[2].split("|")[0]
    moved = session.scalars(
        select(AuditEntry).where(AuditEntry.booking_id == booking.id, AuditEntry.action != "booked")
    ).one()
    assert (moved.actor_kind, moved.actor_id, moved.channel) == (
        ActorKind.STAFF,
        call_taker.id,
        Channel.PHONE,
    )


def test_moving_needs_a_reason_and_the_callers_own_appointment(client, session, officer, taken):
    other = _booked(session, officer, name="Other", phone="+32470999999", number="5").booking
    assert (
        _post(client, f"/console/calls/{taken.call_id}/bookings/{other.id}/moments").status_code
        == 403
    )
    assert (
        _post(
            client,
            f"/console/calls/{taken.call_id}/bookings/{other.id}/move",
            moment="x",
            reason="y",
        ).status_code
        == 403
    )


# --- What the call-taker types: names, addresses, e-mail, moments ----------------------------

NOT_PLAIN = "Remove the special characters (control or text direction characters) from this field."


def test_an_email_address_for_the_copy_is_stored_normalized(client, session, officer, taken):
    form = _post(client, f"/console/calls/{taken.call_id}/book/moments", name="Jan", **ADDRESS)
    html = form.get_data(as_text=True)
    assert 'name="email"' in html
    answer = _post(
        client,
        f"/console/calls/{taken.call_id}/book",
        name="Jan Peeters",
        email=" Jan.Peeters@Example.BE",
        moment=_moments(html)[0],
        **ADDRESS,
    )
    assert answer.status_code == 302
    booking = session.scalars(select(Booking).where(Booking.citizen_phone == CALLER)).one()
    assert booking.citizen_email == "Jan.Peeters@example.be"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "me@x.be, victim1@example.be"}, "Enter one e-mail address"),
        ({"email": "me@x.be\r\nBcc: victim1@example.be"}, "Enter one e-mail address"),
        ({"name": "Jan \u202eneeteP"}, NOT_PLAIN),
        ({"name": "Jan\x00"}, NOT_PLAIN),
        ({"street": "Plaats\u2066"}, NOT_PLAIN),
    ],
)
def test_booking_refuses_what_no_field_may_hold(client, session, officer, taken, fields, message):
    form = _post(client, f"/console/calls/{taken.call_id}/book/moments", name="Jan", **ADDRESS)
    data = {"name": "Jan", **ADDRESS, **fields}
    answer = _post(
        client,
        f"/console/calls/{taken.call_id}/book",
        moment=_moments(form.get_data(as_text=True))[0],
        **data,
    )
    assert answer.status_code == 400
    assert message in answer.get_data(as_text=True)
    assert session.scalars(select(Booking).where(Booking.citizen_phone == CALLER)).all() == []


@pytest.mark.parametrize(
    "moment",
    [
        "0001-01-01T00:00:00+14:00|1",  # before year 1 in UTC
        "9999-12-31T23:59:59-14:00|1",  # after year 9999 in UTC
        "2026-12-01T11:00:00+01:00|\u00b2",  # "²".isdigit(), int("²") fails
        "2026-12-01T11:00:00+01:00|" + "9" * 30,  # beyond the id column
    ],
)
def test_an_impossible_moment_is_asked_again_not_a_crash(client, session, officer, taken, moment):
    booking = _booked(session, officer).booking
    call = taken.call_id
    booked = _post(client, f"/console/calls/{call}/book", name="Jan", moment=moment, **ADDRESS)
    assert booked.status_code == 400
    assert "choose a moment" in booked.get_data(as_text=True)
    moved = _post(
        client, f"/console/calls/{call}/bookings/{booking.id}/move", moment=moment, reason="Ziek"
    )
    assert moved.status_code == 400
    assert "Choose the new moment" in moved.get_data(as_text=True)


@pytest.mark.parametrize("reason", ["Ziek \u202e", "Ziek\x00", "Ziek\x7f"])
def test_reasons_refuse_control_and_direction_characters(client, session, officer, taken, reason):
    booking = _booked(session, officer).booking
    call = taken.call_id
    for path, data in (
        (f"/console/calls/{call}/bookings/{booking.id}/cancel", {"reason": reason}),
        (f"/console/calls/{call}/callback", {"reason": reason}),
        (f"/console/calls/{call}/wrap-up", {"category": "information", "note": reason}),
    ):
        answer = _post(client, path, **data)
        assert answer.status_code == 400, path
        assert NOT_PLAIN in answer.get_data(as_text=True), path
    session.refresh(booking)
    assert booking.status.value == "confirmed"


def test_a_wrap_up_note_may_run_over_several_lines(client, session, taken):
    answer = _post(
        client,
        f"/console/calls/{taken.call_id}/wrap-up",
        category="information",
        note="Uitleg gegeven\r\nover de wijkagent",
    )
    assert answer.status_code == 302
    session.refresh(taken)
    assert taken.note == "Uitleg gegeven\r\nover de wijkagent"
