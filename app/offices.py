"""What a citizen reads about an office, in their language: its description, when it is
open to walk in (the hours the zone entered), and when it receives by appointment — derived
from the officers' weekly bookable office moments there, so it cannot drift from what can
be booked."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.hours_text import hours_in_short
from app.places import site_address, site_description
from scheduling.enums import LocationKind
from scheduling.hours import Hours, Window, merged
from scheduling.models import Availability, Site

CLOSURES_AHEAD = timedelta(days=31)  # the zone's closing days a page names, from today


@dataclass(frozen=True)
class OfficeText:
    """One office as a page shows it ("" where there is nothing to say)."""

    name: str
    address: str  # one line
    description: str
    open_hours: str  # "ma–vr 08:00–16:30": walk in
    appointment_hours: str  # "ma 15:00–19:00; wo 09:00–12:00": by appointment


def _text(site: Site, language: str, by_appointment: Hours) -> OfficeText:
    return OfficeText(
        site.name,
        site_address(site),
        site_description(site, language),
        hours_in_short(Hours(site.hours), language),
        hours_in_short(by_appointment, language),
    )


def appointment_hours(
    session: Session, today: date, *, staff_id: int | None = None
) -> dict[int, Hours]:
    """Per site, the weekly office hours its officers (or only ``staff_id``) are bookable in
    the coming week: each weekday as the pattern in force on its next date. One-off
    openings are left out (they are not a weekly habit); the moment question shows them."""
    week = {(today + timedelta(days=n)).weekday(): today + timedelta(days=n) for n in range(7)}
    query = select(Availability).where(
        Availability.location == LocationKind.OFFICE,
        Availability.weekday.is_not(None),
        Availability.site_id.is_not(None),
        or_(Availability.valid_until.is_(None), Availability.valid_until >= today),
        or_(Availability.valid_from.is_(None), Availability.valid_from <= today + timedelta(6)),
    )
    if staff_id is not None:
        query = query.where(Availability.staff_id == staff_id)
    windows: dict[int, list[Window]] = {}
    for row in session.scalars(query):
        if row.weekday is None or row.site_id is None:  # not so, by the query
            continue
        on = week[row.weekday]
        if (row.valid_from or on) <= on <= (row.valid_until or on):
            windows.setdefault(row.site_id, []).append((row.weekday, row.starts, row.ends))
    return {site: Hours(merged(found)) for site, found in windows.items()}


def office_texts(
    session: Session,
    sites: list[Site],
    *,
    language: str,
    today: date,
) -> list[OfficeText]:
    """``sites`` as a page shows them, in ``language``."""
    by_appointment = appointment_hours(session, today)
    return [_text(site, language, by_appointment.get(site.id, Hours(()))) for site in sites]


def officer_offices(
    session: Session, staff_id: int, *, language: str, today: date
) -> list[OfficeText]:
    """The offices where this officer receives by appointment, with their own hours there."""
    hours = appointment_hours(session, today, staff_id=staff_id)
    sites = session.scalars(select(Site).where(Site.id.in_(hours)).order_by(Site.name))
    return [_text(site, language, hours[site.id]) for site in sites]


def closing_days_ahead(closed_days: frozenset[date], today: date) -> list[date]:
    """The zone's own closing days in the coming month, in order, for "also closed on"."""
    return sorted(d for d in closed_days if today <= d <= today + CLOSURES_AHEAD)
