"""Issue 14: booking for a caller in the console. The moments come grouped by day, each
radio named with its day, time, place and officer; "More days" shows the next ones (a plain
form post, no JavaScript needed); the call-taker chooses the office or a home visit, the
office, the officer where the address has more than one, and says what it is about."""

import re
from datetime import time
from html import unescape

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from scheduling.enums import LocationKind
from scheduling.models import Booking
from tests.callcenter.calls import NOW, taken_call
from tests.factories import make_district, make_service, make_site, make_staff, make_weekly
from tests.staff_login import csrf_of

CALLER = "+32470123456"
ADDRESS = {"postcode": "1547", "street": "Plaats", "number": "3"}


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time(NOW) as frozen:  # Tuesday 1 December 2026, 10:00 in Brussels
        yield frozen


@pytest.fixture
def zone(session):
    """The wijkagent of Plaats (office mornings at two offices, home visits in the
    afternoon) and a stand-in (office on Wednesdays), weekdays only."""
    make_service(session, code="wijkagent", horizon_days=60)
    officer = make_staff(session, name="Geert Demol")
    standin = make_staff(session, name="Ilse Wouters")
    bever = make_site(session, name="Wijkpost Bever")
    lennik = make_site(session, name="Politiehuis Lennik")
    make_district(session, officer, streets=(("1547", "Plaats"),), standin=standin)
    for weekday in range(5):
        site = bever if weekday % 2 == 0 else lennik
        make_weekly(session, officer, weekday=weekday, starts=time(9), ends=time(10), site=site)
        make_weekly(
            session,
            officer,
            weekday=weekday,
            starts=time(14),
            ends=time(15),
            location=LocationKind.HOME,
        )
    make_weekly(session, standin, weekday=2, starts=time(9), ends=time(10), site=lennik)
    return {"officer": officer, "standin": standin, "bever": bever, "lennik": lennik}


@pytest.fixture
def taken(session, call_taker):
    return taken_call(session, call_taker, caller=CALLER)


def _post(client, path: str, **data: str):
    return client.post(path, data={"csrf_token": csrf_of(client, "/console"), **data})


