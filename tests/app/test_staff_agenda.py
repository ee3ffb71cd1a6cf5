"""The agenda pages over HTTP: who sees whose agenda and appointments, what the day and week
show, the day sheet, and cancelling, moving and closing an appointment through its forms
(with the engine's trace: audit entry, domain event, the citizen's SMS)."""

import html as html_text
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from freezegun import freeze_time
from sqlalchemy import select

from app.notify.models import OutboxMessage
from app.worker import notify_events
from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen, book, cancel
from scheduling.enums import (
    ActorKind,
    BookingStatus,
    Channel,
    EventKind,
    LocationKind,
    MessageKind,
    Role,
)
from scheduling.models import AuditEntry, Booking, DomainEvent, Reservation, Staff
from scheduling.trail import Actor
from tests.bidi import assert_isolated
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
TODAY = date(2026, 12, 1)
AGENDA = "/staff/agenda"
SHEET = "/staff/agenda/day-sheet"
CITIZEN = Actor.citizen(Channel.WEB)
MANAGERS = (Role.SUPERVISOR, Role.ADMIN)


@pytest.fixture(autouse=True)
def frozen():
    """The clock stands still from the fixtures on (signing in included)."""
    with freeze_time(NOW) as frozen:
        yield frozen


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BXL).astimezone(UTC)


def _signed_in(client: FlaskClient, session, *roles: Role, **kw) -> Staff:
    """Signed in, reading the pages in English (the texts these tests look for)."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return sign_in_as(client, session, *roles, **kw)


def _schedule(
    session, staff: Staff, *, site_name: str = "Wijkpost Bever", street: str = "Plaats"
) -> None:
    """Office hours 09–12 and home visits 13–17 every day, in a district of one street."""
    site = make_site(session, name=site_name, street="Plaats", number="10")
    make_district(session, staff, streets=(("1547", street),))
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


@pytest.fixture
def service(session):
    return make_service(
        session,
        code="wijkagent",
        name_nl="Afspraak met je wijkagent",
        name_en="Neighbourhood officer",
        horizon_days=400,
    )


@pytest.fixture
def officer(client, session, service) -> Staff:
    """A signed-in wijkagent (pages in English) with a schedule every day."""
    staff = _signed_in(client, session, Role.DISTRICT_OFFICER, name="Geert Demol")
    _schedule(session, staff)
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
    street: str = "Plaats",
) -> Booking:
    booked = book(
        session,
        request=BookingRequest(
            "wijkagent",
            start,
            staff.id,
            location,
            Citizen(name, "+32470123456"),
            address=Address("1547", street, "3"),
            topic=topic,
        ),
        actor=CITIZEN,
        now=now,
        zone=BXL,
    ).booking
    session.flush()  # its audit entry and event too, before the pages write theirs
    return booked


def _started(session, staff: Staff) -> Booking:
    """Today at 09:00 (now): booked yesterday, it has just begun."""
    return _book(session, staff, _at(TODAY, 9), now=NOW_UTC - timedelta(days=1))


def _page(client: FlaskClient, path: str) -> str:
    answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code)
    return html_text.unescape(answer.get_data(as_text=True))


def _post(client: FlaskClient, booking: Booking, action: str, **data: str):
    page = f"/staff/appointments/{booking.id}"
    token = csrf_of(client, "/staff/")
    return client.post(f"{page}/{action}", data={"csrf_token": token, **data})


def _error_next_to(html: str, field: str) -> str:
    """The error text in the field's own block (with the field); the summary links to it."""
    blocks = [b for b in html.split('class="field') if f'id="{field}-error"' in b]
    assert len(blocks) == 1, f"no error next to {field!r}"
    assert blocks[0].startswith(" field-error")
    assert f'id="{field}"' in blocks[0]
    assert f'href="#{field}"' in html
    text = re.search(rf'id="{field}-error">(.*?)</p>', blocks[0], re.S).group(1)
    text = re.sub(r'<span class="visually-hidden">.*?</span>', "", text)  # "Error:"
    return html_text.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def _actions(session, booking: Booking) -> list[str]:
    return list(
        session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.booking_id == booking.id)
            .order_by(AuditEntry.id)
        )
    )


