"""Booking on a caller's behalf with "Offer an earlier moment by SMS": the box only for a
mobile number, the wish recorded with the call-taker as the actor, a landline refused."""

import re
from datetime import time

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.earlier.models import EarlierWish, WishStatus
from scheduling.enums import Channel
from scheduling.models import AuditEntry, Booking
from tests.callcenter.calls import NOW, taken_call
from tests.factories import make_district, make_service, make_site, make_staff, make_weekly
from tests.staff_login import csrf_of

MOBILE, LANDLINE = "+32470123456", "+3254313599"
ADDRESS = {"postcode": "1547", "street": "Plaats", "number": "3"}


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time(NOW) as frozen:
        yield frozen


@pytest.fixture
def officer(session):
    make_service(session, code="wijkagent", horizon_days=60)
    staff = make_staff(session, name="Geert Demol")
    site = make_site(session, name="Wijkpost Bever", street="Plaats", number="10")
    make_district(session, staff, streets=(("1547", "Plaats"),))
    for weekday in range(7):
        make_weekly(session, staff, weekday=weekday, starts=time(9), ends=time(12), site=site)
    return staff


def _post(client, path: str, **data: str):
    return client.post(path, data={"csrf_token": csrf_of(client, "/console"), **data})


def _moment(client, call_id: int) -> tuple[str, str]:
    page = _post(client, f"/console/calls/{call_id}/book/moments", name="Jan", **ADDRESS)
    html = page.get_data(as_text=True)
    return re.findall(r'name="moment" value="([^"]+)"', html)[2], html


def test_the_box_books_with_a_wish_the_call_taker_asked(client, session, officer, call_taker):
    taken = taken_call(session, call_taker, caller=MOBILE)
    moment, html = _moment(client, taken.call_id)
    assert "Offer an earlier moment by SMS" in html
    answer = _post(
        client,
        f"/console/calls/{taken.call_id}/book",
        name="Jan",
        moment=moment,
        earlier="1",
        **ADDRESS,
    )
    assert answer.status_code == 302
    booking = session.scalars(select(Booking)).one()
    wish = session.scalars(select(EarlierWish)).one()
    assert wish.booking_id == booking.id
    assert (wish.status, wish.channel, wish.location) == (WishStatus.WAITING, Channel.PHONE, None)
    asked = session.scalars(select(AuditEntry).where(AuditEntry.action == "earlier_asked")).one()
    assert asked.actor_id == call_taker.id


def test_without_the_box_no_wish(client, session, officer, call_taker):
    taken = taken_call(session, call_taker, caller=MOBILE)
    moment, _html = _moment(client, taken.call_id)
    answer = _post(
        client, f"/console/calls/{taken.call_id}/book", name="Jan", moment=moment, **ADDRESS
    )
    assert answer.status_code == 302
    assert session.scalars(select(EarlierWish)).all() == []


def test_a_landline_gets_no_box_and_a_forced_one_is_refused(client, session, officer, call_taker):
    taken = taken_call(session, call_taker, caller=LANDLINE)
    moment, html = _moment(client, taken.call_id)
    assert 'name="earlier"' not in html
    answer = _post(
        client,
        f"/console/calls/{taken.call_id}/book",
        name="Jan",
        moment=moment,
        earlier="1",
        **ADDRESS,
    )
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert 'id="book-earlier-error"' in page
    assert moment in page  # the moments stay on screen
    assert session.scalars(select(Booking)).all() == []
