"""The one way a channel changes a booking: book, cancel, move, close; and what changes
bookings on the staff side: an absence recorded, applied or withdrawn, a departure, a staff
member's bookable moments changed.

Web pages, the API, the phone menu, SMS replies, the console, the staff and admin pages and
the GALOP import call these, never the engine's writers alone (only the demo seed does, to
write history; tests/app/test_commands_only.py and the import contracts in pyproject.toml
hold it). Book, cancel, move and close are all-or-nothing (the engine runs their writes in
a SAVEPOINT); the staff-side commands flush as they go, and their caller rolls back on an
error (the GALOP import as a whole, the moments page in a SAVEPOINT). Each leaves, in the
caller's transaction, everything the people concerned must hear: a booking queues its
confirmation and reminder at once (the SMS carries the manage link, which exists only now);
a cancellation, a move or an appointment passed to a colleague writes the domain event that
the worker turns into the other side's SMS (``app.notify.outbox.handle_event``).
Asking for an earlier moment after booking, or dropping the wish, locks the booking row as a
JA to an offer does (``app.earlier.offers.accept``), so the two never both win.
The caller owns the transaction and commits once.
"""

from collections.abc import Mapping
from contextlib import nullcontext
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import Config
from app.earlier import freed, wishes
from app.earlier.models import EarlierWish, WishStatus
from app.notify.outbox import queue_booked
from scheduling import absences, moments
from scheduling import booking as engine
from scheduling.booking import Booked, BookingRequest
from scheduling.enums import BookingStatus, LocationKind
from scheduling.models import Absence, Booking, Staff
from scheduling.trail import Actor
from scheduling.zone_time import local_to_utc

OPENED_DAYS = 92  # how far ahead new weekly hours count as freed time for those who wait


def book(
    session: Session,
    request: BookingRequest,
    *,
    actor: Actor,
    now: datetime,
    config: Config,
    bailiff_account_id: int | None = None,
    details: dict[str, Any] | None = None,
    earlier: wishes.Wish | None = None,
) -> Booked:
    """Book a free moment and queue its confirmation and reminder, or raise a
    SchedulingError with nothing written; ``details`` join the booking's history;
    ``earlier``: the citizen asks to be offered an earlier moment that frees up."""
    # With a wish, one SAVEPOINT around both: a refused wish leaves no booking either.
    with session.begin_nested() if earlier is not None else nullcontext():
        booked = engine.book(
            session,
            request=request,
            actor=actor,
            now=now,
            zone=config.zone,
            bailiff_account_id=bailiff_account_id,
            details=details,
        )
        if earlier is not None:
            wishes.ask(session, booked.booking, earlier, actor=actor, now=now, zone=config.zone)
    queue_booked(session, booked, config=config, now=now)
    return booked


def _locked(session: Session, booking: Booking) -> None:
    """Lock the booking row, then read it and its wish afresh: a JA answered in the meantime
    (which holds the same lock) has moved it and ended the wish."""
    session.scalars(
        select(Booking)
        .where(Booking.id == booking.id)
        .with_for_update(of=Booking)
        .execution_options(populate_existing=True)
    ).one()
    session.scalars(
        select(EarlierWish)
        .where(EarlierWish.booking_id == booking.id)
        .execution_options(populate_existing=True)
    ).all()


def ask_earlier(
    session: Session,
    booking: Booking,
    wish: wishes.Wish,
    *,
    actor: Actor,
    now: datetime,
    zone: ZoneInfo,
) -> EarlierWish:
    """The citizen asks (again) to be offered an earlier moment; replaces a former wish (its
    open offer withdrawn), or raises naming the field."""
    _locked(session, booking)
    return wishes.ask(session, booking, wish, actor=actor, now=now, zone=zone)


def drop_earlier(session: Session, booking: Booking, *, actor: Actor, now: datetime) -> bool:
    """The citizen no longer wants an earlier moment: the wish ends and its open offer is
    withdrawn (a JA to it then says the moment is gone); False when none waited (it may
    have been answered by a JA just before)."""
    _locked(session, booking)
    return wishes.drop(session, booking, actor=actor, now=now)


def _held(booking: Booking) -> list[tuple[int, datetime, datetime]]:
    return [(r.staff_id, r.blocked_from, r.blocked_until) for r in booking.reservations]


def cancel(
    session: Session,
    booking: Booking,
    *,
    actor: Actor,
    now: datetime,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
) -> Booking:
    """Cancel (idempotent); the other side is told through the domain event, the time it
    held is offered to those who wait for an earlier moment."""
    held = _held(booking)
    engine.cancel(session, booking=booking, actor=actor, now=now, reason=reason, details=details)
    freed.note(session, held, now=now)
    waiting = wishes.wish_of(session, booking)
    if waiting is not None:
        wishes.end(session, waiting, WishStatus.ENDED, now)
    return booking


