"""A citizen stops waiting on the manage page while their JA to the offer arrives, each its
own request on a real PostgreSQL, at once: both lock the booking row (``commands.drop_earlier``,
``offers.accept``), so the end is one of two, never a mix: moved with the wish ended and the
offer taken, or the wish dropped and the offer gone with the booking where it was."""

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from twilio.request_validator import RequestValidator
from werkzeug.test import TestResponse

from app import commands
from app.earlier import offers
from app.earlier.models import EarlierOffer, EarlierWish, OfferStatus, WishStatus
from app.earlier.wishes import Wish
from app.notify.models import OutboxMessage
from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen
from scheduling.enums import BookingStatus, Channel, LocationKind, MessageKind, OutboxStatus
from scheduling.models import Booking
from scheduling.trail import Actor
from tests.app.races import MOMENT, PUBLIC_BASE_URL, THURSDAY, TWILIO_TOKEN, Track, open_track

pytestmark = pytest.mark.slow
A, C = "+32470000001", "+32470000003"
PAIRS = 2  # two stops and two JA


@pytest.fixture
def track(fresh_database: Callable[[str], str], tmp_path: Path) -> Iterator[Track]:
    yield from open_track(fresh_database, tmp_path)


def _request(start: datetime, phone: str, officer_id: int) -> BookingRequest:
    return BookingRequest(
        service_code="wijkagent",
        start=start,
        staff_id=officer_id,
        location=LocationKind.OFFICE,
        citizen=Citizen("Burger", phone),
        address=Address("1547", "Plaats", "3"),
    )


def _offer_sent(track: Track) -> tuple[int, str]:
    """A waits (Thursday 12:00); C's Wednesday 09:00 is cancelled and offered to A by SMS.
    (A's booking id, its manage token.)"""
    config = track.app.config["BLAUWLIJN"]
    web = Actor.citizen(Channel.WEB)
    with track.app.app_context(), track.session() as session:
        now = datetime.now(UTC)
        noon = datetime(THURSDAY.year, THURSDAY.month, THURSDAY.day, 11, tzinfo=UTC)
        a = commands.book(
            session,
            _request(noon, A, track.officer_id),
            actor=web,
            now=now,
            config=config,
            earlier=Wish(),
        )
        c = commands.book(
            session, _request(MOMENT, C, track.officer_id), actor=web, now=now, config=config
        ).booking
        commands.cancel(session, c, actor=web, now=now + timedelta(seconds=1))
        assert offers.run(session, now + timedelta(seconds=2), config).offered == 1
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.kind == MessageKind.EARLIER_OFFER)
            .values(status=OutboxStatus.SENT, sent_at=now + timedelta(seconds=3))
        )
        session.commit()
        return a.booking.id, a.manage_token


def _ja(track: Track, n: int) -> Callable[[], TestResponse]:
    client = track.client(n)
    params = {
        "MessageSid": f"SM{n:032d}",
        "AccountSid": "AC" + "0" * 32,
        "From": A,
        "To": "+3254313501",
        "Body": "JA",
    }
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(
        PUBLIC_BASE_URL + "/sms/inbound", params
    )
    return lambda: client.post(
        "/sms/inbound", data=params, headers={"X-Twilio-Signature": signature}
    )


def _stop(track: Track, n: int, token: str) -> Callable[[], TestResponse]:
    client = track.client(n)
    page = client.get(f"/appointment/{token}").get_data(as_text=True)
    assert f"/appointment/{token}/earlier/stop" in page
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf is not None
    return lambda: client.post(
        f"/appointment/{token}/earlier/stop", data={"csrf_token": csrf.group(1)}
    )


def test_a_stop_and_a_ja_at_once_end_one_way(track: Track) -> None:
    booking_id, token = _offer_sent(track)
    racers = [_stop(track, n, token) for n in range(PAIRS)]
    racers += [_ja(track, PAIRS + n) for n in range(PAIRS)]
    answers = track.race(racers)
    assert [a.status_code for a in answers] == [302] * PAIRS + [200] * PAIRS
    with track.session() as session:
        booking = session.get_one(Booking, booking_id)
        wish = session.scalars(select(EarlierWish)).one()
        offer = session.scalars(select(EarlierOffer)).one()
        if booking.start_at == MOMENT:  # the JA won
            assert track.one_holds(MOMENT).id == booking_id
            assert (wish.status, offer.status) == (WishStatus.MOVED, OfferStatus.ACCEPTED)
        else:  # the stop won: the JA was told the moment is gone
            assert booking.sequence == 0
            assert (wish.status, offer.status) == (WishStatus.DROPPED, OfferStatus.GONE)
            taken = select(Booking.id).where(
                Booking.start_at == MOMENT, Booking.status == BookingStatus.CONFIRMED
            )
            assert session.scalars(taken).all() == []
