"""Many at once for one moment, through each channel on PostgreSQL: one wins, the others get
their channel's "just taken" answer, and no confirmed booking is left without its reservation.

The engine's all-or-nothing (scheduling/booking.py) is what holds here: before it, a racer
refused by the database kept a CONFIRMED booking row with no reservation, and the channels
that answer a refusal with a success status (the web's redirect, the phone menu's 200, the
staff page's form) committed it. Each test races RACERS clients of one app on a fresh
database (tests/app/races.py); the last assertion of each makes sure some loser got past
the check and was refused by the database itself, so the engine's handling was exercised.
"""

import html
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from callcenter.claims import take_call
from ivr.simulator import CallWalker, InProcess
from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen, book
from scheduling.enums import BookingStatus, Channel, LocationKind, Role
from scheduling.models import AuditEntry, Booking, Reservation, Staff
from scheduling.trail import Actor
from tests.app.races import MOMENT, NOW, RACERS, THURSDAY, Track, open_track
from tests.callcenter.calls import queued_call
from tests.factories import make_credential, make_staff
from tests.staff_login import csrf_of, sign_in

pytestmark = pytest.mark.slow
NOW_UTC = datetime.fromisoformat(NOW)
BXL = ZoneInfo("Europe/Brussels")
ADDRESS = {"postcode": "1547", "street": "Plaats"}
JUST_TAKEN = "This moment is no longer free. Choose another one."  # console and staff pages
Final = Callable[[], TestResponse]


@pytest.fixture
def track(fresh_database: Callable[[str], str], tmp_path: Path) -> Iterator[Track]:
    yield from open_track(fresh_database, tmp_path)


def _phone(n: int) -> str:
    return f"+3247012{n:04d}"


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "no form on the page"
    return found.group(1)


def _text(answer: TestResponse) -> str:
    return html.unescape(answer.get_data(as_text=True))


def _the_database_refused_some(track: Track) -> None:
    """Some loser passed the check and was refused by the constraint itself: the race was
    real (a loser stopped by the check proves nothing about the engine's refusal)."""
    assert track.refusals, "no racer got as far as the database's refusal"


def _bookings(track: Track) -> int:
    with track.session() as session:
        return session.scalar(select(func.count()).select_from(Booking)) or 0


# --- The web: the question pages, then "Confirm" on the check page ---------------------------


def _on_the_check_page(track: Track, n: int) -> tuple[FlaskClient, Final]:
    client = track.client(n)
    token = _csrf(client.get("/book").get_data(as_text=True))
    client.post("/book", data={"csrf_token": token, "service": "wijkagent"})
    client.post("/book/address", data={"csrf_token": token, **ADDRESS, "number": str(n + 1)})
    page = client.get("/book/moment").get_data(as_text=True)
    slot = html.unescape(re.findall(r'name="slot" class="slot" value="([^"]+)"', page)[0])
    assert slot == f"{MOMENT.isoformat()}|{track.officer_id}"  # everyone takes the first
    client.post("/book/moment", data={"csrf_token": token, "slot": slot})
    client.post(
        "/book/details",
        data={"csrf_token": token, "name": f"Burger {n}", "phone": _phone(n), "website": ""},
    )
    assert "Burger" in client.get("/book/check").get_data(as_text=True)
    return client, lambda: client.post("/book/check", data={"csrf_token": token})


def test_web_check_page(track: Track) -> None:
    clients, finals = zip(*(_on_the_check_page(track, n) for n in range(RACERS)), strict=True)
    answers = track.race(finals)

    assert [a.status_code for a in answers] == [302] * RACERS
    won = [n for n, a in enumerate(answers) if "/appointment/" in a.location]
    assert len(won) == 1, [a.location for a in answers]
    for n, answer in enumerate(answers):
        if n not in won:  # back to the moments, told why, the rest of the answers kept
            assert answer.location.endswith("/book/moment")
            page = _text(clients[n].get(answer.location))
            assert "Someone else has just booked that moment." in page
    assert track.one_holds(MOMENT).channel is Channel.WEB
    assert _bookings(track) == 1
    _the_database_refused_some(track)


# --- The phone menu: postcode and house number on the keypad, then a moment's key -----------


def _caller_hearing_the_moments(track: Track, n: int) -> Callable[[], list[str]]:
    config = track.app.config["BLAUWLIJN"]
    walker = CallWalker(
        InProcess(track.client(n)),
        public_base_url=config.public_base_url,
        auth_token=config.twilio_auth_token,
        caller=_phone(n),
    )
    walker.call()
    walker.press("3")  # English
    walker.press("2")  # make an appointment
    walker.press("2")  # hear the next free moments and book one
    walker.press("1547")
    walker.press(f"{n + 1}#")
    walker.press("752#")  # P-L-A: Plaats
    heard = walker.press("1")  # For Plaats, press 1
    assert "For Wednesday 2 December at nine o'clock in the morning, press 1." in heard
    return lambda: walker.press("1")


def test_phone_keypad(track: Track) -> None:
    answers = track.race([_caller_hearing_the_moments(track, n) for n in range(RACERS)])

    booked = [heard for heard in answers if any("Your appointment is booked" in h for h in heard)]
    taken = [heard for heard in answers if "Sorry, that moment was just taken." in heard]
    assert (len(booked), len(taken)) == (1, RACERS - 1), answers
    # ...and the next free moments are read to them at once.
    assert all(
        "For Wednesday 2 December at half past nine in the morning, press 1." in heard
        for heard in taken
    )
    assert track.one_holds(MOMENT).channel is Channel.PHONE
    assert _bookings(track) == 1
    _the_database_refused_some(track)


