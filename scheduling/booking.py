"""Book, cancel, reschedule and close appointments: the engine under ``app.commands``.

Each function flushes and never commits; the caller owns the transaction. Each is
all-or-nothing by itself: its writes run in a SAVEPOINT, so a refusal (a moment taken under
a race, say) leaves the session exactly as it was and the caller may still commit the rest
of its request. Double booking is prevented by the database (see ``Reservation``); the
checks here give the good message.
"""

import hashlib
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scheduling import capacity, rounds
from scheduling.addresses import Address, canonical, district_for
from scheduling.eligibility import (
    Staffing,
    Who,
    check_location,
    eligible_staff,
    service_by_code,
    valid_invitation,
)
from scheduling.enums import ActorKind, Audience, BookingStatus, EventKind, LocationKind
from scheduling.errors import Forbidden, InvalidRequest, NotAllowed, NotFound, SlotUnavailable
from scheduling.invitations import live_booking
from scheduling.models import Booking, Reservation, Service, Staff
from scheduling.slots import Rules, Slot, find_slots
from scheduling.trail import Actor, record

LANGUAGES = ("nl", "fr", "en")


@dataclass(frozen=True)
class Citizen:
    name: str
    phone: str  # E.164: parsed at the edge, never raw input here
    email: str | None = None


@dataclass(frozen=True)
class BookingRequest:
    service_code: str
    start: datetime
    staff_id: int
    location: LocationKind
    citizen: Citizen
    address: Address | None = None
    invitation_code: str | None = None
    language: str = "nl"
    topic: str | None = None  # what it is about, in the citizen's words (for the officer)
    # Beyond the service's defaults, up to its maxima (bailiff assistance): None = default.
    officers: int | None = None
    duration_minutes: int | None = None


@dataclass(frozen=True)
class Booked:
    booking: Booking
    manage_token: str  # shown once; only its hash is stored


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def booking_by_token(session: Session, token: str) -> Booking:
    booking = session.scalar(select(Booking).where(Booking.token_hash == hash_token(token)))
    if booking is None:
        raise NotFound("No booking for this link.", field="manage_token")
    return booking


def booking_by_reference(session: Session, reference: str) -> Booking:
    booking = session.scalar(select(Booking).where(Booking.reference == reference.strip()))
    if booking is None:
        raise NotFound("No booking with this code.", field="reference")
    return booking