def move(
    session: Session,
    booking: Booking,
    *,
    start: datetime,
    actor: Actor,
    now: datetime,
    config: Config,
    staff_id: int | None = None,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
    location: LocationKind | None = None,
) -> Booking:
    """Move to another free moment (``location``: at another kind of place, an earlier home
    visit for an office appointment, say), or raise with the booking as it was; the citizen
    is told through the domain event; ``details`` join the booking's history; the time it
    held is offered to those who wait."""
    held = _held(booking)
    engine.reschedule(
        session,
        booking=booking,
        start=start,
        actor=actor,
        now=now,
        zone=config.zone,
        staff_id=staff_id,
        reason=reason,
        details=details,
        location=location,
    )
    freed.note(session, held, now=now)
    return booking


def close(
    session: Session, booking: Booking, *, outcome: BookingStatus, actor: Actor, now: datetime
) -> Booking:
    """Mark an appointment done or no-show (nobody is told)."""
    return engine.close(session, booking=booking, outcome=outcome, actor=actor, now=now)


def absence_recorded(
    session: Session,
    *,
    external_id: str,
    staff_id: int,
    starts_at: datetime,
    ends_at: datetime,
    kind: str | None,
    actor: Actor,
    now: datetime,
) -> tuple[Absence, absences.Change]:
    """Create or update the absence known by ``external_id``; its appointments are untouched
    until ``absent`` (a whole import records every absence first)."""
    return absences.save_absence(
        session,
        external_id=external_id,
        staff_id=staff_id,
        starts_at=starts_at,
        ends_at=ends_at,
        kind=kind,
        actor=actor,
        now=now,
    )


def absent(
    session: Session, absence: Absence, *, actor: Actor, now: datetime, zone: ZoneInfo
) -> list[absences.Outcome]:
    """The absent member's appointments in the absence pass to a colleague or are cancelled;
    the citizens are told through the domain events."""
    return absences.apply_absence(session, absence=absence, actor=actor, now=now, zone=zone)


def absence_withdrawn(session: Session, *, external_id: str, actor: Actor, now: datetime) -> bool:
    """Forget an absence (False when unknown); appointments it changed stay as they are; its
    time is offered to those who wait."""
    absence = session.scalar(select(Absence).where(Absence.external_id == external_id))
    held = [(absence.staff_id, absence.starts_at, absence.ends_at)] if absence else []
    withdrawn = absences.withdraw_absence(session, external_id=external_id, actor=actor, now=now)
    freed.note(session, held, now=now)
    return withdrawn


def departed(
    session: Session, staff: Staff, *, actor: Actor, now: datetime, zone: ZoneInfo
) -> list[absences.Outcome]:
    """A staff member is no longer active: their appointments to come pass to a colleague or
    are cancelled, the citizens told as for an absence."""
    return absences.apply_departure(session, staff=staff, actor=actor, now=now, zone=zone)


def moments_changed(
    session: Session,
    plan: moments.Plan,
    *,
    decisions: Mapping[int, moments.Decision],
    actor: Actor,
    now: datetime,
    zone: ZoneInfo,
) -> list[moments.Outcome]:
    """Store a staff member's new bookable moments and keep, move or cancel each appointment
    they strand as decided; the citizens of those moved or cancelled are told; the moments
    opened are offered to those who wait."""
    opened = _opened(session, plan, now=now, zone=zone)
    outcomes = moments.save(
        session, plan=plan, decisions=decisions, actor=actor, now=now, zone=zone
    )
    freed.note(session, opened, now=now)
    return outcomes


def _opened(
    session: Session, plan: moments.Plan, *, now: datetime, zone: ZoneInfo
) -> list[tuple[int, datetime, datetime]]:
    """The time ``plan`` opens that the moments in force do not: new weekly hours (over the
    coming days), new one-off openings, and closures taken away."""
    current = moments.current_plan(
        session, staff_id=plan.staff_id, from_day=plan.from_day, now=now, zone=zone
    )
    spans = [
        (local_to_utc(o.on_date, o.starts, zone), local_to_utc(o.on_date, o.ends, zone, end=True))
        for o in set(plan.openings) - set(current.openings)
    ]
    spans += [c.period(zone) for c in set(current.closures) - set(plan.closures)]
    new_weekly = set(plan.weekly) - set(current.weekly)
    for offset in range(OPENED_DAYS):
        day = plan.from_day + timedelta(days=offset)
        spans += [
            (local_to_utc(day, h.starts, zone), local_to_utc(day, h.ends, zone, end=True))
            for h in new_weekly
            if h.weekday == day.weekday()
        ]
    return [(plan.staff_id, start, end) for start, end in spans]
