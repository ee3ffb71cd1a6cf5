"""One GALOP import: staff upserted by personnel number, absences by GALOP's absence id, and
what the absences do to appointments (``app.commands``: ``absent``, ``departed``) — all or
nothing.

The caller owns the transaction: it commits when ``import_batch`` returns and rolls back
when it raises ``Rejected`` (every error listed, nothing written before the checks pass).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import commands
from app.galop.privilege import describe, guard
from app.galop.reading import Batch, Row, RowError
from app.galop.records import (
    AbsenceCounts,
    AbsenceRecord,
    AppointmentCounts,
    Counts,
    ImportSummary,
    StaffRecord,
)
from scheduling.enums import Channel
from scheduling.models import Absence, Site, Staff, StaffRole
from scheduling.trail import Actor, note

GALOP = Actor.system(Channel.GALOP)
STAFF_FIELDS = ("name", "email", "phone", "home_site", "active", "roles")


class Rejected(Exception):
    """The import was refused; nothing of it may be kept (the caller rolls back)."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = list(errors)


@dataclass(frozen=True)
class Affected:
    """One appointment the import passed on or cancelled, for the operator's report."""

    reference: str
    start: datetime
    action: Literal["reassigned", "cancelled"]
    from_name: str
    to_name: str | None


@dataclass
class Summary:
    staff: Counts = field(default_factory=Counts)
    absences: AbsenceCounts = field(default_factory=AbsenceCounts)
    affected: list[Affected] = field(default_factory=list)
    # Supervisor or admin rights a row would have given or taken, not applied (the CLI says so).
    refused: list[str] = field(default_factory=list)

    def model(self) -> ImportSummary:
        """The answer of the push endpoint (counts only: no appointment details leave)."""
        return ImportSummary(
            staff=self.staff,
            absences=self.absences,
            appointments=AppointmentCounts(
                reassigned=sum(a.action == "reassigned" for a in self.affected),
                cancelled=sum(a.action == "cancelled" for a in self.affected),
            ),
        )

    def lines(self, zone: ZoneInfo) -> list[str]:
        """The report the CLI prints."""
        s, a, m = self.staff, self.absences, self.model().appointments
        lines = [
            f"staff: {s.created} created, {s.updated} updated, {s.unchanged} unchanged",
            f"absences: {a.new} new, {a.changed} changed, {a.withdrawn} withdrawn, "
            f"{a.unchanged} unchanged",
            f"appointments: {m.reassigned} moved to a colleague, {m.cancelled} cancelled",
        ]
        for item in self.affected:
            when = item.start.astimezone(zone).strftime("%a %d %b %Y %H:%M")
            what = (
                f"{item.from_name} -> {item.to_name}"
                if item.action == "reassigned"
                else f"{item.from_name}: cancelled, the citizen is told"
            )
            lines.append(f"  {item.reference}  {when}  {what}")
        if self.refused:
            lines.append("not taken from GALOP (supervisor and admin are set on the admin page):")
            lines += [f"  {refusal}" for refusal in self.refused]
        return lines


def import_batch(
    session: Session,
    batch: Batch,
    *,
    now: datetime,
    zone: ZoneInfo,
    errors: Sequence[RowError] = (),
    actor: Actor = GALOP,
) -> Summary:
    """Check every record (with ``errors`` found while reading), then write them and apply the
    absences. Raises ``Rejected`` with all errors before writing anything."""
    sites: dict[str, int] = dict(session.execute(select(Site.code, Site.id)).tuples().all())
    numbers = [r.record.personnel_number for r in batch.staff] + [
        r.record.personnel_number for r in batch.absences if r.record.personnel_number
    ]
    known = {
        s.personnel_number: s
        for s in session.scalars(select(Staff).where(Staff.personnel_number.in_(set(numbers))))
    }
    problems = [*errors, *_check(batch, sites, known)]
    if problems:
        raise Rejected(problems)

    summary = Summary()
    leaving: list[Staff] = []
    for row in batch.staff:
        staff, change, left = _upsert_staff(
            session, row.record, known, sites, now=now, actor=actor, summary=summary
        )
        setattr(summary.staff, change, getattr(summary.staff, change) + 1)
        if left:
            leaving.append(staff)
    session.flush()

    # Every absence is saved before any is applied, so that nothing is passed to a colleague
    # whose own absence comes later in the same import.
    to_apply: list[Absence] = []
    for arow in batch.absences:
        record = arow.record
        if record.withdrawn:
            if commands.absence_withdrawn(
                session, external_id=record.absence_id, actor=actor, now=now
            ):
                summary.absences.withdrawn += 1
            else:
                summary.absences.unchanged += 1
            continue
        number, start, end = record.personnel_number, record.start, record.end
        if number is None or start is None or end is None:  # the record's validators forbid it
            raise RuntimeError(f"{arow.where}: an absence without its staff member or period")
        absence, absence_change = commands.absence_recorded(
            session,
            external_id=record.absence_id,
            staff_id=known[number].id,
            starts_at=start,
            ends_at=end,
            kind=record.kind,
            actor=actor,
            now=now,
        )
        setattr(summary.absences, absence_change, getattr(summary.absences, absence_change) + 1)
        if absence_change != "unchanged":
            to_apply.append(absence)

    outcomes = []  # passed on or cancelled, those of who left first
    for staff in leaving:
        outcomes.extend(commands.departed(session, staff, actor=actor, now=now, zone=zone))
    for absence in to_apply:
        outcomes.extend(commands.absent(session, absence, actor=actor, now=now, zone=zone))
    summary.affected = [
        Affected(
            reference=o.booking.reference,
            start=o.booking.start_at,
            action=o.action,
            from_name=session.get_one(Staff, o.absent_staff_id).name,
            to_name=_name(session, o.new_staff_id),
        )
        for o in outcomes
    ]
    return summary


