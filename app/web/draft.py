"""The booking being put together, question by question, kept on the server.

The answers (name, phone, e-mail, address, invitation code...) live in a ``booking_drafts``
row; the signed session cookie, which anyone holding it can decode, carries only a random
key, and the row only that key's hash. A draft lasts LIFETIME after its last answer; the
worker purges expired ones.
"""

import secrets
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime

from flask import g, session
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.db import get_session, rowcount
from app.retention import DRAFT_LIFETIME
from app.web.models import BookingDraft
from scheduling.addresses import Address
from scheduling.booking import hash_token

KEY = "draft"  # in the session: the draft's random key
LIFETIME = DRAFT_LIFETIME  # the privacy page states it


@dataclass
class Draft:
    service: str = ""
    invitation_code: str = ""
    postcode: str = ""
    street: str = ""
    number: str = ""
    location: str = ""
    start: str = ""  # ISO 8601 with offset
    staff_id: int = 0
    name: str = ""
    phone: str = ""
    email: str = ""
    topic: str = ""
    earlier: str = ""  # an earlier moment asked: "any", "office", "home" (app.earlier.form)
    earlier_not_before: str = ""  # ISO day, or ""

    @property
    def address(self) -> Address | None:
        if self.postcode and self.street and self.number:
            return Address(self.postcode, self.street, self.number)
        return None

    @property
    def start_at(self) -> datetime | None:
        return datetime.fromisoformat(self.start) if self.start else None


def _stored(now: datetime) -> BookingDraft | None:
    """This visitor's draft row, unless expired (once per request)."""
    if "booking_draft" not in g:
        key = session.get(KEY)
        if key is not None and not isinstance(key, str):
            session.pop(KEY)  # answers an older version kept in the cookie itself: drop them
            key = None
        row = (
            get_session().scalar(
                select(BookingDraft).where(BookingDraft.key_hash == hash_token(key))
            )
            if key
            else None
        )
        g.booking_draft = row if row is not None and row.expires_at > now else None
    stored: BookingDraft | None = g.booking_draft
    return stored


def load() -> Draft:
    row = _stored(datetime.now(UTC))
    stored = row.answers if row is not None else {}
    known = {f.name for f in fields(Draft)}
    return Draft(**{k: v for k, v in stored.items() if k in known})


def save(draft: Draft) -> None:
    """Keep the answers (committed with the request); a new draft gets a new random key."""
    now = datetime.now(UTC)
    row = _stored(now)
    if row is None:
        key = secrets.token_urlsafe(32)
        row = BookingDraft(key_hash=hash_token(key), answers={}, expires_at=now)
        get_session().add(row)
        session[KEY] = key
        g.booking_draft = row
    row.answers = asdict(draft)
    row.expires_at = now + LIFETIME
    get_session().flush()


def clear() -> None:
    key = session.pop(KEY, None)
    g.pop("booking_draft", None)
    if isinstance(key, str):
        get_session().execute(delete(BookingDraft).where(BookingDraft.key_hash == hash_token(key)))


def purge(session_: Session, *, now: datetime) -> int:
    """Forget expired drafts (run by the worker)."""
    result = session_.execute(delete(BookingDraft).where(BookingDraft.expires_at <= now))
    return rowcount(result)
