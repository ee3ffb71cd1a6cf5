"""Twilio's SMS webhooks: ``POST /sms/status`` records what became of a sent message;
``POST /sms/inbound`` (``ivr.sms_replies``) answers what citizens send."""

from datetime import UTC, datetime

from flask import Blueprint, Flask, Response
from flask import request as flask_request
from sqlalchemy import select
from twilio.twiml.messaging_response import MessagingResponse

from app.db import get_session
from app.notify.models import OutboxMessage
from app.notify.sender import undeliverable
from ivr.telephony.signature import twilio_signed
from scheduling.enums import OutboxStatus

bp = Blueprint("sms", __name__, url_prefix="/sms")

FAILED = frozenset({"failed", "undelivered"})


@bp.post("/status")
@twilio_signed
def status() -> Response:
    """Delivered or not; a notice that did not arrive becomes a call-back task. A replayed
    or late callback changes nothing more (a delivered message stays delivered)."""
    form = flask_request.form
    session = get_session()
    row = session.scalar(
        select(OutboxMessage).where(OutboxMessage.provider_sid == form.get("MessageSid", ""))
    )
    state = form.get("MessageStatus", "")
    if row is not None and row.status is not OutboxStatus.DELIVERED:
        if state == "delivered":
            row.status = OutboxStatus.DELIVERED
        elif state in FAILED:
            row.status = OutboxStatus.FAILED
            row.last_error_code = form.get("ErrorCode") or state
            row.last_error_message = f"delivery {state}"
            undeliverable(
                session,
                row,
                f"SMS {state} (error {row.last_error_code})",
                datetime.now(UTC),
            )
        session.flush()
    return Response(str(MessagingResponse()), mimetype="text/xml")


def init_app(app: Flask) -> None:
    from ivr import sms_replies  # noqa: F401  # its route joins this blueprint
    from ivr.sms_simulator import sms_sim

    app.register_blueprint(bp)
    app.cli.add_command(sms_sim)  # a citizen's SMS in a terminal (JA to an earlier moment)