def _events(session, booking: Booking) -> list[EventKind]:
    return list(
        session.scalars(
            select(DomainEvent.kind)
            .where(DomainEvent.booking_id == booking.id)
            .order_by(DomainEvent.id)
        )
    )


def _moments(html: str) -> list[str]:
    return re.findall(r'name="start" value="([^"]+)"', html)


# --- Who sees what --------------------------------------------------------------------------


def test_the_home_page_links_the_agenda(client, session, officer):
    assert f'href="{AGENDA}"' in _page(client, "/staff/")


@pytest.mark.parametrize("role", MANAGERS)
def test_the_home_page_links_all_agendas_for_managers(client, session, role):
    _signed_in(client, session, role)
    assert f'href="{AGENDA}"' in _page(client, "/staff/")


def test_signed_out_goes_to_the_sign_in_page(client, session, service):
    staff = make_staff(session)
    _schedule(session, staff)
    booking = _book(session, staff, _at(TODAY, 11))
    for path in (AGENDA, SHEET, f"/staff/appointments/{booking.id}"):
        answer = client.get(path)
        assert answer.status_code == 302, path
        assert answer.location.startswith("/staff/login"), path


def test_an_officer_sees_only_their_own_agenda_and_appointments(client, session, officer):
    colleague = make_staff(session, name="Els De Bisschop")
    _schedule(session, colleague, site_name="Wijkpost Kester", street="Kerkstraat")
    mine = _book(session, officer, _at(TODAY, 11), name="Jan Peeters")
    theirs = _book(session, colleague, _at(TODAY, 10), name="Mieke Claes", street="Kerkstraat")

    day = _page(client, AGENDA)
    assert "<h1>My agenda</h1>" in day
    assert "Jan Peeters" in day
    assert "Mieke Claes" not in day
    assert 'id="staff"' not in day  # no staff picker
    assert f'href="/staff/appointments/{mine.id}"' in day
    assert client.get(f"/staff/appointments/{mine.id}").status_code == 200

    for path in (
        f"{AGENDA}?staff={colleague.id}",
        f"{AGENDA}?staff=all",
        f"{AGENDA}?staff=nobody",
        f"{SHEET}?staff={colleague.id}",
        f"/staff/appointments/{theirs.id}",
        "/staff/appointments/999999",  # does not exist: the same answer
    ):
        answer = client.get(path)
        assert answer.status_code == 403, path
        assert "Mieke Claes" not in answer.get_data(as_text=True)
    assert client.get(f"{AGENDA}?staff={officer.id}").status_code == 200


def test_an_officer_cannot_change_a_colleagues_appointment(client, session, officer):
    colleague = make_staff(session)
    _schedule(session, colleague, street="Kerkstraat")
    theirs = _book(session, colleague, _at(TODAY, 10), street="Kerkstraat")
    start = theirs.start_at
    assert _post(client, theirs, "cancel", cancel_reason="Mine now").status_code == 403
    later = _at(TODAY + timedelta(days=1), 10).isoformat()
    assert _post(client, theirs, "move", start=later, move_reason="x").status_code == 403
    assert _post(client, theirs, "close", outcome="done").status_code == 403
    session.refresh(theirs)
    assert theirs.status is BookingStatus.CONFIRMED
    assert theirs.start_at == start
    assert _actions(session, theirs) == ["booked"]


def test_a_call_taker_is_refused(client, session, service):
    _signed_in(client, session, Role.CALL_TAKER)
    staff = make_staff(session)
    _schedule(session, staff)
    booking = _book(session, staff, _at(TODAY, 11))
    assert f'href="{AGENDA}"' not in _page(client, "/staff/")
    for path in (AGENDA, SHEET, f"/staff/appointments/{booking.id}"):
        assert client.get(path).status_code == 403, path
    assert _post(client, booking, "cancel", cancel_reason="No").status_code == 403
    assert session.get(Booking, booking.id).status is BookingStatus.CONFIRMED


