"""A staff member's own bookable moments: weekly hours, one-off openings and closures, the
free moments a change would give (``preview``) and the appointments it would strand.

Weekly hours are replaced from a day on: the rows in force end the day before, so the record
of who was bookable when stays true. A closure is an ``Absence`` of kind "closure" without an
external id (GALOP's absences carry theirs); the slot finder honours every absence. An
appointment that a change leaves outside availability is kept (an explicit exception), moved
(to a colleague free at that moment, as for an absence, else to the next free moment) or
cancelled with notice: always through the engine, so each leaves its audit entry and event.
Like every service function here these take the session and ``now``, flush, never commit.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from scheduling.absences import ABSENCE_REASON, pass_on
from scheduling.booking import cancel, reschedule
from scheduling.enums import BookingStatus, LocationKind, Role, ServedBy
from scheduling.errors import InvalidRequest, SlotUnavailable
from scheduling.models import (
    Absence,
    Availability,
    Booking,
    Reservation,
    Service,
    ServiceTeam,
    Staff,
)
from scheduling.slots import MAX_RESERVATION, Rules, Slot, Window, compute_slots, find_slots
from scheduling.trail import Actor, note, record
from scheduling.zone_time import local_day_bounds, local_to_utc

CLOSURE = "closure"  # Absence.kind of a closure a staff member sets themself
EARLIEST, LATEST = time(6), time(22)  # bookable hours lie within these
PREVIEW_DAYS = 14
MOVE_SEARCH_DAYS = 14  # how far after a stranded appointment its next free moment is sought


@dataclass(frozen=True)
class Hours:
    """One row of the weekly pattern: on ``weekday`` (Monday 0), local wall time."""

    weekday: int
    starts: time
    ends: time
    location: LocationKind
    site_id: int | None = None  # the site of office hours


@dataclass(frozen=True)
class Opening:
    """Bookable once, on one day, besides the weekly pattern."""

    on_date: date
    starts: time
    ends: time
    location: LocationKind
    site_id: int | None = None


@dataclass(frozen=True)
class Closure:
    """Not bookable on one day, from ``starts`` to ``ends`` (None: to the end of that day)."""

    on_date: date
    starts: time = time(0)
    ends: time | None = None

    def period(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        start = local_to_utc(self.on_date, self.starts, zone)
        if self.ends is None:
            return start, local_day_bounds(self.on_date, zone)[1]
        return start, local_to_utc(self.on_date, self.ends, zone, end=True)


@dataclass(frozen=True)
class Plan:
    """A staff member's bookable moments as they would be: the weekly pattern from
    ``from_day`` on, and every opening and closure from today on."""

    staff_id: int
    from_day: date
    weekly: tuple[Hours, ...] = ()
    openings: tuple[Opening, ...] = ()
    closures: tuple[Closure, ...] = ()


class Problem(StrEnum):
    IN_THE_PAST = "in_the_past"
    ENDS_BEFORE_IT_STARTS = "ends_before_it_starts"
    OUTSIDE_HOURS = "outside_hours"  # before EARLIEST or after LATEST
    OVERLAPS = "overlaps"  # with an earlier row of the same day


Part = Literal["from_day", "weekly", "openings", "closures"]


@dataclass(frozen=True)
class Fault:
    """What is wrong with one field of a plan: row ``index`` of ``part``."""

    part: Part
    index: int
    field: Literal["day", "starts", "ends"]
    problem: Problem


class Decision(StrEnum):
    """What becomes of an appointment a change strands."""

    KEEP = "keep"
    MOVE = "move"
    CANCEL = "cancel"


@dataclass(frozen=True)
class Outcome:
    booking: Booking
    decision: Decision
    staff_id: int  # who has it now
    start: datetime  # when it is now


# --- Checking a plan ----------------------------------------------------------------------


def problems(plan: Plan, *, today: date) -> list[Fault]:
    """Everything wrong with ``plan`` (empty: it can be saved)."""
    faults: list[Fault] = []
    if plan.from_day < today:
        faults.append(Fault("from_day", 0, "day", Problem.IN_THE_PAST))
    faults += _window_faults("weekly", [(h.weekday, h.starts, h.ends) for h in plan.weekly])
    for i, opening in enumerate(plan.openings):
        if opening.on_date < today:
            faults.append(Fault("openings", i, "day", Problem.IN_THE_PAST))
    faults += _window_faults("openings", [(o.on_date, o.starts, o.ends) for o in plan.openings])
    for i, closure in enumerate(plan.closures):
        if closure.on_date < today:
            faults.append(Fault("closures", i, "day", Problem.IN_THE_PAST))
        if closure.ends is not None and closure.ends <= closure.starts:
            faults.append(Fault("closures", i, "ends", Problem.ENDS_BEFORE_IT_STARTS))
    return faults


def _window_faults(part: Part, rows: Sequence[tuple[object, time, time]]) -> list[Fault]:
    faults: list[Fault] = []
    sound: list[tuple[object, time, time]] = []  # rows fine in themselves, to test overlaps
    for i, (day, starts, ends) in enumerate(rows):
        found = len(faults)
        if not EARLIEST <= starts <= LATEST:
            faults.append(Fault(part, i, "starts", Problem.OUTSIDE_HOURS))
        if not EARLIEST <= ends <= LATEST:
            faults.append(Fault(part, i, "ends", Problem.OUTSIDE_HOURS))
        elif ends <= starts:
            faults.append(Fault(part, i, "ends", Problem.ENDS_BEFORE_IT_STARTS))
        if len(faults) > found:
            continue
        # One person cannot be in two places at once, whatever the location.
        if any(d == day and s < ends and starts < e for d, s, e in sound):
            faults.append(Fault(part, i, "starts", Problem.OVERLAPS))
        else:
            sound.append((day, starts, ends))
    return faults


# --- What is stored -----------------------------------------------------------------------


def _rows(session: Session, staff_id: int) -> list[Availability]:
    return list(
        session.scalars(
            select(Availability).where(Availability.staff_id == staff_id).order_by(Availability.id)
        )
    )


def _closures(session: Session, staff_id: int, today: date, zone: ZoneInfo) -> list[Absence]:
    """The staff member's own closures from today on (GALOP's absences are not theirs to edit)."""
    return list(
        session.scalars(
            select(Absence)
            .where(
                Absence.staff_id == staff_id,
                Absence.kind == CLOSURE,
                Absence.external_id.is_(None),
                Absence.starts_at >= local_day_bounds(today, zone)[0],
            )
            .order_by(Absence.starts_at)
        )
    )


def _as_closure(absence: Absence, zone: ZoneInfo) -> Closure:
    start, end = absence.starts_at.astimezone(zone), absence.ends_at.astimezone(zone)
    whole_rest = end.date() > start.date() and end.time() == time(0)
    return Closure(start.date(), start.time(), None if whole_rest else end.time())


def current_plan(
    session: Session, *, staff_id: int, from_day: date, now: datetime, zone: ZoneInfo
) -> Plan:
    """The staff member's moments as they stand: the weekly rows in force on ``from_day``,
    and the openings and closures from today on."""
    today = now.astimezone(zone).date()
    rows = [Window.of(r) for r in _rows(session, staff_id)]
    weekly = [
        Hours(w.weekday, w.starts, w.ends, w.location, w.site_id)
        for w in rows
        if w.weekday is not None
        and (w.valid_from is None or w.valid_from <= from_day)
        and (w.valid_until is None or from_day <= w.valid_until)
    ]
    openings = [
        Opening(w.on_date, w.starts, w.ends, w.location, w.site_id)
        for w in rows
        if w.on_date is not None and w.on_date >= today
    ]
    return Plan(
        staff_id,
        from_day,
        tuple(sorted(weekly, key=lambda h: (h.weekday, h.starts))),
        tuple(sorted(openings, key=lambda o: (o.on_date, o.starts))),
        tuple(_as_closure(a, zone) for a in _closures(session, staff_id, today, zone)),
    )


def services_of(session: Session, staff: Staff) -> list[Service]:
    """The services ``staff`` can be booked for: as a district's officer, a team member, or
    the case handler who invites (services without a team: every case handler)."""
    in_team = select(ServiceTeam.service_id).where(ServiceTeam.staff_id == staff.id)
    has_team = select(ServiceTeam.staff_id).where(ServiceTeam.service_id == Service.id).exists()
    served: ColumnElement[bool] = Service.id.in_(in_team)
    if Role.DISTRICT_OFFICER in staff.role_set:
        served |= Service.served_by == ServedBy.DISTRICT_OFFICER
    if Role.CASE_HANDLER in staff.role_set:
        served |= (Service.served_by == ServedBy.INVITED_STAFF) & ~has_team
    return list(session.scalars(select(Service).where(served).order_by(Service.id)))


# --- The plan against the stored moments ----------------------------------------------------


def planned_windows(current: Iterable[Window], plan: Plan, *, today: date) -> list[Window]:
    """The windows the staff member would have once ``plan`` is saved (``save`` stores these)."""
    current = list(current)
    unchanged = _unchanged_pattern(current, plan)
    after: list[Window] = []
    for window in current:
        if window.on_date is not None:
            if window.on_date < today:  # past openings stay as they were
                after.append(window)
        elif unchanged or (window.valid_until is not None and window.valid_until < plan.from_day):
            after.append(window)
        elif window.valid_from is None or window.valid_from < plan.from_day:
            after.append(replace(window, valid_until=plan.from_day - timedelta(days=1)))
        # else: it would only start later, and the new pattern replaces it entirely
    if not unchanged:
        after += [
            Window(
                plan.staff_id,
                h.location,
                h.site_id,
                h.starts,
                h.ends,
                weekday=h.weekday,
                valid_from=plan.from_day,
            )
            for h in plan.weekly
        ]
    after += [
        Window(plan.staff_id, o.location, o.site_id, o.starts, o.ends, on_date=o.on_date)
        for o in plan.openings
    ]
    return after


def _unchanged_pattern(current: Iterable[Window], plan: Plan) -> bool:
    """Whether ``plan.weekly`` is the pattern in force on ``from_day`` already: then nothing
    changes (not even a pattern scheduled to start later, say after the summer)."""
    in_force = sorted(
        (w.weekday, w.starts, w.ends, w.location, w.site_id or 0)
        for w in current
        if w.weekday is not None
        and (w.valid_from is None or w.valid_from <= plan.from_day)
        and (w.valid_until is None or plan.from_day <= w.valid_until)
    )
    wanted = sorted((h.weekday, h.starts, h.ends, h.location, h.site_id or 0) for h in plan.weekly)
    return in_force == wanted


def _other_absences(
    session: Session, staff_id: int, start: datetime, end: datetime, replaced: set[int]
) -> list[tuple[datetime, datetime]]:
    return [
        (a.starts_at, a.ends_at)
        for a in session.scalars(
            select(Absence).where(
                Absence.staff_id == staff_id, Absence.starts_at < end, Absence.ends_at > start
            )
        )
        if a.id not in replaced
    ]


def preview(
    session: Session,
    *,
    plan: Plan,
    service: Service,
    now: datetime,
    zone: ZoneInfo,
    days: int = PREVIEW_DAYS,
) -> list[Slot]:
    """The free moments of ``service`` the staff member would offer over the next ``days``
    days once ``plan`` is saved: the slot finder on the planned windows, nothing stored.

    Only this staff member's own moments: a team service that needs several people at once
    is shown as if one sufficed, and a stand-in's moments as if always open."""
    today = now.astimezone(zone).date()
    last_day = today + timedelta(days=days - 1)
    rules = replace(Rules.of(service), staff_required=1)
    start = local_day_bounds(today, zone)[0] - rules.travel - MAX_RESERVATION
    end = local_day_bounds(last_day, zone)[1] + rules.travel
    allowed = {LocationKind(loc) for loc in service.locations}
    current = [Window.of(r) for r in _rows(session, plan.staff_id)]
    windows = [w for w in planned_windows(current, plan, today=today) if w.location in allowed]
    busy = [
        (r.blocked_from, r.blocked_until)
        for r in session.scalars(
            select(Reservation).where(
                Reservation.staff_id == plan.staff_id,
                Reservation.blocked_from < end,
                Reservation.blocked_until > start,
            )
        )
    ]
    replaced = {a.id for a in _closures(session, plan.staff_id, today, zone)}
    absent = _other_absences(session, plan.staff_id, start, end, replaced)
    absent += [c.period(zone) for c in plan.closures]
    return compute_slots(
        rules=rules,
        windows=windows,
        busy={plan.staff_id: busy},
        absences={plan.staff_id: absent},
        first_day=today,
        last_day=last_day,
        now=now,
        zone=zone,
    )


