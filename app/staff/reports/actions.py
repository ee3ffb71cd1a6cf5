"""What staff do with a case (POST, CSRF like every staff form): triage, merge, an internal
note, a public update, close with a message (a question's answer) and forward to the
municipality. Each goes through app.reports.commands, then app.reports.telling.after (what
the event must tell), is committed, and comes back to the case with a message; a refusal
comes back as an error next to the field, in the staff member's language.

Who may: triage, merge and forward — app.reports.access.may_triage; notes, updates and
closing — may_handle. Anyone else gets the one 403 page. Every action counts against the
staff member's hourly limit (``report-staff``)."""

import re
from collections.abc import Callable

from flask import abort, flash, redirect, url_for
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from app import current, ratelimit
from app.db import get_session
from app.forms import Form
from app.i18n import language
from app.reports import commands, telling
from app.reports.access import may_handle, may_see, may_triage
from app.reports.enums import FINISHED
from app.reports.models import Report, ReportEvent
from app.staff import bp
from app.staff.access import staff_required
from app.staff.reports.case import assignees, categories, page, visible_report
from app.staff.reports.queue import QUEUE_ROLES
from app.values import parse_id
from scheduling.errors import SchedulingError
from scheduling.models import Staff

NUMBER = re.compile(r"[MV]-\d{4}-\d{6}")
# The commands' refusals (English, naming the field) in the staff member's language.
REFUSALS: dict[str, LazyString] = {
    "This cannot be empty.": _l("Write something here."),
    "Choose one of the categories.": _l("Choose one of the categories."),
    "A report cannot become a question, nor the other way round.": _l(
        "A report cannot become a question, nor the other way round."
    ),
    "Assign to a person or to a team, not both.": _l("Assign to a person or to a team."),
    "A report cannot be merged into itself.": _l("A case cannot be merged into itself."),
    "A sensitive report is merged only with another sensitive report.": _l(
        "A sensitive report is merged only with another sensitive report."
    ),
    "This case is closed.": _l("This case is already closed: nothing was changed."),
    "A sensitive report is never forwarded.": _l("A sensitive report is never forwarded."),
    "This reporter left no name or contact.": _l(
        "This reporter left no name or contact to send along."
    ),
}
TOO_LONG = re.compile(r"Use at most (\d+) ordinary characters\.")


def refusal(error: SchedulingError) -> str:
    message = str(error)
    if message in REFUSALS:
        return str(REFUSALS[message])
    if found := TOO_LONG.fullmatch(message):
        return _(
            "Use at most %(limit)d characters, without control or text direction characters.",
            limit=int(found.group(1)),
        )
    return _("This is not possible for this case.")


def _case(me: Staff, ident: int, *, triage: bool) -> Report:
    """The case, if ``me`` may do this to it (else the one 403 page); the action counted."""
    report = visible_report(me, ident)
    roles = me.role_set
    if not (may_triage(roles, report) if triage else may_handle(roles, me.id, report)):
        abort(403)
    ratelimit.hit_or_refuse("report-staff", str(me.id))
    return report


def _run(
    me: Staff,
    report: Report,
    form: Form,
    field: str,
    command: Callable[[], ReportEvent],
    done: str,
) -> str | WerkzeugResponse:
    """Run the command unless the form has errors; tell, commit, and go back to the case
    (to the queue when the case is no longer ``me``'s to see). A refusal: the case page with
    the error next to ``field`` (or the field the command names, when the form has it)."""
    if form.ok:
        try:
            event = command()
        except SchedulingError as error:
            name = error.field if error.field in form.values else field
            form.errors[name] = refusal(error)
        else:
            session = get_session()
            telling.after(session, event, config=current.config(), now=current.now())
            session.commit()
            flash(done, "success")
            if may_see(me.role_set, me.id, report):
                return redirect(url_for("staff.report", ident=report.id))
            return redirect(url_for("staff.reports_queue"))
    return page(me, visible_report(me, report.id), form)


def _text(form: Form, name: str) -> str:
    value = form.values.get(name, "")
    if name not in form.errors and not value:
        form.errors[name] = _("Write something here.")
    return value