@pytest.mark.parametrize("role", MANAGERS)
def test_a_manager_sees_every_agenda_and_picks_one(client, session, service, role):
    _signed_in(client, session, role)
    first = make_staff(session, name="Geert Demol")
    second = make_staff(session, name="Els De Bisschop")
    _schedule(session, first)
    _schedule(session, second, site_name="Wijkpost Kester", street="Kerkstraat")
    one = _book(session, first, _at(TODAY, 11), name="Jan Peeters")
    _book(session, second, _at(TODAY, 10), name="Mieke Claes", street="Kerkstraat")

    everyone = _page(client, AGENDA)
    assert "<h1>All agendas</h1>" in everyone
    assert "Jan Peeters" in everyone
    assert "Mieke Claes" in everyone
    assert "Geert Demol" in everyone  # whose appointment it is
    assert f'<option value="{first.id}">Geert Demol</option>' in everyone
    assert f'<option value="{second.id}">Els De Bisschop</option>' in everyone

    picked = _page(client, f"{AGENDA}?staff={first.id}")
    assert "<h1>Agenda of Geert Demol</h1>" in picked
    assert "Jan Peeters" in picked
    assert "Mieke Claes" not in picked
    assert "Jan Peeters" in _page(client, f"/staff/appointments/{one.id}")
    assert client.get("/staff/appointments/999999").status_code == 404
    assert client.get(f"{AGENDA}?staff=999999").status_code == 404


def test_an_officer_reserved_with_a_colleague_sees_the_appointment_too(client, session):
    me = _signed_in(client, session, Role.DISTRICT_OFFICER)
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
    day = _page(client, f"{AGENDA}?day=2026-12-02")
    assert "Deurwaarders NV" in day
    assert "On site, <bdi>Kerkstraat 1, 1547 Bever</bdi>" in day
    page = _page(client, f"/staff/appointments/{booking.id}")
    assert "Deurwaarders NV" in page
    assert 'name="cancel_reason"' not in page  # the lead officer's to change
    assert _post(client, booking, "cancel", cancel_reason="Not me").status_code == 403


def test_the_bailiff_office_is_told_by_e_mail_not_sms(client, session, service):
    me = _signed_in(client, session, Role.DISTRICT_OFFICER)
    make_district(session, me, streets=(("1547", "Kerkstraat"),))
    make_weekly(
        session, me, weekday=2, starts=time(8), ends=time(12), location=LocationKind.ON_SITE
    )
    make_assistance_service(session, team=(me,), staff_required=1)
    booking = book(
        session,
        request=BookingRequest(
            "deurwaarder",
            _at(date(2026, 12, 2), 8),
            me.id,
            LocationKind.ON_SITE,
            Citizen("Deurwaarders NV", "+3225550000"),
            address=Address("1547", "Kerkstraat", "1"),
        ),
        actor=Actor(ActorKind.BAILIFF, Channel.API, 1),
        now=NOW_UTC,
        zone=BXL,
        bailiff_account_id=make_bailiff(session).id,
    ).booking
    session.flush()
    shown = _page(client, f"/staff/appointments/{booking.id}")
    assert "Required: the bailiff office gets it by e-mail." in shown
    answer = _post(client, booking, "cancel", cancel_reason="Not needed any more")
    told = _page(client, answer.location)
    assert "The assistance is cancelled. The bailiff office gets an e-mail with your reason" in told


# --- What the day and the week show ---------------------------------------------------------


