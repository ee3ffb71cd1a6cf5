"""The calendar subscription: the page that makes (and renews) a secret address, and the ICS
feed behind it, parsed back with ``icalendar`` as a calendar app reads it."""

import datetime as dt
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from flask.testing import FlaskClient
from freezegun import freeze_time
from gunicorn.config import Config as GunicornConfig
from sqlalchemy import select

from app.logs import RedactingLogger, redact
from app.staff.models import StaffCredential
from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen, book, cancel, hash_token, reschedule
from scheduling.enums import ActorKind, Channel, LocationKind, Role
from scheduling.models import AuditEntry, Booking, Staff
from scheduling.trail import Actor
from tests.factories import (
    make_assistance_service,
    make_bailiff,
    make_district,
    make_invited_booking,
    make_service,
    make_site,
    make_staff,
    make_weekly,
)
from tests.staff_login import csrf_of, sign_in_as

BXL = ZoneInfo("Europe/Brussels")
NOW = "2026-12-01T08:00:00Z"  # Tuesday 1 December 2026, 09:00 in Brussels
NOW_UTC = datetime(2026, 12, 1, 8, tzinfo=UTC)
PAGE = "/staff/calendar"
HOST = "127.0.0.1"  # of PUBLIC_BASE_URL: the UID's domain, as in the citizen's .ics
CITIZEN = Actor.citizen(Channel.WEB)


@pytest.fixture(autouse=True)
def _frozen():
    """The clock stands still from the fixtures on (signing in included)."""
    with freeze_time(NOW) as frozen:
        yield frozen


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BXL).astimezone(UTC)


@pytest.fixture
def officer(client, session) -> Staff:
    """A signed-in wijkagent (pages in English) with office hours and home visits every
    weekday, a district, a site; the wijkagent service books up to a year ahead."""
    staff = sign_in_as(client, session, Role.DISTRICT_OFFICER, name="Geert Demol")
    client.get("/staff/?lang=en")
    site = make_site(session, name="Wijkpost Bever", street="Plaats", number="10")
    make_district(session, staff, streets=(("1547", "Plaats"), ("1547", "Kerkstraat")))
    make_service(
        session,
        code="wijkagent",
        name_nl="Afspraak met je wijkagent",
        name_en="Neighbourhood officer",
        horizon_days=400,
    )
    for weekday in range(7):
        make_weekly(session, staff, weekday=weekday, starts=time(9), ends=time(12), site=site)
        make_weekly(
            session,
            staff,
            weekday=weekday,
            starts=time(13),
            ends=time(17),
            location=LocationKind.HOME,
        )
    return staff


def _book(
    session,
    staff: Staff,
    start: datetime,
    *,
    now: datetime = NOW_UTC,
    location: LocationKind = LocationKind.OFFICE,
    name: str = "Jan Peeters",
    topic: str | None = None,
) -> Booking:
    return book(
        session,
        request=BookingRequest(
            "wijkagent",
            start,
            staff.id,
            location,
            Citizen(name, "+32470123456"),
            address=Address("1547", "Plaats", "3"),
            topic=topic,
        ),
        actor=CITIZEN,
        now=now,
        zone=BXL,
    ).booking


def _make_address(client: FlaskClient) -> str:
    """Press the button on the calendar page; the address it shows (once)."""
    answer = client.post(PAGE, data={"csrf_token": csrf_of(client, PAGE)})
    assert answer.status_code == 200
    found = re.search(r'id="feed-url"[^>]*>([^<]+)</textarea>', answer.get_data(as_text=True))
    assert found, "no address shown"
    return found.group(1)


def _path(url: str) -> str:
    assert url.startswith("http://127.0.0.1:5000/staff/calendar/")
    assert url.endswith(".ics")
    return url.removeprefix("http://127.0.0.1:5000")


def _feed(app, url: str, **headers: str) -> icalendar.Calendar:
    """Fetch the feed as a calendar app does: no cookie, no sign-in."""
    answer = app.test_client().get(_path(url), headers=headers)
    assert answer.status_code == 200
    assert answer.mimetype == "text/calendar"
    assert answer.headers["Cache-Control"] == "private, no-store"
    assert "Set-Cookie" not in answer.headers
    return icalendar.Calendar.from_ical(answer.get_data())


def _events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def _uid(booking: Booking) -> str:
    return f"booking-{booking.id}@{HOST}"


# --- The page -------------------------------------------------------------------------------


def test_the_page_makes_an_address_shown_once_and_stores_only_its_hash(client, session, officer):
    first = client.get(PAGE).get_data(as_text=True)
    assert "You have no calendar address yet." in first
    assert "Outlook" in first
    assert "Google" in first
    assert "Apple" in first

    url = _make_address(client)
    token = _path(url).removeprefix("/staff/calendar/").removesuffix(".ics")
    assert len(token) >= 43  # 256 bits, url-safe
    credential = session.get(StaffCredential, officer.id)
    session.refresh(credential)
    assert credential.calendar_token_hash == hash_token(token)
    again = client.get(PAGE).get_data(as_text=True)
    assert token not in again  # never shown again
    assert "You have a calendar address." in again
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action.startswith("calendar_feed"))
    ).one()
    assert entry.actor_id == officer.id
    assert (entry.action, entry.actor_kind) == ("calendar_feed_created", ActorKind.STAFF)


