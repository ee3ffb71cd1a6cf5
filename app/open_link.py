"""A short-lived signed link that opens an appointment page, sent when a citizen asks again
for the link to their appointment (ivr.links).

Only the manage token's hash is stored, so its link cannot be sent again; replacing the
token would break the link the citizen already has (and let anyone who asks kill it). So
this link carries the booking's id and an expiry, signed with a key derived from
SECRET_KEY over both and the booking's token hash: nothing new is stored, a copy of the
database still opens nothing, and the link works for LIFETIME only. It opens the same
pages as the manage token (see, cancel, move, calendar file), never the API. It is written
like any other secret in a path, so app.logs masks it too.
"""

import base64
import hashlib
import hmac
import re
import struct
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from scheduling.models import Booking

LIFETIME = timedelta(hours=24)
_PURPOSE = b"blauwlijn: a link that opens an appointment page"
_FIELDS = struct.Struct(">QQ")  # booking id, expiry in Unix seconds
_MAC_BYTES = 16
_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")  # 8 + 8 + 16 bytes, base64url without padding
_LARGEST_ID = 2**31 - 1  # an INTEGER column: a larger id is not ours (and PostgreSQL refuses it)


def _mac(secret: str, booking_id: int, expires: int, token_hash: str) -> bytes:
    key = hmac.new(secret.encode(), _PURPOSE, hashlib.sha256).digest()
    message = _FIELDS.pack(booking_id, expires) + token_hash.encode()
    return hmac.new(key, message, hashlib.sha256).digest()[:_MAC_BYTES]


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def issue(booking: Booking, *, secret: str, now: datetime) -> str:
    """The path segment that opens ``booking``'s page until ``now`` + LIFETIME."""
    expires = int((now + LIFETIME).timestamp())
    fields = _FIELDS.pack(booking.id, expires)
    return _encode(fields + _mac(secret, booking.id, expires, booking.token_hash))


def opened(session: Session, token: str, *, secret: str, now: datetime) -> Booking | None:
    """The booking ``token`` opens at ``now``; None when it is no such link, was changed,
    signed with another key, or has expired."""
    if not _SHAPE.fullmatch(token):
        return None
    raw = base64.urlsafe_b64decode(token + "=")
    if _encode(raw) != token:  # one spelling only (the last character has spare bits)
        return None
    booking_id, expires = _FIELDS.unpack(raw[: _FIELDS.size])
    if expires <= now.timestamp() or not 0 < booking_id <= _LARGEST_ID:
        return None
    booking = session.get(Booking, booking_id)
    if booking is None:
        return None
    mac = _mac(secret, booking_id, expires, booking.token_hash)
    return booking if hmac.compare_digest(raw[_FIELDS.size :], mac) else None