def _live_bookings(session: Session, staff_id: int, now: datetime) -> list[Booking]:
    """Confirmed appointments still to start that hold time of ``staff_id``."""
    return list(
        session.scalars(
            select(Booking)
            .join(Reservation, Reservation.booking_id == Booking.id)
            .where(
                Reservation.staff_id == staff_id,
                Booking.status == BookingStatus.CONFIRMED,
                Booking.start_at > now,
            )
            .order_by(Booking.start_at, Booking.id)
        ).unique()
    )


def _fits(
    booking: Booking,
    windows: Sequence[Window],
    closed: Sequence[tuple[datetime, datetime]],
    zone: ZoneInfo,
) -> bool:
    """Whether ``booking`` lies wholly inside one of ``windows`` at its place, clear of
    ``closed`` (travel included)."""
    day = booking.start_at.astimezone(zone).date()
    inside = any(
        w.location is booking.location
        and (booking.location is not LocationKind.OFFICE or w.site_id == booking.site_id)
        and w.applies_on(day)
        and local_to_utc(day, w.starts, zone) <= booking.start_at
        and booking.end_at <= local_to_utc(day, w.ends, zone, end=True)
        for w in windows
    )
    blocked_from, blocked_until = Rules.of_booking(booking).blocked(
        booking.start_at, booking.location
    )
    return inside and not any(s < blocked_until and blocked_from < e for s, e in closed)


