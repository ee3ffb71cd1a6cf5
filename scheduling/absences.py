"""What an absence does to booked appointments: nothing stays booked with an absent officer.

Every live appointment (confirmed, not yet started) whose reservation of the absent staff
member — travel included — overlaps the absence passes to someone who is free at that very
moment (a district's stand-in, another team member), or, when nobody is, is cancelled by
staff so the citizen is told and can rebook. Both leave the usual trail: an audit entry by
the acting system, and the domain event the notifier turns into a message.

Applying is idempotent: an appointment already passed on or cancelled is no longer live
with the absent member, so applying the same absence again changes nothing. A shortened or
withdrawn absence does not bring appointments back; those already moved or cancelled stay so.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scheduling.addresses import Address, district_for
from scheduling.booking import cancel
from scheduling.enums import BookingStatus, EventKind, LocationKind, ServedBy
from scheduling.errors import SchedulingError
from scheduling.models import Absence, Availability, Booking, Reservation, Staff
from scheduling.slots import Rules, Window
from scheduling.trail import Actor, note, record
from scheduling.zone_time import local_to_utc

# What the citizen hears; deliberately says nothing of why (leave, sickness) the officer is away.
ABSENCE_REASON = "The staff member is not available at that moment."
DEPARTURE_REASON = "The staff member no longer receives appointments."


Change = Literal["new", "changed", "unchanged"]


def save_absence(
    session: Session,
    *,
    external_id: str,
    staff_id: int,
    starts_at: datetime,
    ends_at: datetime,
    kind: str | None,
    actor: Actor,
    now: datetime,
) -> tuple[Absence, Change]:
    """Create or update the absence known by ``external_id`` (GALOP's id); audited, flushed.

    It does not touch appointments: call ``apply_absence`` for a new or changed one (after
    saving every absence of an import, so nothing is passed to someone absent a row later).
    ``kind`` None keeps the stored kind (``leave`` for a new absence).
    """
    absence = session.scalar(select(Absence).where(Absence.external_id == external_id))
    if absence is None:
        absence = Absence(
            external_id=external_id,
            staff_id=staff_id,
            starts_at=starts_at,
            ends_at=ends_at,
            kind=kind or "leave",
        )
        session.add(absence)
        change: Change = "new"
    elif (absence.staff_id, absence.starts_at, absence.ends_at) != (
        staff_id,
        starts_at,
        ends_at,
    ) or (kind is not None and kind != absence.kind):
        absence.staff_id, absence.starts_at, absence.ends_at = staff_id, starts_at, ends_at
        absence.kind = kind or absence.kind
        change = "changed"
    else:
        return absence, "unchanged"
    session.flush()
    note(
        session,
        actor=actor,
        action="absence_created" if change == "new" else "absence_changed",
        now=now,
        details=_absence_details(absence),
    )
    return absence, change


def withdraw_absence(session: Session, *, external_id: str, actor: Actor, now: datetime) -> bool:
    """Forget the absence known by ``external_id``; False when there is none (withdrawn before,
    or never known). Appointments it moved or cancelled stay as they are."""
    absence = session.scalar(select(Absence).where(Absence.external_id == external_id))
    if absence is None:
        return False
    details = _absence_details(absence)
    session.delete(absence)
    session.flush()
    note(session, actor=actor, action="absence_withdrawn", now=now, details=details)
    return True


def _absence_details(absence: Absence) -> dict[str, Any]:
    # The kind (leave, sickness...) stays in the absences table: the trail needs only the period.
    return {
        "absence_id": absence.id,
        "external_id": absence.external_id,
        "staff_id": absence.staff_id,
        "starts_at": absence.starts_at.isoformat(),
        "ends_at": absence.ends_at.isoformat(),
    }


@dataclass(frozen=True)
class Outcome:
    """What became of one appointment of a staff member who is away."""

    booking: Booking
    action: Literal["reassigned", "cancelled"]
    absent_staff_id: int
    new_staff_id: int | None = None  # who took the absent member's place (reassigned only)


def apply_absence(
    session: Session, *, absence: Absence, actor: Actor, now: datetime, zone: ZoneInfo
) -> list[Outcome]:
    """Pass on or cancel every live appointment of the absent member that the absence touches.

    ``absence`` must be flushed already (the checks of who is free read the absences table).
    Flushes, never commits. Returns one outcome per appointment changed, in start order.
    """
    return _release(
        session,
        staff_id=absence.staff_id,
        starts_at=absence.starts_at,
        ends_at=absence.ends_at,
        cause={"absence_id": absence.id, "external_id": absence.external_id},
        reason=ABSENCE_REASON,
        actor=actor,
        now=now,
        zone=zone,
    )


def apply_departure(
    session: Session, *, staff: Staff, actor: Actor, now: datetime, zone: ZoneInfo
) -> list[Outcome]:
    """The same for a staff member who is no longer active: every live appointment from now on."""
    return _release(
        session,
        staff_id=staff.id,
        starts_at=now,
        ends_at=None,
        cause={"inactive": True},
        reason=DEPARTURE_REASON,
        actor=actor,
        now=now,
        zone=zone,
    )


def _release(
    session: Session,
    *,
    staff_id: int,
    starts_at: datetime,
    ends_at: datetime | None,
    cause: dict[str, Any],
    reason: str,
    actor: Actor,
    now: datetime,
    zone: ZoneInfo,
) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for booking in _live_bookings_touched(session, staff_id, starts_at, ends_at, now):
        new_staff_id = pass_on(
            session, booking, staff_id, cause=cause, actor=actor, now=now, zone=zone
        )
        if new_staff_id is not None:
            outcomes.append(Outcome(booking, "reassigned", staff_id, new_staff_id))
        else:
            cancel(session, booking=booking, actor=actor, now=now, reason=reason, details=cause)
            outcomes.append(Outcome(booking, "cancelled", staff_id))
    return outcomes


def _live_bookings_touched(
    session: Session, staff_id: int, starts_at: datetime, ends_at: datetime | None, now: datetime
) -> Sequence[Booking]:
    """Confirmed appointments still to start whose reservation of ``staff_id`` overlaps.

    Locked on PostgreSQL, so two imports of overlapping absences cannot both pass one on.
    """
    query = (
        select(Booking)
        .join(Reservation, Reservation.booking_id == Booking.id)
        .where(
            Reservation.staff_id == staff_id,
            Reservation.blocked_until > starts_at,
            Booking.status == BookingStatus.CONFIRMED,
            Booking.start_at > now,
        )
        .order_by(Booking.start_at, Booking.id)
        .with_for_update(of=Booking)
    )
    if ends_at is not None:
        query = query.where(Reservation.blocked_from < ends_at)
    return session.scalars(query).all()


def _candidates(session: Session, booking: Booking, absent_id: int) -> list[int]:
    """Who may take over, in order of preference (the engine's eligibility, for this booking)."""
    service = booking.service
    taken = {r.staff_id for r in booking.reservations}
    match service.served_by:
        case ServedBy.DISTRICT_OFFICER:
            if not (booking.address_postcode and booking.address_street and booking.address_number):
                return []
            address = Address(
                booking.address_postcode, booking.address_street, booking.address_number
            )
            try:
                district = district_for(session, address)
            except SchedulingError:  # the street left the zone since: nobody to pass it to
                return []
            # The stand-in first; the officer themself when it was the stand-in who is away.
            ids = [district.standin_id, district.officer_id]
        case ServedBy.TEAM:
            ids = [s.id for s in service.team]
        case ServedBy.INVITED_STAFF:
            return []  # only the handler who invited knows the dossier
    return [i for i in dict.fromkeys(ids) if i is not None and i != absent_id and i not in taken]


def _window_for(
    session: Session,
    booking: Booking,
    staff_id: int,
    blocked: tuple[datetime, datetime],
    zone: ZoneInfo,
) -> Window | None:
    """A window in which ``staff_id`` receives this kind of appointment at its time, when they
    are active, not absent and have no reservation overlapping it (travel included).

    Unlike a citizen's booking, the appointment need not start on the step of the window
    (the stand-in's windows may begin at another hour) and the minimum notice does not apply:
    the appointment was booked in time, and a colleague taking it over this afternoon serves
    the citizen better than a cancellation.
    """
    staff = session.get(Staff, staff_id)
    if staff is None or not staff.active:
        return None
    day = booking.start_at.astimezone(zone).date()
    windows = [
        Window.of(a)
        for a in session.scalars(
            select(Availability)
            .where(
                Availability.staff_id == staff_id,
                Availability.location == booking.location,
                Availability.on_date.is_(None) | (Availability.on_date == day),
            )
            .order_by(Availability.id)
        )
    ]
    fitting = [
        w
        for w in windows
        if w.applies_on(day)
        and local_to_utc(day, w.starts, zone) <= booking.start_at
        and booking.end_at <= local_to_utc(day, w.ends, zone, end=True)
    ]
    if not fitting:
        return None
    blocked_from, blocked_until = blocked
    absent = session.scalar(
        select(Absence.id)
        .where(
            Absence.staff_id == staff_id,
            Absence.starts_at < blocked_until,
            Absence.ends_at > blocked_from,
        )
        .limit(1)
    )
    busy = session.scalar(
        select(Reservation.id)
        .where(
            Reservation.staff_id == staff_id,
            Reservation.blocked_from < blocked_until,
            Reservation.blocked_until > blocked_from,
        )
        .limit(1)
    )
    if absent is not None or busy is not None:
        return None
    # At the same site if they can: the citizen then goes where they were told.
    return min(fitting, key=lambda w: w.site_id != booking.site_id)


def _swap(
    session: Session,
    booking: Booking,
    absent_id: int,
    new_id: int,
    blocked: tuple[datetime, datetime],
) -> bool:
    """Move the absent member's reservation to ``new_id``; False when the database refuses
    (someone booked that moment meanwhile), with the booking as it was."""
    try:
        with session.begin_nested():
            for reservation in list(booking.reservations):
                if reservation.staff_id == absent_id:
                    booking.reservations.remove(reservation)
            booking.reservations.append(
                Reservation(staff_id=new_id, blocked_from=blocked[0], blocked_until=blocked[1])
            )
            session.flush()
    except IntegrityError:
        return False
    return True


def pass_on(
    session: Session,
    booking: Booking,
    absent_id: int,
    *,
    cause: dict[str, Any],
    actor: Actor,
    now: datetime,
    zone: ZoneInfo,
) -> int | None:
    """Hand the absent member's part of ``booking`` to the first candidate free at its moment;
    the new staff member's id, or None when nobody can take it. Also used when a staff member's
    bookable moments change (``scheduling.moments``)."""
    blocked = Rules.of_booking(booking).blocked(booking.start_at, booking.location)
    for candidate in _candidates(session, booking, absent_id):
        window = _window_for(session, booking, candidate, blocked, zone)
        if window is None or not _swap(session, booking, absent_id, candidate, blocked):
            continue
        # Only the booking's own staff member is the citizen's contact; for a team booking
        # (bailiff assistance) a second officer changing is recorded, but no one is told.
        contact_changed = booking.staff_id == absent_id
        details: dict[str, Any] = {**cause, "from_staff_id": absent_id, "staff_id": candidate}
        if contact_changed:
            new_staff = session.get_one(Staff, candidate)
            booking.staff = new_staff
            details["staff_name"] = new_staff.name
            if booking.location is LocationKind.OFFICE and window.site_id != booking.site_id:
                booking.site_id = window.site_id
                details["site_id"] = window.site_id
        booking.sequence += 1
        booking.updated_at = now
        session.flush()
        record(
            session,
            actor=actor,
            action="reassigned",
            booking=booking,
            now=now,
            details=details,
            event=EventKind.OFFICER_CHANGED if contact_changed else None,
        )
        return candidate
    return None
