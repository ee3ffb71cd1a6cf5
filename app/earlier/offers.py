"""Earlier moments offered one at a time: the worker's ``run`` (expire, end, drop, offer) and
a citizen's answer, ``accept`` (JA) or ``decline`` (NEE). Flushes, never commits.

A moment is offered only inside staff time freed after the wish was asked (a cancellation, a
move, an opening: ``app.earlier.freed``), found by the real slot finder for the booking's own
service and staff, earlier than the booking, suiting the wish; each waiting wish, oldest first,
gets at most one open offer, and each moment is open to one wish at a time: the partial unique
indexes of ``earlier_offers`` say no to a second, whatever races. An offer nobody answers, or
declined, passes the moment on: the next run offers it to the next wish in line.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from app import commands
from app.config import Config
from app.earlier import wishes
from app.earlier.models import EarlierOffer, EarlierWish, FreedTime, OfferStatus, WishStatus
from app.notify.earlier import queue_offer
from scheduling.addresses import Address
from scheduling.eligibility import Staffing, Who, eligible_staff
from scheduling.enums import BookingStatus, Channel, LocationKind, ServedBy
from scheduling.errors import SchedulingError
from scheduling.models import Booking
from scheduling.notices import in_quiet_hours
from scheduling.slots import MAX_SEARCH_DAYS, Rules, Slot, find_slots, round_order
from scheduling.trail import Actor, record

log = logging.getLogger(__name__)

BY_SMS = Actor.citizen(Channel.SMS)


@dataclass(frozen=True)
class Done:
    """What one run did (counts only: the worker logs them, never who)."""

    offered: int = 0
    expired: int = 0
    ended: int = 0
    dropped: int = 0

    def __bool__(self) -> bool:
        return bool(self.offered or self.expired or self.ended or self.dropped)


def run(session: Session, now: datetime, config: Config) -> Done:
    """One pass of the worker (every minute): expire what was not answered, end the wishes
    whose appointment is too close, forget freed time that is past, and offer what is free.
    No offer is made in the quiet hours (21:00-08:00): its SMS would wait until morning while
    its time ran out, so the moment waits instead and the expiry counts from the SMS."""
    expired = _expire(session, now)
    ended = _end_too_close(session, now)
    dropped = _drop_freed(session, now)
    offered = 0 if in_quiet_hours(now, config.zone) else _offer(session, now, config)
    return Done(offered=offered, expired=expired, ended=ended, dropped=dropped)


def _expire(session: Session, now: datetime) -> int:
    expired = session.scalars(
        select(EarlierOffer).where(
            EarlierOffer.status == OfferStatus.OPEN, EarlierOffer.expires_at <= now
        )
    ).all()
    for offer in expired:
        offer.status = OfferStatus.EXPIRED
    session.flush()
    return len(expired)


def _too_close(booking: Booking) -> timedelta:
    """Closer than this to the appointment, neither a move (cut-off) nor a new moment
    (notice) can be offered any more."""
    service = booking.service
    return timedelta(minutes=max(service.min_notice_minutes, service.cancel_cutoff_minutes))


def _end_too_close(session: Session, now: datetime) -> int:
    ended = 0
    for wish in _waiting(session):
        booking = wish.booking
        if booking.status is not BookingStatus.CONFIRMED or booking.start_at - now < _too_close(
            booking
        ):
            wishes.end(session, wish, WishStatus.ENDED, now)
            ended += 1
    session.flush()
    return ended


def _drop_freed(session: Session, now: datetime) -> int:
    result = session.execute(
        delete(FreedTime).where(
            or_(
                FreedTime.ends_at <= now,
                FreedTime.freed_at < now - timedelta(days=MAX_SEARCH_DAYS),
            )
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _waiting(session: Session) -> Sequence[EarlierWish]:
    return session.scalars(
        select(EarlierWish)
        .options(joinedload(EarlierWish.booking))  # each wish needs its booking: one query
        .where(EarlierWish.status == WishStatus.WAITING)
        .order_by(EarlierWish.asked_at, EarlierWish.id)
    ).all()


# A moment offered: (staff id, start, end).
Taken = tuple[int, datetime, datetime]


def _offer(session: Session, now: datetime, config: Config) -> int:
    freed = session.scalars(select(FreedTime).where(FreedTime.ends_at > now)).all()
    if not freed:
        return 0
    taken: list[Taken] = [
        (o.staff_id, o.start_at, o.start_at + (o.wish.booking.end_at - o.wish.booking.start_at))
        for o in session.scalars(
            select(EarlierOffer).where(EarlierOffer.status == OfferStatus.OPEN)
        )
    ]
    busy = set(
        session.scalars(select(EarlierOffer.wish_id).where(EarlierOffer.status == OfferStatus.OPEN))
    )
    offered = 0
    for wish in _waiting(session):
        if wish.id in busy:
            continue  # one moment at a time for each citizen
        slot = _moment_for(session, wish, freed, taken, now, config)
        if slot is None:
            continue
        offer = _make(session, wish, slot, now, config)
        if offer is None:
            continue
        taken.append((offer.staff_id, slot.start, slot.end))
        queue_offer(session, offer, wish.booking, config=config)
        offered += 1
    return offered


def _address(booking: Booking) -> Address | None:
    if booking.address_postcode and booking.address_street and booking.address_number:
        return Address(booking.address_postcode, booking.address_street, booking.address_number)
    return None


def _staffing(session: Session, booking: Booking, now: datetime) -> Staffing:
    """Who may take the booking as the move would check it: the same officer for a wijkagent
    or an invitation, any eligible member of a team; a home visit's village kept."""
    try:
        found = eligible_staff(session, booking.service, Who(address=_address(booking)), now)
    except SchedulingError:
        return Staffing([booking.staff_id])
    if booking.invitation_id is not None or booking.service.served_by in (
        ServedBy.DISTRICT_OFFICER,
        ServedBy.INVITED_STAFF,
    ):
        return Staffing([booking.staff_id], place=found.place)
    return found


