"""Rate limits on booking and on everything that sends an SMS, counted in the database
so that all web workers share them."""

import hashlib
from datetime import UTC, datetime, timedelta

from flask import abort
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.db import get_session
from scheduling.models import RateLimitHit

WINDOW = timedelta(hours=1)
LIMITS = {
    "booking-ip": 20,  # one household, several family members: generous
    "booking-phone": 5,  # per mobile number per hour
    "sms-phone": 5,
}


def _key(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def hit_or_refuse(bucket: str, value: str) -> None:
    """Count one attempt; answer 429 when the bucket's hourly limit is reached."""
    session = get_session()
    now = datetime.now(UTC)
    key = _key(value)
    count = session.scalar(
        select(func.count()).where(
            RateLimitHit.bucket == bucket, RateLimitHit.key == key, RateLimitHit.at > now - WINDOW
        )
    )
    if (count or 0) >= LIMITS[bucket]:
        abort(429)
    session.add(RateLimitHit(bucket=bucket, key=key, at=now))
    # Committed with the request: a refused (4xx) request rolls back and is not counted.
    session.flush()


def purge(session: Session, *, now: datetime) -> int:
    """Forget hits older than the window (run by the worker)."""
    result = session.execute(delete(RateLimitHit).where(RateLimitHit.at < now - WINDOW))
    return int(result.rowcount or 0)
