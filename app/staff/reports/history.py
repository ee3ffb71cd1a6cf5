"""A case's whole history in words: every ReportEvent — who, when, what — and whether the
citizen sees it on their status page. Staff names come in one query for the whole case."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.db import get_session
from app.reports.enums import ReportActor, ReportChannel, ReportEventKind
from app.reports.models import Report, ReportCategory, ReportEvent
from app.staff.reports.labels import CHANNELS, team_label
from scheduling.models import Staff

WHAT: dict[ReportEventKind, LazyString] = {
    ReportEventKind.SUBMITTED: _l("Received"),
    ReportEventKind.INFORMATION_ADDED: _l("Information added"),
    ReportEventKind.WITHDRAWN: _l("Withdrawn by the citizen"),
    ReportEventKind.TRIAGED: _l("Triaged"),
    ReportEventKind.MERGED: _l("Merged into another case"),
    ReportEventKind.ABSORBED: _l("Another case merged into this one"),
    ReportEventKind.NOTE: _l("Internal note"),
    ReportEventKind.PUBLIC_UPDATE: _l("Public update"),
    ReportEventKind.CLOSED: _l("Closed with a message"),
    ReportEventKind.FORWARDED: _l("Forwarded to the municipality"),
    ReportEventKind.ANONYMISED: _l("Personal details removed after the retention period"),
}
WHO: dict[ReportActor, LazyString] = {
    ReportActor.CITIZEN: _l("The citizen"),
    ReportActor.STAFF: _l("A staff member"),
    ReportActor.SYSTEM: _l("Blauwlijn"),
}


@dataclass(frozen=True)
class Step:
    at: datetime
    who: str
    what: str
    detail: str  # what was typed or changed, shown in <bdi>
    public: bool


def history(report: Report, language: str) -> list[Step]:
    events = list(report.events)
    names, categories = _names(events), _categories(events, language)
    return [
        Step(e.at, _who(e, names), str(WHAT[e.kind]), _detail(e, names, categories), e.public)
        for e in events
    ]


def _categories(events: list[ReportEvent], language: str) -> dict[str, str]:
    """The names of the categories a triage moved the case between (one query)."""
    codes = {
        str(code)
        for e in events
        if e.kind == ReportEventKind.TRIAGED and isinstance(e.details.get("category"), list)
        for code in e.details["category"]
    }
    if not codes:
        return {}
    found = get_session().scalars(select(ReportCategory).where(ReportCategory.code.in_(codes)))
    return {c.code: c.name(language) for c in found}


def _names(events: list[ReportEvent]) -> dict[int, str]:
    ids: set[int] = {e.actor_id for e in events if e.actor_id}
    for event in events:
        for key in ("staff",):
            value = event.details.get(key)
            values = value if isinstance(value, list) else [value]
            ids |= {v for v in values if isinstance(v, int)}
    if not ids:
        return {}
    rows = get_session().execute(select(Staff.id, Staff.name).where(Staff.id.in_(ids)))
    return dict(rows.tuples().all())


def _who(event: ReportEvent, names: dict[int, str]) -> str:
    if event.actor_id and event.actor_id in names:
        return names[event.actor_id]
    return str(WHO[event.actor_kind])


def _assignee(staff_id: Any, team: Any, names: dict[int, str]) -> str:
    if isinstance(staff_id, int):
        return names.get(staff_id, _("a staff member"))
    if team:
        return team_label(str(team))
    return _("the intake queue")


def _detail(event: ReportEvent, names: dict[int, str], categories: dict[str, str]) -> str:
    details: dict[str, Any] = event.details or {}
    kind = event.kind
    if kind == ReportEventKind.SUBMITTED:
        channel = details.get("channel")
        how = str(CHANNELS[ReportChannel(channel)]) if channel in set(ReportChannel) else ""
        where = _assignee(details.get("staff"), details.get("team"), names)
        return _("Through: %(channel)s. Assigned to %(who)s.", channel=how, who=where)
    if kind == ReportEventKind.TRIAGED:
        parts = []
        if isinstance(details.get("category"), list):
            old, new = details["category"]
            parts.append(
                _(
                    "Category: %(old)s → %(new)s.",
                    old=categories.get(old, old),
                    new=categories.get(new, new),
                )
            )
        if isinstance(details.get("staff"), list) and isinstance(details.get("team"), list):
            (old_staff, new_staff), (old_team, new_team) = details["staff"], details["team"]
            parts.append(
                _(
                    "Assigned: %(old)s → %(new)s.",
                    old=_assignee(old_staff, old_team, names),
                    new=_assignee(new_staff, new_team, names),
                )
            )
        return " ".join(parts) or _("Nothing changed.")
    if kind == ReportEventKind.MERGED:
        return _("Into %(number)s.", number=details.get("into", ""))
    if kind == ReportEventKind.ABSORBED:
        return _("From %(number)s.", number=details.get("from", ""))
    if kind == ReportEventKind.FORWARDED:
        identity = (
            _("with the reporter's name and contact")
            if details.get("identity")
            else _("without the reporter's identity")
        )
        return _("To %(to)s, %(identity)s.", to=details.get("to", ""), identity=identity)
    return str(details.get("text", ""))
