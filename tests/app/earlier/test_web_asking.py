"""Asking for an earlier moment on the web: the details step's box and its choices, errors
next to the field with what was typed kept, the check page, the confirmation; and on the
manage page: the waiting wish shown, stopped, asked again."""

from datetime import date, time

import pytest
from flask.testing import FlaskClient
from freezegun import freeze_time
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.earlier.models import EarlierWish, WishStatus
from app.ratelimit import LIMITS
from scheduling.enums import Channel, LocationKind
from scheduling.models import Staff
from tests.app.web_walk import walk_to_check
from tests.factories import make_district, make_service, make_site, make_staff, make_weekly

NOW = "2026-12-01T08:00:00Z"  # Tuesday 09:00 in Brussels; the first moment: Friday 4/12
PERSON = {"name": "Jan Peeters", "email": "", "topic": "", "website": ""}


@pytest.fixture
def zone(session: Session) -> Staff:
    site = make_site(session, name="Wijkpost Bever", street="Plaats", number="10")
    officer = make_staff(session, name="Inspecteur Wouters")
    make_district(session, officer, streets=(("1547", "Plaats"),))
    make_service(session, code="wijkagent")
    make_weekly(session, officer, weekday=4, starts=time(9), ends=time(12), site=site)
    make_weekly(
        session, officer, weekday=4, starts=time(13), ends=time(17), location=LocationKind.HOME
    )
    session.commit()
    return officer


@pytest.fixture
def client(client: FlaskClient) -> FlaskClient:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"  # English pages
    return client


def _details(client: FlaskClient, token: str, **fields: str) -> str:
    answer = client.post(
        "/book/details", data={"csrf_token": token, "phone": "0470 12 34 56", **PERSON, **fields}
    )
    assert answer.status_code in (200, 302)
    return answer.get_data(as_text=True) if answer.status_code == 200 else ""


def _wish(session: Session) -> EarlierWish | None:
    return session.scalars(select(EarlierWish)).one_or_none()


@freeze_time(NOW)
def test_the_box_ticked_reaches_the_booking_the_check_page_and_the_confirmation(
    client: FlaskClient, zone: Staff, session: Session
) -> None:
    token, _slot = walk_to_check(client)
    details = client.get("/book/details").get_data(as_text=True)
    assert 'name="earlier"' in details
    assert 'value="home"' in details
    assert 'value="office"' in details
    assert not _details(
        client,
        token,
        earlier="1",
        earlier_location="home",
        earlier_not_before="2026-12-03",
    )
    check = client.get("/book/check").get_data(as_text=True)
    assert "By SMS if one frees up: only a home visit, not before 03/12" in check
    done = client.post("/book/check", data={"csrf_token": token})
    assert done.status_code == 302
    wish = _wish(session)
    assert wish is not None
    assert wish.status is WishStatus.WAITING
    assert wish.channel is Channel.WEB
    assert (wish.location, wish.not_before) == (LocationKind.HOME, date(2026, 12, 3))
    page = client.get(done.location).get_data(as_text=True)
    assert "Your appointment is booked" in page
    assert "We will text you if an earlier moment frees up: only a home visit, not before" in page


@freeze_time(NOW)
def test_the_box_left_empty_asks_nothing_and_the_choices_wait_for_it(
    client: FlaskClient, zone: Staff, session: Session
) -> None:
    token, _slot = walk_to_check(client)
    # The choices without the box (a visitor who changed their mind) ask nothing.
    assert not _details(client, token, earlier_location="office", earlier_not_before="x")
    assert "Earlier moment" not in client.get("/book/check").get_data(as_text=True)
    client.post("/book/check", data={"csrf_token": token})
    assert _wish(session) is None


@freeze_time(NOW)
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/2026", "Enter a day like 14/12/2026"),
        ("2026-12-04", "Choose a day from today on and before your appointment"),
        ("30/11/2026", "Choose a day from today on and before your appointment"),
    ],
)
def test_a_wrong_first_day_is_said_next_to_the_field_and_kept(
    client: FlaskClient, zone: Staff, typed: str, message: str
) -> None:
    token, _slot = walk_to_check(client)
    page = _details(client, token, earlier="1", earlier_location="any", earlier_not_before=typed)
    assert 'id="earlier_not_before-error"' in page
    assert message in page
    assert f'value="{typed}"' in page
    assert 'id="earlier" name="earlier" value="1" checked' in page
    assert 'href="#earlier_not_before"' in page  # the summary leads to the field


