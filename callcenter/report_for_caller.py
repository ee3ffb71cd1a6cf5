"""Registering a report or a question for a caller (the caller panel's "Register a report"):
the same command as the citizen pages (app.reports.commands), channel phone, the call-taker
as the actor, in the call's language; the citizen is told as on the web
(app.reports.telling.received) and the call-taker reads the number out.

The caller's number is offered as the contact number; they may give another, or none where
the category allows anonymous reports. A hidden one-time key makes a double click one
report. Registrations count against the call-taker's hourly limit (``report-staff``)."""

import re
from dataclasses import dataclass

from flask import flash, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response as WerkzeugResponse

from app import current, ratelimit
from app.config import Config
from app.db import get_session
from app.email_address import normalized_email
from app.forms import not_plain_message
from app.phone import to_e164
from app.reports import commands, telling
from app.reports.commands import Place, Reporter, Submission, Submitted
from app.reports.enums import CategoryKind, ReportChannel
from app.reports.models import Report, ReportCategory
from app.staff.access import get_visible, staff_required
from app.text import is_plain
from callcenter.blueprint import CONSOLE_ROLES, bp
from callcenter.caller import back_to, page_of
from callcenter.models import TakenCall
from scheduling.errors import InvalidRequest, NotAllowed
from scheduling.models import Staff

Answer = tuple[str, int] | WerkzeugResponse
ONE_LINE = (
    "category",
    "postcode",
    "street",
    "number",
    "landmark",
    "object_type",
    "name",
    "phone",
    "email",
)
KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
# The command's field names → the form's (a register street is not offered here).
FIELDS = {
    "category": "category",
    "description": "description",
    "street": "street",
    "number": "number",
    "postcode": "postcode",
    "municipality": "postcode",
    "landmark": "landmark",
    "object_type": "object_type",
    "name": "name",
    "phone": "phone",
    "email": "email",
    "location": "landmark",
    "language": "category",
}


def _field(name: str) -> str:
    value = request.form.get(f"report_{name}", "")
    return value.strip() if name == "description" else " ".join(value.split())


@dataclass
class _Read:
    submission: Submission | None
    errors: dict[str, str]


def _error(errors: dict[str, str], name: str, message: str) -> None:
    errors.setdefault(f"report_{name}", message)


def _read(taken: TakenCall, category: ReportCategory | None, key: str) -> _Read:
    """The form as a Submission, or the errors per field (keys ``report_<field>``)."""
    errors: dict[str, str] = {}
    values = {name: _field(name) for name in (*ONE_LINE, "description")}
    for name, value in values.items():
        if not is_plain(value, multiline=name == "description"):
            _error(errors, name, not_plain_message())
    if category is None:
        _error(errors, "category", _("Choose what the caller reports or asks."))
    if not values["description"]:
        _error(errors, "description", _("Write down what the caller reports or asks."))
    postcode = values["postcode"]
    if postcode and not (postcode.isascii() and postcode.isdigit() and len(postcode) == 4):
        _error(errors, "postcode", _("Enter a Belgian postcode of four digits, like 1547."))
    if values["street"] and not postcode:
        _error(errors, "postcode", _("Give the postcode of the street."))
    lost_or_found = category is not None and category.kind in (
        CategoryKind.LOST,
        CategoryKind.FOUND,
    )
    if lost_or_found and not values["object_type"]:
        _error(errors, "object_type", _("Say what kind of object it is."))
    phone = values["phone"]
    if phone:
        try:
            phone = to_e164(phone)
        except InvalidRequest:
            _error(errors, "phone", _("Enter a phone number like 0470 12 34 56 or 054 31 35 01."))
    email = values["email"]
    if email:
        try:
            email = normalized_email(email)
        except InvalidRequest:
            _error(errors, "email", _("Enter one e-mail address like name@example.be."))
    if errors or category is None:
        return _Read(None, errors)
    submission = Submission(
        category_code=category.code,
        description=values["description"],
        channel=ReportChannel.PHONE,
        language=taken.call.language,
        place=Place(
            street_name=values["street"] or None,
            house_number=values["number"] or None,
            postcode=postcode or None,
            landmark=values["landmark"] or None,
        ),
        object_type=values["object_type"] or None,
        reporter=Reporter(name=values["name"] or None, phone=phone or None, email=email or None),
        submission_key=key,
    )
    return _Read(submission, errors)


def _submit(taken: TakenCall, category: ReportCategory, submission: Submission) -> Submitted:
    session, config, now = get_session(), _config(), current.now()
    actor = commands.staff(taken.staff_id)
    if category.kind == CategoryKind.QUESTION:
        promise = commands.Promise(config.question_answer_days, config.answer_hours, config.zone)
        return commands.submit_question(session, submission, now=now, promise=promise, actor=actor)
    return commands.submit_report(session, submission, now=now, zone=config.zone, actor=actor)


def _config() -> Config:
    config: Config = current.config()
    return config


def registered_with(key: str) -> str | None:
    """The number of the report this form's key made, if it made one."""
    return get_session().scalar(select(Report.number).where(Report.submission_key == key))


def _registered(number: str) -> None:
    flash(
        _("Registered as %(number)s. Read the number out to the caller.", number=number),
        "success",
    )


@bp.post("/calls/<int:call_id>/report")
@staff_required(*CONSOLE_ROLES)
def register_report(me: Staff, call_id: int) -> Answer:
    taken = get_visible(TakenCall, call_id)
    session = get_session()
    key = request.form.get("report_key", "")
    if not KEY.fullmatch(key):
        return page_of(taken, {"report": _("The form was not complete. Please try again.")}, 400)
    done = registered_with(key)
    if done is not None:  # a second click on the same form: the report is there already
        _registered(done)
        return back_to(taken)
    code = _field("category")
    category = session.scalar(
        select(ReportCategory).where(ReportCategory.code == code, ReportCategory.active)
    )
    read = _read(taken, category, key)
    if read.submission is None or category is None:
        return page_of(taken, read.errors, 400, report_key=key)
    ratelimit.hit_or_refuse("report-console-staff", str(taken.staff_id))
    try:
        with session.begin_nested():  # a second click at the same instant: see below
            submitted = _submit(taken, category, read.submission)
    except (InvalidRequest, NotAllowed) as refused:
        field = FIELDS.get(refused.field or "", "description")
        return page_of(taken, {f"report_{field}": _message(refused)}, 400, report_key=key)
    except IntegrityError:  # the same form's key, registered by the other click meanwhile
        done = registered_with(key)
        if done is None:
            raise
        _registered(done)
        return back_to(taken)
    telling.received(session, submitted, config=_config(), now=current.now())
    _registered(submitted.report.number)
    return back_to(taken)


def _message(refused: InvalidRequest | NotAllowed) -> str:
    """The command's refusal in the call-taker's language (its messages are English)."""
    if refused.field == "name":
        return _("This category needs the caller's name and a phone number or e-mail address.")
    if refused.field in ("street", "number", "postcode", "municipality", "landmark", "location"):
        return _("Check the place: use at most 200 ordinary characters.")
    return _("Check this field: it is too long or holds characters that cannot be stored.")