def stranded(session: Session, *, plan: Plan, now: datetime, zone: ZoneInfo) -> list[Booking]:
    """The booked future appointments of the staff member that lie inside their availability
    now and would lie outside it once ``plan`` is saved, in start order. (One already outside,
    kept as an exception before, is not asked about again.)"""
    today = now.astimezone(zone).date()
    current = [Window.of(r) for r in _rows(session, plan.staff_id)]
    closed_now = [(a.starts_at, a.ends_at) for a in _closures(session, plan.staff_id, today, zone)]
    after = planned_windows(current, plan, today=today)
    closed_after = [c.period(zone) for c in plan.closures]
    return [
        b
        for b in _live_bookings(session, plan.staff_id, now)
        if _fits(b, current, closed_now, zone) and not _fits(b, after, closed_after, zone)
    ]


# --- Saving -------------------------------------------------------------------------------


def save(
    session: Session,
    *,
    plan: Plan,
    decisions: Mapping[int, Decision],
    actor: Actor,
    now: datetime,
    zone: ZoneInfo,
) -> list[Outcome]:
    """Store ``plan`` and carry out the decision (by booking id) for every appointment it
    strands; one outcome per stranded appointment, in start order.

    Raises ``InvalidRequest`` for a plan with problems or a stranded appointment without a
    decision, ``SlotUnavailable`` (field: the booking id) when one cannot be moved; the
    caller then rolls back, as for any error."""
    today = now.astimezone(zone).date()
    if problems(plan, today=today):
        raise InvalidRequest("These bookable moments cannot be saved.", field="plan")
    strand = stranded(session, plan=plan, now=now, zone=zone)
    undecided = [b.id for b in strand if b.id not in decisions]
    if undecided:
        raise InvalidRequest("Decide about every stranded appointment.", field=str(undecided[0]))
    rows = _rows(session, plan.staff_id)
    _store_weekly(session, rows, plan, actor=actor, now=now)
    _store_openings(session, rows, plan, today=today, actor=actor, now=now)
    _store_closures(session, plan, today=today, actor=actor, now=now, zone=zone)
    session.flush()
    closures = _closures(session, plan.staff_id, today, zone)
    return [
        _carry_out(
            session,
            b,
            decisions[b.id],
            _cause(b, plan.staff_id, closures),
            actor=actor,
            now=now,
            zone=zone,
        )
        for b in strand
    ]


