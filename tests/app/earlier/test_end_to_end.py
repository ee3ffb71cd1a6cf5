"""From a cancellation to the next citizen's JA: A books asking for an earlier moment, B
cancels an earlier appointment on the web page behind the SMS link, the worker offers the
moment to A by SMS (the real Twilio SDK against Prism), A answers JA on the signed inbound
webhook (the sms-sim path) and the appointment has moved, with the usual change SMS."""

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from freezegun import freeze_time
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import commands
from app.config import Config
from app.earlier.models import EarlierOffer, EarlierWish, OfferStatus, WishStatus
from app.earlier.wishes import Wish
from app.notify.models import InboundSms, OutboxMessage
from app.notify.transports import TwilioTransport
from app.worker import earlier_offers, notify_events, send_sms
from ivr.simulator import InProcess
from ivr.sms_simulator import send_sms as text_the_blue_number
from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen
from scheduling.enums import Channel, LocationKind, MessageKind, OutboxStatus
from scheduling.models import Booking, Staff
from scheduling.trail import Actor
from tests.app.earlier.zone import at, book
from tests.factories import NOW, TEST_SECRET_KEY

pytestmark = pytest.mark.slow
A, B = "+32470000001", "+32470000002"
DEC_9, DEC_16 = date(2026, 12, 9), date(2026, 12, 16)


@pytest.fixture
def app(signed_app: Flask, prism: str, tmp_path: Path) -> Iterator[Flask]:
    """The signed app (the inbound webhook checks signatures), its SMS through Prism."""
    env = {
        "SECRET_KEY": TEST_SECRET_KEY,
        "TWILIO_ACCOUNT_SID": "AC" + "0123456789abcdef" * 2,
        "TWILIO_AUTH_TOKEN": "secret-token",
        "TWILIO_API_BASE_URL": prism,
        "PUBLIC_BASE_URL": "https://blauwlijn.example",
    }
    signed_app.extensions["sms_transport"] = TwilioTransport(Config.from_env(tmp_path, env=env))
    signed_app.extensions["mail_transport"] = None
    yield signed_app
    del signed_app.extensions["sms_transport"], signed_app.extensions["mail_transport"]


def _sent_to(session: Session, phone: str, kind: MessageKind) -> list[OutboxMessage]:
    return list(
        session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.recipient == phone,
                OutboxMessage.kind == kind,
                OutboxMessage.status == OutboxStatus.SENT,
            )
        )
    )


def test_a_cancellation_reaches_the_next_citizen_who_moves_with_ja(
    app: Flask, session: Session, officer: Staff
) -> None:
    config = app.config["BLAUWLIJN"]
    with freeze_time(NOW) as clock, app.app_context():
        start = at(date(2026, 12, 1), 9)
        a = book(session, officer, config, at(DEC_16, 10), phone=A, now=start, earlier=Wish())
        booked = commands.book(
            session,
            BookingRequest(
                service_code="wijkagent",
                start=at(DEC_9, 9),
                staff_id=officer.id,
                location=LocationKind.OFFICE,
                citizen=Citizen("Burger B", B),
                address=Address("1547", "Plaats", "3"),
            ),
            actor=Actor.citizen(Channel.WEB),
            now=start,
            config=config,
        )
        b_token = booked.manage_token
        session.commit()
        send_sms(app)  # the confirmations
        clock.tick(timedelta(minutes=30))

        web = app.test_client()
        page = web.get(f"/appointment/{b_token}/cancel").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert csrf is not None
        done = web.post(f"/appointment/{b_token}/cancel", data={"csrf_token": csrf.group(1)})
        assert done.status_code == 302
        clock.tick(timedelta(minutes=1))

        assert earlier_offers(app).offered == 1
        notify_events(app)
        send_sms(app)
        [offered] = _sent_to(session, A, MessageKind.EARLIER_OFFER)
        assert offered.provider_sid  # Prism took it
        assert "09/12" in offered.body
        assert "09:00" in offered.body
        clock.tick(timedelta(minutes=5))

        reply = text_the_blue_number(
            InProcess(app.test_client()),
            sender=A,
            body=" ja ",
            public_base_url=config.public_base_url,
            auth_token=config.twilio_auth_token,
        )
        assert "09/12" in reply
        assert "09:00" in reply
        session.expire_all()
        moved = session.get_one(Booking, a.id)
        assert moved.start_at == at(DEC_9, 9)
        offer = session.scalars(select(EarlierOffer)).one()
        assert offer.status is OfferStatus.ACCEPTED
        wish = session.scalars(select(EarlierWish).where(EarlierWish.booking_id == a.id)).one()
        assert wish.status is WishStatus.MOVED
        inbound = session.scalars(select(InboundSms)).one()
        assert inbound.action == "earlier_moved"
        assert A not in inbound.reply  # the reply carries no number

        clock.tick(timedelta(minutes=1))
        notify_events(app)
        send_sms(app)
        [changed] = _sent_to(session, A, MessageKind.CHANGED)
        assert "09/12" in changed.body
