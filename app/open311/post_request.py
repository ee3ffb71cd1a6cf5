"""POST requests: a partner's system (a municipality's app, a city dashboard) sends a
citizen's report, with the api key the zone's admin gave it (/staff/admin/open311-clients).

The report goes through the same command as one made on the web (channel ``api``), routed
the same way, and its citizen is told the same way (app.reports.telling). The answer is the
spec's ``[{service_request_id, service_notice, account_id}]``; never the status link, which
is the citizen's alone (it reaches them by e-mail or SMS when they gave an address or a
number). ``media_url`` is ignored: the zone never fetches a file from an address a client
names (docs/open311.md). Nothing a citizen wrote is logged.
"""

import math
from dataclasses import replace
from typing import Any

from flask import Response, request
from flask_babel import force_locale
from flask_babel import gettext as _

from app import current, ratelimit
from app.db import get_session
from app.email_address import normalized_email
from app.open311 import bp, params
from app.open311.address import MAX_LENGTH as MAX_ADDRESS
from app.open311.address import place_of
from app.open311.render import Failure, answer, check_format
from app.open311.services import OBJECT_TYPE, public_categories, questions_of
from app.phone import to_e164
from app.reports import api_clients, commands, telling
from app.reports.commands import Place, Reporter, Submission
from app.reports.enums import QuestionType, ReportChannel
from app.reports.models import ReportCategory
from app.text import is_plain
from scheduling.errors import SchedulingError

MAX_NAME = 100  # first and last name each; Report.reporter_name holds 200
MAX_ANSWER = 500
# What the domain's refusals call a field, in the names the client sent.
FIELDS = {
    "category": "service_code",
    "location": "lat",
    "street": "address_string",
    "number": "address_string",
    "postcode": "address_string",
    "landmark": "address_string",
    "name": "first_name",
    "object_type": f"attribute[{OBJECT_TYPE}]",
    "language": "lang",
}


@bp.post("/requests.<response_format>")
def post_request(response_format: str) -> Response:
    check_format(response_format)
    session = get_session()
    now = current.now()
    client = api_clients.client_for_key(session, request.form.get("api_key", ""))
    if client is None:
        raise Failure(403, "api_key: not a valid key (unknown or revoked).")
    ratelimit.hit_or_refuse("open311-client", str(client.id))
    api_clients.touch(client, now=now)
    lang = params.language()
    category = _category(request.form.get("service_code", ""))
    try:
        answers = _answers(category)
        submission = Submission(
            category_code=category.code,
            description=request.form.get("description", ""),
            channel=ReportChannel.API,
            language=lang,
            place=_place(),
            object_type=answers.pop(OBJECT_TYPE, None),
            answers=answers,
            reporter=_reporter(),
        )
        submitted = commands.submit_report(session, submission, now=now, zone=current.zone())
    except SchedulingError as refused:
        field = FIELDS.get(refused.field or "", refused.field or "request")
        raise Failure(400, f"{field}: {refused}") from None
    telling.received(session, submitted, config=current.config(), now=now)
    with force_locale(lang):
        notice = _(
            "The local police received this report. It is not an emergency service: "
            "call 112 in an emergency, 101 for urgent police help."
        )
    row = {
        "service_request_id": submitted.report.number,
        "service_notice": notice,
        "account_id": None,
    }
    response = answer([row], response_format, root="service_requests", item="request")
    response.status_code = 201
    response.headers["Cache-Control"] = "no-store"  # an answer to one client, not public
    return response


def _category(code: str) -> ReportCategory:
    """An active public category; a sensitive one is as unknown as in GET services."""
    category = next((c for c in public_categories() if c.code == code.strip()), None)
    if category is None:
        raise Failure(404, "service_code: no such service.")
    return category


def _place() -> Place:
    lat, lon = _coordinate("lat", 90), _coordinate("long", 180)
    address = request.form.get("address_string", "").strip()
    if (lat is None) != (lon is None):
        raise Failure(400, f"{'long' if lon is None else 'lat'}: give lat and long together.")
    if lat is None and not address:
        raise Failure(400, "lat: give lat and long, or address_string.")
    if len(address) > MAX_ADDRESS or not is_plain(address):
        raise Failure(400, f"address_string: at most {MAX_ADDRESS} ordinary characters.")
    place = place_of(get_session(), address) if address else Place()
    if lat is not None:
        return replace(place, lat=lat, lon=lon)
    return place


def _coordinate(name: str, limit: float) -> float | None:
    raw = request.form.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise Failure(400, f"{name}: a number in decimal degrees (WGS-84).") from None
    if not math.isfinite(value) or not -limit <= value <= limit:
        raise Failure(400, f"{name}: a number from -{limit:g} to {limit:g} (WGS-84).")
    return value


def _reporter() -> Reporter:
    names = []
    for field in ("first_name", "last_name"):
        value = request.form.get(field, "").strip()
        if len(value) > MAX_NAME or not is_plain(value):
            raise Failure(400, f"{field}: at most {MAX_NAME} ordinary characters.")
        names.append(value)
    phone, email = request.form.get("phone", "").strip(), request.form.get("email", "").strip()
    return Reporter(
        name=" ".join(n for n in names if n) or None,
        phone=to_e164(phone, field="phone") if phone else None,
        email=normalized_email(email, field="email") if email else None,
    )


def _answers(category: ReportCategory) -> dict[str, Any]:
    """``attribute[code]`` for each of the category's questions: a choice one of its
    options' codes, a text plain; a required one present; an unknown code refused."""
    questions = {question["code"]: question for question in questions_of(category)}
    sent = {
        name[len("attribute[") : -1]: value.strip()
        for name, value in request.form.items()
        if name.startswith("attribute[") and name.endswith("]")
    }
    answers: dict[str, Any] = {}
    for code, value in sent.items():
        # The code as sent, within reason: it is echoed in the error (XML has no room for
        # control characters).
        field = f"attribute[{code[:40]}]" if is_plain(code) else "attribute"
        question = questions.get(code)
        if question is None:
            raise Failure(400, f"{field}: not an attribute of this service.")
        if not value:
            continue
        if question.get("type") == QuestionType.CHOICE:
            if value not in {option["code"] for option in question.get("options", [])}:
                raise Failure(400, f"{field}: not one of the attribute's values.")
        elif len(value) > MAX_ANSWER or not is_plain(value):
            raise Failure(400, f"{field}: at most {MAX_ANSWER} ordinary characters.")
        answers[code] = value
    for code, question in questions.items():
        if question.get("required") and code not in answers:
            raise Failure(400, f"attribute[{code}]: required by this service.")
    return answers
