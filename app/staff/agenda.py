"""The agenda (/staff/agenda): one's appointments by day or by week, and the printable day sheet
of a day's round. Managers see anyone's agenda, or everyone's, through a staff picker.

What one appointment shows (``Appointment``) is shared with its own page (``appointments``);
one person's day shows its round of visits with the drives (``agenda_round``).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

from flask import abort, render_template, request, url_for
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app import current
from app.db import get_session
from app.i18n import language
from app.phone import national
from app.places import address_line
from app.staff import bp
from app.staff.access import (
    AGENDA_ROLES,
    MANAGERS,
    is_manager,
    require_access,
    staff_required,
)
from app.staff.agenda_reports import reports_for
from app.staff.agenda_round import rounds_of
from app.staff.assistance_shown import Assistance, assistance_of
from app.values import parse_id, parse_iso_date
from scheduling.addresses import Address
from scheduling.enums import BookingStatus, LocationKind
from scheduling.models import Booking, Invitation, Reservation, Staff, StaffRole
from scheduling.zone_time import local_day_bounds

QUERY = ("day", "view", "staff")  # what an agenda address keeps when browsing
EVERYONE = "all"  # ?staff=all: every staff member's appointments (managers)
STATUS_LABELS: dict[BookingStatus, LazyString] = {
    BookingStatus.CONFIRMED: _l("Confirmed"),
    BookingStatus.CANCELLED: _l("Cancelled"),
    BookingStatus.DONE: _l("Done"),
    BookingStatus.NO_SHOW: _l("No-show"),
}
MAP_SEARCH = "https://www.openstreetmap.org/search?query="  # a plain link: no map script here


def today() -> date:
    return current.now().astimezone(current.zone()).date()


# --- What an appointment shows ------------------------------------------------------------


@dataclass(frozen=True)
class Appointment:
    booking: Booking
    status: str
    place: str  # the site's name, or what kind of visit
    address: str  # where to go: the site's address or the citizen's
    map_url: str | None  # visits: the address on OpenStreetMap
    phone: str  # as people write it
    dossier: str | None  # the invitation's dossier code
    assistance: Assistance | None = None  # bailiff assistance: office, file, risks...


def visit_address(booking: Booking) -> str:
    """Where the visit is, with its municipality ("Plaats 3, 1547 Bever"): a postcode alone
    does not tell an officer from another zone which village to drive to."""
    if booking.address_postcode and booking.address_street and booking.address_number:
        address = Address(booking.address_postcode, booking.address_street, booking.address_number)
        return address_line(get_session(), address)
    street = f"{booking.address_street or ''} {booking.address_number or ''}".strip()
    return ", ".join(part for part in (street, booking.address_postcode or "") if part)


def appointment(
    booking: Booking, dossier: str | None, assistance: Assistance | None = None
) -> Appointment:
    if booking.location is LocationKind.OFFICE:
        site = booking.site
        place = site.name if site else _("Police office")
        address = (
            f"{site.street} {site.number}, {site.postcode} {site.municipality}" if site else ""
        )
        map_url = None
    else:
        home = booking.location is LocationKind.HOME
        place = _("Home visit") if home else _("On site")
        address = visit_address(booking)
        map_url = MAP_SEARCH + quote(f"{address}, Belgium") if address else None
    return Appointment(
        booking,
        str(STATUS_LABELS[booking.status]),
        place,
        address,
        map_url,
        # Empty once the retention purge has anonymised it (app.retention).
        national(booking.citizen_phone) if booking.citizen_phone else "",
        dossier,
        assistance,
    )


def appointments(bookings: list[Booking]) -> list[Appointment]:
    """What each booking shows, with the dossier codes fetched in one query (and what
    assistance bookings carry in a few)."""
    ids = {b.invitation_id for b in bookings if b.invitation_id is not None}
    dossiers: dict[int, str] = {}
    if ids:
        rows = get_session().execute(
            select(Invitation.id, Invitation.dossier_code).where(Invitation.id.in_(ids))
        )
        dossiers = dict(rows.tuples().all())
    assisted = assistance_of(bookings)
    return [
        appointment(b, dossiers.get(b.invitation_id or 0), assisted.get(b.id)) for b in bookings
    ]


# --- Whose agenda, which days ---------------------------------------------------------------


def _whose(me: Staff) -> Staff | None:
    """The staff member whose agenda ``me`` asks for (?staff=<id>); None: everyone's. One's own
    by default, everyone's for managers without an agenda of their own; another's: managers."""
    asked = request.args.get("staff", "")
    if not asked:
        return None if is_manager(me) and not me.role_set & frozenset(AGENDA_ROLES) else me
    if asked == EVERYONE and is_manager(me):
        return None
    ident = parse_id(asked)
    if ident is None:  # no one's id; to others than managers a refusal like any other
        abort(400 if is_manager(me) else 403)
    require_access(ident)
    return get_session().get(Staff, ident) or abort(404)


def _day() -> date:
    """?day=YYYY-MM-DD, else today in the zone; the 400 page for a day that is no calendar
    day (the day before 0001-01-01 or after 9999-12-31 does not exist)."""
    asked = request.args.get("day", "")
    if not asked:
        return today()
    return parse_iso_date(asked) or abort(400)


def _bookings(whose: Staff | None, first: date, last: date, *, live: bool = False) -> list[Booking]:
    """The appointments from ``first`` to ``last`` (local days) in time order, also those
    ``whose`` is reserved for alongside a colleague (bailiff assistance); ``live``: not
    the cancelled ones."""
    start, end = (
        local_day_bounds(first, current.zone())[0],
        local_day_bounds(last, current.zone())[1],
    )
    query = select(Booking).where(Booking.start_at >= start, Booking.start_at < end)
    if whose is not None:
        reserved = select(Reservation.booking_id).where(Reservation.staff_id == whose.id)
        query = query.where(or_(Booking.staff_id == whose.id, Booking.id.in_(reserved)))
    if live:
        query = query.where(Booking.status != BookingStatus.CANCELLED)
    query = query.options(selectinload(Booking.site)).order_by(Booking.start_at, Booking.id)
    return list(get_session().scalars(query))


def _staff_choices() -> list[Staff]:
    """Whom a manager can pick: the active staff members who have an agenda."""
    with_agenda = select(StaffRole.staff_id).where(StaffRole.role.in_(AGENDA_ROLES))
    return list(
        get_session().scalars(
            select(Staff).where(Staff.active, Staff.id.in_(with_agenda)).order_by(Staff.name)
        )
    )


def _agenda_url(**changes: str | None) -> str:
    """This agenda page with some of its query changed (None drops an argument)."""
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k in QUERY}
    args.update(changes)
    return url_for("staff.agenda", **{k: v for k, v in args.items() if v is not None})


@dataclass(frozen=True)
class Navigation:
    previous: str
    next: str
    today: str
    other_view: str  # the week of this day, or this day of the week


def _navigation(day: date, week: bool) -> Navigation:
    step = timedelta(days=7 if week else 1)
    return Navigation(
        previous=_agenda_url(day=(day - step).isoformat()),
        next=_agenda_url(day=(day + step).isoformat()),
        today=_agenda_url(day=None),
        other_view=_agenda_url(view=None if week else "week"),
    )


def _title(me: Staff, whose: Staff | None) -> str:
    if whose is None:
        return str(_("All agendas"))
    if whose.id == me.id:
        return str(_("My agenda"))
    return str(_("Agenda of %(name)s", name=whose.name))


# --- The pages ------------------------------------------------------------------------------


@bp.get("/agenda")
@staff_required(*AGENDA_ROLES, *MANAGERS)
def agenda(me: Staff) -> str:
    whose, day = _whose(me), _day()
    week = request.args.get("view") == "week"
    first = day - timedelta(days=day.weekday()) if week else day
    days = [first + timedelta(days=n) for n in range(7 if week else 1)]
    shown = appointments(_bookings(whose, days[0], days[-1]))
    by_day = {
        d: [a for a in shown if a.booking.start_at.astimezone(current.zone()).date() == d]
        for d in days
    }
    return render_template(
        "staff/agenda.html",
        title=_title(me, whose),
        whose=whose,
        day=day,
        week=week,
        by_day=by_day,
        rounds=rounds_of(get_session(), whose, days),
        today=today(),
        nav=_navigation(day, week),
        staff_choices=_staff_choices() if is_manager() else None,
        picked=request.args.get("staff", ""),
        everyone=EVERYONE,
        # One's own agenda: the reports assigned to one, beside it.
        reports=(
            reports_for(me.id, now=current.now(), language=language())
            if whose is not None and whose.id == me.id
            else None
        ),
    )


@bp.get("/agenda/day-sheet")
@staff_required(*AGENDA_ROLES, *MANAGERS)
def day_sheet(me: Staff) -> str:
    whose, day = _whose(me), _day()
    return render_template(
        "staff/day_sheet.html",
        whose=whose,
        day=day,
        rows=appointments(_bookings(whose, day, day, live=True)),
        back_url=_agenda_url(),
    )
