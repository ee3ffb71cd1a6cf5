"""/melden: what can be reported here (and what not), and the questions of a report —
where, when, what, who — one page each. Photos: app.meldpunt.upload; the check page and
sending: app.meldpunt.send; the sensitive phenomena's own entry: app.meldpunt.discreet."""

import math
from datetime import datetime
from typing import Any

from flask import abort, render_template, request
from flask_babel import gettext as _

from app import current
from app.addresses.linking import register_street
from app.db import get_session
from app.email_address import normalized_email
from app.forms import FIELD_LENGTH, Form
from app.meldpunt import bp, draft
from app.meldpunt.flow import (
    Flow,
    ViewAnswer,
    answered,
    question,
    report_categories,
)
from app.phone import to_e164
from app.places import zone_streets
from app.reports.commands import MAX_DESCRIPTION
from app.reports.enums import ContactHow, QuestionType
from app.reports.objects import OBJECT_TYPES
from app.values import parse_clock, parse_date
from scheduling.addresses import Address, canonical, district_for, street_key
from scheduling.errors import SchedulingError

ADDRESS = ("postcode", "street", "number")
# As the reports table stores them.
LANDMARK_LENGTH = RECURRING_LENGTH = CONTACT_WHEN_LENGTH = 300
HOUSE_NUMBER_LENGTH = 12
WHEN = ("now", "moment", "recurring")


@bp.route("/melden")
def start() -> str:
    return render_template("meldpunt/start.html", categories=report_categories(sensitive=False))


def too_long(form: Form, name: str, limit: int) -> None:
    """The field error for a text longer than ``limit``, saying how long it is."""
    given = len(form.values.get(name, ""))
    if name not in form.errors and given > limit:
        form.errors[name] = _(
            "Keep it to %(length)d characters (this is %(given)d).", length=limit, given=given
        )


# --- Where --------------------------------------------------------------------------------


@bp.route("/melden/<slug>/where", methods=["GET", "POST"])
@question("where")
def where(flow: Flow) -> ViewAnswer:
    d = flow.draft
    form = Form(
        {
            "postcode": d.postcode,
            "street": d.street,
            "number": d.number,
            "landmark": d.landmark,
            "lat": "" if d.lat is None else f"{d.lat:.6f}",
            "lon": "" if d.lon is None else f"{d.lon:.6f}",
        }
    )
    if request.method == "POST":
        form = Form.read(*ADDRESS, "landmark", "lat", "lon", multiline=("landmark",))
        address = _address(form) if any(form.values[k] for k in ADDRESS) else None
        too_long(form, "landmark", LANDMARK_LENGTH)
        point = _point(form)
        nowhere = address is None and not form.values["landmark"] and point is None
        if form.ok and nowhere and not flow.discreet:  # a sensitive one may be about no place
            form.errors["street"] = _("Give the address, or describe the place where it is.")
        if form.ok:
            previous = draft.load()
            if previous.submission_key != d.submission_key and not previous.sent:
                draft.drop_photos(previous, current.config().report_uploads_dir)
            _keep_place(d, address)
            d.landmark = form.values["landmark"]
            d.lat, d.lon = point if point is not None else (None, None)
            return answered(flow, "where")
    return render_template(
        "meldpunt/where.html",
        flow=flow,
        form=form,
        streets=zone_streets(get_session()),
        back=flow.back("where"),
    )


def _address(form: Form) -> Address | None:
    """The address the fields give, when the zone serves it; else field errors."""
    form.required("postcode", _("Enter the postcode."))
    form.required("street", _("Enter the street."))
    form.required("number", _("Enter a house number: the nearest one if there is none here."))
    too_long(form, "number", HOUSE_NUMBER_LENGTH)
    if not form.ok:
        return None
    address = Address(*(form.values[k] for k in ADDRESS))
    try:
        district_for(get_session(), address)
    except SchedulingError as error:
        if error.field == "postcode":
            form.errors["postcode"] = _("A postcode has four digits.")
        elif error.field == "number":
            form.errors["number"] = _("Enter a house number like 12 or 12A.")
        else:
            form.errors["street"] = _(
                "We do not find this address in our zone. Check the street and postcode, "
                "or describe the place instead."
            )
        return None
    return address