def test_the_day_shows_each_appointment_in_full(client, session, officer):
    office = _book(session, officer, _at(TODAY, 11), topic="Lawaai van de buren")
    visit = _book(session, officer, _at(TODAY, 14), location=LocationKind.HOME, name="An Peeters")
    _book(session, officer, _at(TODAY + timedelta(days=1), 10), name="Tomorrow Person")
    day = _page(client, AGENDA)
    assert "Tuesday 1 December 2026" in day
    assert "(today)" in day
    assert day.index("11:00–11:30") < day.index("14:00–14:30")
    assert "Neighbourhood officer" in day
    assert "Jan Peeters" in day
    assert 'href="tel:+32470123456">0470 12 34 56</a>' in day
    assert "Lawaai van de buren" in day
    assert "Wijkpost Bever, <bdi>Plaats 10, 1547 Bever</bdi>" in day
    assert "Home visit, <bdi>Plaats 3, 1547 Bever</bdi>" in day
    assert (
        'href="https://www.openstreetmap.org/search?query=Plaats%203%2C%201547%20Bever%2C%20Belgium"'
        in day
    )
    assert office.reference in day
    assert visit.reference in day
    assert "Confirmed" in day
    assert "Tomorrow Person" not in day
    assert "<script" not in day  # a plain map link: nothing of a third party is loaded


def test_an_appointment_past_its_retention_still_shows_without_the_citizen(
    client, session, officer
):
    """The retention purge (app.retention) empties name and phone and keeps the row: the
    agenda of that day still opens, with the appointment and no number to call."""
    last_year = TODAY - timedelta(days=366)
    booking = _book(session, officer, _at(TODAY, 11), name="Jan Peeters")
    booking.start_at -= timedelta(days=366)  # a year ago, as the purge finds it
    booking.end_at -= timedelta(days=366)
    booking.citizen_name, booking.citizen_phone = "", ""
    session.flush()
    day = _page(client, f"{AGENDA}?day={last_year.isoformat()}")
    assert "11:00–11:30" in day
    assert booking.reference in day
    assert "tel:" not in day
    assert "Removed after the retention period" in day
    page = _page(client, f"/staff/appointments/{booking.id}")
    assert "tel:" not in page
    assert "Removed after the retention period" in page


def test_the_day_of_another_date_and_its_navigation(client, session, officer):
    _book(session, officer, _at(date(2026, 12, 3), 10), name="Thursday Person")
    day = _page(client, f"{AGENDA}?day=2026-12-03")
    assert "Thursday 3 December 2026" in day
    assert "Thursday Person" in day
    assert "(today)" not in day
    assert f'href="{AGENDA}?day=2026-12-02"' in day  # previous
    assert f'href="{AGENDA}?day=2026-12-04"' in day  # next
    assert f'href="{AGENDA}"' in day  # today
    assert f'href="{AGENDA}?day=2026-12-03&view=week"' in day  # (_page unescapes &amp;)
    assert "No appointments." in _page(client, f"{AGENDA}?day=2026-12-04")
    assert "Tuesday 1 December 2026" in _page(client, f"{AGENDA}?day=")  # today
    assert client.get(f"{AGENDA}?day=not-a-day").status_code == 400  # the staff 400 page


def test_the_week_runs_from_monday_to_sunday(client, session, officer):
    _book(
        session,
        officer,
        _at(date(2026, 11, 30), 10),
        now=NOW_UTC - timedelta(days=3),
        name="Monday Person",
    )
    _book(session, officer, _at(date(2026, 12, 6), 10), name="Sunday Person")
    _book(session, officer, _at(date(2026, 12, 7), 10), name="Next Monday Person")
    week = _page(client, f"{AGENDA}?view=week&day=2026-12-03")
    headings = re.findall(r"<h2 id=\"day-[^\"]+\">([^<]+)", week)
    assert headings == [
        "Monday 30 November 2026",
        "Tuesday 1 December 2026 ",
        "Wednesday 2 December 2026",
        "Thursday 3 December 2026",
        "Friday 4 December 2026",
        "Saturday 5 December 2026",
        "Sunday 6 December 2026",
    ]
    assert "Monday Person" in week
    assert "Sunday Person" in week
    assert "Next Monday Person" not in week
    assert "day=2026-11-26" in week  # previous week
    assert "day=2026-12-10" in week  # next week