@pytest.mark.parametrize("role", [Role.DISTRICT_OFFICER, Role.CASE_HANDLER, Role.WEAPONS_SERVICE])
def test_staff_with_an_agenda_open_the_page(client, session, role):
    sign_in_as(client, session, role)
    assert 'href="/staff/calendar"' in client.get("/staff/").get_data(as_text=True)
    assert client.get(PAGE).status_code == 200


@pytest.mark.parametrize("role", [Role.CALL_TAKER, Role.SUPERVISOR, Role.ADMIN])
def test_staff_without_an_agenda_are_refused(client, session, role):
    sign_in_as(client, session, role)
    assert client.get(PAGE).status_code == 403
    token = csrf_of(client, "/staff/")
    assert client.post(PAGE, data={"csrf_token": token}).status_code == 403
    assert session.scalars(select(StaffCredential.calendar_token_hash)).all() == [None]


def test_signed_out_the_page_asks_to_sign_in(client):
    answer = client.get(PAGE)
    assert answer.status_code == 302
    assert answer.location.startswith("/staff/login")


# --- The feed -------------------------------------------------------------------------------


def test_the_feed_holds_the_persons_appointments_as_a_calendar_app_reads_them(
    app, client, session, officer
):
    thursday = date(2026, 12, 3)
    office = _book(session, officer, _at(thursday, 10), topic="Burenruzie over de haag")
    visit = _book(session, officer, _at(thursday, 14), location=LocationKind.HOME, name="An Smet")
    url = _make_address(client)
    feed = _feed(app, url)  # no language asked: Dutch

    assert "Geert Demol" in str(feed["X-WR-CALNAME"])
    refresh = icalendar.vDuration.from_ical(str(feed["REFRESH-INTERVAL"]))
    assert refresh == timedelta(hours=1)
    events = _events(feed)
    assert set(events) == {_uid(office), _uid(visit)}
    event = events[_uid(office)]
    assert event.decoded("DTSTART") == _at(thursday, 10)
    assert event.decoded("DTEND") == _at(thursday, 10, 30)
    assert event.decoded("DTSTART").tzinfo is not None  # UTC, never floating
    assert str(event["SUMMARY"]) == "Wijkagent – op kantoor – Jan Peeters"  # as staff say it
    assert str(event["LOCATION"]) == "Wijkpost Bever, Plaats 10, 1547 Bever"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert int(event["SEQUENCE"]) == 0
    description = str(event["DESCRIPTION"])
    assert office.reference in description
    assert "Burenruzie" not in description  # the citizen's words stay in Blauwlijn
    # no phone number (outside the reference, which is random and may hold those digits)
    assert "470" not in description.replace(office.reference, "")
    home = events[_uid(visit)]
    assert str(home["LOCATION"]) == "Plaats 3, 1547 Bever"
    assert str(home["SUMMARY"]) == "Wijkagent – huisbezoek – An Smet"

    english = _events(_feed(app, url, **{"Accept-Language": "en"}))  # an app that asks
    assert str(english[_uid(visit)]["SUMMARY"]) == "Neighbourhood officer – home visit – An Smet"
    assert str(english[_uid(visit)]["UID"]) == str(home["UID"])


