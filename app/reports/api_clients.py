"""Open311 clients' api keys, shared by the Open311 POST (which looks a key up) and the
admin page (which makes and revokes them): a key is shown once and only its SHA-256 kept."""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.reports.models import Open311Client

KEY_BYTES = 32  # 256 random bits, as urlsafe base64: 43 characters
MAX_KEY_LENGTH = 200  # longer is no key of ours: not even hashed
# last_used_at is for the admin ("is this client still posting?"): a minute's precision
# spares a write per request.
TOUCH_EVERY = timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create(session: Session, name: str, *, now: datetime) -> tuple[Open311Client, str]:
    """A new client and its key (in clear: the only time anyone sees it)."""
    key = secrets.token_urlsafe(KEY_BYTES)
    client = Open311Client(name=name, key_hash=hash_key(key), created_at=now)
    session.add(client)
    session.flush()
    return client, key


def revoke(client: Open311Client, *, now: datetime) -> None:
    if client.revoked_at is None:
        client.revoked_at = now


def client_for_key(session: Session, key: str) -> Open311Client | None:
    """The client this key belongs to, None when unknown or revoked."""
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        return None
    return session.scalar(
        select(Open311Client).where(
            Open311Client.key_hash == hash_key(key), Open311Client.revoked_at.is_(None)
        )
    )


def touch(client: Open311Client, *, now: datetime) -> None:
    """Note that the client posted, at most once a minute."""
    if client.last_used_at is None or now - client.last_used_at >= TOUCH_EVERY:
        client.last_used_at = now
