"""``/staff/today`` over HTTP: who may open whose day, the day parameter, the round in order
with the drive before each stop on the demo villages, each visit's links, and the marks
(done closes the booking through the command, a mark id counts once, the note's length,
CSRF, the hourly limit, nothing personal in the logs); the 80 mm sheet and the service
worker's address."""

import html as html_text
import logging
import re
import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from freezegun import freeze_time
from sqlalchemy import func, select

from app import ratelimit
from app.demo import villages as demo_villages
from app.staff.models import VisitMark
from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen, book
from scheduling.enums import BookingStatus, Channel, LocationKind, Role
from scheduling.models import AuditEntry, Staff, Village, VillageTravel
from scheduling.trail import Actor, record
from tests.factories import (
    make_district,
    make_register_street,
    make_service,
    make_site,
    make_staff,
    make_weekly,
)
from tests.staff_login import sign_in_as, sign_out

BXL = ZoneInfo("Europe/Brussels")
NOW = "2026-12-01T09:00:00Z"  # Tuesday 1 December 2026, 10:00 in Brussels
NOW_UTC = datetime(2026, 12, 1, 9, tzinfo=UTC)
TODAY = date(2026, 12, 1)
PAGE = "/staff/today"
MARKS = "/staff/today/marks"
CITIZEN_NAME, CITIZEN_PHONE = "Jan Peeters", "+32470123456"
BRING = "Je identiteitskaart"


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time(NOW) as frozen:
        yield frozen


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BXL).astimezone(UTC)


def _sign_in(client: FlaskClient, session, *roles: Role, **kw) -> Staff:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return sign_in_as(client, session, *roles, **kw)


@pytest.fixture
def service(session):
    return make_service(
        session,
        code="wijkagent",
        name_en="Neighbourhood officer",
        horizon_days=400,
        what_to_bring={"nl": BRING, "en": "Your identity card"},
    )


@pytest.fixture
def site(session):
    return make_site(session, name="Wijkpost Bever")


def _schedule(session, staff: Staff, site, streets=("Plaats", "Kerkstraat")) -> None:
    """Office 09–12 and home visits 13–17 every day, in a district of these streets."""
    make_district(session, staff, streets=tuple(("1547", street) for street in streets))
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
def officer(client, session, service, site) -> Staff:
    staff = _sign_in(client, session, Role.DISTRICT_OFFICER, name="Geert Demol")
    staff.home_site_id = site.id
    _schedule(session, staff, site)
    return staff


def _book(session, staff: Staff, start: datetime, location=LocationKind.OFFICE, street="Plaats"):
    booked = book(
        session,
        request=BookingRequest(
            "wijkagent",
            start,
            staff.id,
            location,
            Citizen(CITIZEN_NAME, CITIZEN_PHONE),
            address=Address("1547", street, "3"),
            topic="Fietsdiefstal",
        ),
        actor=Actor.citizen(Channel.WEB),
        now=NOW_UTC - timedelta(days=1),
        zone=BXL,
    ).booking
    session.flush()
    return booked


def _demo_villages(session, *names: str) -> dict[str, Village]:
    """The demo zone's villages of these names and its drives between them."""
    sections = {s.name: s for s in demo_villages.villages() if s.name in names}
    rows = {
        n: Village(name=n, postcode=s.postcode, lat=s.lat, lon=s.lon) for n, s in sections.items()
    }
    session.add_all(rows.values())
    session.flush()
    session.add_all(
        VillageTravel(
            from_village_id=rows[a].id,
            to_village_id=rows[b].id,
            minutes=demo_villages.minutes(sections[a], sections[b]),
        )
        for a in rows
        for b in rows
    )
    session.flush()
    return rows


def _minutes(a: str, b: str) -> int:
    sections = {s.name: s for s in demo_villages.villages()}
    return demo_villages.minutes(sections[a], sections[b])


def _text(answer) -> str:
    return html_text.unescape(answer.get_data(as_text=True))


def _csrf(client: FlaskClient) -> str:
    page = client.get(PAGE).get_data(as_text=True)
    found = re.search(r'data-csrf="([^"]+)"', page)
    assert found
    return found.group(1)


def _mark(client: FlaskClient, booking_id: object, kind: str = "note", **changes: object):
    """Send one mark as the page's script does; ``changes`` replace fields of the body."""
    body = {
        "mark_id": str(uuid.uuid4()),
        "booking_id": booking_id,
        "kind": kind,
        "note": "Hond in de tuin" if kind == "note" else "",
        "marked_at": NOW_UTC.isoformat(),
        **changes,
    }
    return client.post(MARKS, json=body, headers={"X-CSRF-Token": _csrf(client)})


