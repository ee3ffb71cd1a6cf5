"""Bookings: create (idempotent), read, cancel and move, by the manage token from the SMS link."""

import re
from typing import Any

from flask import Response, jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import commands, current, ratelimit
from app.api import bp, idempotency, local_iso, parse_body
from app.api.problems import problem
from app.api.schemas import BookingIn, CancelIn, RescheduleIn
from app.assistance.models import OfficeApiToken
from app.db import get_session
from app.phone import to_e164
from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen, booking_by_token, hash_token
from scheduling.enums import ActorKind, Channel, LocationKind
from scheduling.errors import NotFound
from scheduling.models import BailiffAccount, Booking
from scheduling.trail import Actor

TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,100}$")
IDEMPOTENCY_SCOPE = "bookings.create"  # per actor: see _idempotency_scope


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
    }


def _by_token(session: Session, token: str) -> Booking:
    if not TOKEN_SHAPE.match(token):
        raise NotFound("No booking for this link.", field="manage_token")
    return booking_by_token(session, token)


def _bailiff(session: Session) -> BailiffAccount | None:
    """The bailiff account of a ``Bearer`` token, None without one; a wrong token is refused."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    found = session.scalar(
        select(OfficeApiToken)
        .join(BailiffAccount, BailiffAccount.id == OfficeApiToken.office_id)
        .where(
            OfficeApiToken.token_hash == hash_token(token.strip()),
            OfficeApiToken.revoked_at.is_(None),
            BailiffAccount.active,
        )
    )
    if scheme.lower() != "bearer" or found is None:
        raise _Unauthorized()
    if found.office.demo and not current.config().demo_mode:
        raise _Unauthorized()  # demo logins work only under `make run` (BLAUWLIJN_DEMO=1)
    found.last_used_at = current.now()  # the office's token page shows it
    return found.office


class _Unauthorized(Exception):
    pass


@bp.errorhandler(_Unauthorized)
def _unauthorized(_error: _Unauthorized) -> Response:
    response = problem(401, "The bearer token is not valid.", code="unauthorized")
    response.headers["WWW-Authenticate"] = 'Bearer realm="blauwlijn"'
    return response


@bp.post("/bookings")
def create_booking() -> Response:
    session = get_session()
    bailiff = _bailiff(session)  # who asks comes first: a replay is theirs alone
    scope = f"{IDEMPOTENCY_SCOPE}:bailiff:{bailiff.id}" if bailiff else IDEMPOTENCY_SCOPE
    key = request.headers.get("Idempotency-Key")
    if key is not None:
        key = idempotency.check_key(key)
        stored = idempotency.replay(session, scope, key, request.get_data())
        if stored is not None:
            return _json(stored.body, stored.status_code)

    data = parse_body(BookingIn)
    actor = (
        Actor(ActorKind.BAILIFF, Channel.API, bailiff.id) if bailiff else Actor.citizen(Channel.API)
    )
    phone = to_e164(data.citizen.phone, field="citizen.phone")
    if bailiff:
        ratelimit.hit_or_refuse("booking-bailiff", str(bailiff.id))
    else:
        ratelimit.hit_or_refuse("booking-ip", request.remote_addr or "?")
    ratelimit.hit_or_refuse("booking-phone", phone)
    address = Address(**data.address.model_dump()) if data.address else None
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
        actor=actor,
        now=current.now(),
        config=current.config(),
        bailiff_account_id=bailiff.id if bailiff else None,
    )
    answer = {**booking_json(booked.booking), "manage_token": booked.manage_token}
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
    response.headers["Location"] = f"/api/v1/bookings/{booked.manage_token}"
    return response


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