def _locations(wish: EarlierWish, booking: Booking) -> list[LocationKind]:
    """The kinds of place the wish accepts; away from the office only with an address."""
    wanted = (
        [wish.location]
        if wish.location is not None
        else [LocationKind(kind) for kind in booking.service.locations]
    )
    if _address(booking) is None:
        wanted = [kind for kind in wanted if kind is LocationKind.OFFICE]
    return wanted


def _moment_for(
    session: Session,
    wish: EarlierWish,
    freed: Sequence[FreedTime],
    taken: Sequence[Taken],
    now: datetime,
    config: Config,
) -> Slot | None:
    """The first free moment (in the order every channel offers them) inside time freed
    after the wish, earlier than its booking, that nobody else holds and this wish was not
    offered before."""
    booking = wish.booking
    if booking.status is not BookingStatus.CONFIRMED:
        return None
    staffing = _staffing(session, booking, now)
    spans = [
        f
        for f in freed
        if f.staff_id in staffing and f.freed_at >= wish.asked_at and f.starts_at < booking.start_at
    ]
    if not spans:
        return None
    zone = config.zone
    first_day = max(min(f.starts_at for f in spans), now).astimezone(zone).date()
    if wish.not_before is not None:
        first_day = max(first_day, wish.not_before)
    last_day = min(max(f.ends_at for f in spans), booking.start_at).astimezone(zone).date()
    before = {
        (staff_id, start)
        for staff_id, start in session.execute(
            select(EarlierOffer.staff_id, EarlierOffer.start_at).where(
                EarlierOffer.wish_id == wish.id
            )
        )
    }
    rules = Rules.of_booking(booking)
    slots: list[Slot] = []
    for location in _locations(wish, booking):
        slots += find_slots(
            session,
            service=booking.service,
            staff_ids=staffing,
            first_day=first_day,
            last_day=last_day,
            now=now,
            zone=zone,
            location=location,
            covers=staffing.covers,
            rules=rules,
            place=staffing.place if location is LocationKind.HOME else None,
        )
    for slot in round_order(slots):
        staff_id = slot.staff_ids[0]
        if (
            slot.start < booking.start_at
            and any(
                f.staff_id == staff_id and f.starts_at <= slot.start and slot.end <= f.ends_at
                for f in spans
            )
            and (staff_id, slot.start) not in before
            and not any(
                s == staff_id and start < slot.end and slot.start < end for s, start, end in taken
            )
        ):
            return slot
    return None