def _cause(booking: Booking, staff_id: int, closures: Sequence[Absence]) -> dict[str, Any]:
    """What the trail of a stranded appointment says made it move: the staff member's new
    moments and, when a closure covers it, that closure (``absence_id``, as a GALOP absence
    writes it, so the absences overview lists it under the closure)."""
    cause: dict[str, Any] = {"cause": "bookable_moments", "changed_staff_id": staff_id}
    blocked_from, blocked_until = Rules.of_booking(booking).blocked(
        booking.start_at, booking.location
    )
    for closure in closures:
        if closure.starts_at < blocked_until and blocked_from < closure.ends_at:
            cause["absence_id"] = closure.id
            break
    return cause


def _hours_details(rows: Iterable[Hours | Opening]) -> list[dict[str, Any]]:
    return [
        {
            "day": r.weekday if isinstance(r, Hours) else r.on_date.isoformat(),
            "starts": r.starts.isoformat("minutes"),
            "ends": r.ends.isoformat("minutes"),
            "location": r.location.value,
            "site_id": r.site_id,
        }
        for r in rows
    ]


def _store_weekly(
    session: Session, rows: list[Availability], plan: Plan, *, actor: Actor, now: datetime
) -> None:
    """End the weekly rows in force the day before ``from_day``, drop those that would only
    start later, and add the new ones (nothing at all when the pattern is the same)."""
    if _unchanged_pattern([Window.of(r) for r in rows], plan):
        return
    for row in rows:
        if row.weekday is None or (row.valid_until is not None and row.valid_until < plan.from_day):
            continue
        if row.valid_from is None or row.valid_from < plan.from_day:
            row.valid_until = plan.from_day - timedelta(days=1)
        else:
            session.delete(row)
    session.add_all(
        Availability(
            staff_id=plan.staff_id,
            weekday=h.weekday,
            starts=h.starts,
            ends=h.ends,
            location=h.location,
            site_id=h.site_id,
            valid_from=plan.from_day,
        )
        for h in plan.weekly
    )
    note(
        session,
        actor=actor,
        action="weekly_hours_replaced",
        now=now,
        details={
            "staff_id": plan.staff_id,
            "from": plan.from_day.isoformat(),
            "hours": _hours_details(plan.weekly),
        },
    )


