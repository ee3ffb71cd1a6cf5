"""Free moments a call-taker can offer a caller, a few days at a time and grouped by day (a
caller hears "Tuesday: at nine or at half past ten"), with "More days" after them: to move an
appointment (same service, same officer, same kind of place) or to book one. Moments on the
officer's round (next to a visit in the same village) come first, marked with the village."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app import round_marks
from scheduling.eligibility import Staffing
from scheduling.enums import LocationKind
from scheduling.models import Booking, Service
from scheduling.slots import Slot, find_slots

DAYS_SHOWN = 3  # days with free moments on one screen: enough to choose, short to read out
ROUND_SHOWN = 3  # moments on the officer's round listed before the days
SEARCH_DAYS = 31  # how far one search looks ahead for them


@dataclass(frozen=True)
class MomentsOfDay:
    day: date
    slots: list[Slot]


@dataclass(frozen=True)
class Offer:
    """The days shown, and the day "More days" searches from (None: nothing further)."""

    days: list[MomentsOfDay]
    later: date | None
    # Moments on the officer's round in this search, first; each marked with its village.
    on_round: list[Slot] = field(default_factory=list)
    marks: dict[Slot, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.days


class SlotFilter:
    """Which found moments to offer: at one office, with one officer, not at one start."""

    def __init__(
        self,
        *,
        site_id: int | None = None,
        staff_id: int | None = None,
        not_at: datetime | None = None,
    ) -> None:
        self.site_id, self.staff_id, self.not_at = site_id, staff_id, not_at

    def __call__(self, slot: Slot) -> bool:
        return (
            (self.site_id is None or slot.site_id == self.site_id)
            and (self.staff_id is None or self.staff_id in slot.staff_ids)
            and slot.start != self.not_at
        )


def _offer(
    session: Session,
    *,
    service: Service,
    staffing: Staffing,
    location: LocationKind,
    from_day: date | None,
    now: datetime,
    zone: ZoneInfo,
    keep: SlotFilter,
) -> Offer:
    today = now.astimezone(zone).date()
    last_bookable = today + timedelta(days=service.horizon_days)
    first = max(from_day or today, today)
    last = min(first + timedelta(days=SEARCH_DAYS - 1), last_bookable)
    slots = [
        s
        for s in find_slots(
            session,
            service=service,
            staff_ids=staffing,
            covers=staffing.covers,
            place=staffing.place,
            first_day=first,
            last_day=last,
            now=now,
            zone=zone,
            location=location,
        )
        if keep(s)
    ]
    found = [
        MomentsOfDay(day, list(group))
        for day, group in groupby(slots, key=lambda s: s.start.astimezone(zone).date())
    ]
    days = found[:DAYS_SHOWN]
    if len(found) > DAYS_SHOWN:
        later: date | None = days[-1].day + timedelta(days=1)
    else:  # all of this search is shown: more only beyond it, within the service's horizon
        later = last + timedelta(days=1) if last < last_bookable else None
    marks = round_marks.villages(session, slots, place=staffing.place)
    return Offer(days, later, round_marks.on_round(marks, slots)[:ROUND_SHOWN], marks)


def moments_to_move(
    session: Session, booking: Booking, *, from_day: date | None, now: datetime, zone: ZoneInfo
) -> Offer:
    return _offer(
        session,
        service=booking.service,
        # The visit's own village: the move is planned on the officer's round too.
        staffing=Staffing([booking.staff_id], place=booking.village_id),
        location=booking.location,
        from_day=from_day,
        now=now,
        zone=zone,
        keep=SlotFilter(not_at=booking.start_at),
    )


def moments_to_book(
    session: Session,
    service: Service,
    staffing: Staffing,
    *,
    location: LocationKind,
    site_id: int | None,
    staff_id: int | None,
    from_day: date | None,
    now: datetime,
    zone: ZoneInfo,
) -> Offer:
    """The free moments of ``service`` with ``staffing`` (the wijkagent of the caller's
    address, or their stand-in while they are away) at ``location``; at one office and
    with one officer when the call-taker chose them."""
    return _offer(
        session,
        service=service,
        staffing=staffing,
        location=location,
        from_day=from_day,
        now=now,
        zone=zone,
        keep=SlotFilter(site_id=site_id, staff_id=staff_id),
    )