@freeze_time(NOW)
def test_a_landline_cannot_be_texted_and_a_strange_place_is_refused(
    client: FlaskClient, zone: Staff, session: Session
) -> None:
    token, _slot = walk_to_check(client)
    page = _details(client, token, phone="054 31 35 01", earlier="1")
    assert 'id="earlier-error"' in page
    assert "We can only text a mobile number" in page
    page = _details(client, token, earlier="1", earlier_location="bailiff")
    assert 'id="earlier_location-error"' in page
    # Unticked, the landline books as before (no SMS, no wish).
    assert not _details(client, token, phone="054 31 35 01")
    client.post("/book/check", data={"csrf_token": token})
    assert _wish(session) is None


@freeze_time(NOW)
def test_the_manage_page_asks_shows_and_stops_the_wish(
    client: FlaskClient, zone: Staff, session: Session
) -> None:
    token, _slot = walk_to_check(client)
    manage = client.post("/book/check", data={"csrf_token": token}).location.split("?")[0]
    page = client.get(manage).get_data(as_text=True)
    assert f'action="{manage}/earlier"' in page
    assert "Text me if an earlier moment frees up" in page

    wrong = client.post(
        manage + "/earlier", data={"csrf_token": token, "earlier_not_before": "morgen"}
    )
    assert wrong.status_code == 200
    assert 'id="earlier_not_before-error"' in wrong.get_data(as_text=True)
    assert _wish(session) is None

    asked = client.post(
        manage + "/earlier", data={"csrf_token": token, "earlier_location": "office"}
    )
    assert asked.location == manage
    wish = _wish(session)
    assert wish is not None
    assert wish.location is LocationKind.OFFICE
    page = client.get(manage).get_data(as_text=True)
    assert "We will text you if an earlier moment frees up: only at the office." in page
    assert f'action="{manage}/earlier/stop"' in page

    stopped = client.post(manage + "/earlier/stop", data={"csrf_token": token})
    assert stopped.location == manage
    session.expire_all()
    assert _wish(session).status is WishStatus.DROPPED  # type: ignore[union-attr]
    page = client.get(manage).get_data(as_text=True)
    assert "We will not text you about earlier moments any more." in page
    assert f'action="{manage}/earlier"' in page  # and may ask again


@freeze_time(NOW)
def test_the_manage_page_of_a_landline_booking_offers_no_wish(
    client: FlaskClient, zone: Staff, session: Session
) -> None:
    token, _slot = walk_to_check(client)
    _details(client, token, phone="054 31 35 01")
    manage = client.post("/book/check", data={"csrf_token": token}).location.split("?")[0]
    assert "/earlier" not in client.get(manage).get_data(as_text=True)
    refused = client.post(manage + "/earlier", data={"csrf_token": token})
    assert refused.location == manage
    assert _wish(session) is None


@freeze_time(NOW)
def test_asking_and_stopping_without_csrf_is_refused(
    client: FlaskClient, zone: Staff, session: Session
) -> None:
    token, _slot = walk_to_check(client)
    manage = client.post("/book/check", data={"csrf_token": token}).location.split("?")[0]
    assert client.post(manage + "/earlier", data={}).status_code == 400
    assert _wish(session) is None


@freeze_time(NOW)
def test_a_day_typed_as_people_write_it_is_read(
    client: FlaskClient, zone: Staff, session: Session
) -> None:
    token, _slot = walk_to_check(client)
    assert not _details(client, token, earlier="1", earlier_not_before="2/12/2026")
    client.post("/book/check", data={"csrf_token": token})
    wish = _wish(session)
    assert wish is not None
    assert (wish.location, wish.not_before) == (None, date(2026, 12, 2))


@freeze_time(NOW)
def test_asking_and_stopping_on_one_appointment_is_limited(
    client: FlaskClient, zone: Staff, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    token, _slot = walk_to_check(client)
    manage = client.post("/book/check", data={"csrf_token": token}).location.split("?")[0]
    monkeypatch.setitem(LIMITS, "earlier-booking", 2)
    assert client.post(manage + "/earlier", data={"csrf_token": token}).status_code == 302
    assert client.post(manage + "/earlier/stop", data={"csrf_token": token}).status_code == 302
    assert client.post(manage + "/earlier", data={"csrf_token": token}).status_code == 429
