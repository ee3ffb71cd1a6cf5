"""Two (eight) JA for one offer at once, each its own signed webhook on a real PostgreSQL:
the booking row locked in ``offers.accept`` lets the booking move once."""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from twilio.request_validator import RequestValidator
from werkzeug.test import TestResponse

from app import commands
from app.earlier import offers
from app.earlier.models import EarlierOffer, OfferStatus
from app.earlier.wishes import Wish
from app.notify.models import OutboxMessage
from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen
from scheduling.enums import Channel, LocationKind, MessageKind, OutboxStatus
from scheduling.models import AuditEntry, Booking
from scheduling.trail import Actor
from tests.app.races import (
    MOMENT,
    PUBLIC_BASE_URL,
    RACERS,
    THURSDAY,
    TWILIO_TOKEN,
    Track,
    open_track,
)

pytestmark = pytest.mark.slow
A, C = "+32470000001", "+32470000003"


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


def _offer_sent(track: Track) -> tuple[int, int]:
    """A waits (Thursday 12:00) for an earlier moment; C's Wednesday 09:00 is cancelled and
    offered to A, whose offer SMS went out. (A's booking id, the offer id.)"""
    config = track.app.config["BLAUWLIJN"]
    web = Actor.citizen(Channel.WEB)
    with track.app.app_context(), track.session() as session:
        now = datetime.now(UTC)
        thursday_noon = datetime(THURSDAY.year, THURSDAY.month, THURSDAY.day, 11, tzinfo=UTC)
        a = commands.book(
            session,
            _request(thursday_noon, A, track.officer_id),
            actor=web,
            now=now,
            config=config,
            earlier=Wish(),
        ).booking
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
        offer_id = session.scalars(select(EarlierOffer.id)).one()
        return a.id, offer_id


def test_double_ja_moves_once(track: Track) -> None:
    booking_id, offer_id = _offer_sent(track)

    def ready(n: int) -> Callable[[], TestResponse]:
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

    answers = track.race([ready(n) for n in range(RACERS)])
    assert [a.status_code for a in answers] == [200] * RACERS
    holder = track.one_holds(MOMENT)
    assert holder.id == booking_id
    with track.session() as session:
        moves = session.scalar(
            select(func.count()).where(
                AuditEntry.booking_id == booking_id, AuditEntry.action == "moved"
            )
        )
        assert moves == 1
        assert session.get_one(EarlierOffer, offer_id).status is OfferStatus.ACCEPTED
        assert session.get_one(Booking, booking_id).sequence == 1
