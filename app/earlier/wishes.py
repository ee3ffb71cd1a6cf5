"""A citizen's wish for an earlier moment: asked with a booking (every channel passes it to
``app.commands.book``), shown and dropped on the manage page, ended when the booking is
cancelled or moved forward. Flushes, never commits."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.earlier.models import EarlierOffer, EarlierWish, OfferStatus, WishStatus
from scheduling.enums import BookingStatus, LocationKind
from scheduling.errors import InvalidRequest, NotAllowed
from scheduling.models import Booking
from scheduling.trail import Actor, record


@dataclass(frozen=True)
class Wish:
    """What the citizen asked: any earlier moment, or only at the office / only at home, and
    perhaps none before a day (local)."""

    location: LocationKind | None = None
    not_before: date | None = None


def ask(
    session: Session, booking: Booking, wish: Wish, *, actor: Actor, now: datetime, zone: ZoneInfo
) -> EarlierWish:
    """Record the wish (or replace the booking's earlier one), or raise naming the field."""
    today = now.astimezone(zone).date()
    if booking.status is not BookingStatus.CONFIRMED:
        raise NotAllowed("Only a coming appointment can be moved forward.", field="status")
    if wish.location is not None and wish.location.value not in booking.service.locations:
        raise InvalidRequest("This service is not given there.", field="earlier_location")
    if (
        wish.not_before is not None
        and not today <= wish.not_before < booking.start_at.astimezone(zone).date()
    ):
        raise InvalidRequest(
            "The first day must lie between today and the appointment.", field="earlier_not_before"
        )
    existing = wish_of(session, booking, waiting_only=False)
    if existing is not None:
        _close_open_offer(session, existing, now)
        session.delete(existing)
        session.flush()
    found = EarlierWish(
        booking=booking,
        asked_at=now,
        channel=actor.channel,
        location=wish.location,
        not_before=wish.not_before,
        status=WishStatus.WAITING,
    )
    session.add(found)
    record(
        session,
        actor=actor,
        action="earlier_asked",
        booking=booking,
        now=now,
        details={
            "location": wish.location.value if wish.location else None,
            "not_before": wish.not_before.isoformat() if wish.not_before else None,
        },
    )
    session.flush()
    return found


def wish_of(session: Session, booking: Booking, *, waiting_only: bool = True) -> EarlierWish | None:
    """The booking's wish (by default only while it waits)."""
    query = select(EarlierWish).where(EarlierWish.booking_id == booking.id)
    if waiting_only:
        query = query.where(EarlierWish.status == WishStatus.WAITING)
    return session.scalar(query)


def drop(session: Session, booking: Booking, *, actor: Actor, now: datetime) -> bool:
    """The citizen (or staff for them) no longer wants an earlier moment; False: none waited."""
    found = wish_of(session, booking)
    if found is None:
        return False
    end(session, found, WishStatus.DROPPED, now)
    record(session, actor=actor, action="earlier_dropped", booking=booking, now=now)
    session.flush()
    return True


def end(session: Session, wish: EarlierWish, status: WishStatus, now: datetime) -> None:
    """Stop waiting: an open offer is withdrawn, so nobody can take it any more."""
    wish.status = status
    wish.ended_at = now
    _close_open_offer(session, wish, now)


def _close_open_offer(session: Session, wish: EarlierWish, now: datetime) -> None:
    for offer in session.scalars(
        select(EarlierOffer).where(
            EarlierOffer.wish_id == wish.id, EarlierOffer.status == OfferStatus.OPEN
        )
    ):
        offer.status = OfferStatus.GONE
        offer.answered_at = now