# --- Who sees whose day ---------------------------------------------------------------------


def test_the_officer_sees_their_own_day(client, session, officer):
    _book(session, officer, _at(TODAY, 9))
    answer = client.get(PAGE)
    assert answer.status_code == 200
    page = _text(answer)
    assert "My day" in page
    assert CITIZEN_NAME in page
    assert answer.headers["Cache-Control"] == "no-store"


def test_another_officers_day_does_not_exist(client, session, officer):
    other = make_staff(session)
    _book(session, officer, _at(TODAY, 9))
    assert client.get(f"{PAGE}?staff={other.id}").status_code == 404
    assert client.get(f"{PAGE}?staff=999999").status_code == 404
    assert client.get(f"{PAGE}?staff=abc").status_code == 404
    assert client.get(f"{PAGE}?staff={officer.id}").status_code == 200  # one's own id


def test_a_supervisor_reads_an_officers_day(client, session, service, site):
    officer = make_staff(session, name="Geert Demol")
    _schedule(session, officer, site)
    _book(session, officer, _at(TODAY, 9))
    _sign_in(client, session, Role.SUPERVISOR)
    page = _text(client.get(f"{PAGE}?staff={officer.id}"))
    assert "Day of Geert Demol" in page
    assert CITIZEN_NAME in page
    assert f"staff={officer.id}" in page  # the other days stay the officer's
    mine = client.get(PAGE)  # no day of their own: whose, from the agenda
    assert mine.status_code == 302
    assert mine.location.endswith("/staff/agenda")
    assert client.get(f"{PAGE}/sheet").status_code == 404
    assert client.get(f"{PAGE}?staff=999999").status_code == 404


def test_a_call_taker_and_a_stranger_are_kept_out(client, session):
    for path in (PAGE, f"{PAGE}/sheet"):
        assert client.get(path).location.startswith("/staff/login?next=")
    _sign_in(client, session, Role.CALL_TAKER)
    for path in (PAGE, f"{PAGE}/sheet"):
        assert client.get(path).status_code == 403


# --- The day --------------------------------------------------------------------------------


def test_the_day_parameter(client, session, officer):
    tomorrow = TODAY + timedelta(days=1)
    _book(session, officer, _at(tomorrow, 10))
    assert CITIZEN_NAME not in _text(client.get(PAGE))
    answer = client.get(f"{PAGE}?day={tomorrow.isoformat()}")
    page = _text(answer)
    assert CITIZEN_NAME in page
    assert f"day={TODAY.isoformat()}" in page
    assert f"day={(tomorrow + timedelta(days=1)).isoformat()}" in page
    assert "Blauwlijn-Cache-Until" not in answer.headers  # another day is never kept
    for bad in ("2026-13-01", "tomorrow", "0000-01-01"):
        assert client.get(f"{PAGE}?day={bad}").status_code == 400  # the staff 400 page


def test_todays_page_may_be_kept_until_the_end_of_the_day(client, officer):
    answer = client.get(PAGE)
    end = datetime.combine(TODAY + timedelta(days=1), time(0), tzinfo=BXL)
    assert answer.headers["Blauwlijn-Cache-Until"] == str(int(end.timestamp() * 1000))


def test_the_round_in_order_with_the_drives_on_the_demo_villages(client, session, officer, site):
    office = _book(session, officer, _at(TODAY, 9))
    first = _book(session, officer, _at(TODAY, 13), LocationKind.HOME)
    second = _book(session, officer, _at(TODAY, 15), LocationKind.HOME, street="Kerkstraat")
    villages = _demo_villages(session, "Bever", "Herne", "Galmaarden")
    site.village_id = villages["Bever"].id
    office.village_id = villages["Bever"].id
    first.village_id = villages["Herne"].id
    second.village_id = villages["Galmaarden"].id
    session.flush()

    page = _text(client.get(PAGE))
    drives = [int(m) for m in re.findall(r"Drive (\d+) min", page)]
    assert drives == [
        _minutes("Bever", "Bever"),
        _minutes("Bever", "Herne"),
        _minutes("Herne", "Galmaarden"),
    ]
    back = _minutes("Galmaarden", "Bever")
    assert f"Back to the office: {back} min" in page
    assert f"{sum(drives) + back} minutes on the road" in page
    order = [page.index(f'id="visit-{b.id}"') for b in (office, first, second)]
    assert order == sorted(order)
    assert page.index("Herne") < page.index("Galmaarden")


