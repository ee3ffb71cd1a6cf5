"""Answers to an offered earlier moment on the signed inbound SMS webhook: NEE passes it on
and says the wish keeps waiting, a late JA says the moment is gone, a number that keeps
answering is slowed down; the offer SMS in each language carries its own reply word."""

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from flask import Flask
from freezegun import freeze_time
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app import commands
from app.earlier import offers
from app.earlier.models import EarlierOffer, OfferStatus, WishStatus
from app.earlier.wishes import Wish
from app.notify.models import InboundSms, OutboxMessage
from app.ratelimit import LIMITS
from ivr.simulator import InProcess
from ivr.sms_simulator import send_sms
from scheduling.enums import MessageKind, OutboxStatus
from scheduling.models import Staff
from scheduling.notices import fits, septets
from tests.app.earlier.zone import WEB, at, book
from tests.factories import NOW

A, C = "+32470000001", "+32470000003"
START = at(date(2026, 12, 1), 9)
REPLY_WORD = {"nl": "JA", "fr": "OUI", "en": "YES"}


@pytest.fixture
def app(signed_app: Flask) -> Flask:
    return signed_app


@pytest.fixture
def frozen() -> Iterator[object]:
    with freeze_time(NOW) as clock:
        yield clock


def _offered(app: Flask, session: Session, officer: Staff, language: str = "nl") -> EarlierOffer:
    """A waits; C's earlier moment is cancelled and offered to A, whose SMS went out."""
    config = app.config["BLAUWLIJN"]
    with app.app_context():
        book(
            session,
            officer,
            config,
            at(date(2026, 12, 16), 10),
            phone=A,
            now=START,
            earlier=Wish(),
            language=language,
        )
        c = book(session, officer, config, at(date(2026, 12, 9), 9), phone=C, now=START)
        commands.cancel(session, c, actor=WEB, now=START)
        offers.run(session, START, config)
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.kind == MessageKind.EARLIER_OFFER)
        .values(status=OutboxStatus.SENT, sent_at=START)
    )
    return session.scalars(select(EarlierOffer)).one()


def _text(app: Flask, body: str) -> str:
    config = app.config["BLAUWLIJN"]
    return send_sms(
        InProcess(app.test_client()),
        sender=A,
        body=body,
        public_base_url=config.public_base_url,
        auth_token=config.twilio_auth_token,
    )


def test_nee_passes_it_on_and_says_the_wish_keeps_waiting(app, session, officer, frozen):
    offer = _offered(app, session, officer)
    reply = _text(app, "Nee.")
    assert "Begrepen" in reply
    assert "16/12" in reply
    assert "vroeger moment" in reply
    session.refresh(offer)
    assert offer.status is OfferStatus.EXPIRED
    assert offer.answered_at is not None
    assert offer.wish.status is WishStatus.WAITING


def test_a_late_ja_says_the_moment_is_gone(app, session, officer, frozen):
    offer = _offered(app, session, officer)
    frozen.tick(timedelta(minutes=31))
    reply = _text(app, "ja")
    assert reply.startswith("Dit moment is niet meer vrij")
    session.refresh(offer)
    assert offer.status is OfferStatus.EXPIRED
    assert offer.wish.booking.start_at == at(date(2026, 12, 16), 10)
    assert session.scalars(select(InboundSms.action)).one() == "earlier_gone"


def test_a_number_that_keeps_answering_is_slowed_down(app, session, officer, frozen):
    _offered(app, session, officer)
    for _ in range(LIMITS["earlier-reply-phone"]):
        _text(app, "NEE")
    assert "Te veel berichten" in _text(app, "NEE")


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_offer_sms_fits_and_names_the_reply_word(app, session, officer, frozen, language):
    _offered(app, session, officer, language)
    sms = session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == MessageKind.EARLIER_OFFER)
    ).one()
    assert sms.language == language
    assert f" {REPLY_WORD[language]} " in sms.body
    assert "09:00" in sms.body
    assert "09:30" in sms.body
    assert fits(sms.body), septets(sms.body)


def test_sms_sim_takes_the_offer_through_the_signed_webhook(app, session, officer, frozen):
    offer = _offered(app, session, officer)
    frozen.tick(timedelta(minutes=2))
    result = app.test_cli_runner().invoke(args=["sms-sim", "--from", A, "JA"])
    assert result.exit_code == 0, result.output
    assert "verplaatst naar 09/12 om 09:00" in result.output
    session.refresh(offer)
    assert offer.status is OfferStatus.ACCEPTED
