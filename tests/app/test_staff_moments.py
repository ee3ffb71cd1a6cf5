"""My bookable moments over HTTP: who may open whose, the form's errors next to each field with
nothing lost, adding and removing rows, the preview, saving, and the confirm step for the
appointments a change strands."""

import html as html_text
import re
from datetime import UTC, date, datetime, time

import pytest
from flask.testing import FlaskClient
from freezegun import freeze_time
from sqlalchemy import select

from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen, book
from scheduling.enums import ActorKind, BookingStatus, Channel, EventKind, LocationKind, Role
from scheduling.models import AuditEntry, Availability, Booking, DomainEvent
from scheduling.trail import Actor
from scheduling.zone_time import DEFAULT_ZONE
from tests.factories import make_district, make_service, make_site, make_staff, make_weekly
from tests.staff_login import csrf_of, sign_in_as

NOW = "2027-03-22T08:00:00Z"  # Monday 22 March 2027, 09:00 in Brussels
NOW_UTC = datetime(2027, 3, 22, 8, tzinfo=UTC)
PAGE = "/staff/moments"


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time(NOW):
        yield


@pytest.fixture
def site(session):
    return make_site(session, name="Wijkpost Bever")


@pytest.fixture
def service(session):
    return make_service(session, code="wijkagent")  # office and home, 30 min


def _english(client: FlaskClient) -> None:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def _officer(client: FlaskClient, session, site, **kw):
    """A wijkagent with a district, office hours on Wednesday morning, signed in, in English."""
    officer = sign_in_as(client, session, Role.DISTRICT_OFFICER, **kw)
    make_district(session, officer, streets=(("1547", "Plaats"),))
    make_weekly(session, officer, weekday=2, starts=time(9), ends=time(12), site=site)
    _english(client)
    return officer


def _page(client: FlaskClient, path: str = PAGE) -> str:
    answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code)
    return answer.get_data(as_text=True)


def _row(i: int, day: str, starts: str, ends: str, where: str) -> dict[str, str]:
    return {
        f"week-{i}-day": day,
        f"week-{i}-starts": starts,
        f"week-{i}-ends": ends,
        f"week-{i}-where": where,
    }


def _post(client: FlaskClient, action: str, path: str = PAGE, **fields: str):
    data = {"csrf_token": csrf_of(client, path), "action": action, "from_day": "2027-03-22"}
    return client.post(path, data={**data, **fields})


def _error_next_to(html: str, name: str) -> str:
    """The error text in the field's own cell or block, with the field; the summary links it."""
    cells = re.findall(
        rf'field-error"[^>]*>(?:(?!</td>|</div>).)*?id="{name}-error"(.*?)</(?:td|div)>', html, re.S
    )
    assert len(cells) == 1, f"no error next to {name!r}"
    assert f'id="{name}"' in cells[0]
    assert f'href="#{name}"' in html
    found = re.search(rf'id="{name}-error">.*?</span>\s*(.*?)</p>', html, re.S)
    assert found
    return html_text.unescape(found[1].strip())


def _value(html: str, name: str) -> str:
    found = re.search(rf'id="{name}" name="{name}" type="\w+" value="([^"]*)"', html)
    assert found, name
    return found[1]


# --- Who may open it -----------------------------------------------------------------------


def test_signed_out_goes_to_the_sign_in_page(client):
    answer = client.get(PAGE)
    assert answer.status_code == 302
    assert answer.location.startswith("/staff/login?next=/staff/moments")


@pytest.mark.parametrize("role", [Role.DISTRICT_OFFICER, Role.CASE_HANDLER, Role.WEAPONS_SERVICE])
def test_bookable_staff_open_their_own_and_the_home_page_links_it(client, session, role):
    sign_in_as(client, session, role)
    _english(client)
    assert 'href="/staff/moments"' in _page(client, "/staff/")
    assert "<h1>My bookable moments</h1>" in _page(client)


def test_a_call_taker_is_refused(client, session):
    sign_in_as(client, session, Role.CALL_TAKER)
    assert client.get(PAGE).status_code == 403


def test_an_officer_cannot_open_someone_elses(client, session, site):
    officer = _officer(client, session, site)
    other = make_staff(session)
    for asked in (other.id, 999_999, "x"):
        assert client.get(f"{PAGE}?staff={asked}").status_code == 403
    assert client.post(f"{PAGE}?staff={other.id}", data={}).status_code in (400, 403)
    assert client.get(f"{PAGE}?staff={officer.id}").status_code == 200


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMIN])
def test_a_manager_chooses_whose_and_may_change_them(client, session, site, service, role):
    officer = make_staff(session, name="Inspecteur Wouters")
    call_taker = make_staff(session, roles=(Role.CALL_TAKER,))
    manager = sign_in_as(client, session, role)
    _english(client)

    chooser = _page(client)
    assert f'href="/staff/moments?staff={officer.id}"' in chooser
    assert f"staff={call_taker.id}" not in chooser
    assert "Bookable moments of Inspecteur Wouters" in _page(client, f"{PAGE}?staff={officer.id}")
    for asked in (call_taker.id, 999_999):
        assert client.get(f"{PAGE}?staff={asked}").status_code == 404
    for asked in ("x", "9" * 30):  # no one's id: the staff 400 page
        assert client.get(f"{PAGE}?staff={asked}").status_code == 400

    path = f"{PAGE}?staff={officer.id}"
    answer = _post(client, "save", path, **_row(0, "0", "15:00", "19:00", f"office-{site.id}"))
    assert answer.status_code == 302
    assert answer.location == path
    (entry,) = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "weekly_hours_replaced")
    )
    assert (entry.actor_kind, entry.actor_id) == (ActorKind.STAFF, manager.id)
    assert entry.details["staff_id"] == officer.id


