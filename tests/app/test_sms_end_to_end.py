"""Booking, cancelling and moving through the API, the web pages and the staff side, then
the worker's own jobs: each change reaches the right person, once, in their language."""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.worker import notify_events, send_sms
from scheduling.booking import booking_by_token, cancel
from scheduling.models import Booking, Staff
from scheduling.trail import Actor
from tests.api_calls import book_by_api
from tests.app.sms_recorder import Recorder, Sent
from tests.app.web_walk import booking_csrf, walk_to_check
from tests.factories import NOW

CITIZEN = "+32470123456"
OFFICER_PHONE = "+32470999999"
WEDNESDAY = {"nl": "woensdag 02/12", "fr": "mercredi 02/12", "en": "Wednesday 02/12"}
APPOINTMENT = {"nl": "afspraak", "fr": "rendez-vous", "en": "appointment"}  # the catalogs'


def _in(language: str, body: str) -> bool:
    return WEDNESDAY[language] in body and APPOINTMENT[language] in body


def run_worker(app: Flask, recorder: Recorder) -> list[Sent]:
    """One round of the worker's SMS jobs; a second round must find nothing to do."""
    notify_events(app)
    send_sms(app)
    sent = recorder.take()
    assert notify_events(app) == 0
    assert send_sms(app) == 0
    assert recorder.take() == []
    return sent


def _web_book(client: FlaskClient, language: str) -> str:
    """Book through the citizen pages in ``language``; returns the manage path."""
    client.get(f"/?lang={language}")
    token, _slot = walk_to_check(client)
    done = client.post("/book/check", data={"csrf_token": token})
    assert done.status_code == 302, done.get_data(as_text=True)
    return done.location.split("?")[0]


def _only(sent: list[Sent]) -> Sent:
    assert len(sent) == 1, sent
    return sent[0]


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
@freeze_time(NOW)
def test_api_booking_confirms_to_the_citizen_then_reminds_once(
    app, client, officer, recorder, language
):
    answer = book_by_api(client, officer, language=language)
    message = _only(run_worker(app, recorder))
    assert message.to == CITIZEN
    assert _in(language, message.body)
    assert "10:00" in message.body
    assert f"/appointment/{answer['manage_token']}" in message.body
    with freeze_time("2026-12-01T09:00:00Z"):  # 24 h before 10:00 in Brussels
        reminder = _only(run_worker(app, recorder))
    assert reminder.to == CITIZEN
    assert _in(language, reminder.body)
    assert answer["reference"] in reminder.body


@pytest.mark.parametrize("language", ["nl", "fr"])
@freeze_time(NOW)
def test_web_booking_confirms_in_the_pages_language(app, client, officer, recorder, language):
    manage_path = _web_book(client, language)
    message = _only(run_worker(app, recorder))
    assert message.to == CITIZEN
    assert _in(language, message.body)
    assert "09:00" in message.body
    assert manage_path in message.body


@freeze_time(NOW)
def test_cancelling_through_the_api_tells_the_officer_not_the_citizen(
    app, client, officer, recorder
):
    token = book_by_api(client, officer, language="fr")["manage_token"]
    run_worker(app, recorder)
    assert client.post(f"/api/v1/bookings/{token}/cancel", json={}).status_code == 200
    notice = _only(run_worker(app, recorder))
    assert notice.to == OFFICER_PHONE
    assert _in("nl", notice.body)  # staff notices are in Dutch
    assert "Jan Peeters" in notice.body
    with freeze_time("2026-12-01T09:00:00Z"):
        assert run_worker(app, recorder) == []  # the reminder was dropped


@freeze_time(NOW)
def test_cancelling_on_the_web_tells_the_officer(app, client, officer, recorder, session):
    manage_path = _web_book(client, "en")
    run_worker(app, recorder)
    token = booking_csrf(client, manage_path + "/cancel")  # a page with a form
    client.post(f"{manage_path}/cancel", data={"csrf_token": token, "reason": "Sick"})
    notice = _only(run_worker(app, recorder))
    assert notice.to == OFFICER_PHONE
    assert _in("nl", notice.body)
    reference = session.scalars(select(Booking.reference)).one()
    assert reference in notice.body


@freeze_time(NOW)
def test_moving_through_the_api_sends_the_change_in_english(app, client, officer, recorder):
    token = book_by_api(client, officer, language="en")["manage_token"]
    run_worker(app, recorder)
    moved = client.post(
        f"/api/v1/bookings/{token}/reschedule", json={"start": "2026-12-02T11:00:00+01:00"}
    )
    assert moved.status_code == 200
    change = _only(run_worker(app, recorder))
    assert change.to == CITIZEN
    assert _in("en", change.body)
    assert "11:00" in change.body
    assert "Inspecteur Wouters" in change.body


@freeze_time(NOW)
def test_moving_on_the_web_sends_the_change_in_french(app, client, officer, recorder):
    manage_path = _web_book(client, "fr")
    run_worker(app, recorder)
    token = booking_csrf(client, manage_path + "/cancel")  # a page with a form
    page = client.get(f"{manage_path}/move").get_data(as_text=True)
    later = re.findall(r'name="slot" class="slot" value="([^"]+)"', page)[1].replace("&#43;", "+")
    moved = client.post(f"{manage_path}/move", data={"csrf_token": token, "slot": later})
    assert moved.status_code == 302
    change = _only(run_worker(app, recorder))
    assert change.to == CITIZEN
    assert _in("fr", change.body)
    start = datetime.fromisoformat(later.split("|")[0]).astimezone(ZoneInfo("Europe/Brussels"))
    assert f"{start:%H:%M}" in change.body


@freeze_time(NOW)
def test_a_staff_cancellation_reaches_the_citizen_with_the_reason(
    app, client, officer, recorder, session: Session
):
    token = book_by_api(client, officer, language="nl")["manage_token"]
    run_worker(app, recorder)
    staff = session.get_one(Staff, officer.id)
    cancel(
        session,
        booking=booking_by_token(session, token),
        actor=Actor.staff(staff.id),
        now=datetime.now(UTC),
        reason="Wijkagent met verlof",
    )
    session.commit()
    notice = _only(run_worker(app, recorder))
    assert notice.to == CITIZEN
    assert _in("nl", notice.body)
    assert "Wijkagent met verlof" in notice.body
    assert "?lang=nl" in notice.body  # the rebook link opens the pages in Dutch
