"""The citizen's moment picker lists the moments on the wijkagent's round first, each saying
which village the wijkagent is in (app.round_marks)."""

import re
from datetime import datetime, time

import pytest
from freezegun import freeze_time
from sqlalchemy import delete, select

from scheduling.models import Village, VillageTravel
from tests.app.web_walk import booking_csrf
from tests.factories import NOW, ZONE
from tests.villages import VISIT_DAY, rounds_zone, visit


@pytest.fixture(autouse=True)
def _frozen():
    with freeze_time(NOW):
        yield


def _at(hour: int, minute: int = 0) -> datetime:
    return datetime.combine(VISIT_DAY, time(hour, minute), tzinfo=ZONE)


def _picker(client, *, location: str = "home", lang: str = "en") -> str:
    client.get(f"/?lang={lang}")
    token = booking_csrf(client)
    client.post("/book", data={"csrf_token": token, "service": "wijkagent"})
    client.post(
        "/book/address",
        data={"csrf_token": token, "postcode": "1547", "street": "plaats", "number": "3"},
    )
    client.post("/book/location", data={"csrf_token": token, "location": location})
    return client.get("/book/moment").get_data(as_text=True)


def _round_list(page: str) -> str:
    found = re.search(r'<section class="panel on-round".*?</section>', page, re.S)
    return found.group(0) if found else ""


@pytest.fixture
def officer_with_visit(session):
    officer = rounds_zone(session)
    visit(session, officer, _at(14))  # a home visit in Bever, Wednesday 14:00-14:30
    session.commit()
    return officer


def test_moments_next_to_a_visit_in_the_same_village_come_first_with_the_village(
    client, officer_with_visit
):
    page = _picker(client)
    listed = _round_list(page)
    # 13:15 (before the 14:00 visit, 5 minutes' drive), 14:45 and 15:00 after it: in time
    # order, above the week.
    assert re.findall(r">\w+ \d+ \w+ (\d\d:\d\d)</button>", listed) == ["13:15", "14:45", "15:00"]
    assert listed.count("Your wijkagent is in Bever that afternoon") == 3
    assert page.index("on-round") < page.index('id="week-title"')
    # The moments right against the visit cannot be reached in time; later ones are not near.
    assert "13:30" not in listed
    assert "16:00" not in listed
    # In the week, the same moments are marked for a screen reader too.
    assert re.search(r'class="slot slot-near"[^>]*aria-label="[^"]*14:45 – Your wijkagent', page)


def test_in_dutch_and_french_the_mark_is_translated(client, officer_with_visit):
    assert "Je wijkagent is die namiddag in Bever" in _round_list(_picker(client, lang="nl"))
    assert "Votre agent de quartier est à Bever cet après-midi" in _round_list(
        _picker(client, lang="fr")
    )


def test_a_visit_in_another_village_makes_no_moment_near(client, session):
    officer = rounds_zone(session)
    booking = visit(session, officer, _at(14))
    # As if that visit were in Herne (20 minutes away): its moments are reachable, not near.
    booking.village_id = session.scalar(select(Village.id).where(Village.name == "Herne"))
    session.commit()
    page = _picker(client)
    assert _round_list(page) == ""
    assert "slot-near" not in page
    assert ">15:00<" in page


def test_without_travel_times_nothing_is_marked(client, session):
    officer = rounds_zone(session)
    session.execute(delete(VillageTravel))
    visit(session, officer, _at(14))
    session.commit()
    page = _picker(client)
    assert _round_list(page) == ""
    assert "slot-near" not in page