def test_today_is_the_zones_today(client, session, service, frozen):
    frozen.move_to("2026-12-01T23:30:00Z")  # 00:30 on Wednesday in Brussels
    officer = _signed_in(client, session, Role.DISTRICT_OFFICER)
    _schedule(session, officer)
    _book(session, officer, _at(date(2026, 12, 2), 10), name="Wednesday Person")
    day = _page(client, AGENDA)
    assert "Wednesday 2 December 2026" in day
    assert "Wednesday Person" in day


def test_an_invited_appointment_shows_its_dossier_code(client, session):
    handler = _signed_in(client, session, Role.CASE_HANDLER)
    booking = make_invited_booking(
        session, handler, start=_at(date(2026, 12, 2), 10), now=NOW_UTC, dossier_code="PV 2026/0042"
    )
    assert "PV 2026/0042" in _page(client, f"{AGENDA}?day=2026-12-02")
    assert "PV 2026/0042" in _page(client, f"/staff/appointments/{booking.id}")


def test_the_day_sheet_lists_the_round_in_time_order(client, session, officer):
    _book(session, officer, _at(TODAY, 14), location=LocationKind.HOME, name="An Peeters")
    _book(session, officer, _at(TODAY, 11), name="Jan Peeters", topic="Fietsdiefstal")
    gone = _book(session, officer, _at(TODAY, 10), name="Cancelled Person")
    cancel(session, booking=gone, actor=Actor.staff(officer.id), now=NOW_UTC)
    agenda = _page(client, AGENDA)
    assert f'href="{SHEET}?day=2026-12-01&staff={officer.id}"' in agenda

    sheet = _page(client, f"{SHEET}?day=2026-12-01")
    assert "Day sheet: Tuesday 1 December 2026" in sheet
    assert sheet.index("Jan Peeters") < sheet.index("An Peeters")
    assert "Fietsdiefstal" in sheet
    assert "0470 12 34 56" in sheet
    assert "Plaats 3, 1547" in sheet
    assert "Cancelled Person" not in sheet
    css = client.get("/static/css/staff.css")
    assert "@media print" in css.get_data(as_text=True)
    css.close()
    assert "No appointments." in _page(client, f"{SHEET}?day=2026-12-02")


# --- The appointment page -------------------------------------------------------------------


def test_the_appointment_page_shows_all_and_its_history(client, session, officer):
    booking = _book(session, officer, _at(TODAY, 14), location=LocationKind.HOME, topic="Buren")
    page = _page(client, f"/staff/appointments/{booking.id}")
    assert f"<h1>Appointment {booking.reference}</h1>" in page
    for text in (
        "Tuesday 1 December 2026, 14:00–14:30",
        "Neighbourhood officer",
        "Geert Demol",
        "Jan Peeters",
        "0470 12 34 56",
        "Buren",
        "Plaats 3, 1547",
        "openstreetmap.org/search?query=",
        "Confirmed",
    ):
        assert text in page, text
    history = page[page.index('<h2 id="history-title">') :]
    assert "The citizen" in history
    assert "Website" in history
    assert "Booked" in history
    assert "Cancel the appointment" in page
    assert "Move the appointment" in page
    assert f'action="/staff/appointments/{booking.id}/close"' not in page  # not started


def test_cancelling_tells_the_citizen_with_the_reason(app, client, session, officer):
    booking = _book(session, officer, _at(TODAY, 11))
    answer = _post(client, booking, "cancel", cancel_reason="  Officer called\naway  ")
    assert answer.status_code == 302
    assert answer.location == f"/staff/appointments/{booking.id}"
    page = _page(client, answer.location)
    assert "The appointment is cancelled" in page
    assert "Cancelled" in page
    assert "Reason: Officer called away" in page  # in the history

    session.refresh(booking)
    assert booking.status is BookingStatus.CANCELLED
    assert booking.cancel_reason == "Officer called away"
    assert (
        session.scalars(select(Reservation).where(Reservation.booking_id == booking.id)).all() == []
    )
    entry = session.scalars(
        select(AuditEntry).where(
            AuditEntry.booking_id == booking.id, AuditEntry.action == "cancelled"
        )
    ).one()
    assert (entry.actor_kind, entry.actor_id, entry.channel) == (
        ActorKind.STAFF,
        officer.id,
        Channel.STAFF,
    )
    assert entry.details["reason"] == "Officer called away"
    assert _events(session, booking) == [EventKind.BOOKED, EventKind.CANCELLED_BY_STAFF]

    session.commit()
    notify_events(app)  # what the worker does next
    notice = session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == MessageKind.CANCELLED_BY_STAFF)
    ).one()
    assert notice.recipient == "+32470123456"
    assert "Officer called away" in notice.body
    assert "http://127.0.0.1:5000/?lang=nl" in notice.body  # to book again


