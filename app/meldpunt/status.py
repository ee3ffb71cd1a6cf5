"""The status page behind the private link of a report or question: where it stands in plain
words, the news and the answer in order, the promised date of a question; while it is open,
adding information and withdrawing it.

The link opens by the status token (its hash is stored) or by the signed link later messages
carry (app.reports.status_link); anything else is the plain 404 page, which tells nothing.
A sensitive report's page names neither its category nor what was written, and has the
quick-exit button. The path is a secret: app.logs masks it.
"""

from dataclasses import dataclass
from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

from app import current, ratelimit
from app.db import get_session
from app.forms import Form
from app.meldpunt import bp
from app.reports import commands, status_link, telling
from app.reports.commands import CITIZEN, MAX_DESCRIPTION
from app.reports.enums import FINISHED, CategoryKind, ReportEventKind, ReportStatus
from app.reports.models import Report
from scheduling.errors import InvalidRequest, NotAllowed, NotFound


def _report(token: str) -> Report:
    if len(token) > 100:
        abort(404)
    secret = current.config().secret_key
    if report := status_link.opened(get_session(), token, secret=secret):
        return report
    try:
        return commands.report_by_token(get_session(), token)
    except NotFound:
        abort(404)


@dataclass(frozen=True)
class Line:
    """One thing the citizen sees in the case's history."""

    at: datetime
    what: str
    text: str = ""


def _history(report: Report) -> list[Line]:
    """The public events in order, in words; a sensitive report's own words are not shown
    again (the page may be read over a shoulder), the zone's messages are."""
    lines = []
    for event in report.events:
        if not event.public:
            continue
        text = str(event.details.get("text", ""))
        if event.kind == ReportEventKind.SUBMITTED:
            lines.append(Line(event.at, _("Received")))
        elif event.kind == ReportEventKind.INFORMATION_ADDED:
            shown = "" if report.category.sensitive else text
            lines.append(Line(event.at, _("You added information"), shown))
        elif event.kind == ReportEventKind.PUBLIC_UPDATE:
            lines.append(Line(event.at, _("News from the police"), text))
        elif event.kind == ReportEventKind.CLOSED:
            question = report.category.kind == CategoryKind.QUESTION
            title = _("Our answer") if question else _("Closed, with our message")
            lines.append(Line(event.at, title, text))
        elif event.kind == ReportEventKind.WITHDRAWN:
            lines.append(Line(event.at, _("You withdrew it")))
        elif event.kind == ReportEventKind.MERGED:
            into = str(event.details.get("into", ""))
            lines.append(Line(event.at, _("Handled together with report %(number)s", number=into)))
    return lines


def _status_words(report: Report) -> str:
    status = report.status
    if status == ReportStatus.NEW:
        return _("New: we have received it and will look at it soon.")
    if status in (ReportStatus.TRIAGED, ReportStatus.IN_PROGRESS):
        return _("Being handled.")
    if status == ReportStatus.ANSWERED:
        return _("Answered.")
    if status == ReportStatus.CLOSED:
        return _("Closed.")
    if status == ReportStatus.WITHDRAWN:
        return _("Withdrawn: you withdrew it.")
    into = get_session().get(Report, report.merged_into_id) if report.merged_into_id else None
    return _("Handled together with report %(number)s", number=into.number if into else "-")


def _page(report: Report, token: str, form: Form) -> str:
    return render_template(
        "meldpunt/status_page.html",
        report=report,
        token=token,
        form=form,
        status=_status_words(report),
        history=_history(report),
        is_open=report.status not in FINISHED,
        question=report.category.kind == CategoryKind.QUESTION,
        sensitive=report.category.sensitive,
    )


@bp.get("/status/<token>")
def status(token: str) -> str:
    return _page(_report(token), token, Form())


def _limit(token: str) -> None:
    ratelimit.hit_or_refuse("status-ip", request.remote_addr or "?")
    ratelimit.hit_or_refuse("status-token", token)


@bp.post("/status/<token>/add")
def status_add(token: str) -> WerkzeugResponse | str:
    report = _report(token)
    _limit(token)
    if report.status in FINISHED:
        return redirect(url_for("meldpunt.status", token=token))
    form = Form.read("text", multiline=("text",))
    text = form.values["text"]
    if "text" not in form.errors:
        if not text:
            form.errors["text"] = _("Write what you want to add.")
        elif len(text) > MAX_DESCRIPTION:
            form.errors["text"] = _(
                "Keep it to %(length)d characters (this is %(given)d).",
                length=MAX_DESCRIPTION,
                given=len(text),
            )
    if form.ok:
        db, config, now = get_session(), current.config(), current.now()
        try:
            event = commands.add_information(db, report, text, actor=CITIZEN, now=now)
        except InvalidRequest:
            form.errors["text"] = _("This cannot be accepted. Please check what you typed.")
        else:
            telling.after(db, event, config=config, now=now)
            db.commit()
            flash(_("Thank you: your information has been added."), "success")
            return redirect(url_for("meldpunt.status", token=token))
    return _page(report, token, form)


@bp.route("/status/<token>/withdraw", methods=["GET", "POST"])
def status_withdraw(token: str) -> WerkzeugResponse | str:
    """ "Are you sure?" first; withdrawing is the second step, so a stray tap does nothing."""
    report = _report(token)
    if report.status in FINISHED:
        return redirect(url_for("meldpunt.status", token=token))
    if request.method == "POST":
        _limit(token)
        db, config, now = get_session(), current.config(), current.now()
        try:
            event = commands.withdraw(db, report, actor=CITIZEN, now=now)
        except NotAllowed:
            pass  # closed meanwhile: the page says how it stands
        else:
            telling.after(db, event, config=config, now=now)
            db.commit()
            flash(_("You have withdrawn it. Nothing more will be done with it."), "success")
        return redirect(url_for("meldpunt.status", token=token))
    return render_template(
        "meldpunt/status_withdraw.html",
        report=report,
        token=token,
        sensitive=report.category.sensitive,
        question=report.category.kind == CategoryKind.QUESTION,
    )
