"""Police assistance for bailiff offices' case software: the first moments when enough
officers are free together, and booking (idempotent), reading, moving and cancelling the
office's own assistance. Only with an office's API token; every change goes through
app.assistance.commands, with the token in the booking's history."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Response, jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import current, ratelimit
from app.api import bp, idempotency, local_iso, parse_body, parse_query
from app.api.bearer import OfficeCaller, office_required
from app.api.problems import problem
from app.api.schemas import (
    AssistanceIn,
    AssistanceListQuery,
    AssistanceMoveIn,
    CancelIn,
    MomentsQuery,
)
from app.assistance import commands as assistance
from app.assistance.commands import AssistanceRequest, OfficeActor, Risks
from app.db import get_session
from scheduling.addresses import Address
from scheduling.enums import Channel
from scheduling.errors import NotAllowed, NotFound, SchedulingError
from scheduling.models import Booking

IDEMPOTENCY_SCOPE = "assistance.create"  # per office: see _caller
READ_BUCKET = "assistance-office"  # every assistance request, per office
CHANGE_BUCKET = "booking-bailiff"  # books, moves and cancels, per office
WINDOW_FIELDS = {"first_day": "from", "last_day": "to"}  # the engine's names, the API's
REFERENCE_SHAPE = re.compile(r"^[0-9]{6,9}$")


def _caller(session: Session) -> OfficeCaller:
    caller = office_required(session)
    ratelimit.hit_or_refuse(READ_BUCKET, str(caller.office.id))
    return caller


def _own_booking(session: Session, caller: OfficeCaller, reference: str) -> Booking:
    """The office's booking; another office's is as unknown as a missing one."""
    if not REFERENCE_SHAPE.match(reference):  # no odd text (a NUL, say) reaches the database
        raise NotFound("No booking of your office with this number.", field="reference")
    return assistance.office_booking(session, caller.office, reference)


def _who(caller: OfficeCaller) -> OfficeActor:
    return OfficeActor(caller.office, Channel.API, token_id=caller.token_id)


def assistance_json(session: Session, booking: Booking) -> dict[str, Any]:
    """An assistance booking as the office sees it: never the officers' names or ids."""
    details = assistance.details_of(session, booking)
    has_address = booking.address_postcode and booking.address_street and booking.address_number
    return {
        "reference": booking.reference,
        "status": booking.status.value,
        "start": local_iso(booking.start_at),
        "end": local_iso(booking.end_at),
        "officers": booking.officers,
        "address": {
            "postcode": booking.address_postcode,
            "street": booking.address_street,
            "number": booking.address_number,
        }
        if has_address
        else None,
        "details": {
            "file_reference": details.file_reference,
            "execution_kind": details.execution_kind.code,
            "risks": {
                "known_aggression": details.known_aggression,
                "weapons": details.weapons,
                "dogs": details.dogs,
                "vulnerable_persons": details.vulnerable_persons,
                "interpreter_needed": details.interpreter_needed,
            },
            "notes": details.notes,
        }
        if details is not None
        else None,
        "cancel_reason": booking.cancel_reason,
    }


@bp.get("/assistance/kinds")
def assistance_kinds() -> Response:
    session = get_session()
    _caller(session)
    return jsonify(
        {
            "kinds": [
                {"code": k.code, "names": {"nl": k.name_nl, "fr": k.name_fr, "en": k.name_en}}
                for k in assistance.execution_kinds(session)
            ]
        }
    )


@bp.get("/assistance/moments")
def assistance_moments() -> Response:
    session = get_session()
    _caller(session)
    query = parse_query(MomentsQuery)
    try:
        moments = assistance.team_moments(
            session,
            Address(query.postcode, query.street, query.number),
            officers=query.officers,
            duration_minutes=query.duration_minutes,
            first_day=query.from_,
            last_day=query.to,
            now=current.now(),
            config=current.config(),
        )
    except SchedulingError as error:
        error.field = WINDOW_FIELDS.get(error.field or "", error.field)
        raise
    officers = query.officers or assistance.assistance_service(session).staff_required
    return jsonify(
        {
            "moments": [
                {"start": local_iso(m.start), "end": local_iso(m.end), "officers": officers}
                for m in moments
            ]
        }
    )


