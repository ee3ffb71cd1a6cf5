"""The slot finder: which moments a service can be booked, for which staff, in a date range.

The computation itself (``compute_slots``) is a pure function of plain data, so its
invariants can be tested without a database; ``find_slots`` loads that data in three
indexed queries whose cost follows the days and staff searched, not the size of history.
"""

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from scheduling import capacity as assistance_capacity
from scheduling import rounds
from scheduling.calendar import is_public_holiday
from scheduling.enums import Audience, LocationKind
from scheduling.errors import InvalidRequest
from scheduling.models import Absence, Availability, Booking, Reservation, Service, Staff
from scheduling.rounds import ADJACENT, ROUND_STEP, Travel
from scheduling.zone_time import local_day_bounds, local_to_utc

# No reservation may be longer than this; it bounds how far back the finder looks.
MAX_RESERVATION = timedelta(hours=24)
MAX_SEARCH_DAYS = 92


@dataclass(frozen=True)
class Window:
    """A bookable window of one staff member in local wall time (weekly or one-off)."""

    staff_id: int
    location: LocationKind
    site_id: int | None
    starts: time
    ends: time
    weekday: int | None = None
    on_date: date | None = None
    valid_from: date | None = None
    valid_until: date | None = None

    @classmethod
    def of(cls, row: Availability) -> "Window":
        """The window a stored availability row describes."""
        return cls(
            staff_id=row.staff_id,
            location=row.location,
            site_id=row.site_id,
            starts=row.starts,
            ends=row.ends,
            weekday=row.weekday,
            on_date=row.on_date,
            valid_from=row.valid_from,
            valid_until=row.valid_until,
        )

    def applies_on(self, day: date) -> bool:
        if self.on_date is not None:
            return self.on_date == day
        if self.weekday != day.weekday():
            return False
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


@dataclass(frozen=True)
class Rules:
    """The parts of a service that decide which moments it offers."""

    duration: timedelta
    travel: timedelta  # before and after, for home visits only
    min_notice: timedelta
    horizon_days: int
    staff_required: int = 1

    @classmethod
    def of(
        cls,
        service: Service,
        *,
        officers: int | None = None,
        duration_minutes: int | None = None,
    ) -> "Rules":
        """The service's rules; a booker may ask more officers or a longer appointment up to
        the service's maxima (bailiff assistance), else a refusal names the field."""
        officers = service.staff_required if officers is None else officers
        minutes = service.duration_minutes if duration_minutes is None else duration_minutes
        if not 1 <= officers <= max(service.staff_max, service.staff_required):
            raise InvalidRequest("More officers than this service can send.", field="officers")
        longest = service.duration_max_minutes or service.duration_minutes
        if not (15 <= minutes <= longest and minutes % 15 == 0):
            raise InvalidRequest(
                f"The duration must be whole quarter hours, at most {longest} minutes.",
                field="duration_minutes",
            )
        return cls(
            duration=timedelta(minutes=minutes),
            travel=timedelta(minutes=service.travel_minutes),
            min_notice=timedelta(minutes=service.min_notice_minutes),
            horizon_days=service.horizon_days,
            staff_required=officers,
        )

    @classmethod
    def of_booking(cls, booking: Booking) -> "Rules":
        """The rules a booking was made under: its own duration and number of officers."""
        return replace(
            cls.of(booking.service),
            duration=booking.end_at - booking.start_at,
            staff_required=booking.officers,
        )

    def travel_for(self, location: LocationKind) -> timedelta:
        return self.travel if location is not LocationKind.OFFICE else timedelta(0)

    def blocked(
        self, start: datetime, location: LocationKind, *, placed: bool = False
    ) -> tuple[datetime, datetime]:
        """The time a booking at ``start`` takes from its staff: travel included, unless the
        booking is ``placed`` in a village (then travel is checked against its neighbours)."""
        travel = timedelta(0) if placed else self.travel_for(location)
        return start - travel, start + self.duration + travel