def _show(client, taken, **data: str) -> str:
    answer = _post(
        client, f"/console/calls/{taken.call_id}/book/moments", name="Jan", **ADDRESS, **data
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_data(as_text=True)


def _radios(html: str) -> list[tuple[str, str]]:
    """(value, the label's whole text) of every moment radio."""
    found = []
    for ident, value in re.findall(
        r'<input type="radio" id="([^"]+)" name="moment" value="([^"]+)"', html
    ):
        label = re.search(rf'<label for="{ident}">(.*?)</label>', html, re.S)
        assert label, ident
        found.append((value, " ".join(unescape(re.sub(r"<[^>]+>", "", label[1])).split())))
    return found


def _day_headings(html: str) -> list[str]:
    return re.findall(r'<h3 class="moment-day" id="book-moment-day-\d+">([^<]+)</h3>', html)


def test_moments_come_by_day_each_named_with_day_time_place_and_officer(client, taken, zone):
    html = _show(client, taken)
    # Today's office hour is over (10:00, an hour's notice): Wednesday, Thursday, Friday.
    assert _day_headings(html) == [
        "Wednesday 2 December",
        "Thursday 3 December",
        "Friday 4 December",
    ]
    radios = _radios(html)
    assert radios[0][1] == "Wednesday 2 December, 09:00 – Wijkpost Bever, Geert Demol"
    assert "Thursday 3 December, 09:30 – Politiehuis Lennik, Geert Demol" in [r[1] for r in radios]
    # Each day's radios are a group named by the day's heading.
    assert 'role="group" aria-labelledby="book-moment-day-1"' in html


def test_more_days_shows_the_next_days_without_javascript(client, taken, zone):
    first = _show(client, taken)
    more = re.search(r'name="from" value="([^"]+)" formaction="([^"]+)"', first)
    assert more
    assert more[1] == "2026-12-05"
    assert more[2].endswith(f"/console/calls/{taken.call_id}/book/moments")
    later = _show(client, taken, **{"from": more[1]})
    assert _day_headings(later) == [
        "Monday 7 December",
        "Tuesday 8 December",
        "Wednesday 9 December",
    ]
    back = _show(client, taken, **{"from": "2026-12-01"})  # back to the first days
    assert _without_report_key(back) == _without_report_key(first)


def _without_report_key(html: str) -> str:
    """The page without the report form's one-time key (new at every showing)."""
    return re.sub(r'name="report_key" value="[^"]+"', "", html)


def test_a_home_visit_offers_the_afternoon_visits_at_the_callers_address(
    client, session, taken, zone
):
    html = _show(client, taken, location="home")
    radios = _radios(html)
    assert radios[0][1] == "Tuesday 1 December, 14:00 – home visit, Geert Demol"
    answer = _post(
        client,
        f"/console/calls/{taken.call_id}/book",
        name="Jan Peeters",
        location="home",
        moment=radios[0][0],
        topic="Lawaai van de buren",
        **ADDRESS,
    )
    assert answer.status_code == 302
    booking = session.scalars(select(Booking).where(Booking.citizen_phone == CALLER)).one()
    assert (booking.location, booking.topic) == (LocationKind.HOME, "Lawaai van de buren")


def test_the_call_taker_chooses_the_office_and_the_officer(client, session, taken, zone):
    html = _show(client, taken)
    assert 'id="book-site"' in html  # two offices: a choice
    assert 'id="book-officer"' in html  # the wijkagent and a stand-in: a choice
    at_bever = _radios(_show(client, taken, site=str(zone["bever"].id)))
    assert at_bever
    assert all("Wijkpost Bever" in label for _, label in at_bever)
    standin = _radios(_show(client, taken, officer=str(zone["standin"].id)))
    # The stand-in's moments count only while the wijkagent is away: none this time.
    assert standin == []


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"location": "on_site"}, "book-location", "Choose the police office or a home visit."),
        ({"site": "999999"}, "book-site", "Choose one of the offices in the list."),
        ({"officer": "x"}, "book-officer", "Choose one of the officers in the list."),
        ({"topic": "a" * 301}, "book-topic", "Keep the topic to 300 characters."),
        ({"topic": "Lawaai\u202e"}, "book-topic", "Remove the special characters"),
    ],
)
def test_a_wrong_choice_is_named_next_to_its_field(
    client, session, taken, zone, fields, field, message
):
    for path in ("book/moments", "book"):
        answer = _post(
            client, f"/console/calls/{taken.call_id}/{path}", name="Jan", **ADDRESS, **fields
        )
        assert answer.status_code == 400, path
        html = answer.get_data(as_text=True)
        assert f'id="{field}-error">{message}' in html, path
    assert session.scalars(select(Booking)).all() == []


def test_days_that_are_not_days_are_refused(client, taken, zone):
    answer = _post(
        client,
        f"/console/calls/{taken.call_id}/book/moments",
        name="Jan",
        **ADDRESS,
        **{"from": "gisteren"},
    )
    assert answer.status_code == 400
    assert "These days cannot be shown." in answer.get_data(as_text=True)


def test_moving_shows_the_officers_moments_by_day_with_more_days(client, session, taken, zone):
    html = _show(client, taken)
    start = _radios(html)[0][0]
    _post(client, f"/console/calls/{taken.call_id}/book", name="Jan", moment=start, **ADDRESS)
    booking = session.scalars(select(Booking).where(Booking.citizen_phone == CALLER)).one()
    page = _post(client, f"/console/calls/{taken.call_id}/bookings/{booking.id}/moments")
    html = page.get_data(as_text=True)
    headings = re.findall(rf'id="move-{booking.id}-day-\d+">([^<]+)</h3>', html)
    assert headings == ["Wednesday 2 December", "Thursday 3 December", "Friday 4 December"]
    assert f'value="{start}"' not in html  # not the moment it has now
    assert 'name="from" value="2026-12-05"' in html
    later = _post(
        client,
        f"/console/calls/{taken.call_id}/bookings/{booking.id}/moments",
        **{"from": "2026-12-05"},
    ).get_data(as_text=True)
    assert (
        re.findall(rf'id="move-{booking.id}-day-\d+">([^<]+)</h3>', later)[0] == "Monday 7 December"
    )