def test_cancelling_needs_a_reason(client, session, officer):
    booking = _book(session, officer, _at(TODAY, 11))
    answer = _post(client, booking, "cancel", cancel_reason="   ")
    assert answer.status_code == 200
    html = html_text.unescape(answer.get_data(as_text=True))
    assert _error_next_to(html, "cancel_reason") == "Give the reason for cancelling."
    too_long = _post(client, booking, "cancel", cancel_reason="x" * 201)
    assert "200 characters" in _error_next_to(too_long.get_data(as_text=True), "cancel_reason")
    session.refresh(booking)
    assert booking.status is BookingStatus.CONFIRMED
    assert _actions(session, booking) == ["booked"]
    assert _events(session, booking) == [EventKind.BOOKED]


def test_a_started_appointment_is_not_cancelled_but_closed(client, session, officer):
    booking = _started(session, officer)
    page = _page(client, f"/staff/appointments/{booking.id}")
    assert 'name="cancel_reason"' not in page
    assert 'name="outcome"' in page
    answer = _post(client, booking, "cancel", cancel_reason="Too late")
    assert "has started" in _error_next_to(answer.get_data(as_text=True), "cancel_reason")
    session.refresh(booking)
    assert booking.status is BookingStatus.CONFIRMED


def test_moving_to_a_free_moment(app, client, session, officer):
    booking = _book(session, officer, _at(TODAY, 14), location=LocationKind.HOME)
    page = _page(client, f"/staff/appointments/{booking.id}")
    moments = _moments(page)
    assert moments
    assert booking.start_at.isoformat() not in moments
    target = _at(TODAY + timedelta(days=1), 15).isoformat()
    assert target in moments  # tomorrow's home visit hours
    answer = _post(client, booking, "move", start=target, move_reason="Training that afternoon")
    assert answer.status_code == 302
    page = _page(client, answer.location)
    assert "The appointment is moved to Wednesday 2 December 15:00" in page
    assert "Reason: Training that afternoon" in page

    session.refresh(booking)
    assert booking.start_at == _at(TODAY + timedelta(days=1), 15)
    assert booking.status is BookingStatus.CONFIRMED
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.booking_id == booking.id, AuditEntry.action == "moved")
    ).one()
    assert (entry.actor_kind, entry.actor_id) == (ActorKind.STAFF, officer.id)
    assert entry.details["reason"] == "Training that afternoon"
    assert _events(session, booking) == [EventKind.BOOKED, EventKind.MOVED]

    session.commit()
    notify_events(app)  # what the worker does next
    notice = session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == MessageKind.CHANGED)
    ).one()
    assert notice.recipient == "+32470123456"
    assert "15:00" in notice.body


def test_moving_to_a_moment_taken_meanwhile_changes_nothing(client, session, officer):
    booking = _book(session, officer, _at(TODAY, 14), location=LocationKind.HOME)
    target = _moments(_page(client, f"/staff/appointments/{booking.id}"))[0]
    quicker = datetime.fromisoformat(target)
    _book(session, officer, quicker, location=LocationKind.HOME, name="Quicker Citizen")
    before = [
        (r.blocked_from, r.blocked_until)
        for r in session.scalars(select(Reservation).where(Reservation.booking_id == booking.id))
    ]
    answer = _post(client, booking, "move", start=target, move_reason="Training")
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert "no longer free" in html_text.unescape(html)
    assert 'id="start-error"' in html
    assert target not in _moments(html)
    assert "Training" in html  # what was typed is kept
    session.expire_all()
    booking = session.get(Booking, booking.id)
    assert booking.start_at == _at(TODAY, 14)
    after = [
        (r.blocked_from, r.blocked_until)
        for r in session.scalars(select(Reservation).where(Reservation.booking_id == booking.id))
    ]
    assert after == before  # its own time is still held
    assert _actions(session, booking) == ["booked"]