def _make(
    session: Session, wish: EarlierWish, slot: Slot, now: datetime, config: Config
) -> EarlierOffer | None:
    """Insert the open offer, or None when the database says the wish or the moment already
    has one (another worker got there first)."""
    offer = EarlierOffer(
        wish=wish,
        staff_id=slot.staff_ids[0],
        start_at=slot.start,
        location=slot.location,
        site_id=slot.site_id,
        offered_at=now,
        expires_at=now + timedelta(minutes=config.earlier_offer_minutes),
        status=OfferStatus.OPEN,
    )
    try:
        with session.begin_nested():
            session.add(offer)
            session.flush()
    except IntegrityError:
        log.info("earlier offer skipped: wish or moment already offered")
        return None
    record(
        session,
        actor=Actor.system(),
        action="earlier_offered",
        booking=wish.booking,
        now=now,
        details={"offer_id": offer.id, "start": slot.start.isoformat()},
    )
    return offer


@dataclass(frozen=True)
class Answer:
    """What became of a citizen's answer: ``moved``, ``gone`` (too late, or taken), or
    ``declined``; the booking as it now is."""

    outcome: str
    booking: Booking


def accept(session: Session, offer_id: int, *, now: datetime, config: Config) -> Answer:
    """JA: move the booking to the offered moment through ``app.commands.move``, or say it
    is gone (the wish keeps waiting). The booking row is locked first, so two JA at once
    (two webhooks) move it once: the second finds the offer answered."""
    booking_id = session.scalar(
        select(EarlierWish.booking_id)
        .join(EarlierOffer, EarlierOffer.wish_id == EarlierWish.id)
        .where(EarlierOffer.id == offer_id)
    )
    booking = session.scalars(
        select(Booking)
        .where(Booking.id == booking_id)
        .with_for_update(of=Booking)
        .execution_options(populate_existing=True)
    ).one()
    offer = session.scalars(
        select(EarlierOffer)
        .where(EarlierOffer.id == offer_id)
        .execution_options(populate_existing=True)
    ).one()
    wish = session.scalars(
        select(EarlierWish)
        .where(EarlierWish.id == offer.wish_id)
        .execution_options(populate_existing=True)
    ).one()
    if offer.status is OfferStatus.ACCEPTED:
        return Answer("moved", booking)  # a second JA: already done
    if (
        offer.status is not OfferStatus.OPEN
        or offer.expires_at <= now
        or wish.status is not WishStatus.WAITING
    ):
        if offer.status is OfferStatus.OPEN:
            offer.status = OfferStatus.EXPIRED
        session.flush()
        return Answer("gone", booking)
    try:
        commands.move(
            session,
            booking,
            start=offer.start_at,
            staff_id=offer.staff_id,
            location=offer.location,
            actor=BY_SMS,
            now=now,
            config=config,
            details={"earlier_offer_id": offer.id},
        )
    except SchedulingError:
        offer.status = OfferStatus.GONE
        offer.answered_at = now
        session.flush()
        return Answer("gone", booking)
    offer.status = OfferStatus.ACCEPTED
    offer.answered_at = now
    wishes.end(session, wish, WishStatus.MOVED, now)
    session.flush()
    return Answer("moved", booking)


def decline(session: Session, offer_id: int, *, now: datetime) -> Answer:
    """NEE: the moment passes on at the next run; the wish keeps waiting."""
    offer = session.get_one(EarlierOffer, offer_id)
    booking = offer.wish.booking
    if offer.status is OfferStatus.OPEN:
        # Declined counts as expired (answered): the next run offers the moment on.
        session.execute(
            update(EarlierOffer)
            .where(EarlierOffer.id == offer.id, EarlierOffer.status == OfferStatus.OPEN)
            .values(status=OfferStatus.EXPIRED, answered_at=now)
        )
        session.expire(offer)
        record(session, actor=BY_SMS, action="earlier_declined", booking=booking, now=now)
        session.flush()
    return Answer("declined", booking)
