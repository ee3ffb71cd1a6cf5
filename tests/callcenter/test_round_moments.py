"""The console's free moments: those on the officer's round first, with a badge naming the
village, and chosen by default (app.round_marks)."""

import re
from datetime import datetime, time

import pytest
from freezegun import freeze_time

from tests.callcenter.calls import NOW, taken_call
from tests.factories import ZONE
from tests.staff_login import csrf_of
from tests.villages import VISIT_DAY, rounds_zone, visit

ADDRESS = {"postcode": "1547", "street": "Plaats", "number": "3"}


@pytest.fixture(autouse=True)
def _frozen():
    with freeze_time(NOW):
        yield


def _moments(client, call_id: int, location: str) -> str:
    data = {"csrf_token": csrf_of(client, "/console"), "name": "Jan Peeters", **ADDRESS}
    data["location"] = location
    page = client.post(f"/console/calls/{call_id}/book/moments", data=data)
    assert page.status_code == 200
    return page.get_data(as_text=True)


def _clock(value: str) -> str:
    return datetime.fromisoformat(value.split("|")[0]).astimezone(ZONE).strftime("%H:%M")


def test_moments_on_the_round_come_first_with_a_badge_and_are_chosen(client, session, call_taker):
    officer = rounds_zone(session)
    visit(session, officer, datetime.combine(VISIT_DAY, time(14), tzinfo=ZONE))
    taken = taken_call(session, call_taker, caller="+32470123456")
    session.commit()
    html = _moments(client, taken.call_id, "home")
    values = re.findall(r'name="moment" value="([^"]+)"', html)
    assert [_clock(v) for v in values[:3]] == ["13:15", "14:45", "15:00"]
    checked = re.search(r'name="moment" value="([^"]+)" checked', html)
    assert checked is not None
    assert _clock(checked.group(1)) == "13:15"
    # Each near moment carries its badge, above and in its day: three and three.
    assert html.count('class="badge badge-round"') == 6
    assert "Bever</span>" in html


def test_without_a_visit_nearby_the_days_come_first_unmarked(client, session, call_taker):
    rounds_zone(session)
    taken = taken_call(session, call_taker, caller="+32470123456")
    session.commit()
    html = _moments(client, taken.call_id, "home")
    assert "badge-round" not in html
    values = re.findall(r'name="moment" value="([^"]+)"', html)
    assert _clock(values[0]) == "13:15"  # the first reachable from the office at 13:00