def test_a_visit_shows_where_whom_what_and_whether_confirmed(client, session, officer):
    make_register_street(session, "Plaats", "Place", number=3, lat=50.717, lon=3.945)
    visit = _book(session, officer, _at(TODAY, 13), LocationKind.HOME)
    office = _book(session, officer, _at(TODAY, 9))
    record(
        session,
        actor=Actor.citizen(Channel.SMS),
        action="attendance_confirmed",
        booking=visit,
        now=NOW_UTC,
    )
    session.flush()
    page = _text(client.get(PAGE))
    assert 'href="geo:50.717000,3.945000"' in page  # the register's spot
    assert 'href="geo:0,0?q=Plaats%2010%2C%201547%20Bever"' in page  # the office: a search
    assert f'href="tel:{CITIZEN_PHONE}"' in page
    assert "Your identity card" in page  # in the officer's language
    assert "Fietsdiefstal" in page
    article = page[page.index(f'id="visit-{visit.id}"') :]
    assert "Confirmed by the citizen (JA)." in article[: article.index("</article>")]
    other = page[page.index(f'id="visit-{office.id}"') :]
    assert "Not confirmed by SMS." in other[: other.index("</article>")]


# --- Marks ----------------------------------------------------------------------------------


def test_a_mark_counts_once_by_its_id(client, session, officer):
    booking = _book(session, officer, _at(TODAY, 13), LocationKind.HOME)
    mark_id = str(uuid.uuid4())
    first = _mark(client, booking.id, mark_id=mark_id)
    again = _mark(client, booking.id, mark_id=mark_id)
    assert (first.status_code, first.json["status"]) == (201, "recorded")
    assert (again.status_code, again.json["status"]) == (200, "already")
    kept = session.scalars(select(VisitMark)).all()
    assert [(m.mark_id, m.kind, m.note, m.staff_id) for m in kept] == [
        (mark_id, "note", "Hond in de tuin", officer.id)
    ]
    assert "Hond in de tuin" in _text(client.get(PAGE))


def test_done_closes_the_booking_through_the_command(client, session, officer):
    started = _book(session, officer, _at(TODAY, 9))  # 10:00 now: it has begun
    answer = _mark(client, started.id, "done")
    assert answer.status_code == 201
    session.refresh(started)
    assert started.status is BookingStatus.DONE
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.booking_id == started.id, AuditEntry.action == "done")
    ).all()
    assert [(e.actor_id, e.channel) for e in entries] == [(officer.id, Channel.STAFF)]
    again = _mark(client, started.id, "no_show")  # another mark on a closed booking
    assert again.status_code == 409
    assert again.headers["Content-Type"] == "application/problem+json"


def test_done_before_the_start_is_refused(client, session, officer):
    later = _book(session, officer, _at(TODAY, 13), LocationKind.HOME)
    answer = _mark(client, later.id, "no_show")
    assert answer.status_code == 409
    session.refresh(later)
    assert later.status is BookingStatus.CONFIRMED
    assert session.scalar(select(func.count()).select_from(VisitMark)) == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"note": "x" * 501}, "note"),
        ({"note": ""}, "note"),
        ({"note": "a\u202eb"}, "note"),
        ({"mark_id": "not-a-uuid"}, "mark_id"),
        ({"kind": "cancel"}, "kind"),
        ({"booking_id": "x"}, "booking_id"),
        ({"marked_at": "yesterday"}, "marked_at"),
        ({"marked_at": "2026-11-01T10:00:00+01:00"}, "marked_at"),
    ],
)
def test_a_mark_that_cannot_be_kept_names_its_field(client, session, officer, change, field):
    booking = _book(session, officer, _at(TODAY, 13), LocationKind.HOME)
    body = {
        "mark_id": str(uuid.uuid4()),
        "booking_id": booking.id,
        "kind": "note",
        "note": "Hond in de tuin",
        "marked_at": NOW_UTC.isoformat(),
        **change,
    }
    answer = client.post(MARKS, json=body, headers={"X-CSRF-Token": _csrf(client)})
    assert answer.status_code == 422
    assert answer.json["field"] == field
    assert session.scalar(select(func.count()).select_from(VisitMark)) == 0


def test_a_note_of_500_characters_is_kept(client, session, officer):
    booking = _book(session, officer, _at(TODAY, 13), LocationKind.HOME)
    assert _mark(client, booking.id, note="x" * 500).status_code == 201