def _store_openings(
    session: Session,
    rows: list[Availability],
    plan: Plan,
    *,
    today: date,
    actor: Actor,
    now: datetime,
) -> None:
    stored = {
        Opening(r.on_date, r.starts, r.ends, r.location, r.site_id): r
        for r in rows
        if r.on_date is not None and r.on_date >= today
    }
    wanted = set(plan.openings)
    for opening, row in stored.items():
        if opening not in wanted:
            session.delete(row)
            _note_opening(session, "opening_removed", plan.staff_id, opening, actor, now)
    for opening in dict.fromkeys(plan.openings):
        if opening not in stored:
            session.add(
                Availability(
                    staff_id=plan.staff_id,
                    on_date=opening.on_date,
                    starts=opening.starts,
                    ends=opening.ends,
                    location=opening.location,
                    site_id=opening.site_id,
                )
            )
            _note_opening(session, "opening_added", plan.staff_id, opening, actor, now)


def _note_opening(
    session: Session, action: str, staff_id: int, opening: Opening, actor: Actor, now: datetime
) -> None:
    (details,) = _hours_details([opening])
    note(session, actor=actor, action=action, now=now, details={"staff_id": staff_id, **details})


def _store_closures(
    session: Session, plan: Plan, *, today: date, actor: Actor, now: datetime, zone: ZoneInfo
) -> None:
    stored = {(a.starts_at, a.ends_at): a for a in _closures(session, plan.staff_id, today, zone)}
    wanted = {c.period(zone) for c in plan.closures}
    for period, absence in stored.items():
        if period not in wanted:
            session.delete(absence)
            _note_closure(session, "closure_removed", plan.staff_id, period, actor, now)
    for period in sorted(wanted - stored.keys()):
        session.add(
            Absence(staff_id=plan.staff_id, starts_at=period[0], ends_at=period[1], kind=CLOSURE)
        )
        _note_closure(session, "closure_added", plan.staff_id, period, actor, now)


