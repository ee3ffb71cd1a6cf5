"""Issue 16's walk on the demo zone, as the README tells a newcomer to do it with `make run`:
the demo bailiff office signs in (password and authenticator code), books assistance with
two officers at an address in Gooik for next week, sees it in its list and its calendar
feed; the two officers see it in their agendas with the risk answers; a supervisor moves it
with a reason, and the office gets the e-mail — through the demo's log transport."""

import logging
import re
from dataclasses import replace
from datetime import UTC, datetime

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time
from sqlalchemy import select

from app.demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET, seed_demo
from app.demo.zone import BAILIFF_EMAIL, OFFICE_USERS
from app.notify.models import OutboxMessage
from app.worker import notify_events, send_sms
from scheduling.enums import BookingStatus, MessageKind, OutboxStatus
from scheduling.models import Booking, Staff
from tests.app.bailiff_portal import request_form
from tests.office_login import CODE, HOME, csrf_of, post_code, post_login
from tests.staff_login import post_code as staff_code
from tests.staff_login import post_login as staff_login

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)  # Tuesday 10:00 in Brussels
GOOIK = {"postcode": "1755", "street": "Dorpstraat", "number": "12"}
NEXT_WEEK = {"first_day": "2026-12-07", "last_day": "2026-12-11"}
REQUEST = "/deurwaarder/aanvraag"


def _office(app: Flask) -> FlaskClient:
    """The demo office's admin, signed in with the documented demo login."""
    client = app.test_client()
    email = OFFICE_USERS[0][0]
    assert post_login(client, email, DEMO_PASSWORD).location == CODE
    answer = post_code(client, pyotp.TOTP(DEMO_TOTP_SECRET).now())
    assert answer.location == HOME, answer.get_data(as_text=True)
    return client


def _staff(app: Flask, number: str) -> FlaskClient:
    client = app.test_client()
    answer = staff_login(client, number, DEMO_PASSWORD)
    if answer.location.endswith("/staff/login/code"):
        answer = staff_code(client, pyotp.TOTP(DEMO_TOTP_SECRET).now())
    assert answer.status_code == 302
    assert "/login" not in answer.location, answer.location
    return client


def _moments(page: str) -> list[str]:
    return re.findall(r'name="start" value="([^"]+)"', page)


def test_the_demo_office_books_assistance_and_hears_of_the_zones_move(
    app, session, monkeypatch, caplog
):
    monkeypatch.setitem(app.config, "BLAUWLIJN", replace(app.config["BLAUWLIJN"], demo_mode=True))
    monkeypatch.setitem(
        app.config, "BLAUWLIJN", replace(app.config["BLAUWLIJN"], mail_transport="log")
    )
    app.extensions.pop("mail_transport", None)
    with freeze_time(NOW) as clock:
        seed_demo(session, now=NOW, zone=app.config["BLAUWLIJN"].zone)

        # The office asks two officers for two hours at Dorpstraat 12, Gooik, next week.
        office = _office(app)
        form = request_form(
            **GOOIK,
            **NEXT_WEEK,
            execution_kind="seizure",
            file_reference="VDDS/2026/0588",
            known_aggression="no",
            dogs="yes",
            notes="Twee honden in de tuin.",
        )
        searched = office.post(REQUEST, data={"csrf_token": csrf_of(office, REQUEST), **form})
        moments = _moments(searched.get_data(as_text=True))
        assert moments, searched.get_data(as_text=True)[-2000:]
        booked = office.post(
            REQUEST, data={"csrf_token": csrf_of(office, REQUEST), **form, "start": moments[0]}
        )
        assert booked.status_code == 302, booked.get_data(as_text=True)[-2000:]
        booking = session.scalars(
            select(Booking).where(Booking.address_street == "Dorpstraat")
        ).one()
        assert booking.officers == 2
        assert booking.start_at == datetime.fromisoformat(moments[0])

        # ...sees it in its list and in its calendar feed.
        assert booking.reference in office.get(HOME).get_data(as_text=True)
        made = office.post("/deurwaarder/agenda", data={"csrf_token": csrf_of(office, HOME)})
        feed = re.search(
            r"https?://[^/\s\"<]+(/deurwaarder/agenda/[^\s\"<]+\.ics)", made.get_data(as_text=True)
        )
        assert feed, made.get_data(as_text=True)[-2000:]
        ics = app.test_client().get(feed.group(1)).get_data(as_text=True)
        assert "Dorpstraat 12" in ics
        assert booking.reference in ics

        # The two officers see it in their agendas, with the risk answers.
        officers = session.scalars(
            select(Staff).where(Staff.id.in_([r.staff_id for r in booking.reservations]))
        ).all()
        assert len(officers) == 2
        day = booking.start_at.astimezone(app.config["BLAUWLIJN"].zone).date().isoformat()
        for officer in officers:
            agenda = _staff(app, officer.personnel_number).get(f"/staff/agenda?day={day}")
            text = agenda.get_data(as_text=True)
            assert "VDDS/2026/0588" in text, officer.personnel_number
            assert "Honden" in text

        # A supervisor moves it, with a reason; the office hears of it by e-mail.
        clock.tick(31)  # a TOTP code works once: the supervisor's is of the next step
        supervisor = _staff(app, "GALOP-5001")
        page = f"/staff/appointments/{booking.id}"
        token = re.search(
            r'name="csrf_token" value="([^"]+)"', supervisor.get(page).get_data(as_text=True)
        ).group(1)
        moved = None
        for start in moments[1:]:
            answer = supervisor.post(
                f"{page}/move",
                data={"csrf_token": token, "start": start, "move_reason": "Voetbalmatch in Gooik"},
            )
            if answer.status_code == 302:
                moved = start
                break
        assert moved is not None, "no other moment of the search took the move"
        session.refresh(booking)
        assert booking.status is BookingStatus.CONFIRMED
        assert booking.start_at == datetime.fromisoformat(moved)

        notify_events(app)
        caplog.set_level(logging.INFO, logger="app.notify.mail")
        send_sms(app)
        mails = session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.recipient == BAILIFF_EMAIL,
                OutboxMessage.kind == MessageKind.ASSISTANCE_CHANGED,
            )
        ).all()
        assert len(mails) == 1
        assert "Voetbalmatch in Gooik" in mails[0].body
        session.refresh(mails[0])
        assert mails[0].status is OutboxStatus.SENT
        assert any("k***@vandamme-desmet.example.be" in r.getMessage() for r in caplog.records)