@dataclass(frozen=True)
class Slot:
    start: datetime  # UTC
    end: datetime  # UTC
    staff_ids: tuple[int, ...]  # one; or, for services that need a team at once, all free
    location: LocationKind
    site_id: int | None
    # On the officer's round: next to a visit they already have in the same village.
    near: bool = False
    # The driving this moment adds to the officer's day (rounds only; see ``_detour``).
    detour: timedelta = timedelta(0)


# Detours this close count as equal, so time still decides between them.
DETOUR_STEP = timedelta(minutes=5)


def round_order(slots: Iterable[Slot]) -> list[Slot]:
    """The order in which every channel offers moments: those on the officer's round first,
    in time order; then the rest by the driving they add, in 15-minute steps, then time (a
    day the officer is out anyway before a day they would drive out for this visit alone)."""
    return sorted(slots, key=lambda s: (not s.near, s.detour // DETOUR_STEP, s.start))


# A placed reservation: its period and the village it is in.
Visit = tuple[datetime, datetime, int]


@dataclass(frozen=True)
class Places:
    """What the finder needs to plan rounds: the travel times, the village of the home visit
    searched for, each site's village, each staff member's placed reservations, and the
    village of each staff member's office (where their day's round starts and ends)."""

    travel: Travel
    place: int | None = None
    site_villages: Mapping[int, int] | None = None
    visits: Mapping[int, Sequence[Visit]] | None = None
    offices: Mapping[int, int] | None = None

    def village(self, window: "Window") -> int | None:
        """Where a moment in ``window`` is: the visit's village, or the office's."""
        if window.location is LocationKind.HOME:
            return self.place
        if window.location is LocationKind.OFFICE and window.site_id is not None:
            return (self.site_villages or {}).get(window.site_id)
        return None


class _Round:
    """One staff member's placed reservations, sorted, to find a moment's neighbours."""

    def __init__(self, visits: Iterable[Visit]) -> None:
        self._visits = sorted(visits)
        self._starts = [v[0] for v in self._visits]

    def neighbours(self, start: datetime, end: datetime) -> tuple[Visit | None, Visit | None]:
        """The visit before ``start`` and the one after ``end`` (the moment overlaps none)."""
        i = bisect_left(self._starts, end)
        return (
            self._visits[i - 1] if i > 0 else None,
            self._visits[i] if i < len(self._visits) else None,
        )


def _detour(
    village: int,
    before: Visit | None,
    after: Visit | None,
    day: tuple[datetime, datetime],
    office: int | None,
    travel: Travel,
) -> timedelta:
    """The driving a visit here adds to the officer's day: from the stop before and on to
    the one after, less the drive between those two; the day's first and last stop connect
    to the officer's office. On a day with nothing yet, the drive out and back."""
    origin = before[2] if before is not None and before[1] > day[0] else None
    onward = after[2] if after is not None and after[0] < day[1] else None
    if origin is None and onward is None:
        return travel.between(office, village) + travel.between(village, office)
    origin = office if origin is None else origin
    onward = office if onward is None else onward
    return (
        travel.between(origin, village)
        + travel.between(village, onward)
        - travel.between(origin, onward)
    )


def _fits_round(
    start: datetime,
    end: datetime,
    village: int,
    round_: "_Round",
    travel: Travel,
    base: tuple[datetime, datetime, int] | None,
    day: tuple[datetime, datetime],
    office: int | None,
) -> tuple[bool, bool, timedelta]:
    """(reachable, near, detour): the officer can drive here from the visit before and on to
    the one after (from and back to the window's office when it names one); ``near`` when a
    neighbour is in the same village, close by; ``detour`` as ``_detour`` (``day``: the
    local day's bounds, ``office``: the officer's office's village)."""
    before, after = round_.neighbours(start, end)
    near = bool(
        (before and before[2] == village and start - before[1] <= ADJACENT)
        or (after and after[2] == village and after[0] - end <= ADJACENT)
    )
    detour = _detour(village, before, after, day, office, travel)
    if base is not None:
        opens, closes, office = base
        if before is None or before[1] < opens:
            before = (opens, opens, office)
        if after is None or after[0] > closes:
            after = (closes, closes, office)
    if before is not None and start - before[1] < travel.between(before[2], village):
        return False, near, detour
    if after is not None and after[0] - end < travel.between(village, after[2]):
        return False, near, detour
    return True, near, detour


class _Busy:
    """The blocked periods of one staff member, sorted, for fast overlap tests."""

    def __init__(self, periods: Iterable[tuple[datetime, datetime]]) -> None:
        self._periods = sorted(periods)
        self._starts = [p[0] for p in self._periods]
        # Running maximum of ends lets one bisect answer "does anything overlap?".
        self._max_end: list[datetime] = []
        for _, end in self._periods:
            self._max_end.append(max(end, self._max_end[-1]) if self._max_end else end)

    def overlaps(self, start: datetime, end: datetime) -> bool:
        i = bisect_left(self._starts, end)  # periods starting before ``end``
        return i > 0 and self._max_end[i - 1] > start


def compute_slots(
    *,
    rules: Rules,
    windows: Sequence[Window],
    busy: dict[int, list[tuple[datetime, datetime]]],
    absences: dict[int, list[tuple[datetime, datetime]]],
    first_day: date,
    last_day: date,
    now: datetime,
    zone: ZoneInfo,
    location: LocationKind | None = None,
    covers: Mapping[int, int] | None = None,
    capacity: assistance_capacity.Capacity | None = None,
    places: Places | None = None,
) -> list[Slot]:
    """Every free moment, sorted by start then staff.

    A moment is free when it lies inside a window of its staff member, is not on a
    Belgian public holiday, starts after ``now`` + minimum notice and within the horizon,
    and neither the appointment nor its travel overlaps an absence or another reservation.
    ``covers`` maps a stand-in to the officer they replace: the stand-in's moments count
    only while that officer is absent (``absences`` then holds the officer's too).
    ``capacity`` (bailiff assistance): a moment also needs that many officers left under the
    zone's capacity rule for its whole time, travel included.
    ``places`` (the zone keeps travel times): a moment in a known village also needs the drive
    from the officer's visit before and to the one after (``_fits_round``); home visits then
    start on a finer grid and take no fixed travel.
    """
    covers = covers or {}
    earliest = now + rules.min_notice
    last_day = min(last_day, now.astimezone(zone).date() + timedelta(days=rules.horizon_days))
    busy_of = {sid: _Busy(p) for sid, p in busy.items()}
    absent_of = {sid: _Busy(p) for sid, p in absences.items()}
    empty = _Busy(())
    round_of = {sid: _Round(v) for sid, v in ((places.visits or {}) if places else {}).items()}
    no_round = _Round(())

    # (start, location, site) → staff free at that moment
    free: dict[tuple[datetime, LocationKind, int | None], list[int]] = defaultdict(list)
    near: set[tuple[datetime, int]] = set()  # (start, staff) on that staff member's round
    detours: dict[tuple[datetime, int], timedelta] = {}
    day = first_day
    while day <= last_day:
        if not is_public_holiday(day):
            bounds = local_day_bounds(day, zone)
            for window in windows:
                if location is not None and window.location is not location:
                    continue
                if not window.applies_on(day):
                    continue
                village = places.village(window) if places else None
                placed = village is not None and window.location is LocationKind.HOME
                step = (
                    ROUND_STEP if placed else rules.duration + 2 * rules.travel_for(window.location)
                )
                base = _base(window, day, zone, places) if placed else None
                for start in _starts_in(window, day, rules.duration, step, zone):
                    if start < earliest:
                        continue
                    if absent_of.get(window.staff_id, empty).overlaps(
                        *rules.blocked(start, window.location)
                    ):
                        continue
                    blocked_from, blocked_until = rules.blocked(
                        start, window.location, placed=placed
                    )
                    covered = covers.get(window.staff_id)
                    if covered is not None and not absent_of.get(covered, empty).overlaps(
                        start, start + rules.duration
                    ):
                        continue
                    if busy_of.get(window.staff_id, empty).overlaps(blocked_from, blocked_until):
                        continue
                    if places is not None and village is not None:
                        reachable, close_by, detour = _fits_round(
                            blocked_from,
                            blocked_until,
                            village,
                            round_of.get(window.staff_id, no_round),
                            places.travel,
                            base,
                            bounds,
                            (places.offices or {}).get(window.staff_id),
                        )
                        if not reachable:
                            continue
                        if close_by:
                            near.add((start, window.staff_id))
                        detours[(start, window.staff_id)] = detour
                    key = (start, window.location, window.site_id)
                    if window.staff_id not in free[key]:
                        free[key].append(window.staff_id)
        day += timedelta(days=1)

    slots: list[Slot] = []
    for (start, loc, site_id), staff in free.items():
        if len(staff) < rules.staff_required:
            continue
        if capacity is not None and not capacity.allows(
            *rules.blocked(start, loc), rules.staff_required
        ):
            continue
        staff.sort()
        if rules.staff_required == 1:
            slots.extend(
                Slot(
                    start,
                    start + rules.duration,
                    (sid,),
                    loc,
                    site_id,
                    (start, sid) in near,
                    detours.get((start, sid), timedelta(0)),
                )
                for sid in staff
            )
        else:
            # A team booking: every free member is listed, the booking picks the number needed.
            slots.append(Slot(start, start + rules.duration, tuple(staff), loc, site_id))
    slots.sort(key=lambda s: (s.start, s.staff_ids))
    return slots


def _base(
    window: Window, day: date, zone: ZoneInfo, places: Places | None
) -> tuple[datetime, datetime, int] | None:
    """A home-visit window that names its office: the round leaves from it at the window's
    start and is back by its end (opens, closes, the office's village)."""
    if places is None or window.site_id is None:
        return None
    office = (places.site_villages or {}).get(window.site_id)
    if office is None:
        return None
    return (
        local_to_utc(day, window.starts, zone),
        local_to_utc(day, window.ends, zone, end=True),
        office,
    )


def _starts_in(
    window: Window, day: date, duration: timedelta, step: timedelta, zone: ZoneInfo
) -> Iterable[datetime]:
    """Start instants of whole appointments inside a window.

    Steps are taken in real (UTC) time from the window's first moment, so a window that
    spans a DST change holds as many appointments as it has real hours.
    """
    start = local_to_utc(day, window.starts, zone)
    last_end = local_to_utc(day, window.ends, zone, end=True)
    while start + duration <= last_end:
        yield start
        start += step


def _open_spans(
    windows: Sequence[Window],
    first_day: date,
    last_day: date,
    zone: ZoneInfo,
    travel: timedelta,
    location: LocationKind | None,
) -> list[tuple[datetime, datetime]]:
    """Per day with a window (of ``location``), from its first window's start to its last
    window's end, travel included, in UTC: where a moment's time can lie at all."""
    spans = []
    day = first_day
    while day <= last_day:
        open_today = [
            w for w in windows if w.applies_on(day) and (location is None or w.location is location)
        ]
        if open_today and not is_public_holiday(day):
            start = local_to_utc(day, min(w.starts for w in open_today), zone)
            end = local_to_utc(day, max(w.ends for w in open_today), zone, end=True)
            spans.append((start - travel, end + travel))
        day += timedelta(days=1)
    return spans


def _places(
    session: Session,
    travel: Travel,
    place: int | None,
    staff_ids: Sequence[int],
    visits: Mapping[int, Sequence[Visit]],
) -> Places:
    """The rounds' data for a search: the sites' villages and each staff member's office."""
    sites = rounds.site_villages(session)
    homes = session.execute(
        select(Staff.id, Staff.home_site_id).where(Staff.id.in_(staff_ids))
    ).tuples()
    offices = {s: sites[h] for s, h in homes if h is not None and h in sites}
    return Places(travel, place, sites, visits, offices)


def find_slots(
    session: Session,
    *,
    service: Service,
    staff_ids: Sequence[int],
    first_day: date,
    last_day: date,
    now: datetime,
    zone: ZoneInfo,
    location: LocationKind | None = None,
    covers: Mapping[int, int] | None = None,
    rules: Rules | None = None,
    place: int | None = None,
) -> list[Slot]:
    """Free moments of ``service`` with any of ``staff_ids`` between two local days (inclusive);
    ``covers`` and ``place`` (the village of a home visit) as in ``eligibility.Staffing``;
    ``rules`` when the booker asks other than the service's defaults (``Rules.of`` with
    officers, duration). In time order; ``round_order`` puts those on a round first."""
    if not staff_ids or last_day < first_day:
        return []
    range_start, _ = local_day_bounds(first_day, zone)
    _, range_end = local_day_bounds(last_day, zone)
    rules = rules or Rules.of(service)
    allowed_locations = {LocationKind(loc) for loc in service.locations}
    if location is not None and location not in allowed_locations:
        return []

    windows = [
        Window.of(a)
        for a in session.scalars(
            select(Availability).where(
                Availability.staff_id.in_(staff_ids),
                Availability.location.in_(allowed_locations),
                (Availability.on_date.is_(None))
                | Availability.on_date.between(first_day, last_day),
            )
        )
    ]
    travel = rounds.travel_table(session)
    # With travel times, a neighbour further away than the fixed travel still matters.
    reach = max(rules.travel, travel.longest) if travel else rules.travel
    spans = _open_spans(windows, first_day, last_day, zone, reach, location)
    if not spans:
        return []
    busy: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    visits: dict[int, list[Visit]] = defaultdict(list)
    for staff_id, blocked_from, blocked_until, village in session.execute(
        select(
            Reservation.staff_id,
            Reservation.blocked_from,
            Reservation.blocked_until,
            Booking.village_id,
        )
        .join(Booking, Reservation.booking_id == Booking.id)
        .where(
            Reservation.staff_id.in_(staff_ids),
            # Only what touches a day's open hours can take a moment: a team's calendar is
            # full of other appointments, and reading them all is most of a search's time.
            or_(
                *(
                    (Reservation.blocked_from >= start - MAX_RESERVATION)
                    & (Reservation.blocked_from < end)
                    & (Reservation.blocked_until > start)
                    for start, end in spans
                )
            ),
        )
    ):
        busy[staff_id].append((blocked_from, blocked_until))
        if village is not None:
            visits[staff_id].append((blocked_from, blocked_until, village))
    absences: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for staff_id, starts_at, ends_at in session.execute(
        select(Absence.staff_id, Absence.starts_at, Absence.ends_at).where(
            Absence.staff_id.in_({*staff_ids, *(covers or {}).values()}),
            Absence.starts_at < range_end + rules.travel,
            Absence.ends_at > range_start - rules.travel,
        )
    ):
        absences[staff_id].append((starts_at, ends_at))
    capacity = (
        assistance_capacity.load(session, spans, officers=rules.staff_required)
        if service.audience is Audience.BAILIFF
        else None
    )

    return compute_slots(
        rules=rules,
        windows=windows,
        busy=busy,
        absences=absences,
        first_day=first_day,
        last_day=last_day,
        now=now,
        zone=zone,
        location=location,
        covers=covers,
        capacity=capacity,
        places=(_places(session, travel, place, staff_ids, visits) if travel is not None else None),
    )