# --- The form ----------------------------------------------------------------------------------


def test_the_form_shows_the_stored_hours_and_the_places(client, session, site, service):
    _officer(client, session, site)
    html = _page(client)
    assert _value(html, "week-0-starts") == "09:00"
    assert _value(html, "week-0-ends") == "12:00"
    assert f'<option value="office-{site.id}" selected>Wijkpost Bever</option>' in html
    assert '<option value="home">Home visits</option>' in html
    assert '<option value="2" selected>Wednesday</option>' in html
    assert "week-1-day" not in html  # no empty row next to stored ones
    assert _value(html, "from_day") == "2027-03-22"


def test_errors_stand_next_to_their_field_and_nothing_is_lost(client, session, site, service):
    _officer(client, session, site)
    office = f"office-{site.id}"
    answer = _post(
        client,
        "preview",
        from_day="2027-03-01",
        **_row(0, "0", "15:00", "14:00", office),  # ends before it starts
        **_row(1, "2", "09:00", "12:00", office),
        **_row(2, "2", "11:00", "13:00", "home"),  # overlaps the row above
        **_row(3, "4", "05:00", "12:00", office),  # too early
        **_row(4, "", "9 uur", "12:00", "nowhere"),
        **{
            "open-0-day": "2027-03-01",
            "open-0-starts": "10:00",
            "open-0-ends": "11:00",
            "open-0-where": office,
        },
    )
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert "There is a problem" in html
    assert _error_next_to(html, "from_day") == "This day has passed: choose today or later."
    assert _error_next_to(html, "week-0-ends") == "The end must come after the start."
    assert _error_next_to(html, "week-2-starts") == "This overlaps another row on the same day."
    assert _error_next_to(html, "week-3-starts") == "Choose a time between 06:00 and 22:00."
    assert _error_next_to(html, "week-4-day") == "Choose a day."
    assert _error_next_to(html, "week-4-starts") == "Enter a time like 09:00."
    assert _error_next_to(html, "week-4-where") == "Choose where."
    assert _error_next_to(html, "open-0-day") == "This day has passed: choose today or later."
    assert _value(html, "week-4-starts") == "9 uur"  # what was typed is kept
    assert _value(html, "week-3-starts") == "05:00"
    assert _value(html, "from_day") == "2027-03-01"


def test_errors_are_in_dutch_by_default(client, session, site, service):
    _officer(client, session, site)
    client.environ_base.pop("HTTP_ACCEPT_LANGUAGE")
    html = _post(client, "preview", **_row(0, "0", "15:00", "14:00", f"office-{site.id}")).get_data(
        as_text=True
    )
    assert 'lang="nl"' in html
    assert 'id="week-0-ends-error"' in html


def test_rows_are_added_and_removed_without_javascript(client, session, site, service):
    _officer(client, session, site)
    office = f"office-{site.id}"
    fields = {**_row(0, "0", "15:00", "19:00", office), **_row(1, "2", "09:00", "12:00", office)}

    html = _post(client, "add_week", **fields).get_data(as_text=True)
    assert _value(html, "week-1-starts") == "09:00"
    assert _value(html, "week-2-starts") == ""  # the new, empty row
    assert "There is a problem" not in html

    html = _post(client, "add_close", **fields, **{"week-0-remove": "1"}).get_data(as_text=True)
    assert _value(html, "week-0-starts") == "09:00"  # the Monday row is gone, the rest renumbered
    assert "week-1-day" not in html
    assert _value(html, "close-0-day") == ""


def test_garbage_never_makes_a_500(client, session, site, service):
    _officer(client, session, site)
    for fields in (
        {"week-999-day": "x", "week-1-starts": "99:99", "week-1-ends": "-1"},
        {"from_day": "", "open-0-day": "31/02/2027", "close-0-day": "2027-13-01"},
        {
            "week-0-day": "7",
            "week-0-starts": "0:00",
            "week-0-ends": "24:00",
            "week-0-where": "office-x",
        },
    ):
        for action in ("preview", "save", "change", "anything"):
            assert _post(client, action, **fields).status_code == 200


# --- Preview and save ----------------------------------------------------------------------------