def test_another_officers_booking_is_not_found(client, session, officer, site):
    other = make_staff(session)
    _schedule(session, other, site, streets=("Dorp",))
    theirs = _book(session, other, _at(TODAY, 9), street="Dorp")
    answer = _mark(client, theirs.id, "done")
    assert answer.status_code == 404
    assert _mark(client, 999999, "done").status_code == 404
    session.refresh(theirs)
    assert theirs.status is BookingStatus.CONFIRMED


def test_a_mark_without_the_csrf_token_is_refused(client, session, officer):
    booking = _book(session, officer, _at(TODAY, 13), LocationKind.HOME)
    body = {"mark_id": str(uuid.uuid4()), "booking_id": booking.id, "kind": "note", "note": "x"}
    assert client.post(MARKS, json=body).status_code == 400
    wrong = client.post(MARKS, json=body, headers={"X-CSRF-Token": "wrong"})
    assert wrong.status_code == 400
    assert session.scalar(select(func.count()).select_from(VisitMark)) == 0


def test_marks_are_limited_per_officer(client, session, officer, monkeypatch):
    monkeypatch.setitem(ratelimit.LIMITS, "today-marks-staff", 2)
    booking = _book(session, officer, _at(TODAY, 13), LocationKind.HOME)
    assert [_mark(client, booking.id).status_code for _ in range(3)] == [201, 201, 429]


def test_the_form_without_javascript_marks_too(client, session, officer):
    started = _book(session, officer, _at(TODAY, 9))
    page = client.get(PAGE).get_data(as_text=True)
    form = re.search(
        r'<form method="post" action="/staff/today/marks" class="today-mark">(.*?)</form>',
        page,
        re.S,
    )
    assert form
    fields = dict(re.findall(r'name="([a-z_]+)" value="([^"]*)"', form.group(1)))
    assert fields["kind"] == "done"
    answer = client.post(MARKS, data=fields)
    assert answer.status_code == 302
    assert answer.location.endswith(f"#visit-{started.id}")
    again = client.post(MARKS, data=fields)  # sent twice: counted once
    assert again.status_code == 302
    session.refresh(started)
    assert started.status is BookingStatus.DONE
    assert session.scalar(select(func.count()).select_from(VisitMark)) == 1


def test_no_personal_data_in_the_logs(client, session, officer, caplog):
    caplog.set_level(logging.DEBUG)
    booking = _book(session, officer, _at(TODAY, 9))
    client.get(PAGE)
    _mark(client, booking.id, note="Buurman Karel zegt dat")
    _mark(client, booking.id, "done")
    _mark(client, booking.id, note="x" * 600)
    logged = " ".join(r.getMessage() for r in caplog.records)
    for secret in (CITIZEN_NAME, CITIZEN_PHONE, "470123456", "Buurman Karel", "Fietsdiefstal"):
        assert secret not in logged


# --- The sheet, the service worker, sign-out --------------------------------------------------


def test_the_80mm_sheet(client, session, officer):
    _book(session, officer, _at(TODAY, 9))
    sheet = client.get(f"{PAGE}/sheet?size=80mm")
    assert sheet.status_code == 200
    page = _text(sheet)
    assert CITIZEN_NAME in page
    assert 'class="sheet-80"' in page
    a4 = client.get(f"{PAGE}/sheet?size=a4&day=2026-12-01")
    assert a4.status_code == 302
    assert "/staff/agenda/day-sheet?day=2026-12-01" in a4.location
    assert client.get(f"{PAGE}/sheet?size=58mm").status_code == 400


def test_the_service_worker_is_scoped_to_the_page(client):
    answer = client.get(f"{PAGE}/sw.js")
    assert answer.status_code == 200
    assert answer.mimetype == "text/javascript"
    assert answer.headers["Service-Worker-Allowed"] == "/staff/today"
    assert "Blauwlijn-Cache-Until" in answer.get_data(as_text=True)


def test_signing_out_clears_the_phones_copy(client, session, officer):
    answer = sign_out(client)
    assert answer.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_the_menu_and_the_agenda_lead_to_the_day(client, session, officer):
    _book(session, officer, _at(TODAY, 9))
    agenda = _text(client.get("/staff/agenda"))
    assert f'href="/staff/today?day={TODAY.isoformat()}&amp;staff={officer.id}"' in client.get(
        "/staff/agenda"
    ).get_data(as_text=True)
    assert 'href="/staff/today"' in agenda
