"""Absences (/staff/admin/absences): the absences of a period — GALOP's leave, sickness,
training, and the moments officers closed themselves — and for each the appointments it
touched and what became of them (passed to a colleague, or cancelled), read from the audit
entries ``scheduling.absences`` writes. Supervisors and admins; nothing is changed here."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import current
from app.db import get_session
from app.forms import Form
from app.i18n import clock, day_label
from app.staff import bp
from app.staff.access import MANAGERS, staff_required
from app.staff.admin import common
from app.values import parse_date
from scheduling.models import Absence, AuditEntry, Booking, Staff
from scheduling.zone_time import local_to_utc

LIST_LENGTH = 200  # absences shown at most
DEFAULT_BACK, DEFAULT_AHEAD = 14, 60  # days around today when no period is asked
MAX_PERIOD_DAYS = 366
KIND_LABELS = {
    "leave": _l("Leave"),
    "sick": _l("Sick"),
    "sickness": _l("Sick"),
    "training": _l("Training"),
    "closure": _l("Closed by the staff member"),
}


@dataclass(frozen=True)
class Affected:
    booking: Booking
    was_at: datetime  # when it was before (a moved one starts at another time now)
    outcome: str  # what became of it: passed to whom, moved to when, or cancelled
    cancelled: bool


@dataclass(frozen=True)
class Row:
    absence: Absence
    kind: str
    affected: list[Affected]


def _read_day(form: Form, name: str) -> date | None:
    day = parse_date(form.values[name])  # far years overflow as instants: None
    if day is not None:
        return day
    form.errors[name] = _("Enter a date like 31/12/2026.")
    return None


def _period(form: Form) -> tuple[date, date] | None:
    first, last = _read_day(form, "from"), _read_day(form, "until")
    if first is None or last is None:
        return None
    if last < first:
        form.errors["until"] = _("The last day cannot come before the first day.")
    elif (last - first).days > MAX_PERIOD_DAYS:
        form.errors["until"] = _("Keep the period to at most %(days)d days.", days=MAX_PERIOD_DAYS)
    return (first, last) if form.ok else None


def _outcome(entry: AuditEntry, names: dict[int, str]) -> str:
    if entry.action == "reassigned":
        return _("moved to %(name)s", name=names.get(entry.details.get("staff_id", -1), "?"))
    if entry.action == "moved":  # a closure's appointment no colleague could take
        moved_to = datetime.fromisoformat(entry.details["to"])
        when = f"{day_label(moved_to)} {clock(moved_to)}"
        return _("moved to %(when)s", when=when)
    return _("cancelled")


def _affected(absences: list[Absence]) -> dict[int, list[Affected]]:
    """Per absence id, the appointments it passed on, moved or cancelled, by the audit trail:
    a GALOP absence and a closure a staff member saved (``scheduling.moments``) both name
    the absence in the entries of the appointments they changed."""
    if not absences:
        return {}
    session = get_session()
    absence_id = AuditEntry.details["absence_id"].as_integer()
    entries = session.execute(
        select(AuditEntry, Booking)
        .join(Booking, Booking.id == AuditEntry.booking_id)
        .where(
            AuditEntry.action.in_(("reassigned", "moved", "cancelled")),
            absence_id.in_([a.id for a in absences]),
        )
        .order_by(Booking.start_at, AuditEntry.id)
    ).tuples()
    names = dict(session.execute(select(Staff.id, Staff.name)).tuples().all())
    found: dict[int, list[Affected]] = defaultdict(list)
    for entry, booking in entries:
        found[int(entry.details["absence_id"])].append(
            Affected(
                booking,
                datetime.fromisoformat(entry.details["from"])
                if entry.action == "moved"
                else booking.start_at,
                _outcome(entry, names),
                entry.action == "cancelled",
            )
        )
    return found


def _absences(staff_id: int | None, first: date, last: date) -> list[Absence]:
    begins = local_to_utc(first, time(0), current.zone())
    ends = local_to_utc(last + timedelta(days=1), time(0), current.zone())
    query = (
        select(Absence)
        .where(Absence.starts_at < ends, Absence.ends_at > begins)
        .order_by(Absence.starts_at, Absence.id)
        .limit(LIST_LENGTH)
    )
    if staff_id is not None:
        query = query.where(Absence.staff_id == staff_id)
    return list(get_session().scalars(query))


@bp.get("/admin/absences")
@staff_required(*MANAGERS)
def admin_absences(me: Staff) -> str:
    today = current.now().astimezone(current.zone()).date()
    form = Form(
        {
            "staff": request.args.get("staff", "").strip(),
            "from": request.args.get("from", "").strip()
            or (today - timedelta(days=DEFAULT_BACK)).isoformat(),
            "until": request.args.get("until", "").strip()
            or (today + timedelta(days=DEFAULT_AHEAD)).isoformat(),
        }
    )
    people = list(get_session().scalars(select(Staff).order_by(Staff.name)))
    staff_id = common.read_id(
        form, "staff", [s.id for s in people], _("Choose a staff member from the list.")
    )
    period = _period(form)
    rows: list[Row] = []
    if form.ok and period is not None:
        absences = _absences(staff_id, *period)
        affected = _affected(absences)
        rows = [
            Row(a, str(KIND_LABELS.get(a.kind, a.kind)), affected.get(a.id, [])) for a in absences
        ]
    return render_template(
        "staff/admin/absences.html",
        form=form,
        rows=rows,
        names={s.id: s.name for s in people},
        staff_options=[(str(s.id), s.name) for s in people],
        list_length=LIST_LENGTH,
    )
