"""Staff pages name things as staff say them: the kind of appointment ("Wijkagent –
huisbezoek", not the citizen's "Afspraak met je wijkagent"), the municipality of a visit's
address, and the language the citizen speaks (on the day sheet taken on the round)."""

import html as html_text
import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen, book
from scheduling.enums import Channel, LocationKind, Role
from scheduling.models import Booking, Staff
from scheduling.trail import Actor
from tests.factories import NOW, make_district, make_service, make_site, make_weekly
from tests.staff_login import sign_in_as

BXL = ZoneInfo("Europe/Brussels")
NOW_UTC = datetime.fromisoformat(NOW)
WEDNESDAY = date(2026, 12, 2)
CITIZEN_NAME = "Afspraak met je wijkagent"


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time(NOW):
        yield


def _at(hour: int) -> datetime:
    return datetime.combine(WEDNESDAY, time(hour), tzinfo=BXL).astimezone(UTC)


@pytest.fixture
def officer(client, session) -> Staff:
    """A signed-in wijkagent reading the pages in Dutch: office in the morning, visits after."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "nl"
    me = sign_in_as(client, session, Role.DISTRICT_OFFICER, name="Geert Demol")
    site = make_site(session, name="Wijkpost Bever", street="Plaats", number="10")
    make_service(session, code="wijkagent", name_nl=CITIZEN_NAME, horizon_days=400)
    make_district(session, me, streets=(("1547", "Plaats"),), municipality="Bever")
    make_weekly(session, me, weekday=2, starts=time(9), ends=time(12), site=site)
    make_weekly(session, me, weekday=2, starts=time(13), ends=time(17), location=LocationKind.HOME)
    return me


def _book(session, me: Staff, hour: int, location: LocationKind, language: str) -> Booking:
    request = BookingRequest(
        "wijkagent",
        _at(hour),
        me.id,
        location,
        Citizen("Jan Peeters", "+32470123456"),
        address=Address("1547", "plaats", "3"),
        language=language,
    )
    booking = book(
        session, request=request, actor=Actor.citizen(Channel.WEB), now=NOW_UTC, zone=BXL
    ).booking
    session.flush()
    return booking


def _page(client, path: str) -> str:
    answer = client.get(path)
    assert answer.status_code == 200, path
    return html_text.unescape(answer.get_data(as_text=True))


def test_the_day_sheet_names_the_kind_the_municipality_and_the_citizens_language(
    client, session, officer
):
    _book(session, officer, 10, LocationKind.OFFICE, "nl")
    _book(session, officer, 14, LocationKind.HOME, "fr")
    sheet = _page(client, "/staff/agenda/day-sheet?day=2026-12-02")
    rows = re.findall(r"<tr>\s*<td class=\"nowrap\">.*?</tr>", sheet, re.S)
    assert len(rows) == 2
    office, visit = rows
    assert "Wijkagent – op kantoor" in office
    assert '<span lang="nl">Nederlands</span>' in office
    assert "Wijkagent – huisbezoek" in visit
    assert "<bdi>Plaats 3, 1547 Bever</bdi>" in visit  # as the zone spells it, with its village
    assert '<span lang="fr">Français</span>' in visit
    assert CITIZEN_NAME not in sheet
    assert "Burger, telefoon en taal" in sheet


def test_the_agenda_and_the_appointment_name_the_kind_as_staff_say_it(client, session, officer):
    visit = _book(session, officer, 14, LocationKind.HOME, "fr")
    agenda = _page(client, "/staff/agenda?day=2026-12-02")
    assert "14:00–14:30 Wijkagent – huisbezoek</a>" in agenda
    assert CITIZEN_NAME not in agenda
    page = _page(client, f"/staff/appointments/{visit.id}")
    assert "<dd>Wijkagent – huisbezoek</dd>" in page
    assert '<dd lang="fr">Français</dd>' in page
    assert CITIZEN_NAME not in page


@pytest.mark.parametrize(
    ("language", "office", "visit"),
    [
        ("fr", "Agent de quartier – au bureau", "Agent de quartier – visite à domicile"),
        ("en", "Neighbourhood officer – at the office", "Neighbourhood officer – home visit"),
    ],
)
def test_the_kind_is_in_the_staff_members_language(
    client, session, officer, language, office, visit
):
    _book(session, officer, 10, LocationKind.OFFICE, "nl")
    _book(session, officer, 14, LocationKind.HOME, "nl")
    agenda = _page(client, f"/staff/agenda?day=2026-12-02&lang={language}")
    assert f"10:00–10:30 {office}</a>" in agenda
    assert f"14:00–14:30 {visit}</a>" in agenda