def _luhn_digit(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def is_valid_reference(reference: str) -> bool:
    """Nine digits whose last is a Luhn check digit, so a mistyped code is caught at once."""
    return (
        len(reference) == 9 and reference.isdigit() and _luhn_digit(reference[:-1]) == reference[-1]
    )


def _new_reference(session: Session) -> str:
    while True:
        body = str(10_000_000 + secrets.randbelow(90_000_000))
        reference = body + _luhn_digit(body)
        if session.scalar(select(Booking.id).where(Booking.reference == reference)) is None:
            return reference


def free_slot_at(
    session: Session,
    *,
    service: Service,
    staff_ids: list[int],
    start: datetime,
    wanted: int,
    location: LocationKind,
    now: datetime,
    zone: ZoneInfo,
    covers: Mapping[int, int] | None = None,
    rules: Rules | None = None,
    place: int | None = None,
) -> Slot:
    """The free slot at ``start`` that includes ``wanted`` (a team may have one per member)."""
    day = start.astimezone(zone).date()
    for slot in find_slots(
        session,
        service=service,
        staff_ids=staff_ids,
        first_day=day,
        last_day=day,
        now=now,
        zone=zone,
        location=location,
        covers=covers,
        rules=rules,
        place=place,
    ):
        if slot.start == start and wanted in slot.staff_ids:
            return slot
    raise SlotUnavailable("This moment is not free.", field="start")


def _staff_for_slot(slot: Slot, wanted: int, required: int) -> tuple[int, ...]:
    """The staff to reserve: the one asked for, then others free at that moment."""
    if wanted not in slot.staff_ids:
        raise SlotUnavailable("This staff member is not free at that moment.", field="start")
    others = [s for s in slot.staff_ids if s != wanted]
    return (wanted, *others[: required - 1])


@contextmanager
def _all_or_nothing(session: Session) -> Iterator[None]:
    """Run one change's writes in a SAVEPOINT: any refusal undoes all of them, so no caller
    can commit half a change (a booking without its reservation, a move that released the
    old moment). The database's refusal of an overlap becomes the good message."""
    try:
        with session.begin_nested():
            yield
    except IntegrityError as exc:
        raise SlotUnavailable("This moment was just taken.", field="start") from exc


def _reserve(session: Session, booking: Booking, staff_ids: tuple[int, ...], rules: Rules) -> None:
    """Insert the reservations (and, for bailiff assistance, take the zone's capacity); the
    database refuses an overlap or capacity beyond the rule even under a race."""
    blocked_from, blocked_until = rules.blocked(
        booking.start_at, booking.location, placed=booking.village_id is not None
    )
    booking.officers = len(staff_ids)
    if booking.service.audience is Audience.BAILIFF:
        capacity.claim(session, blocked_from, blocked_until, len(staff_ids))
    for staff_id in staff_ids:
        session.add(
            Reservation(
                booking=booking,
                staff_id=staff_id,
                blocked_from=blocked_from,
                blocked_until=blocked_until,
            )
        )
    session.flush()


def _unreserve(session: Session, booking: Booking) -> None:
    """Free a live booking's staff (and its assistance capacity): cancelled, or moving."""
    if booking.service.audience is Audience.BAILIFF and booking.reservations:
        capacity.release(
            session,
            *Rules.of_booking(booking).blocked(booking.start_at, booking.location),
            booking.officers,
        )
    booking.reservations.clear()
    session.flush()


def _in_rounds(session: Session, location: LocationKind) -> bool:
    """Whether this booking's place matters: the zone keeps travel times, and it is at home
    or at an office (assistance on site keeps its fixed travel)."""
    return location is not LocationKind.ON_SITE and rounds.travel_table(session) is not None


def _placed(
    session: Session, location: LocationKind, place: int | None, site_id: int | None
) -> int | None:
    """The village a booking is in (``scheduling.rounds``, when ``_in_rounds``): the home
    visit's, or the office's; None: it holds the service's fixed travel."""
    if location is LocationKind.HOME:
        return place
    if location is LocationKind.OFFICE and site_id is not None:
        return rounds.site_villages(session).get(site_id)
    return None


def _lock_round(session: Session, staff_id: int) -> None:
    """Book one officer's placed visits one at a time: whether a moment can be reached
    depends on the visits around it, which the overlap constraint alone does not see."""
    session.execute(select(Staff.id).where(Staff.id == staff_id).with_for_update())


def _check_visit_address(session: Session, request: BookingRequest) -> None:
    """A visit (home, or assistance on site) needs an address inside the zone."""
    if request.location is LocationKind.OFFICE:
        return
    if request.address is None:
        raise InvalidRequest("An address is needed for this appointment.", field="address")
    district_for(session, request.address)


def book(
    session: Session,
    *,
    request: BookingRequest,
    actor: Actor,
    now: datetime,
    zone: ZoneInfo,
    bailiff_account_id: int | None = None,
    details: Mapping[str, Any] | None = None,
) -> Booked:
    """Book a free moment, or raise a SchedulingError naming the field at fault; ``details``
    (who of a bailiff office, say) join the audit entry."""
    service = service_by_code(session, request.service_code)
    check_location(service, request.location)
    if request.language not in LANGUAGES:
        raise InvalidRequest("Unknown language.", field="language")
    if service.audience is Audience.BAILIFF and bailiff_account_id is None:
        raise Forbidden("Only bailiff accounts can book this service.", field="service")
    if service.audience is Audience.CITIZEN and bailiff_account_id is not None:
        raise Forbidden("This service is for citizens.", field="service")
    _check_visit_address(session, request)
    staffing = eligible_staff(
        session,
        service,
        Who(address=request.address, invitation_code=request.invitation_code),
        now,
    )
    if request.staff_id not in staffing:
        raise InvalidRequest("This staff member does not serve this request.", field="staff_id")
    rules = Rules.of(service, officers=request.officers, duration_minutes=request.duration_minutes)
    in_rounds = _in_rounds(session, request.location)
    if in_rounds:
        _lock_round(session, request.staff_id)
    slot = free_slot_at(
        session,
        service=service,
        staff_ids=staffing,
        covers=staffing.covers,
        start=request.start,
        wanted=request.staff_id,
        location=request.location,
        now=now,
        zone=zone,
        rules=rules,
        place=staffing.place,
    )
    reserved = _staff_for_slot(slot, request.staff_id, rules.staff_required)
    invitation = (
        valid_invitation(session, request.invitation_code, service, now)
        if request.invitation_code
        else None
    )
    if invitation is not None and not invitation.valid_from <= slot.start <= invitation.valid_until:
        raise SlotUnavailable("This moment lies outside the invitation's period.", field="start")
    if invitation is not None and live_booking(session, invitation.id) is not None:
        raise NotAllowed(
            "This invitation already has an appointment; move that one instead.",
            field="invitation_code",
        )

    token = secrets.token_urlsafe(24)  # 192 bits
    address = canonical(session, request.address) if request.address else None
    with _all_or_nothing(session):
        booking = Booking(
            reference=_new_reference(session),
            token_hash=hash_token(token),
            service=service,
            staff_id=request.staff_id,
            location=request.location,
            site_id=slot.site_id,
            start_at=slot.start,
            end_at=slot.end,
            status=BookingStatus.CONFIRMED,
            citizen_name=request.citizen.name,
            citizen_phone=request.citizen.phone,
            citizen_email=request.citizen.email,
            topic=(request.topic or "").strip() or None,
            address_postcode=address.postcode if address else None,
            address_street=address.street if address else None,
            address_number=address.number if address else None,
            language=request.language,
            invitation_id=invitation.id if invitation else None,
            bailiff_account_id=bailiff_account_id,
            channel=actor.channel,
            created_at=now,
            updated_at=now,
            village_id=(
                _placed(session, request.location, staffing.place, slot.site_id)
                if in_rounds
                else None
            ),
        )
        session.add(booking)
        _reserve(session, booking, reserved, rules)
        record(
            session,
            actor=actor,
            action="booked",
            booking=booking,
            now=now,
            details={
                "start": slot.start.isoformat(),
                "staff_ids": list(reserved),
                **(details or {}),
            },
            event=EventKind.BOOKED,
        )
    return Booked(booking, token)


# Who books for themself: bound by the service's cut-off (staff may change a booking later).
CLIENTS = (ActorKind.CITIZEN, ActorKind.BAILIFF)


def _check_citizen_cutoff(booking: Booking, actor: Actor, now: datetime) -> None:
    cutoff = timedelta(minutes=booking.service.cancel_cutoff_minutes)
    if actor.kind in CLIENTS and booking.start_at - now < cutoff:
        raise NotAllowed(
            "This appointment is too close to change online; please call the blue number.",
            field="start",
        )


def _require_confirmed(booking: Booking) -> None:
    if booking.status is not BookingStatus.CONFIRMED:
        raise NotAllowed(f"This appointment is {booking.status.value}.", field="status")


def cancel(
    session: Session,
    *,
    booking: Booking,
    actor: Actor,
    now: datetime,
    reason: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> Booking:
    """Cancel; idempotent. The other side is told through the domain event; ``details``
    (what caused it, say) join the reason in the audit entry and the event."""
    if booking.status is BookingStatus.CANCELLED:
        return booking
    _require_confirmed(booking)
    _check_citizen_cutoff(booking, actor, now)
    by_citizen = actor.kind in CLIENTS  # a bailiff office, like a citizen, is the other side
    with _all_or_nothing(session):
        _unreserve(session, booking)
        booking.status = BookingStatus.CANCELLED
        booking.cancel_reason = reason
        booking.sequence += 1
        booking.updated_at = now
        session.flush()
        record(
            session,
            actor=actor,
            action="cancelled",
            booking=booking,
            now=now,
            details={**({"reason": reason} if reason else {}), **(details or {})},
            event=EventKind.CANCELLED_BY_CITIZEN if by_citizen else EventKind.CANCELLED_BY_STAFF,
        )
    return booking


def reschedule(
    session: Session,
    *,
    booking: Booking,
    start: datetime,
    actor: Actor,
    now: datetime,
    zone: ZoneInfo,
    staff_id: int | None = None,
    reason: str | None = None,
    details: Mapping[str, Any] | None = None,
    location: LocationKind | None = None,
) -> Booking:
    """Move to another free moment (of the same or another eligible staff member, at the same
    kind of place unless ``location`` says another); the ``reason`` (a staff member's, say)
    joins the audit entry and the event, ``details`` (what caused the move) the audit entry.
    A refusal leaves the booking as it was, its own moment still held."""
    _require_confirmed(booking)
    _check_citizen_cutoff(booking, actor, now)
    service = booking.service
    location = location or booking.location
    check_location(service, location)
    address = (
        Address(booking.address_postcode, booking.address_street, booking.address_number)
        if booking.address_postcode and booking.address_street and booking.address_number
        else None
    )
    if booking.invitation_id is not None:
        # The invitation's window applied to choosing a moment, not to moving it later.
        staffing = Staffing([booking.staff_id])
    else:
        staffing = eligible_staff(session, service, Who(address=address), now)
    wanted = staff_id if staff_id is not None else booking.staff_id
    if wanted not in staffing:
        raise InvalidRequest("This staff member does not serve this request.", field="staff_id")
    if location is not LocationKind.OFFICE and address is None:
        raise InvalidRequest("An address is needed for this appointment.", field="location")

    old_start, old_staff = booking.start_at, booking.staff_id
    rules = Rules.of_booking(booking)
    in_rounds = _in_rounds(session, location)
    with _all_or_nothing(session):
        if in_rounds:
            _lock_round(session, wanted)
        # Free our own time first, so moving by a quarter of an hour is possible.
        _unreserve(session, booking)
        slot = free_slot_at(
            session,
            service=service,
            staff_ids=staffing,
            covers=staffing.covers,
            start=start,
            wanted=wanted,
            location=location,
            now=now,
            zone=zone,
            rules=rules,
            place=staffing.place,
        )
        reserved = _staff_for_slot(slot, wanted, rules.staff_required)
        booking.start_at, booking.end_at = slot.start, slot.end
        booking.staff = session.get_one(Staff, wanted)
        booking.location = location
        booking.site_id = slot.site_id
        booking.village_id = (
            _placed(session, location, staffing.place, slot.site_id) if in_rounds else None
        )
        booking.sequence += 1
        booking.updated_at = now
        _reserve(session, booking, reserved, rules)
        record(
            session,
            actor=actor,
            action="moved",
            booking=booking,
            now=now,
            details={
                "from": old_start.isoformat(),
                "to": slot.start.isoformat(),
                "from_staff_id": old_staff,
                "staff_id": wanted,
                **({"reason": reason} if reason else {}),
                **(details or {}),
            },
            event=EventKind.MOVED if wanted == old_staff else EventKind.OFFICER_CHANGED,
        )
    return booking


def close(
    session: Session, *, booking: Booking, outcome: BookingStatus, actor: Actor, now: datetime
) -> Booking:
    """Mark an appointment done or no-show (staff only, once it has started)."""
    if outcome not in (BookingStatus.DONE, BookingStatus.NO_SHOW):
        raise InvalidRequest("An appointment closes as done or no-show.", field="status")
    if actor.kind is not ActorKind.STAFF:
        raise NotAllowed("Only staff close appointments.", field="status")
    _require_confirmed(booking)
    if now < booking.start_at:
        raise NotAllowed("This appointment has not started yet.", field="status")
    with _all_or_nothing(session):
        booking.status = outcome
        booking.updated_at = now
        session.flush()
        record(session, actor=actor, action=outcome.value, booking=booking, now=now)
    return booking