def test_a_moved_appointment_keeps_its_uid_and_bumps_its_sequence_a_cancelled_one_stays(
    app, client, session, officer
):
    booking = _book(session, officer, _at(date(2026, 12, 3), 10))
    url = _make_address(client)
    before = _events(_feed(app, url))[_uid(booking)]

    reschedule(
        session,
        booking=booking,
        start=_at(date(2026, 12, 4), 9),
        actor=CITIZEN,
        now=NOW_UTC,
        zone=BXL,
    )
    moved = _events(_feed(app, url))[_uid(booking)]
    assert str(moved["UID"]) == str(before["UID"])
    assert int(moved["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert moved.decoded("DTSTART") == _at(date(2026, 12, 4), 9)

    cancel(session, booking=booking, actor=CITIZEN, now=NOW_UTC)
    cancelled = _events(_feed(app, url))[_uid(booking)]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) == int(moved["SEQUENCE"]) + 1


def test_the_feed_holds_only_the_owners_appointments_within_its_range(
    app, client, session, officer
):
    colleague = make_staff(session, name="Els Wouters")
    make_district(session, colleague, streets=(("1540", "Centrum"),))
    make_weekly(session, colleague, weekday=3, starts=time(9), ends=time(12))
    theirs = book(
        session,
        request=BookingRequest(
            "wijkagent",
            _at(date(2026, 12, 3), 10),
            colleague.id,
            LocationKind.OFFICE,
            Citizen("Piet Jansens", "+32470111222"),
            address=Address("1540", "Centrum", "1"),
        ),
        actor=CITIZEN,
        now=NOW_UTC,
        zone=BXL,
    ).booking
    month_ago = NOW_UTC - timedelta(days=29)
    recent = _book(session, officer, _at(date(2026, 11, 2), 10), now=month_ago - timedelta(days=5))
    too_old = _book(
        session, officer, _at(date(2026, 10, 30), 10), now=month_ago - timedelta(days=7)
    )
    far = _book(session, officer, _at(date(2027, 5, 28), 10))  # 178 days ahead
    too_far = _book(session, officer, _at(date(2027, 6, 1), 10))  # 182 days ahead

    uids = set(_events(_feed(app, _make_address(client))))
    assert uids == {_uid(recent), _uid(far)}
    assert not {_uid(theirs), _uid(too_old), _uid(too_far)} & uids


def test_an_officer_reserved_with_a_colleague_sees_the_appointment_too(app, client, session):
    me = sign_in_as(client, session, Role.DISTRICT_OFFICER)
    lead = make_staff(session)
    make_district(session, lead, streets=(("1547", "Kerkstraat"),))
    for staff in (lead, me):
        make_weekly(
            session, staff, weekday=2, starts=time(8), ends=time(12), location=LocationKind.ON_SITE
        )
    make_assistance_service(session, team=(lead, me))
    booking = book(
        session,
        request=BookingRequest(
            "deurwaarder",
            _at(date(2026, 12, 2), 8),
            lead.id,
            LocationKind.ON_SITE,
            Citizen("Deurwaarders NV", "+3225550000"),
            address=Address("1547", "Kerkstraat", "1"),
        ),
        actor=Actor(ActorKind.BAILIFF, Channel.API, 1),
        now=NOW_UTC,
        zone=BXL,
        bailiff_account_id=make_bailiff(session).id,
    ).booking
    assert booking.staff_id == lead.id
    events = _events(_feed(app, _make_address(client)))
    assert set(events) == {_uid(booking)}
    assert str(events[_uid(booking)]["LOCATION"]) == "Kerkstraat 1, 1547 Bever"


def test_an_invited_appointment_shows_the_dossier_code_and_nothing_more(app, client, session):
    handler = sign_in_as(client, session, Role.CASE_HANDLER)
    booking = make_invited_booking(
        session,
        handler,
        start=_at(date(2026, 12, 2), 9),
        now=NOW_UTC,
        dossier_code="PV 2026/7777",
        citizen="Wouter Van Eeckhout",
        code="INV-CAL23456",
    )
    event = _events(_feed(app, _make_address(client)))[_uid(booking)]
    description = str(event["DESCRIPTION"])
    assert "PV 2026/7777" in description
    assert "INV-CAL23456" not in description
    assert "Wouter Van Eeckhout" in str(event["SUMMARY"])


def test_renewing_ends_the_old_address(app, client, session, officer):
    _book(session, officer, _at(date(2026, 12, 3), 10))
    old = _make_address(client)
    new = _make_address(client)
    assert new != old
    assert "The previous address no longer works." in client.post(
        PAGE, data={"csrf_token": csrf_of(client, PAGE)}
    ).get_data(as_text=True)
    feed = app.test_client()
    assert feed.get(_path(old)).status_code == 404
    assert feed.get(_path(new)).status_code == 404  # the third address replaced it too
    actions = session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.actor_id == officer.id, AuditEntry.action.startswith("calendar_feed"))
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["calendar_feed_created", "calendar_feed_renewed", "calendar_feed_renewed"]


def test_a_feed_address_that_opens_nothing_is_404(app, client, session, officer):
    feed = app.test_client()
    assert feed.get("/staff/calendar/not-a-real-token-at-all.ics").status_code == 404
    assert feed.get(f"/staff/calendar/{'a' * 200}.ics").status_code == 404
    url = _make_address(client)
    officer.active = False  # gone from the zone: the address goes with them
    session.flush()
    assert feed.get(_path(url)).status_code == 404


def test_a_demo_login_has_no_feed_outside_demo_mode(app, client, session, officer):
    url = _make_address(client)
    credential = session.get(StaffCredential, officer.id)
    credential.demo = True
    session.flush()
    assert not app.config["BLAUWLIJN"].demo_mode
    assert app.test_client().get(_path(url)).status_code == 404


# --- The token never reaches a log -------------------------------------------------------------


class _Response:
    status = "200 OK"
    sent = 12
    headers = ()
    response_length = 12


def test_the_feed_token_is_masked_in_the_access_log():
    token = "Zq3_secret-TOKEN-abcdefghijklmnopqrstuvwxyz0123"
    path = f"/staff/calendar/{token}.ics"
    assert redact(f"GET {path} HTTP/1.1") == "GET /staff/calendar/[token].ics HTTP/1.1"
    assert redact("GET /staff/calendar HTTP/1.1") == "GET /staff/calendar HTTP/1.1"

    class _Request:
        headers = ()
        method = "GET"
        query = ""
        version = (1, 1)

    _Request.path = _Request.uri = path
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
    }
    logger = RedactingLogger(GunicornConfig())
    atoms = logger.atoms(_Response(), _Request(), environ, dt.timedelta(seconds=0.01))
    line = " ".join(str(v) for v in atoms.values())
    assert "secret" not in line
    assert "/staff/calendar/[token].ics" in line
