"""Offering freed moments to those who wait: first asked first, one at a time, expiry and
NEE passing it on, quiet hours, notice, never to a sooner or cancelled appointment, and JA
moving the booking (its old moment offered on in turn)."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from flask import Flask
from freezegun import freeze_time
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import commands
from app.config import Config
from app.earlier import offers
from app.earlier.models import EarlierWish, FreedTime, OfferStatus, WishStatus
from app.earlier.wishes import Wish
from app.notify.models import OutboxMessage
from scheduling.enums import BookingStatus, LocationKind, MessageKind, NoticeChannel
from scheduling.models import Staff
from scheduling.trail import Actor
from tests.app.earlier.zone import WEB, at, book, offers_of
from tests.factories import NOW

DEC_2, DEC_9, DEC_16, DEC_23 = (
    date(2026, 12, 2),
    date(2026, 12, 9),
    date(2026, 12, 16),
    date(2026, 12, 23),
)
TUESDAY = date(2026, 12, 1)
START = at(TUESDAY, 9)  # NOW, in Brussels
A, B, C, D = "+32470000001", "+32470000002", "+32470000003", "+32470000004"


@pytest.fixture
def config(app: Flask) -> Config:
    with app.app_context():  # the SMS texts come from the Babel catalogs
        yield app.config["BLAUWLIJN"]


@pytest.fixture
def waiting(session: Session, officer: Staff, config: Config):
    """A (asked first) and B wait for an earlier moment on 16 December; C holds 9 December
    09:00 without a wish."""
    a = book(session, officer, config, at(DEC_16, 10), phone=A, now=START, earlier=Wish())
    b = book(
        session,
        officer,
        config,
        at(DEC_16, 10, 30),
        phone=B,
        now=START + timedelta(minutes=1),
        earlier=Wish(),
    )
    c = book(session, officer, config, at(DEC_9, 9), phone=C, now=START)
    return a, b, c


def _offer_sms(session: Session) -> list[OutboxMessage]:
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.kind == MessageKind.EARLIER_OFFER)
            .order_by(OutboxMessage.id)
        )
    )


@freeze_time(NOW)
def test_first_asked_gets_the_freed_moment_and_only_one_at_a_time(session, config, waiting):
    a, _b, c = waiting
    later = START + timedelta(hours=1)
    commands.cancel(session, c, actor=WEB, now=later)
    done = offers.run(session, later, config)
    assert done.offered == 1
    [offer] = offers_of(session)
    assert offer.wish.booking_id == a.id
    assert offer.start_at == at(DEC_9, 9)
    assert offer.expires_at == later + timedelta(minutes=30)
    [sms] = _offer_sms(session)
    assert sms.recipient == A
    assert sms.booking_id == a.id
    assert "woensdag 09/12" in sms.body
    assert "09:00" in sms.body
    assert "10:30" in sms.body
    # The next minute: still one open offer, nothing new for B, no second SMS.
    assert offers.run(session, later + timedelta(minutes=1), config).offered == 0
    assert len(offers_of(session)) == 1
    assert len(_offer_sms(session)) == 1


@freeze_time(NOW)
def test_expiry_passes_the_moment_to_the_next_in_line(session, config, waiting):
    _a, b, c = waiting
    later = START + timedelta(hours=1)
    commands.cancel(session, c, actor=WEB, now=later)
    offers.run(session, later, config)
    done = offers.run(session, later + timedelta(minutes=30), config)
    assert done.expired == 1
    assert done.offered == 1
    first, second = offers_of(session)
    assert first.status is OfferStatus.EXPIRED
    assert second.status is OfferStatus.OPEN
    assert second.wish.booking_id == b.id
    assert second.start_at == first.start_at
    assert [m.recipient for m in _offer_sms(session)] == [A, B]


@freeze_time(NOW)
def test_no_offer_in_the_quiet_hours_it_waits_for_the_morning(session, config, waiting):
    _a, _b, c = waiting
    evening = at(TUESDAY, 21, 30)
    commands.cancel(session, c, actor=WEB, now=evening)
    assert offers.run(session, evening, config).offered == 0
    assert offers.run(session, at(DEC_2, 7, 59), config).offered == 0
    morning = at(DEC_2, 8)
    assert offers.run(session, morning, config).offered == 1
    [offer] = offers_of(session)
    assert offer.offered_at == morning
    assert offer.expires_at == morning + timedelta(minutes=30)  # counted from the SMS
    [sms] = _offer_sms(session)
    assert sms.due_at == morning


@freeze_time(NOW)
def test_the_services_notice_is_respected(session, officer, config, waiting):
    tomorrow = book(session, officer, config, at(DEC_2, 9), phone=D, now=START)
    freed_late = at(DEC_2, 8, 30)  # the 09:00 moment is within the hour's notice
    commands.cancel(session, tomorrow, actor=Actor.staff(officer.id), now=freed_late)
    assert offers.run(session, freed_late, config).offered == 0
    assert offers_of(session) == []


@freeze_time(NOW)
def test_never_offered_to_a_sooner_appointment_or_a_cancelled_one(session, officer, config):
    sooner = book(session, officer, config, at(DEC_2, 10), phone=A, now=START, earlier=Wish())
    cancelled = book(session, officer, config, at(DEC_16, 10), phone=B, now=START, earlier=Wish())
    c = book(session, officer, config, at(DEC_9, 9), phone=C, now=START)
    later = START + timedelta(hours=1)
    commands.cancel(session, cancelled, actor=WEB, now=later)
    commands.cancel(session, c, actor=WEB, now=later)
    assert offers.run(session, later, config).offered == 0
    assert offers_of(session) == []
    wish = session.scalar(select(EarlierWish).where(EarlierWish.booking_id == cancelled.id))
    assert wish is not None
    assert wish.status is WishStatus.ENDED
    assert sooner.start_at == at(DEC_2, 10)


@freeze_time(NOW)
def test_only_time_freed_after_the_wish_is_offered(session, officer, config):
    c = book(session, officer, config, at(DEC_9, 9), phone=C, now=START)
    commands.cancel(session, c, actor=WEB, now=START + timedelta(minutes=5))
    book(
        session,
        officer,
        config,
        at(DEC_16, 10),
        phone=A,
        now=START + timedelta(minutes=10),
        earlier=Wish(),
    )
    assert offers.run(session, START + timedelta(minutes=20), config).offered == 0


@freeze_time(NOW)
def test_ja_moves_the_booking_and_its_old_moment_is_offered_on(session, officer, config, waiting):
    a, _b, c = waiting
    d = book(
        session,
        officer,
        config,
        at(DEC_23, 11),
        phone=D,
        now=START + timedelta(minutes=2),
        earlier=Wish(),
    )
    later = START + timedelta(hours=1)
    commands.cancel(session, c, actor=WEB, now=later)
    offers.run(session, later, config)
    [offer] = offers_of(session)
    answer = offers.accept(session, offer.id, now=later + timedelta(minutes=5), config=config)
    assert answer.outcome == "moved"
    assert answer.booking.id == a.id
    assert a.start_at == at(DEC_9, 9)
    assert a.status is BookingStatus.CONFIRMED
    assert offer.status is OfferStatus.ACCEPTED
    assert offer.wish.status is WishStatus.MOVED
    freed = session.scalars(select(FreedTime).where(FreedTime.starts_at == at(DEC_16, 10)))
    assert freed.first() is not None
    # A's old 16 December 10:00 now goes to the next who waits with a later appointment: D
    # (B, at 10:30 the same day, is offered it too: it is earlier for B, and B asked first).
    offers.run(session, later + timedelta(minutes=6), config)
    [to_b] = offers_of(session, OfferStatus.OPEN)
    assert to_b.wish.booking.citizen_phone == B
    assert to_b.start_at == at(DEC_16, 10)
    assert d.start_at == at(DEC_23, 11)


@freeze_time(NOW)
def test_late_ja_says_gone_and_the_wish_keeps_waiting(session, config, waiting):
    a, _b, c = waiting
    later = START + timedelta(hours=1)
    commands.cancel(session, c, actor=WEB, now=later)
    offers.run(session, later, config)
    [offer] = offers_of(session)
    answer = offers.accept(session, offer.id, now=later + timedelta(minutes=31), config=config)
    assert answer.outcome == "gone"
    assert offer.status is OfferStatus.EXPIRED
    assert a.start_at == at(DEC_16, 10)
    assert offer.wish.status is WishStatus.WAITING


@freeze_time(NOW)
def test_ja_when_someone_else_took_the_moment_says_gone(session, officer, config, waiting):
    a, _b, c = waiting
    later = START + timedelta(hours=1)
    commands.cancel(session, c, actor=WEB, now=later)
    offers.run(session, later, config)
    [offer] = offers_of(session)
    book(session, officer, config, at(DEC_9, 9), phone=D, now=later + timedelta(minutes=1))
    answer = offers.accept(session, offer.id, now=later + timedelta(minutes=2), config=config)
    assert answer.outcome == "gone"
    assert offer.status is OfferStatus.GONE
    assert a.start_at == at(DEC_16, 10)
    assert offer.wish.status is WishStatus.WAITING


@freeze_time(NOW)
def test_nee_passes_it_on_at_once_and_the_wish_keeps_waiting(session, config, waiting):
    _a, b, c = waiting
    later = START + timedelta(hours=1)
    commands.cancel(session, c, actor=WEB, now=later)
    offers.run(session, later, config)
    [offer] = offers_of(session)
    assert offers.decline(session, offer.id, now=later + timedelta(minutes=2)).outcome == "declined"
    session.refresh(offer)
    assert offer.status is OfferStatus.EXPIRED
    assert offer.answered_at is not None
    assert offer.wish.status is WishStatus.WAITING
    assert offers.run(session, later + timedelta(minutes=3), config).offered == 1
    [to_b] = offers_of(session, OfferStatus.OPEN)
    assert to_b.wish.booking_id == b.id


@freeze_time(NOW)
def test_a_wish_ends_once_its_appointment_is_within_the_cutoff(session, officer, config):
    soon = book(session, officer, config, at(DEC_2, 11), phone=A, now=START, earlier=Wish())
    assert offers.run(session, at(DEC_2, 8, 59), config).ended == 0
    assert offers.run(session, at(DEC_2, 9, 1), config).ended == 1  # cut-off: two hours
    wish = session.scalar(select(EarlierWish).where(EarlierWish.booking_id == soon.id))
    assert wish is not None
    assert wish.status is WishStatus.ENDED


@freeze_time(NOW)
def test_past_freed_time_is_dropped(session, config, waiting):
    _a, _b, c = waiting
    commands.cancel(session, c, actor=WEB, now=START)
    assert session.scalars(select(FreedTime)).first() is not None
    assert offers.run(session, at(DEC_9, 10), config).dropped == 1
    assert session.scalars(select(FreedTime)).first() is None


@freeze_time(NOW)
def test_the_wish_decides_where_and_from_when(session, officer, config):
    not_yet = Wish(not_before=DEC_9 + timedelta(days=1))
    book(session, officer, config, at(DEC_16, 10), phone=A, now=START, earlier=not_yet)
    home_only = Wish(location=LocationKind.HOME)
    book(session, officer, config, at(DEC_16, 11), phone=B, now=START, earlier=home_only)
    c = book(session, officer, config, at(DEC_9, 9), phone=C, now=START)
    later = START + timedelta(hours=1)
    commands.cancel(session, c, actor=WEB, now=later)
    # 9 December is before A's first day, and an office moment is not B's home visit.
    assert offers.run(session, later, config).offered == 0
    anywhere = book(session, officer, config, at(DEC_23, 10), phone=D, now=START, earlier=Wish())
    commands.cancel(session, anywhere, actor=WEB, now=later)  # D's wish ends with it
    assert offers_of(session) == []


@freeze_time(NOW)
def test_an_email_copy_goes_with_the_offer_when_the_booking_has_an_address(
    session, officer, config
):
    mailing = replace(config, mail_transport="log")
    book(
        session,
        officer,
        mailing,
        at(DEC_16, 10),
        phone=A,
        now=START,
        earlier=Wish(),
        email="burger@example.be",
    )
    c = book(session, officer, mailing, at(DEC_9, 9), phone=C, now=START)
    later = START + timedelta(hours=1)
    commands.cancel(session, c, actor=WEB, now=later)
    assert offers.run(session, later, mailing).offered == 1
    sms, mail = _offer_sms(session)
    assert (sms.channel, mail.channel) == (NoticeChannel.SMS, NoticeChannel.EMAIL)
    assert mail.recipient == "burger@example.be"
    assert mail.body == sms.body
    assert mail.subject == "Politie Pajottenland: een vroeger moment is vrij"