def _keep_place(d: draft.Draft, address: Address | None) -> None:
    """The address as the zone spells it, with the register's street when it has one."""
    if address is None:
        d.postcode = d.street = d.number = d.municipality = ""
        d.street_id = 0
        return
    session = get_session()
    spelled = canonical(session, address)
    d.postcode, d.street, d.number = spelled.postcode, spelled.street, spelled.number
    d.municipality = district_for(session, address).municipality
    d.street_id = register_street(session, spelled.postcode, street_key(spelled.street)) or 0


def _point(form: Form) -> tuple[float, float] | None:
    """The browser's location (the "use my location" button fills both), or None."""
    raw = (form.values["lat"], form.values["lon"])
    if not any(raw):
        return None
    try:
        lat, lon = float(raw[0]), float(raw[1])
    except ValueError:
        lat = lon = math.nan
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        form.errors["locate"] = _("Your location could not be read. Give the address instead.")
        return None
    return round(lat, 6), round(lon, 6)


# --- When ---------------------------------------------------------------------------------


@bp.route("/melden/<slug>/when", methods=["GET", "POST"])
@question("when")
def when(flow: Flow) -> ViewAnswer:
    d = flow.draft
    form = Form({"when": d.when, "day": d.day, "clock": d.clock, "recurring": d.recurring})
    if request.method == "POST":
        form = Form.read("when", "day", "clock", "recurring")
        chosen = form.values["when"]
        occurred: datetime | None = None
        if chosen not in WHEN:
            form.errors["when"] = _("Choose when it happened.")
        elif chosen == "now":
            occurred = current.now()
        elif chosen == "moment":
            occurred = _moment(form)
        else:
            form.required("recurring", _("Say when it happens, for example every Friday night."))
            too_long(form, "recurring", RECURRING_LENGTH)
        if form.ok:
            d.when = chosen
            d.day, d.clock = (form.values["day"], form.values["clock"]) if occurred else ("", "")
            d.occurred_at = occurred.isoformat() if occurred else ""
            d.recurring = form.values["recurring"] if chosen == "recurring" else ""
            return answered(flow, "when")
    return render_template("meldpunt/when.html", flow=flow, form=form, back=flow.back("when"))


def _moment(form: Form) -> datetime | None:
    day = parse_date(form.values["day"])
    clock = parse_clock(form.values["clock"])
    if day is None:
        form.errors["day"] = _("Enter the date like 31/12/2026.")
    if clock is None:
        form.errors["clock"] = _("Enter the time like 21:30 (roughly is fine).")
    if day is None or clock is None:
        return None
    moment = datetime.combine(day, clock, tzinfo=current.zone())
    if moment > current.now():
        form.errors["day"] = _("This moment has not come yet. Enter when it happened.")
        return None
    return moment


# --- What ---------------------------------------------------------------------------------


@bp.route("/melden/<slug>/what", methods=["GET", "POST"])
@question("what")
def what(flow: Flow) -> ViewAnswer:
    d = flow.draft
    questions = flow.category.questions or []
    fields = [_field(q) for q in questions]
    form = Form(
        {"description": d.description, "object_type": d.object_type}
        | {_field(q): d.answers.get(str(q.get("code")), "") for q in questions}
    )
    if request.method == "POST":
        form = Form.read("description", "object_type", *fields, multiline=("description",))
        if not form.values["description"] and "description" not in form.errors:
            form.errors["description"] = _("Describe what you want to report.")
        too_long(form, "description", MAX_DESCRIPTION)
        if flow.lost_or_found and form.values["object_type"] not in OBJECT_TYPES:
            form.errors["object_type"] = _("Choose what kind of object it is.")
        answers = _answers(form, questions)
        if form.ok:
            d.description = form.values["description"]
            d.object_type = form.values["object_type"] if flow.lost_or_found else ""
            d.answers = answers
            return answered(flow, "what")
    return render_template(
        "meldpunt/what.html",
        flow=flow,
        form=form,
        questions=[(_field(q), q) for q in questions],
        object_types=[(code, str(label), "") for code, label in OBJECT_TYPES.items()],
        back=flow.back("what"),
    )


def _field(question_: dict[str, Any]) -> str:
    return f"q-{question_.get('code')}"