@bp.post("/assistance/bookings")
def create_assistance() -> Response:
    session = get_session()
    caller = _caller(session)  # who asks comes first: a replay is their office's alone
    scope = f"{IDEMPOTENCY_SCOPE}:office:{caller.office.id}"
    key = request.headers.get("Idempotency-Key")
    if key is not None:
        key = idempotency.check_key(key)
        stored = idempotency.replay(session, scope, key, request.get_data())
        if stored is not None:
            return _json(stored.body, stored.status_code)

    data = parse_body(AssistanceIn)
    ratelimit.hit_or_refuse(CHANGE_BUCKET, str(caller.office.id))
    service = assistance.assistance_service(session)
    booked = assistance.book(
        session,
        AssistanceRequest(
            address=Address(**data.address.model_dump()),
            file_reference=data.file_reference,
            execution_kind=data.execution_kind,
            officers=data.officers or service.staff_required,
            duration_minutes=data.duration_minutes or service.duration_minutes,
            risks=Risks(**data.risks.model_dump()),
            notes=data.notes,
        ),
        start=data.start,
        who=_who(caller),
        now=current.now(),
        config=current.config(),
    )
    answer = assistance_json(session, booked.booking)
    if key is not None:
        idempotency.remember(
            session,
            scope=scope,
            key=key,
            body=request.get_data(),
            status=201,
            answer=answer,
            now=current.now(),
        )
    response = _json(answer, 201)
    response.headers["Location"] = f"/api/v1/assistance/bookings/{booked.booking.reference}"
    return response


@bp.get("/assistance/bookings")
def list_assistance() -> Response:
    session = get_session()
    caller = _caller(session)
    query = parse_query(AssistanceListQuery)
    now = current.now()
    mine = select(Booking).where(Booking.bailiff_account_id == caller.office.id)
    if query.past:
        mine = mine.where(Booking.start_at < now).order_by(Booking.start_at.desc())
    else:
        mine = mine.where(Booking.start_at >= now).order_by(Booking.start_at)
    bookings = session.scalars(mine.limit(query.limit))
    return jsonify({"bookings": [assistance_json(session, b) for b in bookings]})


@bp.get("/assistance/bookings/<reference>")
def get_assistance(reference: str) -> Response:
    session = get_session()
    caller = _caller(session)
    booking = _own_booking(session, caller, reference)
    return jsonify(assistance_json(session, booking))


@bp.post("/assistance/bookings/<reference>/cancel")
def cancel_assistance(reference: str) -> Response:
    session = get_session()
    caller = _caller(session)
    booking = _own_booking(session, caller, reference)
    data = parse_body(CancelIn, optional=True)
    ratelimit.hit_or_refuse(CHANGE_BUCKET, str(caller.office.id))
    with _whom_to_call():
        assistance.cancel(session, booking, who=_who(caller), now=current.now(), reason=data.reason)
    return jsonify(assistance_json(session, booking))


@bp.post("/assistance/bookings/<reference>/move")
def move_assistance(reference: str) -> Response:
    session = get_session()
    caller = _caller(session)
    booking = _own_booking(session, caller, reference)
    data = parse_body(AssistanceMoveIn)
    ratelimit.hit_or_refuse(CHANGE_BUCKET, str(caller.office.id))
    with _whom_to_call():
        assistance.move(
            session,
            booking,
            start=data.start,
            who=_who(caller),
            now=current.now(),
            config=current.config(),
        )
    return jsonify(assistance_json(session, booking))


def _json(body: dict[str, Any], status: int) -> Response:
    response = jsonify(body)
    response.status_code = status
    return response


class CallInstead(Exception):
    """A change the service's cut-off no longer allows online."""


@contextmanager
def _whom_to_call() -> Iterator[None]:
    """Inside the cut-off the engine refuses the office's change (NotAllowed on ``start``);
    the answer then gives the number to call, for the case software to show."""
    try:
        yield
    except NotAllowed as error:
        if error.field != "start":
            raise
        raise CallInstead() from error


@bp.errorhandler(CallInstead)
def _call_instead(_error: CallInstead) -> Response:
    phone = current.config().desk_phone  # BAILIFF_DESK_PHONE, else the blue number
    message = f"Too close to the assistance to change it online: call the police zone on {phone}."
    return problem(
        409,
        message,
        code="call_the_zone",
        errors=[{"field": "start", "message": message}],
        phone=phone,
    )
