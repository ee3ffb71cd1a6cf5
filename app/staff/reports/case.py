"""One case (/staff/reports/<id>): what, where, when, who reported it (to who may see it), its
photos, the reports that may be the same or its lost/found counterpart, what staff can do
with it (app.staff.reports.actions) and its whole history.

The same 403 as every staff page for who may not see it (app.reports.access.may_see) —
a case that does not exist too, so numbers cannot be probed. Opening a sensitive case is
written to the access log (app.reports.commands.opened)."""

from dataclasses import dataclass

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import current
from app.db import get_session
from app.forms import Form
from app.i18n import language
from app.reports import commands, matching
from app.reports.access import SENSITIVE_READERS, TEAMS, may_handle, may_see, may_triage
from app.reports.enums import FINISHED, CategoryKind, ContactHow
from app.reports.models import AnswerTemplate, Report, ReportCategory
from app.staff import bp
from app.staff.access import AGENDA_ROLES, staff_required
from app.staff.reports.history import history
from app.staff.reports.labels import CHANNELS, KINDS, STATUSES, team_label
from app.staff.reports.queue import QUEUE_ROLES
from scheduling.enums import Role
from scheduling.models import Staff, StaffRole

CONTACT_HOW = {
    ContactHow.PHONE: _l("By phone"),
    ContactHow.EMAIL: _l("By e-mail"),
    ContactHow.NOT_AT_ALL: _l("Not at all"),
}
# Who a case can be assigned to: officers and the desk; a sensitive one only within the team.
ASSIGNABLE = frozenset({*AGENDA_ROLES, Role.INTAKE, Role.SUPERVISOR, Role.ZONE_CHIEF})


def visible_report(me: Staff, ident: int) -> Report:
    """The case for who may see it; one 403 for a case they may not see and one that is
    not there."""
    report = get_session().get(Report, ident)
    if report is None or not may_see(me.role_set, me.id, report):
        abort(403)
    return report


@dataclass(frozen=True)
class Related:
    id: int
    number: str
    summary: str


def _answers(report: Report, lang: str) -> list[tuple[str, str]]:
    """The category's extra questions and what the citizen chose or wrote."""
    shown = []
    for question in report.category.questions:
        value = report.answers.get(str(question.get("code", "")))
        if value in (None, ""):
            continue
        options = {o.get("code"): o.get("names", {}) for o in question.get("options", [])}
        if value in options:
            value = options[value].get(lang) or options[value].get("nl") or value
        names = question.get("names", {})
        shown.append((names.get(lang) or names.get("nl") or question.get("code", ""), str(value)))
    return shown


def _related(me: Staff, reports: list[Report], lang: str) -> list[Related]:
    roles = me.role_set
    return [
        Related(
            r.id,
            r.number,
            ", ".join(
                p
                for p in (r.category.name(lang), r.street_name, r.municipality, r.object_type)
                if p
            ),
        )
        for r in reports
        if may_see(roles, me.id, r)
    ]


def assignees(report: Report) -> list[tuple[str, str]]:
    """The triage form's choices: nobody (the queue), a team, a person."""
    roles = SENSITIVE_READERS if report.category.sensitive else ASSIGNABLE
    people = get_session().execute(
        select(Staff.id, Staff.name, Staff.personnel_number)
        .where(
            Staff.active,
            Staff.id.in_(select(StaffRole.staff_id).where(StaffRole.role.in_(roles))),
        )
        .order_by(Staff.name)
    )
    choices = [("", _("Nobody: back to the intake queue"))]
    choices += [(f"team:{code}", team_label(code)) for code in TEAMS]
    choices += [(f"staff:{i}", f"{name} ({number})") for i, name, number in people.tuples()]
    return choices


def categories(report: Report, lang: str) -> list[tuple[str, str]]:
    """What the category can become: a report stays a report (a question a question), and a
    sensitive one sensitive — out of the restricted team's sight it must never fall."""
    question = report.category.kind == CategoryKind.QUESTION
    found = get_session().scalars(
        select(ReportCategory).where(
            ReportCategory.active, ReportCategory.sensitive.is_(report.category.sensitive)
        )
    )
    return sorted(
        ((c.code, c.name(lang)) for c in found if (c.kind == CategoryKind.QUESTION) == question),
        key=lambda c: c[1].casefold(),
    )


def _templates(report: Report, lang: str) -> list[tuple[str, str, str]]:
    """The answer templates: (code, title in the staff's language, text in the case's)."""
    found = get_session().scalars(
        select(AnswerTemplate).where(AnswerTemplate.active).order_by(AnswerTemplate.code)
    )
    return [
        (
            t.code,
            t.titles.get(lang) or t.titles.get("nl") or t.code,
            t.texts.get(report.language) or t.texts.get("nl") or "",
        )
        for t in found
    ]


def assignee_value(report: Report) -> str:
    if report.assigned_staff_id is not None:
        return f"staff:{report.assigned_staff_id}"
    return f"team:{report.assigned_team}" if report.assigned_team else ""


def page(me: Staff, report: Report, form: Form | None = None) -> str:
    """The case page, with ``form`` (an action's values and errors) when it comes back."""
    session, config, lang, roles = get_session(), current.config(), language(), me.role_set
    form = form or Form()
    is_open = report.status not in FINISHED
    templates = _templates(report, lang)
    chosen = request.args.get("template", "") if request.method == "GET" else ""
    for code, _title, text in templates:
        if code == chosen and "message" not in form.values:
            form.values["message"] = text
            form.values["template"] = code
    form.values.setdefault("category", report.category.code)
    form.values.setdefault("assignee", assignee_value(report))
    can_triage = is_open and may_triage(roles, report)
    duplicates = _related(me, matching.duplicate_candidates(session, report), lang)
    matches = _related(me, matching.lost_found_matches(session, report, zone=config.zone), lang)
    merged_into = session.get(Report, report.merged_into_id) if report.merged_into_id else None
    return render_template(
        "staff/reports/case.html",
        report=report,
        form=form,
        kind=str(KINDS[report.category.kind]),
        category=report.category.name(lang),
        status=str(STATUSES[report.status]),
        channel=str(CHANNELS[report.channel]),
        overdue=report.due_at is not None and is_open and report.due_at < current.now(),
        assignee=(report.assigned_staff.name if report.assigned_staff else "")
        or team_label(report.assigned_team)
        or _("Intake queue"),
        answers=_answers(report, lang),
        contact_how=str(CONTACT_HOW[report.contact_how]) if report.contact_how else "",
        merged_into=merged_into if merged_into and may_see(roles, me.id, merged_into) else None,
        duplicates=duplicates,
        matches=matches,
        history=history(report, lang),
        is_open=is_open,
        can_handle=may_handle(roles, me.id, report),
        can_triage=can_triage,
        can_forward=can_triage and not report.category.sensitive,
        forward_to=config.municipality_email(report.municipality),
        email_enabled=config.email_enabled,
        categories=categories(report, lang) if can_triage else [],
        assignees=assignees(report) if can_triage else [],
        template_choices=[(code, title) for code, title, _text in templates],
        is_question=report.category.kind == CategoryKind.QUESTION,
    )


def opened(me: Staff, report: Report) -> None:
    """Write the opening of a sensitive case to the access log (nothing for the others)."""
    commands.opened(get_session(), report, staff_id=me.id, now=current.now())


@bp.get("/reports/<int:ident>")
@staff_required(*QUEUE_ROLES)
def report(me: Staff, ident: int) -> str:
    case = visible_report(me, ident)
    opened(me, case)
    return page(me, case)