def _note_closure(
    session: Session,
    action: str,
    staff_id: int,
    period: tuple[datetime, datetime],
    actor: Actor,
    now: datetime,
) -> None:
    details = {"staff_id": staff_id, "starts_at": period[0].isoformat()}
    note(
        session,
        actor=actor,
        action=action,
        now=now,
        details={**details, "ends_at": period[1].isoformat()},
    )


def _carry_out(
    session: Session,
    booking: Booking,
    decision: Decision,
    cause: dict[str, Any],
    *,
    actor: Actor,
    now: datetime,
    zone: ZoneInfo,
) -> Outcome:
    staff_id = cause["changed_staff_id"]
    if decision is Decision.KEEP:
        # Left as it is, outside the new moments: recorded as the exception it is.
        record(session, actor=actor, action="kept", booking=booking, now=now, details=cause)
    elif decision is Decision.CANCEL:
        cancel(session, booking=booking, actor=actor, now=now, reason=ABSENCE_REASON, details=cause)
    elif pass_on(session, booking, staff_id, cause=cause, actor=actor, now=now, zone=zone) is None:
        slot = _next_free(session, booking, now=now, zone=zone)
        if slot is None:
            raise SlotUnavailable(
                "No free moment to move this appointment to.", field=str(booking.id)
            )
        reschedule(
            session,
            booking=booking,
            start=slot.start,
            actor=actor,
            now=now,
            zone=zone,
            details=cause,
        )
    return Outcome(booking, decision, booking.staff_id, booking.start_at)


def _next_free(session: Session, booking: Booking, *, now: datetime, zone: ZoneInfo) -> Slot | None:
    """The booking's staff member's first free moment for it from its own time on (else the
    latest one before it), within MOVE_SEARCH_DAYS, at the same kind of place."""
    first = max(booking.start_at.astimezone(zone).date(), now.astimezone(zone).date())
    slots = find_slots(
        session,
        service=booking.service,
        staff_ids=[booking.staff_id],
        first_day=first - timedelta(days=MOVE_SEARCH_DAYS),
        last_day=first + timedelta(days=MOVE_SEARCH_DAYS),
        now=now,
        zone=zone,
        location=booking.location,
        place=booking.village_id if booking.location is LocationKind.HOME else None,
    )
    later = [s for s in slots if s.start >= booking.start_at]
    earlier = [s for s in slots if s.start < booking.start_at]
    return later[0] if later else (earlier[-1] if earlier else None)
