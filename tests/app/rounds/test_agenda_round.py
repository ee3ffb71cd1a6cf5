"""The officer's agenda shows each day's round: the stops in order with their village, the
drive before each, back to the office, and the day's travel (app/staff/agenda_round.py)."""

import re
from datetime import datetime, time

import pytest
from freezegun import freeze_time
from sqlalchemy import delete, select

from scheduling.enums import LocationKind, Role
from scheduling.models import Site, Village, VillageTravel
from tests.factories import NOW, ZONE, make_credential
from tests.staff_login import sign_in, sign_in_as
from tests.villages import VISIT_DAY, rounds_zone, visit

WEEK = f"/staff/agenda?view=week&day={VISIT_DAY.isoformat()}"
DAY = f"/staff/agenda?day={VISIT_DAY.isoformat()}"


@pytest.fixture(autouse=True)
def _frozen():
    with freeze_time(NOW):
        yield


def _at(hour: int) -> datetime:
    return datetime.combine(VISIT_DAY, time(hour), tzinfo=ZONE)


@pytest.fixture
def officer(session):
    """Wednesday: the office at 10:00, a visit in Bever at 14:00, one in Herne at 15:00; the
    officer's office is Wijkpost Bever."""
    officer = rounds_zone(session)
    officer.home_site_id = session.scalars(select(Site)).one().id
    visit(session, officer, _at(10), location=LocationKind.OFFICE)
    visit(session, officer, _at(14))
    herne = visit(session, officer, _at(15), number="5")
    # As if that address were in Herne (20 minutes from Bever): the engine placed it in Bever.
    herne.village_id = session.scalar(select(Village.id).where(Village.name == "Herne"))
    make_credential(session, officer)
    session.commit()
    return officer


def _round(html: str) -> list[str]:
    """The round's lines as read: drive, then time and village."""
    found = re.search(r'<div class="agenda-round">(.*?)</div>', html, re.S)
    assert found, "no round shown"
    return [
        " ".join(re.sub(r"<[^>]+>", " ", li).split())
        for li in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)
    ]


@pytest.mark.parametrize("page", [WEEK, DAY])
def test_the_day_shows_its_round_with_drive_minutes_and_total(client, officer, page):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(client, officer)
    html = client.get(page).get_data(as_text=True)
    assert _round(html) == [
        "5 min drive 10:00 Bever",  # from the office (in Bever) to the office
        "5 min drive 14:00 Bever",
        "20 min drive 15:00 Herne",
        "20 min drive back to the office",
    ]
    assert "Travel this day: 50 min" in html


def test_in_dutch(client, officer):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "nl"
    sign_in(client, officer)
    html = client.get(WEEK).get_data(as_text=True)
    assert "Reistijd deze dag: 50 min" in html


def test_everyones_agenda_shows_no_round(client, session, officer):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in_as(client, session, Role.SUPERVISOR)
    html = client.get(WEEK + "&staff=all").get_data(as_text=True)
    assert "agenda-round" not in html


def test_without_travel_times_no_round_is_shown(client, session, officer):
    session.execute(delete(VillageTravel))
    session.commit()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(client, officer)
    html = client.get(WEEK).get_data(as_text=True)
    assert "agenda-round" not in html
    assert "15:00" in html  # the appointments themselves are there
