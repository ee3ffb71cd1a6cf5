"""Issue 17's walk on the demo zone, as the README tells it with `make run`: citizen A books a
home visit in two weeks at Plaats 1, Bever and ticks "tell me if an earlier moment frees
up"; citizen B, who has an earlier home visit with the same wijkagent, cancels it on the
manage page; the worker offers B's moment to A by SMS (the log transport of `make run`); A
answers JA with `flask --app app sms-sim`; the appointment has moved, and the wijkagent's
today page shows the new round in order."""

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET, seed_demo
from app.earlier.models import EarlierWish, WishStatus
from app.notify.models import OutboxMessage
from app.notify.transports import LogTransport
from app.worker import earlier_offers, notify_events, send_sms
from scheduling.enums import BookingStatus, LocationKind, MessageKind
from scheduling.models import Booking, Staff
from tests.staff_login import post_code, post_login

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)  # Tuesday 10:00 in Brussels
BRUSSELS = ZoneInfo("Europe/Brussels")
A_PHONE, B_PHONE, C_PHONE = "+32470111111", "+32470222222", "+32470333333"


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def _home_moments(client: FlaskClient, week: int) -> dict[datetime, str]:
    """The moments the picker offers in ``week``: start → the form's value (start|staff)."""
    page = client.get(f"/book/moment?week={week}").get_data(as_text=True)
    values = re.findall(r'name="slot" class="slot" value="([^"]+)"', page)
    slots = (v.replace("&#43;", "+") for v in values)
    return {datetime.fromisoformat(v.split("|")[0]): v for v in slots}


def _book_home_visit(
    app: Flask,
    *,
    number: str,
    name: str,
    phone: str,
    pick: Callable[
        [list[datetime]], datetime
    ],  # chooses one of the free home-visit moments offered
    week: int,
    earlier: bool = False,
) -> str:
    """The web booking, question by question, for a home visit at ``number`` Plaats, Bever;
    the manage link of the confirmation."""
    client = app.test_client()
    token = _csrf(client.get("/book").get_data(as_text=True))
    client.post("/book", data={"csrf_token": token, "service": "wijkagent"})
    address = {"postcode": "1547", "street": "Plaats", "number": number}
    assert client.post("/book/address", data={"csrf_token": token, **address}).status_code == 302
    client.post("/book/location", data={"csrf_token": token, "location": "home"})
    free = _home_moments(client, week)
    moment = pick(sorted(free))
    client.post("/book/moment", data={"csrf_token": token, "slot": free[moment]})
    details = {"name": name, "phone": phone, "email": "", "topic": "", "website": ""}
    if earlier:
        details |= {"earlier": "1", "earlier_location": "home", "earlier_not_before": ""}
    answer = client.post("/book/details", data={"csrf_token": token, **details})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    booked = client.post("/book/check", data={"csrf_token": token})
    assert booked.status_code == 302
    assert booked.location.startswith("/appointment/")
    return booked.location.split("?")[0]


def _cancel_on_the_manage_page(app: Flask, manage: str) -> None:
    client = app.test_client()
    token = _csrf(client.get(f"{manage}/cancel").get_data(as_text=True))
    assert client.post(f"{manage}/cancel", data={"csrf_token": token}).status_code == 302


def _staff(app: Flask, number: str) -> FlaskClient:
    client = app.test_client()
    answer = post_login(client, number, DEMO_PASSWORD)
    if answer.location.endswith("/staff/login/code"):
        answer = post_code(client, pyotp.TOTP(DEMO_TOTP_SECRET).now())
    assert answer.status_code == 302
    return client


def _booking_of(session: Session, phone: str) -> Booking:
    return session.scalars(select(Booking).where(Booking.citizen_phone == phone)).one()


def test_an_earlier_home_visit_reaches_the_citizen_who_asked_and_the_officers_round(
    app: Flask, session: Session, monkeypatch, caplog
) -> None:
    config = replace(app.config["BLAUWLIJN"], demo_mode=True)
    monkeypatch.setitem(app.config, "BLAUWLIJN", config)
    app.extensions["sms_transport"] = LogTransport(config)  # as `make run` without Twilio
    app.extensions["mail_transport"] = None
    try:
        with freeze_time(NOW) as clock:
            seed_demo(session, now=NOW, zone=config.zone)
            session.commit()

            # A: a home visit in two weeks, asking for an earlier one.
            a_link = _book_home_visit(
                app,
                number="1",
                name="An Claes",
                phone="0470 11 11 11",
                week=2,
                pick=lambda free: free[0],
                earlier=True,
            )
            a = _booking_of(session, A_PHONE)
            assert a.location is LocationKind.HOME
            assert a.start_at.date() >= (NOW + timedelta(days=13)).date()
            assert "We sturen je een sms als er een vroeger moment vrijkomt" in (
                app.test_client().get(a_link).get_data(as_text=True)
            )
            # B: next week, the first home visit; C: a later one the same day.
            b_link = _book_home_visit(
                app,
                number="3",
                name="Bart Peeters",
                phone="0470 22 22 22",
                week=1,
                pick=lambda free: free[0],
            )
            b = _booking_of(session, B_PHONE)
            b_start = b.start_at
            day = b_start.astimezone(BRUSSELS).date()
            _book_home_visit(
                app,
                number="5",
                name="Chris Janssens",
                phone="0470 33 33 33",
                week=1,
                pick=lambda free: next(
                    m for m in free if m.astimezone(BRUSSELS).date() == day and m > b_start
                ),
            )
            send_sms(app)  # the three confirmations
            clock.tick(timedelta(minutes=30))

            _cancel_on_the_manage_page(app, b_link)
            clock.tick(timedelta(minutes=1))
            assert earlier_offers(app).offered == 1
            notify_events(app)
            with caplog.at_level("INFO"):
                send_sms(app)
            offer = session.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.recipient == A_PHONE,
                    OutboxMessage.kind == MessageKind.EARLIER_OFFER,
                )
            ).one()
            local = b_start.astimezone(BRUSSELS)
            assert local.strftime("%d/%m") in offer.body
            assert local.strftime("%H:%M") in offer.body
            assert offer.provider_sid.startswith("LOG")  # the log transport "sent" it
            assert "An Claes" not in caplog.text
            assert A_PHONE not in caplog.text
            clock.tick(timedelta(minutes=5))

            # A answers JA from a terminal, as the README says.
            said = app.test_cli_runner().invoke(args=["sms-sim", "--from", A_PHONE, "JA"])
            assert said.exit_code == 0, said.output
            assert local.strftime("%H:%M") in said.output
            session.expire_all()
            moved = session.get_one(Booking, a.id)
            assert moved.start_at == b_start
            assert moved.status is BookingStatus.CONFIRMED
            wish = session.scalars(select(EarlierWish).where(EarlierWish.booking_id == a.id))
            assert wish.one().status is WishStatus.MOVED

            # The wijkagent's phone: the new round, A first, then C.
            officer = session.get_one(Staff, moved.staff_id)
            assert officer.personnel_number == "GALOP-1009"
            today = _staff(app, "GALOP-1009").get(f"/staff/today?day={day.isoformat()}")
            assert today.status_code == 200
            page = today.get_data(as_text=True)
            stops = re.findall(r'<li class="today-stop" id="visit-(\d+)"', page)
            c = _booking_of(session, C_PHONE)
            assert stops == [str(a.id), str(c.id)]
            assert page.index("An Claes") < page.index("Chris Janssens")
            assert "Bart Peeters" not in page  # the cancelled visit left the round
            assert "Bever" in page
    finally:
        del app.extensions["sms_transport"], app.extensions["mail_transport"]