def test_preview_shows_the_free_moments_and_saves_nothing(client, session, site, service):
    officer = _officer(client, session, site)
    office = f"office-{site.id}"
    html = _post(
        client,
        "preview",
        **_row(0, "0", "15:00", "16:00", office),
        **_row(1, "3", "09:00", "11:00", "home"),
        **{"close-0-day": "2027-03-25"},
    ).get_data(as_text=True)

    assert "Check your bookable moments" in html
    assert "Free moments in the next 14 days" in html
    shown = html.split('class="moment-preview"')[1].split("</dl>")[0]
    # Monday 22 March at 15:00 (today, after the notice); Easter Monday 29 March: none.
    assert "Monday 22 March" in shown
    assert "Monday 29 March" not in shown
    assert "Thursday 25 March" not in shown  # closed that day
    assert "Thursday 1 April" in shown
    assert re.search(r"Wijkpost Bever:</span> 15:00, 15:30", shown)
    assert re.search(r"Home visits:</span> 09:00, 10:00", shown)  # travel between visits
    assert 'name="week-1-where" value="home"' in html  # the plan rides along to "Save"
    rows = session.scalars(select(Availability).where(Availability.staff_id == officer.id)).all()
    assert [(r.weekday, r.valid_until) for r in rows] == [(2, None)]


def test_save_stores_the_plan(client, session, site, service):
    officer = _officer(client, session, site)
    answer = _post(
        client,
        "save",
        from_day="2027-03-24",
        **_row(0, "0", "15:00", "19:00", f"office-{site.id}"),
        **{
            "open-0-day": "2027-03-27",
            "open-0-starts": "9:00",
            "open-0-ends": "11.00",
            "open-0-where": "home",
        },
    )
    assert answer.status_code == 302
    assert answer.location == PAGE
    html = _page(client)
    assert "Your bookable moments are saved." in html
    assert _value(html, "open-0-starts") == "09:00"
    rows = session.scalars(
        select(Availability).where(Availability.staff_id == officer.id).order_by(Availability.id)
    ).all()
    assert [(r.weekday, r.on_date, r.valid_from, r.valid_until) for r in rows] == [
        (2, None, None, date(2027, 3, 23)),
        (0, None, date(2027, 3, 24), None),
        (None, date(2027, 3, 27), None, None),
    ]


def test_stranded_appointments_need_a_decision_before_saving(client, session, site, service):
    officer = _officer(client, session, site)
    booking = book(
        session,
        request=BookingRequest(
            "wijkagent",
            datetime(2027, 3, 24, 10, tzinfo=DEFAULT_ZONE).astimezone(UTC),
            officer.id,
            LocationKind.OFFICE,
            Citizen("Jan Peeters", "+32470123456"),
            address=Address("1547", "Plaats", "3"),
        ),
        actor=Actor.citizen(Channel.WEB),
        now=NOW_UTC,
        zone=DEFAULT_ZONE,
    ).booking
    monday = _row(0, "0", "15:00", "19:00", f"office-{site.id}")

    html = _post(client, "preview", **monday).get_data(as_text=True)
    assert "Appointments outside your new moments" in html
    assert "Jan Peeters" in html
    assert f'name="decision-{booking.id}" value="cancel"' in html
    assert "There is a problem" not in html

    html = _post(client, "save", **monday).get_data(as_text=True)
    assert _error_next_to(html, f"decision-{booking.id}") == (
        "Choose what happens to the appointment of Wednesday 24 March 10:00 with Jan Peeters."
    )
    assert session.scalars(select(Availability.weekday)).all() == [2]  # nothing saved

    answer = _post(client, "save", **monday, **{f"decision-{booking.id}": "cancel"})
    assert answer.status_code == 302
    assert "Appointments kept: 0, moved: 0, cancelled: 1." in _page(client)
    session.refresh(booking)
    assert booking.status is BookingStatus.CANCELLED
    kinds = session.scalars(select(DomainEvent.kind).where(DomainEvent.booking_id == booking.id))
    assert list(kinds) == [EventKind.BOOKED, EventKind.CANCELLED_BY_STAFF]


def test_a_move_that_cannot_be_done_is_said_next_to_its_choice(client, session, site, service):
    officer = _officer(client, session, site)
    booking = book(
        session,
        request=BookingRequest(
            "wijkagent",
            datetime(2027, 3, 24, 10, tzinfo=DEFAULT_ZONE).astimezone(UTC),
            officer.id,
            LocationKind.OFFICE,
            Citizen("Jan Peeters", "+32470123456"),
            address=Address("1547", "Plaats", "3"),
        ),
        actor=Actor.citizen(Channel.WEB),
        now=NOW_UTC,
        zone=DEFAULT_ZONE,
    ).booking
    home_only = _row(0, "0", "15:00", "19:00", "home")

    answer = _post(client, "save", **home_only, **{f"decision-{booking.id}": "move"})
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert _error_next_to(html, f"decision-{booking.id}").startswith(
        "This appointment cannot be moved"
    )
    assert (
        f'id="decision-{booking.id}-move" name="decision-{booking.id}" value="move" checked' in html
    )
    session.expire_all()
    assert session.get(Booking, booking.id).status is BookingStatus.CONFIRMED
    assert session.scalars(select(Availability.weekday)).all() == [2]  # the whole save undone
