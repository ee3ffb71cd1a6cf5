"""The status link a later message carries (news, the answer), when the status token itself is
gone: only its hash is stored, so the link of the confirmation cannot be sent again.

Like a booking's re-sent link (app.open_link), it carries the report's id and a MAC with a
key derived from SECRET_KEY over the id and the report's token hash: nothing new is stored
and a copy of the database opens nothing. Unlike that link it does not expire: it opens
exactly what the citizen's own status link opens, for as long (a question's answer is read
weeks later). Its shape (27 characters) differs from the token's (32), so the status page
tries the one that fits. It sits in the path like the token, so app.logs masks both.
"""

import base64
import hashlib
import hmac
import re
import struct

from sqlalchemy.orm import Session

from app.reports.models import Report

_PURPOSE = b"blauwlijn: a link that opens a report's status page"
_ID = struct.Struct(">I")  # the report's id
_MAC_BYTES = 16
_SHAPE = re.compile(r"[A-Za-z0-9_-]{27}")  # 4 + 16 bytes, base64url without padding
_LARGEST_ID = 2**31 - 1


def _mac(secret: str, report_id: int, token_hash: str) -> bytes:
    key = hmac.new(secret.encode(), _PURPOSE, hashlib.sha256).digest()
    return hmac.new(key, _ID.pack(report_id) + token_hash.encode(), hashlib.sha256).digest()[
        :_MAC_BYTES
    ]


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def issue(report: Report, *, secret: str) -> str:
    """The path segment that opens ``report``'s status page."""
    return _encode(_ID.pack(report.id) + _mac(secret, report.id, report.token_hash))


def opened(session: Session, token: str, *, secret: str) -> Report | None:
    """The report ``token`` opens; None when it is no such link (or signed with another key)."""
    if not _SHAPE.fullmatch(token):
        return None
    raw = base64.urlsafe_b64decode(token + "=")
    if _encode(raw) != token:  # one spelling only (the last character has spare bits)
        return None
    (report_id,) = _ID.unpack(raw[: _ID.size])
    if not 0 < report_id <= _LARGEST_ID:
        return None
    report = session.get(Report, report_id)
    if report is None:
        return None
    mac = _mac(secret, report_id, report.token_hash)
    return report if hmac.compare_digest(raw[_ID.size :], mac) else None