def _check(batch: Batch, sites: dict[str, int], known: dict[str, Staff]) -> list[RowError]:
    """What only the whole import or the database can tell: repeated ids, unknown references."""
    errors: list[RowError] = []
    first_staff: dict[str, Row[StaffRecord]] = {}
    for row in batch.staff:
        number = row.record.personnel_number
        if number in first_staff:
            errors.append(
                RowError(row.where, "personnel_number", f"repeats {first_staff[number].where}")
            )
        first_staff.setdefault(number, row)
        if row.record.home_site is not None and row.record.home_site not in sites:
            errors.append(RowError(row.where, "home_site", "no site has this code"))
    first_absence: dict[str, Row[AbsenceRecord]] = {}
    for arow in batch.absences:
        absence_id = arow.record.absence_id
        if absence_id in first_absence:
            errors.append(
                RowError(arow.where, "absence_id", f"repeats {first_absence[absence_id].where}")
            )
        first_absence.setdefault(absence_id, arow)
        absentee = arow.record.personnel_number
        if not arow.record.withdrawn and absentee not in known and absentee not in first_staff:
            errors.append(
                RowError(arow.where, "personnel_number", "no staff member has this number")
            )
    return errors


def _upsert_staff(
    session: Session,
    record: StaffRecord,
    known: dict[str, Staff],
    sites: dict[str, int],
    *,
    now: datetime,
    actor: Actor,
    summary: Summary,
) -> tuple[Staff, Literal["created", "updated", "unchanged"], bool]:
    """Create or update one staff member (no supervisor or admin right given or taken:
    ``privilege.guard``); also whether they just stopped being active."""
    site_id = sites[record.home_site] if record.home_site else None
    staff = known.get(record.personnel_number)
    given = STAFF_FIELDS if staff is None else record.model_fields_set
    values = {name: getattr(record, name) for name in STAFF_FIELDS if name in given}
    refused = guard(session, values, staff)
    if staff is None:
        staff = Staff(
            personnel_number=record.personnel_number,
            name=record.name,
            email=record.email,
            phone=record.phone,
            home_site_id=site_id,
            active=record.active,
        )
        staff.roles = [StaffRole(role=role) for role in values["roles"]]
        session.add(staff)
        session.flush()
        known[record.personnel_number] = staff
        note(session, actor=actor, action="staff_created", now=now, details=_staff_details(staff))
        _refused(session, staff, refused, now=now, actor=actor, summary=summary)
        return staff, "created", False

    changed: list[str] = []
    for name, value in values.items():
        if name == "roles":
            had = staff.role_set
            if set(value) != had:
                kept = [r for r in staff.roles if r.role in value]
                staff.roles = kept + [StaffRole(role=r) for r in value if r not in had]
                changed.append(name)
        elif name == "home_site":
            if staff.home_site_id != site_id:
                staff.home_site_id = site_id
                changed.append(name)
        elif getattr(staff, name) != value:
            setattr(staff, name, value)
            changed.append(name)
    _refused(session, staff, refused, now=now, actor=actor, summary=summary)
    if not changed:
        return staff, "unchanged", False
    session.flush()
    # Which fields changed, not their values: the trail needs no copy of phone numbers.
    details = {**_staff_details(staff), "changed": changed}
    note(session, actor=actor, action="staff_updated", now=now, details=details)
    return staff, "updated", "active" in changed and not staff.active


def _refused(
    session: Session,
    staff: Staff,
    refused: list[str],
    *,
    now: datetime,
    actor: Actor,
    summary: Summary,
) -> None:
    """Audit and report what of a row was not applied because only the admin page may."""
    if not refused:
        return
    details = {**_staff_details(staff), "refused": refused}
    note(session, actor=actor, action="staff_change_refused", now=now, details=details)
    summary.refused += [describe(staff.personnel_number, r) for r in refused]


def _staff_details(staff: Staff) -> dict[str, Any]:
    return {"staff_id": staff.id, "personnel_number": staff.personnel_number}


def _name(session: Session, staff_id: int | None) -> str | None:
    staff = session.get(Staff, staff_id) if staff_id else None
    return staff.name if staff else None