# --- The console: a call-taker books for the caller on the line ------------------------------


def _call_taker_with_a_caller(track: Track, n: int) -> tuple[Final, str]:
    client = track.client(n)
    with track.session() as session:
        staff = make_staff(session, roles=(Role.CALL_TAKER,), name=f"Call-taker {n}")
        make_credential(session, staff)
        call = queued_call(session, caller=_phone(n), now=NOW_UTC)
        assert take_call(session, call=call, staff_id=staff.id, now=NOW_UTC)
        session.commit()
    sign_in(client, staff)
    token = csrf_of(client, "/console")
    form = {"csrf_token": token, "name": f"Burger {n}", **ADDRESS, "number": str(n + 1)}
    page = client.post(f"/console/calls/{call.id}/book/moments", data=form)
    moments = re.findall(r'name="moment" value="([^"]+)"', page.get_data(as_text=True))
    moment = f"{MOMENT.isoformat()}|{track.officer_id}"
    assert moments[0] == moment  # everyone takes the first
    return (
        lambda: client.post(f"/console/calls/{call.id}/book", data={**form, "moment": moment}),
        f"/console/calls/{call.id}",
    )


def test_console_on_behalf(track: Track) -> None:
    finals, panels = zip(*(_call_taker_with_a_caller(track, n) for n in range(RACERS)), strict=True)
    answers = track.race(finals)

    statuses = sorted(a.status_code for a in answers)
    assert statuses == [302] + [409] * (RACERS - 1), statuses
    [winner] = [n for n, a in enumerate(answers) if a.status_code == 302]
    assert answers[winner].location.endswith(panels[winner])
    assert all(JUST_TAKEN in _text(a) for a in answers if a.status_code == 409)
    assert track.one_holds(MOMENT).channel is Channel.PHONE
    assert _bookings(track) == 1
    _the_database_refused_some(track)


# --- The staff pages: RACERS appointments moved by staff at once to the same free moment ----


def _appointments(track: Track) -> list[int]:
    """The officer's RACERS appointments on Thursday from 09:00, half an hour apart."""
    first = datetime.combine(THURSDAY, time(9), tzinfo=BXL)
    ids = []
    with track.session() as session:
        for n in range(RACERS):
            request = BookingRequest(
                "wijkagent",
                (first + timedelta(minutes=30 * n)).astimezone(UTC),
                track.officer_id,
                LocationKind.OFFICE,
                Citizen(f"Burger {n}", _phone(n)),
                address=Address(ADDRESS["postcode"], ADDRESS["street"], str(n + 1)),
            )
            booked = book(
                session, request=request, actor=Actor.citizen(Channel.WEB), now=NOW_UTC, zone=BXL
            )
            ids.append(booked.booking.id)
        session.commit()
    return ids


def _moving(track: Track, n: int, officer: Staff, booking_id: int) -> Final:
    """The officer, signed in on a client of their own, on one appointment's page."""
    client = track.client(n)
    sign_in(client, officer)
    page = client.get(f"/staff/appointments/{booking_id}").get_data(as_text=True)
    assert f'name="start" value="{MOMENT.isoformat()}"' in page  # offered as a free moment
    form = {"csrf_token": _csrf(page), "start": MOMENT.isoformat(), "move_reason": "Training"}
    return lambda: client.post(f"/staff/appointments/{booking_id}/move", data=form)


def test_staff_move(track: Track) -> None:
    ids = _appointments(track)
    with track.session() as session:
        officer = session.get_one(Staff, track.officer_id)
        make_credential(session, officer)
        session.commit()
        before = dict(session.execute(select(Booking.id, Booking.start_at)).tuples().all())
    answers = track.race([_moving(track, n, officer, i) for n, i in enumerate(ids)])

    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200] * (RACERS - 1) + [302], statuses
    for answer in answers:
        if answer.status_code == 200:  # the form again, the error next to the moment
            page = _text(answer)
            assert 'id="start-error"' in page
            assert JUST_TAKEN in page
    moved = track.one_holds(MOMENT)
    with track.session() as session:
        for booking in session.scalars(select(Booking)):  # each still holds its own time
            assert booking.status is BookingStatus.CONFIRMED
            assert booking.start_at == (MOMENT if booking.id == moved.id else before[booking.id])
            held = session.scalars(
                select(Reservation).where(Reservation.booking_id == booking.id)
            ).all()
            assert held, f"booking {booking.id} lost its reservation"
            assert all(r.blocked_from <= booking.start_at < r.blocked_until for r in held)
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "moved")).all()
        assert [e.booking_id for e in entries] == [moved.id]
    _the_database_refused_some(track)


# --- The API: POST /api/v1/bookings --------------------------------------------------------


def _api_client(track: Track, n: int) -> Final:
    client = track.client(n)
    body = {
        "service": "wijkagent",
        "start": MOMENT.isoformat(),
        "staff_id": track.officer_id,
        "location": "office",
        "citizen": {"name": f"Burger {n}", "phone": _phone(n)},
        "address": {**ADDRESS, "number": str(n + 1)},
    }
    return lambda: client.post("/api/v1/bookings", json=body)


def test_api(track: Track) -> None:
    answers = track.race([_api_client(track, n) for n in range(RACERS)])

    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201] + [409] * (RACERS - 1), statuses
    for answer in answers:
        if answer.status_code == 409:
            assert answer.mimetype == "application/problem+json"
            assert answer.get_json()["type"].endswith("/slot_unavailable")
    assert track.one_holds(MOMENT).channel is Channel.API
    assert _bookings(track) == 1
    _the_database_refused_some(track)
