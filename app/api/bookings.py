"""Bookings: create (idempotent), read, cancel and move, by the manage token from the SMS link."""

import re
from typing import Any, NoReturn

from flask import Response, jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import commands, current, ratelimit
from app.api import bearer, bp, idempotency, local_iso, parse_body
from app.api.schemas import BookingIn, CancelIn, EarlierIn, RescheduleIn
from app.db import get_session
from app.earlier.wishes import Wish, wish_of
from app.phone import is_mobile, to_e164
from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen, booking_by_token
from scheduling.enums import Audience, Channel, LocationKind
from scheduling.errors import Forbidden, InvalidRequest, NotFound
from scheduling.models import Booking, Service
from scheduling.trail import Actor

TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,100}$")
IDEMPOTENCY_SCOPE = "bookings.create"  # citizens only: offices book at /assistance
EARLIER_FIELDS = {
    "earlier_location": "earlier.location",
    "earlier_not_before": "earlier.not_before",
}


def booking_json(booking: Booking) -> dict[str, Any]:
    return {
        "reference": booking.reference,
        "status": booking.status.value,
        "start": local_iso(booking.start_at),
        "end": local_iso(booking.end_at),
        "service": booking.service.code,
        "staff": {"id": booking.staff.id, "name": booking.staff.name},
        "location": booking.location.value,
        "topic": booking.topic,
        "earlier": _earlier_json(booking),
    }


def _earlier_json(booking: Booking) -> dict[str, Any] | None:
    wish = wish_of(get_session(), booking, waiting_only=False)
    if wish is None:
        return None
    return {
        "status": wish.status.value,
        "location": wish.location.value if wish.location else None,
        "not_before": wish.not_before.isoformat() if wish.not_before else None,
    }


def _wish(given: EarlierIn | None, phone: str) -> Wish | None:
    """The wish asked with the booking; only a mobile number can be texted."""
    if given is None:
        return None
    if not is_mobile(phone):
        raise InvalidRequest(
            "An earlier moment is offered by SMS: give a mobile number.", field="earlier"
        )
    return Wish(
        location=LocationKind(given.location) if given.location else None,
        not_before=given.not_before,
    )


def _by_token(session: Session, token: str) -> Booking:
    if not TOKEN_SHAPE.match(token):
        raise NotFound("No booking for this link.", field="manage_token")
    return booking_by_token(session, token)


@bp.post("/bookings")
def create_booking() -> Response:
    session = get_session()
    if bearer.office_caller(session) is not None:  # a wrong token is a 401 first
        _refuse_office(session)
    key = request.headers.get("Idempotency-Key")
    if key is not None:
        key = idempotency.check_key(key)
        stored = idempotency.replay(session, IDEMPOTENCY_SCOPE, key, request.get_data())
        if stored is not None:
            return _json(stored.body, stored.status_code)

    data = parse_body(BookingIn)
    phone = to_e164(data.citizen.phone, field="citizen.phone")
    ratelimit.hit_or_refuse("booking-ip", request.remote_addr or "?")
    ratelimit.hit_or_refuse("booking-phone", phone)
    address = Address(**data.address.model_dump()) if data.address else None
    try:
        booked = commands.book(
            session,
            BookingRequest(
                service_code=data.service,
                start=data.start,
                staff_id=data.staff_id,
                location=LocationKind(data.location),
                citizen=Citizen(data.citizen.name, phone, data.citizen.email),
                address=address,
                invitation_code=data.invitation_code,
                language=data.language,
                topic=data.topic,
            ),
            actor=Actor.citizen(Channel.API),
            now=current.now(),
            config=current.config(),
            earlier=_wish(data.earlier, phone),
        )
    except InvalidRequest as error:  # the wish's fields as this API names them
        error.field = EARLIER_FIELDS.get(error.field or "", error.field)
        raise
    answer = {**booking_json(booked.booking), "manage_token": booked.manage_token}
    if key is not None:
        idempotency.remember(
            session,
            scope=IDEMPOTENCY_SCOPE,
            key=key,
            body=request.get_data(),
            status=201,
            answer=answer,
            now=current.now(),
        )
    response = _json(answer, 201)
    response.headers["Location"] = f"/api/v1/bookings/{booked.manage_token}"
    return response


def _refuse_office(session: Session) -> NoReturn:
    """A bailiff office books assistance at /assistance/bookings (with its file, kind and
    risk answers, which this route does not take) and never a citizens' service."""
    body = request.get_json(silent=True) if request.is_json else None
    code = body.get("service") if isinstance(body, dict) else None
    service = (
        session.scalar(select(Service).where(Service.code == code))
        if isinstance(code, str)
        else None
    )
    if service is not None and service.audience is Audience.BAILIFF:
        raise UseAssistanceEndpoint(
            "Book police assistance with POST /api/v1/assistance/bookings "
            "(address, file reference, kind of execution, risks).",
            field="service",
        )
    raise Forbidden(
        "Bailiff offices' tokens book police assistance only "
        "(POST /api/v1/assistance/bookings), never a citizens' service.",
        field="service",
    )


class UseAssistanceEndpoint(InvalidRequest):
    code = "use_assistance_endpoint"


def _json(body: dict[str, Any], status: int) -> Response:
    response = jsonify(body)
    response.status_code = status
    return response


@bp.get("/bookings/<token>")
def get_booking(token: str) -> Response:
    return jsonify(booking_json(_by_token(get_session(), token)))


@bp.post("/bookings/<token>/cancel")
def cancel_booking(token: str) -> Response:
    session = get_session()
    booking = _by_token(session, token)
    data = parse_body(CancelIn, optional=True)
    ratelimit.hit_or_refuse("change-ip", request.remote_addr or "?")
    commands.cancel(
        session, booking, actor=Actor.citizen(Channel.API), now=current.now(), reason=data.reason
    )
    return jsonify(booking_json(booking))


@bp.post("/bookings/<token>/reschedule")
def reschedule_booking(token: str) -> Response:
    session = get_session()
    booking = _by_token(session, token)
    data = parse_body(RescheduleIn)
    ratelimit.hit_or_refuse("change-ip", request.remote_addr or "?")
    commands.move(
        session,
        booking,
        start=data.start,
        staff_id=data.staff_id,
        actor=Actor.citizen(Channel.API),
        now=current.now(),
        config=current.config(),
    )
    return jsonify(booking_json(booking))
