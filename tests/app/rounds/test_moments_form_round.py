"""My bookable moments: a home-visit window may leave from an office ("starting and ending
at Wijkpost Bever"), which is how the round's travel is reckoned; the form shows and keeps it."""

from datetime import time

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from scheduling.enums import LocationKind, Role
from scheduling.models import Availability
from tests.factories import make_district, make_service, make_site, make_weekly
from tests.staff_login import csrf_of, sign_in_as

NOW = "2027-03-22T08:00:00Z"  # Monday 22 March 2027, 09:00 in Brussels
PAGE = "/staff/moments"


@pytest.fixture(autouse=True)
def _frozen():
    with freeze_time(NOW):
        yield


@pytest.fixture
def officer(client, session):
    site = make_site(session, name="Wijkpost Bever")
    make_service(session, code="wijkagent")
    officer = sign_in_as(client, session, Role.DISTRICT_OFFICER)
    make_district(session, officer, streets=(("1547", "Plaats"),))
    make_weekly(
        session,
        officer,
        weekday=2,
        starts=time(13),
        ends=time(17),
        location=LocationKind.HOME,
        site=site,
    )
    session.commit()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return officer, site


def test_a_home_visit_window_from_an_office_says_so(client, officer):
    _, site = officer
    html = client.get(PAGE).get_data(as_text=True)
    assert (
        f'<option value="home-{site.id}" selected>'
        "Home visits, starting and ending at Wijkpost Bever</option>"
    ) in html
    assert '<option value="home">Home visits</option>' in html


def test_it_is_kept_when_saved(client, session, officer):
    staff, site = officer
    answer = client.post(
        PAGE,
        data={
            "csrf_token": csrf_of(client, PAGE),
            "action": "save",
            "from_day": "2027-03-22",
            "week-0-day": "2",
            "week-0-starts": "13:00",
            "week-0-ends": "16:00",
            "week-0-where": f"home-{site.id}",
        },
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    windows = session.scalars(
        select(Availability).where(
            Availability.staff_id == staff.id, Availability.valid_until.is_(None)
        )
    ).all()
    assert [(w.location, w.site_id, w.ends) for w in windows] == [
        (LocationKind.HOME, site.id, time(16))
    ]


def test_in_dutch(client, officer):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "nl"
    html = client.get(PAGE).get_data(as_text=True)
    assert "Huisbezoeken, met vertrek en terugkeer in Wijkpost Bever" in html