def test_moving_needs_a_moment_and_a_reason(client, session, officer):
    booking = _book(session, officer, _at(TODAY, 11))
    answer = _post(client, booking, "move", start="", move_reason="")
    html = answer.get_data(as_text=True)
    assert _error_next_to(html, "start") == "Choose the new moment."
    assert _error_next_to(html, "move_reason") == "Give the reason for the move."
    nonsense = _post(client, booking, "move", start="tomorrow", move_reason="Why not")
    assert _error_next_to(nonsense.get_data(as_text=True), "start") == "Choose the new moment."
    session.refresh(booking)
    assert booking.start_at == _at(TODAY, 11)
    assert _actions(session, booking) == ["booked"]


@pytest.mark.parametrize(
    ("outcome", "status", "label"),
    [("done", BookingStatus.DONE, "done"), ("no_show", BookingStatus.NO_SHOW, "no-show")],
)
def test_closing_a_started_appointment(client, session, officer, outcome, status, label):
    booking = _started(session, officer)
    answer = _post(client, booking, "close", outcome=outcome)
    assert answer.status_code == 302
    assert f"The appointment is marked as {label}." in _page(client, answer.location)
    session.refresh(booking)
    assert booking.status is status
    assert _actions(session, booking) == ["booked", outcome]


def test_closing_before_the_start_is_refused(client, session, officer):
    booking = _book(session, officer, _at(TODAY, 11))
    answer = _post(client, booking, "close", outcome="done")
    assert answer.status_code == 200
    error = _error_next_to(answer.get_data(as_text=True), "outcome")
    assert error == "This appointment has not started yet: mark it once it has begun."
    nothing = _post(client, booking, "close", outcome="maybe")
    assert _error_next_to(nothing.get_data(as_text=True), "outcome") == "Choose done or no-show."
    session.refresh(booking)
    assert booking.status is BookingStatus.CONFIRMED
    assert _actions(session, booking) == ["booked"]


def test_a_change_to_an_appointment_already_cancelled_changes_nothing(client, session, officer):
    booking = _book(session, officer, _at(TODAY, 11))
    cancel(session, booking=booking, actor=CITIZEN, now=NOW_UTC, reason="ANNULEER (sms)")
    answer = _post(client, booking, "cancel", cancel_reason="Ill")
    assert answer.status_code == 302
    page = _page(client, answer.location)
    assert "already cancelled or closed" in page
    assert 'name="cancel_reason"' not in page
    session.refresh(booking)
    assert booking.cancel_reason == "ANNULEER (sms)"
    assert _actions(session, booking) == ["booked", "cancelled"]


# --- What comes in: reasons, moments and page addresses ---------------------------------------

NOT_PLAIN = "Remove the special characters (control or text direction characters) from this field."
BAD_REQUEST = "This page address or form is not valid"


@pytest.mark.parametrize("reason", ["Ziek \u202eneeteP", "Ziek\x00", "Ziek\u2068"])
def test_a_reason_with_control_or_direction_characters_is_sent_back(
    client, session, officer, reason
):
    booking = _book(session, officer, _at(TODAY, 11))
    cancelled = _post(client, booking, "cancel", cancel_reason=reason)
    assert _error_next_to(cancelled.get_data(as_text=True), "cancel_reason") == NOT_PLAIN
    moved = _post(client, booking, "move", start=_at(TODAY, 12).isoformat(), move_reason=reason)
    assert _error_next_to(moved.get_data(as_text=True), "move_reason") == NOT_PLAIN
    session.refresh(booking)
    assert booking.status is BookingStatus.CONFIRMED
    assert _actions(session, booking) == ["booked"]