def _answers(form: Form, questions: list[dict[str, Any]]) -> dict[str, str]:
    """The category's extra questions, all optional: a choice one of its options, a text
    one line of at most FIELD_LENGTH characters."""
    answers = {}
    for q in questions:
        name, value = _field(q), form.values.get(_field(q), "")
        if not value or name in form.errors:
            continue
        if q.get("type") == QuestionType.CHOICE:
            options = q.get("options") or []
            codes = {str(o.get("code")) for o in options if isinstance(o, dict)}
            if value not in codes:
                form.errors[name] = _("Choose one of the answers.")
                continue
        too_long(form, name, FIELD_LENGTH)
        answers[str(q.get("code"))] = value
    return answers


# --- Who ----------------------------------------------------------------------------------


@bp.route("/melden/<slug>/who", methods=["GET", "POST"])
@question("who")
def who(flow: Flow) -> ViewAnswer:
    d = flow.draft
    form = Form(
        {
            "name": d.name,
            "phone": d.phone,
            "email": d.email,
            "contact_how": d.contact_how,
            "contact_when": d.contact_when,
        }
    )
    if request.method == "POST":
        form = Form.read("name", "phone", "email", "contact_how", "contact_when", "website")
        if form.values["website"]:  # the honeypot: people never see this field, bots fill it
            abort(400)
        if flow.discreet:
            _discreet_contact(form, anonymous_allowed=flow.category.anonymous_allowed)
        else:
            _contact(form, anonymous_allowed=flow.category.anonymous_allowed)
        if form.ok:
            d.name = form.values["name"]
            d.phone, d.email = form.values["phone"], form.values["email"]
            d.contact_how = form.values["contact_how"] if flow.discreet else ""
            d.contact_when = form.values["contact_when"] if flow.discreet else ""
            return answered(flow, "who")
    return render_template(
        "meldpunt/who.html",
        flow=flow,
        form=form,
        contact_options=contact_options(),
        back=flow.back("who"),
    )


def _phone(form: Form) -> None:
    raw = form.values["phone"]
    if raw and "phone" not in form.errors:
        try:
            form.values["phone"] = to_e164(raw)
        except SchedulingError:
            form.errors["phone"] = _("Enter a phone number like 0470 12 34 56 or 02 123 45 67.")


def _email(form: Form) -> None:
    raw = form.values["email"]
    if raw and "email" not in form.errors:
        try:
            form.values["email"] = normalized_email(raw)
        except SchedulingError:
            form.errors["email"] = _("Enter one e-mail address like name@example.be.")


def _contact(form: Form, *, anonymous_allowed: bool) -> None:
    too_long(form, "name", FIELD_LENGTH)
    _phone(form)
    _email(form)
    if anonymous_allowed:
        return
    form.required("name", _("Enter your name."))
    if not form.values["phone"] and not form.values["email"] and "phone" not in form.errors:
        form.errors["phone"] = _("Give a phone number or an e-mail address.")


def _discreet_contact(form: Form, *, anonymous_allowed: bool) -> None:
    """How and when they may be contacted: by phone (only at the times they give: a call at
    the wrong moment can put a victim at risk), by e-mail, or not at all. What a way they
    did not choose would need is not kept."""
    too_long(form, "name", FIELD_LENGTH)
    how = form.values["contact_how"]
    if how not in {c.value for c in ContactHow}:
        form.errors["contact_how"] = _("Choose how we may contact you.")
        return
    if how != ContactHow.PHONE:
        form.values["phone"] = form.values["contact_when"] = ""
    if how != ContactHow.EMAIL:
        form.values["email"] = ""
    if how == ContactHow.PHONE:
        form.required("phone", _("Enter the phone number we may call."))
        _phone(form)
        form.required("contact_when", _("Say when we may call, for example weekdays after 18:00."))
        too_long(form, "contact_when", CONTACT_WHEN_LENGTH)
    elif how == ContactHow.EMAIL:
        form.required("email", _("Enter the e-mail address we may write to."))
        _email(form)
    if not anonymous_allowed:  # a category may need to know who reports
        form.required("name", _("Enter your name."))
        if how == ContactHow.NOT_AT_ALL:
            form.errors["contact_how"] = _("Choose how we may contact you: by phone or e-mail.")


def contact_options() -> list[tuple[str, str, str]]:
    return [
        (ContactHow.PHONE.value, _("By phone, at the times I give"), ""),
        (ContactHow.EMAIL.value, _("By e-mail"), ""),
        (ContactHow.NOT_AT_ALL.value, _("Not at all"), _("We cannot ask you anything more.")),
    ]
