"""A report being put together, question by question, kept on the server.

The answers (place, description, the stored names of photos already accepted, who they are)
live in a ``report_drafts`` row; the signed session cookie carries only a random key, the
row that key's hash, as booking drafts do (app.web.draft). A draft lasts LIFETIME after its
last answer; the worker purges expired ones with their photo files. Once sent, the draft
forgets the answers and remembers only the report's number and status link, for a while, so a second click on "send" (or a second
request racing the first) shows the same confirmation instead of making a second report.
"""

import secrets
from contextlib import suppress
from copy import deepcopy
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import g, session
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.db import get_session
from app.meldpunt.models import ReportDraft
from app.reports import photos
from app.retention import DRAFT_LIFETIME
from scheduling.booking import hash_token

KEY = "report_draft"  # in the session: the draft's random key
LIFETIME = DRAFT_LIFETIME  # the privacy page states it
# A sent draft only shows the confirmation again (a reload, a second click): not for long.
SENT_LIFETIME = timedelta(minutes=30)
_CACHE = "report_draft"  # on g: this request's row


@dataclass
class Draft:
    category: str = ""  # the ReportCategory code
    answered: list[str] = field(default_factory=list)  # the steps answered so far
    # Where
    postcode: str = ""
    street: str = ""  # as the zone spells it
    number: str = ""
    street_id: int = 0  # the address register's street, 0 when it has none
    municipality: str = ""
    landmark: str = ""
    lat: float | None = None
    lon: float | None = None
    # When
    when: str = ""  # "now", "moment" or "recurring"
    day: str = ""  # as typed, to fill the form again
    clock: str = ""
    occurred_at: str = ""  # ISO 8601 with offset
    recurring: str = ""
    # What
    description: str = ""
    object_type: str = ""
    answers: dict[str, str] = field(default_factory=dict)
    # Photos accepted: {"name": the stored name, "size": bytes, "width", "height"}
    photos: list[dict[str, Any]] = field(default_factory=list)
    # Who
    name: str = ""
    phone: str = ""
    email: str = ""
    contact_how: str = ""
    contact_when: str = ""
    # Sending: the one-time key (Submission.submission_key), then what was sent.
    submission_key: str = ""
    number_sent: str = ""
    report_sent: int = 0  # its id: the confirmation signs a status link for it

    @property
    def sent(self) -> bool:
        return bool(self.number_sent)

    @property
    def occurred(self) -> datetime | None:
        return datetime.fromisoformat(self.occurred_at) if self.occurred_at else None


def _stored(now: datetime) -> ReportDraft | None:
    """This visitor's draft row, unless expired (looked up once per request)."""
    if _CACHE not in g:
        key = session.get(KEY)
        row = (
            get_session().scalar(select(ReportDraft).where(ReportDraft.key_hash == hash_token(key)))
            if isinstance(key, str)
            else None
        )
        setattr(g, _CACHE, row if row is not None and row.expires_at > now else None)
    stored: ReportDraft | None = getattr(g, _CACHE)
    return stored


def load() -> Draft:
    row = _stored(datetime.now(UTC))
    # A copy: the row's own lists, changed in place, would not be seen as changed.
    stored = deepcopy(row.answers) if row is not None else {}
    known = {f.name for f in fields(Draft)}
    return Draft(**{k: v for k, v in stored.items() if k in known})


def forget_loaded() -> None:
    """Read the row again on the next load (after a rollback: another request may have
    sent this draft meanwhile)."""
    g.pop(_CACHE, None)


def new(category: str) -> Draft:
    """A fresh draft for ``category`` with its own one-time sending key."""
    return Draft(category=category, submission_key=secrets.token_urlsafe(32))


def after_sending(draft: Draft, number: str, report_id: int) -> Draft:
    """What a sent draft still holds: what shows its confirmation again, nothing of the
    answers (the report holds them now, its photos included)."""
    return Draft(
        category=draft.category,
        submission_key=draft.submission_key,
        number_sent=number,
        report_sent=report_id,
    )


def save(draft: Draft) -> None:
    """Keep the answers (committed with the request); a new draft gets a new random key."""
    now = datetime.now(UTC)
    row = _stored(now)
    if row is None:
        key = secrets.token_urlsafe(32)
        row = ReportDraft(key_hash=hash_token(key), answers={}, expires_at=now)
        get_session().add(row)
        session[KEY] = key
        setattr(g, _CACHE, row)
    row.answers = asdict(draft)
    row.expires_at = now + (SENT_LIFETIME if draft.sent else LIFETIME)
    get_session().flush()


def drop_photos(draft: Draft, uploads: Path) -> None:
    """Erase the photo files a draft holds (a new report started over it)."""
    for photo in draft.photos:
        _remove_quietly(str(photo.get("name", "")), uploads)
    draft.photos = []


def purge(session_: Session, *, now: datetime, uploads: Path) -> int:
    """Forget expired drafts and erase the photo files they still hold (run by the worker).
    The files go first: if the commit then fails, the next run finds the rows again and a
    file already gone is no error."""
    expired = session_.scalars(select(ReportDraft).where(ReportDraft.expires_at <= now)).all()
    for row in expired:
        for photo in row.answers.get("photos") or ():
            if isinstance(photo, dict):
                _remove_quietly(str(photo.get("name", "")), uploads)
    if expired:
        session_.execute(delete(ReportDraft).where(ReportDraft.id.in_([r.id for r in expired])))
    return len(expired)


def _remove_quietly(name: str, uploads: Path) -> None:
    with suppress(photos.PhotoNotFound):  # not one of our names: nothing of ours to erase
        photos.remove(name, uploads)