def test_a_reason_typed_over_several_lines_becomes_one(client, session, officer):
    booking = _book(session, officer, _at(TODAY, 11))
    answer = _post(client, booking, "cancel", cancel_reason="Ziek\r\ngeworden")
    assert answer.status_code == 302
    (entry,) = [e for e in session.scalars(select(AuditEntry)) if e.action == "cancelled"]
    assert entry.details["reason"] == "Ziek geworden"


@pytest.mark.parametrize(
    "start",
    [
        "0001-01-01T00:00:00+14:00",  # before year 1 in UTC
        "9999-12-31T23:59:59-14:00",  # after year 9999 in UTC
        "2026-12-01T12:00:00",  # no offset
    ],
)
def test_an_impossible_moment_to_move_to_is_asked_again(client, session, officer, start):
    booking = _book(session, officer, _at(TODAY, 11))
    answer = _post(client, booking, "move", start=start, move_reason="Ziek")
    assert answer.status_code == 200
    assert _error_next_to(answer.get_data(as_text=True), "start") == "Choose the new moment."


@pytest.mark.parametrize(
    "query",
    [
        "day=0001-01-01",  # the day before overflows
        "day=9999-12-31",  # the day after overflows
        "day=99999-01-01",
        "day=not-a-day",
        "day=2026-12-01%00",
        "view=week&day=0001-01-01",
    ],
)
@pytest.mark.parametrize("path", [AGENDA, SHEET])
def test_an_impossible_day_is_a_clear_400(client, session, officer, path, query):
    answer = client.get(f"{path}?{query}")
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert BAD_REQUEST in page
    assert 'href="/staff/"' in page  # a way on


@pytest.mark.parametrize("role", MANAGERS)
@pytest.mark.parametrize("asked", ["\u00b2", "9" * 30, str(2**31), "0", "-1", "1.0", "x"])
def test_an_impossible_staff_member_is_a_clear_400_for_managers(
    client, session, service, role, asked
):
    _signed_in(client, session, role)
    for path in (AGENDA, SHEET, "/staff/moments"):
        answer = client.get(path, query_string={"staff": asked})
        assert answer.status_code == 400, (path, asked)
        assert BAD_REQUEST in answer.get_data(as_text=True)


@pytest.mark.parametrize("asked", ["\u00b2", "9" * 30])
def test_an_impossible_staff_member_is_refused_like_any_other_for_officers(
    client, session, officer, asked
):
    for path in (AGENDA, SHEET, "/staff/moments"):
        assert client.get(path, query_string={"staff": asked}).status_code == 403, path


def test_an_impossible_path_id_is_not_found(client, session, officer):
    for path in ("/staff/appointments/", "/staff/invitations/", "/staff/admin/sites/"):
        assert client.get(path + "9" * 30).status_code == 404, path


# --- What was stored before the check: shown isolated ------------------------------------------


def test_text_people_typed_is_isolated_wherever_staff_read_it(client, session, officer):
    booking = _book(session, officer, _at(TODAY, 14), location=LocationKind.HOME)
    # Stored before the edges refused direction characters (or by a path that forgot to):
    # an override in the name would make the phone number beside it read backwards.
    booking.citizen_name = "Jan \u202eneeteP"
    booking.topic = "Burenruzie \u2067over de haag"
    # A street the zone no longer serves is shown as typed (one it serves, as it spells it).
    booking.address_street = "Ke\u202erkstraat"
    session.flush()
    pages = {
        "agenda": _page(client, AGENDA),
        "day sheet": _page(client, SHEET),
        "appointment": _page(client, f"/staff/appointments/{booking.id}"),
    }
    for name, page in pages.items():
        for text in (
            "Jan \u202eneeteP",
            "Burenruzie \u2067over de haag",
            "Ke\u202erkstraat 3, 1547",
        ):
            assert_isolated(page, text), name
