"""Bailiff-assistance figures (/staff/bailiff-assistance/figures and its CSV), for the
supervisors and admins: per office and month of a year, the bookings, the hours of
assistance (clock hours, and officer-hours: duration × officers), the cancellations by the
office, the refusals or cancellations by the zone, and how many cancellations came inside
the service's cut-off (late). Late ones are counted whoever recorded them: inside the
cut-off the portal refuses the office's own cancellation and tells it to call the zone, so a
late cancellation is typically keyed in by a staff member on the office's call.

A booking counts in the month it takes place (local time), its hours only when it was not
cancelled. Who cancelled, and when, comes from the booking's history (the ``cancelled``
audit entry)."""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask import Response, abort, render_template, request
from flask_babel import format_decimal
from sqlalchemy import select

from app import current, ratelimit
from app.assistance.commands import late_cancellation
from app.db import get_session
from app.i18n import date_label
from app.staff import bp
from app.staff.access import MANAGERS, staff_required
from app.staff.reports.overview import safe_cell
from scheduling.enums import ActorKind, BookingStatus
from scheduling.models import AuditEntry, BailiffAccount, Booking, Staff
from scheduling.zone_time import local_day_bounds

FIRST_YEAR = 2000  # an address's ?year= before this is no year of this platform


@dataclass
class Row:
    """One office in one month."""

    office: str
    month: date  # its first day
    bookings: int = 0
    clock_minutes: int = 0
    officer_minutes: int = 0
    cancelled_by_office: int = 0
    cancelled_by_zone: int = 0
    late: int = 0  # cancellations inside the cut-off, by either side

    @property
    def clock_hours(self) -> float:
        return round(self.clock_minutes / 60, 2)

    @property
    def officer_hours(self) -> float:
        return round(self.officer_minutes / 60, 2)


def figures(year: int) -> list[Row]:
    """The rows of ``year``, by office name then month; months without bookings left out."""
    session, zone = get_session(), current.zone()
    start = local_day_bounds(date(year, 1, 1), zone)[0]
    end = local_day_bounds(date(year, 12, 31), zone)[1]
    bookings = list(
        session.scalars(
            select(Booking).where(
                Booking.bailiff_account_id.is_not(None),
                Booking.start_at >= start,
                Booking.start_at < end,
            )
        )
    )
    offices = dict(session.execute(select(BailiffAccount.id, BailiffAccount.name)).tuples().all())
    cancellations: dict[int, AuditEntry] = {}
    ids = [b.id for b in bookings if b.status is BookingStatus.CANCELLED]
    if ids:
        entries = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.booking_id.in_(ids), AuditEntry.action == "cancelled")
            .order_by(AuditEntry.at, AuditEntry.id)
        )
        for entry in entries:
            cancellations.setdefault(entry.booking_id or 0, entry)  # the first: the one
    rows: dict[tuple[str, date], Row] = {}
    for booking in bookings:
        local = booking.start_at.astimezone(zone).date()
        office = offices.get(booking.bailiff_account_id or 0, "")
        key = (office, local.replace(day=1))
        row = rows.setdefault(key, Row(office, key[1]))
        row.bookings += 1
        if booking.status is BookingStatus.CANCELLED:
            _count_cancellation(row, booking, cancellations.get(booking.id))
            continue
        minutes = int((booking.end_at - booking.start_at).total_seconds() // 60)
        row.clock_minutes += minutes
        row.officer_minutes += minutes * booking.officers
    return [rows[key] for key in sorted(rows)]


def _count_cancellation(row: Row, booking: Booking, entry: AuditEntry | None) -> None:
    if entry is not None and entry.actor_kind is ActorKind.BAILIFF:
        row.cancelled_by_office += 1
    else:  # a supervisor's refusal, an officer's cancellation, an absence without stand-in
        row.cancelled_by_zone += 1
    if entry is not None and late_cancellation(booking, entry.at):
        row.late += 1


def totals(rows: list[Row]) -> dict[str, Row]:
    """Per office, the year's sums."""
    out: dict[str, Row] = defaultdict(lambda: Row("", date.min))
    for row in rows:
        total = out[row.office]
        total.office, total.month = row.office, row.month
        for name in (
            "bookings",
            "clock_minutes",
            "officer_minutes",
            "cancelled_by_office",
            "cancelled_by_zone",
            "late",
        ):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return dict(out)


def _year() -> int:
    """?year=, else this year in the zone; the 400 page for what is no year of ours."""
    this_year = current.now().astimezone(current.zone()).year
    asked = request.args.get("year", "")
    if not asked:
        return this_year
    if not (asked.isascii() and asked.isdigit() and len(asked) == 4):
        abort(400)
    year = int(asked)
    if not FIRST_YEAR <= year <= this_year + 1:
        abort(400)
    return year


@bp.get("/bailiff-assistance/figures")
@staff_required(*MANAGERS)
def bailiff_figures(me: Staff) -> str:
    ratelimit.hit_or_refuse("overview-staff", str(me.id))
    year = _year()
    rows = figures(year)
    this_year = current.now().astimezone(current.zone()).year
    return render_template(
        "staff/bailiff_figures.html",
        year=year,
        years=list(range(this_year, this_year - 5, -1)),
        rows=rows,
        totals=totals(rows),
        month_label=lambda month: date_label(month, "MMMM y"),
        decimal=format_decimal,
    )


@bp.get("/bailiff-assistance/figures.csv")
@staff_required(*MANAGERS)
def bailiff_figures_csv(me: Staff) -> Response:
    ratelimit.hit_or_refuse("overview-staff", str(me.id))
    year = _year()
    out = io.StringIO()
    writer = csv.writer(out)
    # Column names in English, for spreadsheets and scripts.
    writer.writerow(
        [
            "office",
            "month",
            "bookings",
            "clock_hours",
            "officer_hours",
            "cancelled_by_office",
            "cancelled_by_zone",
            "late_cancellations",
        ]
    )
    for row in figures(year):
        cells = [
            row.office,
            row.month.strftime("%Y-%m"),
            row.bookings,
            row.clock_hours,
            row.officer_hours,
            row.cancelled_by_office,
            row.cancelled_by_zone,
            row.late,
        ]
        writer.writerow([safe_cell(cell) for cell in cells])
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="bailiff-assistance-{year}.csv"'},
    )
