"""The phone menu's three moments: those on the wijkagent's round first, each followed by
"Your wijkagent is already in Bever that morning." (app.round_marks)."""

from datetime import datetime, time

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from scheduling.enums import LocationKind
from scheduling.models import Booking, Site
from tests.factories import NOW, ZONE, make_weekly
from tests.ivr.walks import dial_in
from tests.villages import VISIT_DAY, rounds_zone, visit

ALREADY = {
    "nl": "Je wijkagent is die voormiddag al in Bever.",
    "fr": "Votre agent de quartier est déjà à Bever ce matin-là.",
    "en": "Your wijkagent is already in Bever that morning.",
}
FIRST = {
    "nl": "om half twaalf",
    "fr": "à 11 heures et demie",
    "en": "at half past eleven",
}


@pytest.fixture(autouse=True)
def _frozen():
    with freeze_time(NOW):
        yield


@pytest.fixture
def officer(session):
    """Office hours Wednesday 9–12 at Wijkpost Bever, and a home visit in Bever at 12:15
    (in a home-visit hour from the office): the office's 11:30 is next to it."""
    officer = rounds_zone(session)
    site = session.scalars(select(Site)).one()
    make_weekly(
        session,
        officer,
        weekday=2,
        starts=time(12),
        ends=time(13),
        location=LocationKind.HOME,
        site=site,
    )
    visit(session, officer, datetime.combine(VISIT_DAY, time(12, 15), tzinfo=ZONE))
    session.commit()
    return officer


def _to_moments(walker):
    walker.press("2")
    walker.press("2")
    walker.press("1547")
    walker.press("3#")
    walker.press("752#")  # P-L-A
    walker.press("1")  # Plaats
    _path, root = walker.answers[-1]
    gather = root.find("Gather")
    assert gather is not None
    assert "/ivr/book/moment" in gather.get("action", "")
    return [say.text or "" for say in gather.iter("Say")]


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_moment_on_the_round_is_read_first_and_says_where_the_wijkagent_is(
    session, phone, officer, language
):
    walker = dial_in(phone, language)
    lines = _to_moments(walker)
    presses = [i for i, line in enumerate(lines) if FIRST[language] in line]
    assert presses, lines
    first = presses[0]
    # 11:30 is the first moment offered, the sentence follows it, and only it.
    assert "1" in lines[first]
    assert lines[first + 1] == ALREADY[language]
    assert sum(ALREADY[language] in line for line in lines) == 1
    walker.press("1")
    walker.press("2")  # no earlier moment by SMS (tests/ivr/test_book_earlier.py)
    assert walker.ended
    booking = session.scalars(select(Booking).where(Booking.location == LocationKind.OFFICE)).one()
    assert booking.start_at.astimezone(ZONE).time() == time(11, 30)


def test_without_a_visit_nearby_the_first_three_are_the_soonest_and_nothing_is_said(session, phone):
    rounds_zone(session)
    session.commit()
    walker = dial_in(phone, "en")
    lines = _to_moments(walker)
    assert not any("already in" in line for line in lines)
    assert any("at nine o'clock" in line and "press 1" in line for line in lines)
