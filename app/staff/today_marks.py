"""``POST /staff/today/marks``: a done, no-show or note from the today page, as JSON from its
script (perhaps long after it was made offline; CSRF in the ``X-CSRF-Token`` header) or as
a plain form without JavaScript. The phone's mark id makes a resend count once
(``app.staff.visit_marks``). Answers: 201 kept, 200 already kept, 404 a booking that is not
the officer's (as one that does not exist), 409 already closed or not started, 422 a
field, 429 past the hourly limit; the form gets the page back with a message."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import abort, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from app import current, ratelimit
from app.db import get_session
from app.staff import bp
from app.staff.access import is_manager, staff_required
from app.staff.today import ALLOWED
from app.staff.visit_marks import KINDS, NOTE_MAX, Mark, Outcome, record
from app.text import is_plain
from app.values import parse_id
from scheduling.models import Booking, Reservation, Staff

BUCKET = "today-marks-staff"
SKEW = timedelta(days=2)  # a phone's clock, or a mark kept offline: no later than this
FIELDS = ("mark_id", "booking_id", "kind", "note", "marked_at")


def _problem(status: int, field: str | None, detail: str) -> tuple[WerkzeugResponse, int]:
    body: dict[str, Any] = {"title": detail, "status": status, "detail": detail}
    if field is not None:
        body["field"] = field
        body["errors"] = [{"field": field, "message": detail}]
    response = jsonify(body)
    response.mimetype = "application/problem+json"
    return response, status


def _read() -> tuple[dict[str, Any], bool]:
    """The mark as sent, and whether it came as JSON (else a plain form)."""
    if request.is_json:
        body = request.get_json(silent=True)
        return (body if isinstance(body, dict) else {}), True
    return {k: request.form.get(k, "") for k in FIELDS}, False


def _check(raw: dict[str, Any], now: datetime) -> tuple[Mark | None, int | None, str, str]:
    """The mark and its booking id, or None with the field in error and why."""
    try:
        mark_id = str(uuid.UUID(str(raw.get("mark_id", ""))))
    except ValueError:
        return None, None, "mark_id", _("A mark needs its id (a UUID).")
    booking_id = parse_id(str(raw.get("booking_id", "")))
    if booking_id is None:
        return None, None, "booking_id", _("Which appointment?")
    kind = raw.get("kind")
    if kind not in KINDS:
        return None, None, "kind", _("Choose done, no-show or note.")
    note = raw.get("note") or ""
    if not isinstance(note, str):
        return None, None, "note", _("Write the note as text.")
    if not is_plain(note, multiline=True):
        return None, None, "note", _("The note holds characters that cannot be kept.")
    cleaned = note.strip()
    if len(cleaned) > NOTE_MAX:
        return None, None, "note", _("Keep the note under %(n)d characters.", n=NOTE_MAX)
    if kind == "note" and not cleaned:
        return None, None, "note", _("Write the note.")
    marked_at = _instant(raw.get("marked_at"), now)
    if marked_at is None:
        return None, None, "marked_at", _("When was it marked?")
    return Mark(mark_id, kind, cleaned, marked_at), booking_id, "", ""


def _instant(raw: object, now: datetime) -> datetime | None:
    """The phone's moment of the mark (ISO 8601 with an offset); none sent: now."""
    if raw in (None, ""):
        return now
    try:
        moment = datetime.fromisoformat(str(raw))
    except ValueError:
        return None
    if moment.tzinfo is None or not now - SKEW <= moment <= now + SKEW:
        return None
    return moment.astimezone(UTC)


def _booking(me: Staff, booking_id: int) -> Booking | None:
    """The booking, locked, when ``me`` may mark it (their own, one they are reserved
    alongside, or a manager); None otherwise, as for one that does not exist."""
    session = get_session()
    # The row lock makes a mark sent twice at once wait for the first, then find it kept.
    session.scalar(select(Booking.id).where(Booking.id == booking_id).with_for_update())
    booking = session.get(Booking, booking_id, populate_existing=True)
    if booking is None or is_manager(me) or booking.staff_id == me.id:
        return booking
    alongside = select(Reservation.id).where(
        Reservation.booking_id == booking_id, Reservation.staff_id == me.id
    )
    return booking if session.scalar(alongside) is not None else None


ANSWERS = {
    Outcome.RECORDED: 201,
    Outcome.ALREADY: 200,
    Outcome.CLOSED_BEFORE: 409,
    Outcome.NOT_STARTED: 409,
}


def _message(outcome: Outcome) -> str:
    return {
        Outcome.RECORDED: _("Saved."),
        Outcome.ALREADY: _("Already saved."),
        Outcome.CLOSED_BEFORE: _("This appointment was already cancelled or closed."),
        Outcome.NOT_STARTED: _("This appointment has not started yet: mark it once it has begun."),
    }[outcome]


@bp.post("/today/marks")
@staff_required(*ALLOWED)
def today_marks(me: Staff) -> WerkzeugResponse | tuple[WerkzeugResponse, int]:
    raw, as_json = _read()
    if not ratelimit.take(get_session(), BUCKET, str(me.id), now=datetime.now(UTC)):
        if as_json:
            return _problem(429, None, _("Too many marks in an hour. Try again later."))
        abort(429)
    now = current.now()
    mark, booking_id, field, error = _check(raw, now)
    booking = _booking(me, booking_id) if mark is not None and booking_id is not None else None
    if mark is not None and booking is None:
        if as_json:
            return _problem(404, "booking_id", _("No such appointment."))
        abort(404)
    if mark is None or booking is None:
        if as_json:
            return _problem(422, field, error)
        flash(error, "error")
        return redirect(url_for("staff.today_page"))
    outcome = record(get_session(), booking, mark, staff_id=me.id, now=now)
    status = ANSWERS[outcome]
    if as_json:
        if status >= 400:
            return _problem(status, "booking_id", _message(outcome))
        return jsonify({"status": outcome.value, "mark_id": mark.mark_id}), status
    flash(_message(outcome), "success" if status < 400 else "error")
    day = booking.start_at.astimezone(current.zone()).date().isoformat()
    args = {"day": day} if booking.staff_id == me.id else {"day": day, "staff": booking.staff_id}
    return redirect(url_for("staff.today_page", **args) + f"#visit-{booking.id}")
