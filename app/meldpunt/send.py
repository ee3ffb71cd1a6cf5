"""The check page, sending, and the confirmation.

Sending happens once per draft: the draft's one-time key goes with the report
(``reports.submission_key``, unique), and the draft keeps the number and the report it made.
A second click finds the draft sent and shows the same confirmation; a second request that
raced the first into the database meets the unique key, rolls back, and finds the draft the
first one committed."""

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from app import current, ratelimit
from app.db import get_session
from app.i18n import language
from app.meldpunt import bp, draft
from app.meldpunt.flow import Flow, Redirect, ViewAnswer, category_by_code, question
from app.meldpunt.report import contact_options
from app.reports import commands, status_link, telling
from app.reports.commands import Place, Reporter, Submission
from app.reports.enums import ContactHow, ReportChannel
from app.reports.models import Report, ReportPhoto
from app.reports.objects import object_label
from scheduling.errors import SchedulingError

# Which question a refusal of the commands sends back to, by the field it names.
STEP_OF_FIELD = {
    "street": "where",
    "number": "where",
    "postcode": "where",
    "municipality": "where",
    "landmark": "where",
    "location": "where",
    "recurring": "when",
    "description": "what",
    "object_type": "what",
    "name": "who",
    "phone": "who",
    "email": "who",
    "contact_when": "who",
}


@bp.route("/melden/<slug>/check", methods=["GET", "POST"])
@question("check")
def check(flow: Flow) -> ViewAnswer:
    if request.method == "POST":
        return _send(flow)
    return render_template(
        "meldpunt/check.html",
        flow=flow,
        d=flow.draft,
        answers=_answers_shown(flow),
        object_type=object_label(flow.draft.object_type),
        contact_how={v: label for v, label, _hint in contact_options()},
        back=flow.back("check"),
    )


def _answers_shown(flow: Flow) -> list[tuple[str, str]]:
    """The category's extra questions answered, as (question, answer) in the page's
    language."""
    lang, shown = language(), []
    for q in flow.category.questions or []:
        answer = flow.draft.answers.get(str(q.get("code")))
        if not answer:
            continue
        options = {str(o.get("code")): o.get("names", {}) for o in q.get("options") or []}
        names = options.get(answer)
        text = (names.get(lang) or names.get("nl") or answer) if names else answer
        shown.append((str(q.get("names", {}).get(lang) or q.get("code")), str(text)))
    return shown


def _send(flow: Flow) -> Redirect:
    d = flow.draft
    ratelimit.hit_or_refuse("report-ip", request.remote_addr or "?")
    for contact in filter(None, (d.phone, d.email)):
        ratelimit.hit_or_refuse("report-contact", contact)
    session, now = get_session(), current.now()
    try:
        submitted = commands.submit_report(session, _submission(flow), now=now, zone=current.zone())
    except IntegrityError:
        # A request racing this one sent the same draft (its key is unique): its report is
        # the one, and its confirmation this one's.
        session.rollback()
        draft.forget_loaded()
        if draft.load().sent:
            return redirect(url_for("meldpunt.done"))
        raise
    except SchedulingError as error:  # not reached through the pages' own checks
        flash(_("This answer could not be kept as it is: please check it again."), "error")
        step = STEP_OF_FIELD.get(error.field or "")
        return redirect(flow.url(step) if step else url_for("meldpunt.start"))
    for photo in d.photos:
        session.add(
            ReportPhoto(
                report_id=submitted.report.id,
                stored_name=photo["name"],
                content_type="image/jpeg",
                size_bytes=photo["size"],
                width=photo["width"],
                height=photo["height"],
                created_at=now,
            )
        )
    session.flush()
    telling.received(session, submitted, config=current.config(), now=now)
    # The photos are the report's now: the draft no longer lists them, so its purge leaves them.
    draft.save(draft.after_sending(d, submitted.report.number, submitted.report.id))
    return redirect(url_for("meldpunt.done"))


def _submission(flow: Flow) -> Submission:
    d = flow.draft
    return Submission(
        category_code=flow.category.code,
        description=d.description,
        channel=ReportChannel.WEB,
        language=language(),
        place=Place(
            street_id=d.street_id or None,
            street_name=d.street or None,
            house_number=d.number or None,
            postcode=d.postcode or None,
            municipality=d.municipality or None,
            landmark=d.landmark or None,
            lat=d.lat,
            lon=d.lon,
        ),
        occurred_at=d.occurred,
        recurring=d.recurring or None,
        object_type=d.object_type or None,
        answers=dict(d.answers),
        reporter=Reporter(
            name=d.name or None,
            phone=d.phone or None,
            email=d.email or None,
            contact_how=ContactHow(d.contact_how) if d.contact_how else None,
            contact_when=d.contact_when or None,
        ),
        submission_key=d.submission_key,
    )


@bp.route("/melden/done")
def done() -> Any:
    d = draft.load()
    if not d.sent:
        return redirect(url_for("meldpunt.start"))
    sensitive = category_by_code(d.category, sensitive=True) is not None
    config = current.config()
    report = get_session().get_one(Report, d.report_sent)
    # A signed link (app.reports.status_link): the draft never holds the status token itself.
    token = status_link.issue(report, secret=config.secret_key)
    return render_template(
        "meldpunt/done.html",
        number=d.number_sent,
        # The address the world uses, as in the confirmation's SMS and e-mail.
        status_link=config.public_base_url + url_for("meldpunt.status", token=token),
        discreet=sensitive,
    )