@bp.post("/reports/<int:ident>/triage")
@staff_required(*QUEUE_ROLES)
def triage_report(me: Staff, ident: int) -> str | WerkzeugResponse:
    report = _case(me, ident, triage=True)
    form = Form.read("category", "assignee")
    # Only what the form offers: a sensitive case stays sensitive and within the team, an
    # ordinary one never becomes sensitive behind the desk's back (app.staff.reports.case).
    if form.values["category"] not in {code for code, _name in categories(report, language())}:
        form.errors["category"] = _("Choose one of the categories.")
    choice = form.values["assignee"]
    if choice not in {value for value, _label in assignees(report)}:
        form.errors["assignee"] = _("Choose who handles this case.")
    staff_id = parse_id(choice.removeprefix("staff:")) if choice.startswith("staff:") else None
    team = choice.removeprefix("team:") if choice.startswith("team:") else None
    return _run(
        me,
        report,
        form,
        "assignee",
        lambda: commands.triage(
            get_session(),
            report,
            actor=commands.staff(me.id),
            now=current.now(),
            category_code=form.values["category"],
            staff_id=staff_id,
            team=team,
        ),
        _("The triage is saved."),
    )


@bp.post("/reports/<int:ident>/merge")
@staff_required(*QUEUE_ROLES)
def merge_report(me: Staff, ident: int) -> str | WerkzeugResponse:
    report = _case(me, ident, triage=True)
    form = Form.read("merged_into")
    number = form.values["merged_into"].upper()
    into: Report | None = None
    if "merged_into" not in form.errors:
        if NUMBER.fullmatch(number):
            into = get_session().scalar(select(Report).where(Report.number == number))
        # A case this staff member may not see is "not found" too: numbers are not probed.
        if into is None or not may_see(me.role_set, me.id, into):
            form.errors["merged_into"] = _("No case with this number: type it as M-2026-000123.")
        elif into.status in FINISHED:
            form.errors["merged_into"] = _(
                "Case %(number)s is closed: merge into a case that is still open.", number=number
            )
    target = into
    return _run(
        me,
        report,
        form,
        "merged_into",
        lambda: _merge(me, report, target),
        _("The case is merged into %(number)s.", number=number),
    )


def _merge(me: Staff, report: Report, into: Report | None) -> ReportEvent:
    assert into is not None  # the form had no error
    return commands.merge(
        get_session(), report, into, actor=commands.staff(me.id), now=current.now()
    )


@bp.post("/reports/<int:ident>/note")
@staff_required(*QUEUE_ROLES)
def note_report(me: Staff, ident: int) -> str | WerkzeugResponse:
    report = _case(me, ident, triage=False)
    form = Form.read("note", multiline=("note",))
    text = _text(form, "note")
    return _run(
        me,
        report,
        form,
        "note",
        lambda: commands.add_note(
            get_session(), report, text, actor=commands.staff(me.id), now=current.now()
        ),
        _("The note is added."),
    )


@bp.post("/reports/<int:ident>/update")
@staff_required(*QUEUE_ROLES)
def update_report(me: Staff, ident: int) -> str | WerkzeugResponse:
    report = _case(me, ident, triage=False)
    form = Form.read("update", multiline=("update",))
    text = _text(form, "update")
    return _run(
        me,
        report,
        form,
        "update",
        lambda: commands.public_update(
            get_session(), report, text, actor=commands.staff(me.id), now=current.now()
        ),
        _("The update is on the citizen's status page."),
    )


@bp.post("/reports/<int:ident>/close")
@staff_required(*QUEUE_ROLES)
def close_report(me: Staff, ident: int) -> str | WerkzeugResponse:
    report = _case(me, ident, triage=False)
    form = Form.read("message", "template", multiline=("message",))
    text = _text(form, "message")
    return _run(
        me,
        report,
        form,
        "message",
        lambda: commands.close_with_message(
            get_session(), report, text, actor=commands.staff(me.id), now=current.now()
        ),
        _("The case is closed; the citizen can read the message."),
    )


@bp.post("/reports/<int:ident>/forward")
@staff_required(*QUEUE_ROLES)
def forward_report(me: Staff, ident: int) -> str | WerkzeugResponse:
    report = _case(me, ident, triage=True)
    form = Form.read("forward", "forward_identity")
    config = current.config()
    to = config.municipality_email(report.municipality)
    if to is None:
        form.errors["forward"] = _("No e-mail address is set for this case's municipality.")
    elif not config.email_enabled:
        form.errors["forward"] = _(
            "E-mail is not set up on this server (SMTP): forward it another way."
        )
    address = to or ""
    return _run(
        me,
        report,
        form,
        "forward",
        lambda: commands.forward(
            get_session(),
            report,
            to=address,
            with_identity=form.values["forward_identity"] == "1",
            actor=commands.staff(me.id),
            now=current.now(),
            zone_name=config.zone_name,
            zone=config.zone,
        ),
        _("The case is forwarded to %(address)s.", address=address),
    )
