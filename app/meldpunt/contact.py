"""The contact form: a general question on one page, answered by the date the zone promises
(QUESTION_ANSWER_DAYS working days of ANSWER_HOURS, app.reports.due).

The answer reaches the citizen by e-mail or by SMS with a link, and stays on the status page.
A submit is idempotent: the form carries a one-time key that becomes the question's
``submission_key`` (unique), so a double click — even two requests at the same instant —
makes one question and shows the same confirmation.
"""

import re
import secrets

from flask import abort, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response as WerkzeugResponse

from app import current, ratelimit
from app.db import get_session
from app.forms import FIELD_LENGTH, Form
from app.i18n import language
from app.meldpunt import bp
from app.phone import is_mobile
from app.reports import commands, status_link, telling
from app.reports.commands import MAX_DESCRIPTION, Promise, Reporter, Submission
from app.reports.enums import CategoryKind
from app.reports.models import Report, ReportCategory
from scheduling.errors import InvalidRequest

KEY_FIELD = "key"
KEY_SHAPE = re.compile(r"[A-Za-z0-9_-]{32}")
DONE = "contact_done"  # the session's note of the last question sent: its submission key
FIELDS = ("category", "question", "answer_by", "email", "phone", "name", "website")


def _categories() -> list[ReportCategory]:
    """The zone's question categories (one is the usual case: then nobody has to choose)."""
    categories = list(
        get_session().scalars(
            select(ReportCategory)
            .where(ReportCategory.kind == CategoryKind.QUESTION, ReportCategory.active)
            .order_by(ReportCategory.id)
        )
    )
    if not categories:
        abort(404)
    return categories


def _by_key(key: str) -> Report | None:
    return get_session().scalar(select(Report).where(Report.submission_key == key))


@bp.route("/contact", methods=["GET", "POST"])
def contact() -> WerkzeugResponse | str:
    categories = _categories()
    email_enabled = current.config().email_enabled
    form = Form({"answer_by": "email" if email_enabled else "sms"})
    key = request.form.get(KEY_FIELD, "")
    if request.method == "POST":
        form = Form.read(*FIELDS, multiline=("question",))
        if form.values["website"]:  # the honeypot: people never see this field, bots fill it
            abort(400)
        if KEY_SHAPE.fullmatch(key) and _by_key(key) is not None:
            return _done(key)  # the second click of a double click
        ratelimit.hit_or_refuse("contact-ip", request.remote_addr or "?")
        submission = _read(form, categories, email_enabled, key)
        if submission is not None:
            recipient = submission.reporter.email or submission.reporter.phone or ""
            ratelimit.hit_or_refuse("contact-recipient", recipient)
            if (answer := _submit(submission, form)) is not None:
                return answer
    if not KEY_SHAPE.fullmatch(key):
        key = secrets.token_urlsafe(24)
    return render_template(
        "meldpunt/contact_form.html",
        form=form,
        categories=categories,
        email_enabled=email_enabled,
        key=key,
        anonymous=all(c.anonymous_allowed for c in categories),
        config=current.config(),
    )


def _read(
    form: Form, categories: list[ReportCategory], email_enabled: bool, key: str
) -> Submission | None:
    """The question the form describes, or None with the errors next to the fields."""
    chosen = next((c for c in categories if c.code == form.values["category"]), None)
    if chosen is None and len(categories) == 1:
        chosen = categories[0]
    if chosen is None:
        form.errors["category"] = _("Choose what your question is about.")
    question = form.values["question"]
    if "question" not in form.errors:
        if not question:
            form.errors["question"] = _("Write your question.")
        elif len(question) > MAX_DESCRIPTION:
            form.errors["question"] = _(
                "Keep it to %(length)d characters (this is %(given)d).",
                length=MAX_DESCRIPTION,
                given=len(question),
            )
    ways = ("email", "sms") if email_enabled else ("sms",)
    answer_by = form.values["answer_by"]
    email = phone = ""
    if answer_by not in ways:
        form.errors["answer_by"] = _("Choose how you want to hear from us.")
    elif answer_by == "email":
        email = form.required("email", _("Enter the e-mail address we should answer."))
        if "email" not in form.errors:
            email = form.email("email", _("Enter one e-mail address like name@example.be."))
    else:
        phone = form.phone("phone")
        if "phone" not in form.errors and not is_mobile(phone):
            form.errors["phone"] = (
                _("This number cannot receive an SMS. Give a mobile number, or choose e-mail.")
                if email_enabled
                else _("This number cannot receive an SMS. Give a mobile number.")
            )
    name = form.values["name"]
    if chosen is not None and not chosen.anonymous_allowed:
        name = form.required("name", _("Enter your name."))
    elif "name" not in form.errors and len(name) > FIELD_LENGTH:
        form.errors["name"] = _(
            "Keep it to %(length)d characters (this is %(given)d).",
            length=FIELD_LENGTH,
            given=len(name),
        )
    if not form.ok or chosen is None:
        return None
    return Submission(
        category_code=chosen.code,
        description=question,
        language=language(),
        reporter=Reporter(name=name or None, phone=phone or None, email=email or None),
        submission_key=key if KEY_SHAPE.fullmatch(key) else secrets.token_urlsafe(24),
    )


def _submit(submission: Submission, form: Form) -> WerkzeugResponse | None:
    """Ask the question and tell the citizen, then commit; None with the field's error when
    the command refuses it. A racing twin of this request (same key) that commits first
    makes this one show the twin's confirmation."""
    config, db = current.config(), get_session()
    promise = Promise(config.question_answer_days, config.answer_hours, config.zone)
    try:
        with db.begin_nested():  # the unique key's refusal undoes only this part
            submitted = commands.submit_question(db, submission, now=current.now(), promise=promise)
            telling.received(db, submitted, config=config, now=current.now())
    except InvalidRequest as error:  # what the checks above let through (they mirror it)
        field = error.field if error.field in FIELDS else "question"
        form.errors[field] = _("This cannot be accepted. Please check what you typed.")
        return None
    except IntegrityError:
        key = submission.submission_key or ""
        if _by_key(key) is None:
            raise
        return _done(key)
    db.commit()
    return _done(submission.submission_key or "")


def _done(key: str) -> WerkzeugResponse:
    session[DONE] = key
    return redirect(url_for("meldpunt.contact_done"))


@bp.get("/contact/done")
def contact_done() -> WerkzeugResponse | str:
    key = session.get(DONE)
    report = _by_key(key) if isinstance(key, str) and KEY_SHAPE.fullmatch(key) else None
    if report is None:
        return redirect(url_for("meldpunt.contact"))
    config = current.config()
    token = status_link.issue(report, secret=config.secret_key)
    return render_template(
        "meldpunt/contact_done.html",
        report=report,
        token=token,
        link=config.public_base_url + url_for("meldpunt.status", token=token),
    )
