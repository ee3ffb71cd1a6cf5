"""A bailiff office's calendar feed: one secret address per office, shown once, renewable;
the feed holds the office's bookings (cancelled ones as cancelled) in its language, no
officers' names unless the zone allows them, nothing of another office; and the portal's
two settings."""

import dataclasses
import re
from urllib.parse import urlsplit

import pytest
from freezegun import freeze_time

from app.config import Config
from scheduling.models import BailiffAccount
from tests.app.bailiff_portal import make_kinds, post_request, signed_in_office
from tests.factories import NOW, TEST_SECRET_KEY
from tests.staff_login import csrf_of

MOMENT = "2026-12-03T07:00:00+00:00"


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time(NOW):
        yield


@pytest.fixture
def portal(client, session, bailiff_service):
    make_kinds(session)
    return signed_in_office(client, session, language="fr")


def _new_address(client) -> str:
    answer = client.post(
        "/deurwaarder/agenda", data={"csrf_token": csrf_of(client, "/deurwaarder/agenda")}
    )
    assert answer.status_code == 200
    found = re.search(r'id="feed-url"[^>]*>([^<]+)<', answer.get_data(as_text=True))
    assert found
    return found.group(1).strip()


def _path(url: str) -> str:
    return urlsplit(url).path


def test_the_address_is_shown_once_and_renewing_ends_the_old_one(client, session, portal):
    assert "pas encore d'adresse d'agenda" in client.get("/deurwaarder/agenda?lang=fr").get_data(
        as_text=True
    )
    first = _new_address(client)
    assert "/deurwaarder/agenda/" in first
    assert first not in client.get("/deurwaarder/agenda").get_data(as_text=True)
    assert client.get(_path(first)).status_code == 200
    second = _new_address(client)
    assert client.get(_path(first)).status_code == 404
    assert client.get(_path(second)).status_code == 200
    office = session.get(BailiffAccount, portal.office_id)
    assert office.calendar_token_hash not in (None, first, second)  # only the hash is kept


def test_the_feed_holds_the_offices_bookings_in_its_language(client, session, portal, app):
    booked = post_request(client, start=MOMENT)
    other_client = app.test_client()
    signed_in_office(other_client, session, token="other-token")
    post_request(other_client, start=MOMENT.replace("07:00", "09:00"), file_reference="ANDER-1")
    client.post(
        booked.location + "/annuleren", data={"csrf_token": csrf_of(client, booked.location)}
    )
    feed = client.get(_path(_new_address(client)))
    body = feed.get_data(as_text=True).replace("\r\n ", "")
    assert feed.mimetype == "text/calendar"
    assert feed.headers["Cache-Control"] == "private, no-store"
    assert "X-WR-CALNAME:Assistance policière Deurwaarders NV" in body
    assert "SUMMARY:Assistance policière – Expulsion – DOS-2026-0042" in body
    assert "STATUS:CANCELLED" in body
    assert "ANDER-1" not in body
    assert "Inspecteur" not in body


def test_officers_names_only_when_the_zone_allows(client, session, portal, app, monkeypatch):
    post_request(client, start=MOMENT)
    url = _path(_new_address(client))
    config = dataclasses.replace(app.config["BLAUWLIJN"], bailiff_show_officer_names=True)
    monkeypatch.setitem(app.config, "BLAUWLIJN", config)
    assert "Inspecteur Twee" in client.get(url).get_data(as_text=True).replace("\r\n ", "")


def test_the_feed_is_rate_limited_per_address(client, portal, monkeypatch):
    from app import ratelimit

    url = _path(_new_address(client))
    monkeypatch.setitem(ratelimit.LIMITS, "calendar-feed-token", 2)
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]


def test_an_unknown_or_overlong_address_opens_nothing(client, portal):
    assert client.get("/deurwaarder/agenda/raden.ics").status_code == 404
    assert client.get("/deurwaarder/agenda/" + "x" * 200 + ".ics").status_code == 404


def test_the_portals_settings(tmp_path):
    base = {"SECRET_KEY": TEST_SECRET_KEY}
    default = Config.from_env(tmp_path, env=base)
    assert default.desk_phone == default.twilio_from_number
    assert default.bailiff_show_officer_names is False
    config = Config.from_env(
        tmp_path,
        env={**base, "BAILIFF_DESK_PHONE": "054 31 35 99", "BAILIFF_SHOW_OFFICER_NAMES": "1"},
    )
    assert config.desk_phone == "+3254313599"
    assert config.bailiff_show_officer_names is True
    with pytest.raises(ValueError, match="BAILIFF_DESK_PHONE"):
        Config.from_env(tmp_path, env={**base, "BAILIFF_DESK_PHONE": "bel ons"})
