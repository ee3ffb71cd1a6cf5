"""Idempotency-Key on create: the same key and body replay the first answer, once stored."""

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.api import BadInput
from app.api.models import IdempotencyRecord
from app.db import rowcount
from app.retention import API_REPLAY_WINDOW
from scheduling.errors import SlotUnavailable

MAX_KEY_LENGTH = 200


def fingerprint(body: bytes) -> str:
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, RecursionError):  # not JSON, or nested too deep to decode
        canonical = body
    return hashlib.sha256(canonical).hexdigest()


def check_key(key: str) -> str:
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
        raise BadInput([{"field": "Idempotency-Key", "message": "1 to 200 printable characters."}])
    return key


def replay(session: Session, scope: str, key: str, body: bytes) -> IdempotencyRecord | None:
    """The stored answer for this key, or None; a reused key with another body is refused."""
    record = session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.scope == scope, IdempotencyRecord.key == key
        )
    )
    if record is not None and record.fingerprint != fingerprint(body):
        raise BadInput(
            [{"field": "Idempotency-Key", "message": "This key was used for another request."}]
        )
    return record


def remember(
    session: Session,
    *,
    scope: str,
    key: str,
    body: bytes,
    status: int,
    answer: dict[str, Any],
    now: datetime,
) -> None:
    """Store the answer in the same transaction as the change it describes.

    A concurrent request with the same key loses here and its change is rolled back.
    """
    try:
        with session.begin_nested():
            session.add(
                IdempotencyRecord(
                    scope=scope,
                    key=key,
                    fingerprint=fingerprint(body),
                    status_code=status,
                    body=answer,
                    created_at=now,
                )
            )
    except IntegrityError as exc:
        raise SlotUnavailable(
            "A request with this Idempotency-Key is already being handled.", field="Idempotency-Key"
        ) from exc


def purge(session: Session, *, now: datetime) -> int:
    """Forget answers older than the replay window (they hold a manage token in clear)."""
    result = session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.created_at < now - API_REPLAY_WINDOW)
    )
    return rowcount(result)
