"""Rate limits on booking, on reports, on everything that sends an SMS, on wrong staff sign-ins and on
wrong booking codes keyed in on the phone, counted in the database so that all web workers
share them."""

import hashlib
from datetime import UTC, datetime, timedelta

from flask import abort
from sqlalchemy import Select, delete, func, insert, literal, select
from sqlalchemy.orm import Session

from app.db import get_session, rowcount
from app.ratelimit.models import RateLimitHit

WINDOW = timedelta(hours=1)
LIMITS = {
    "booking-ip": 20,  # one household, several family members: generous
    "booking-phone": 5,  # per citizen's number per hour, whichever channel books
    "booking-bailiff": 200,  # assistance booked, moved, cancelled per bailiff office (API)
    # Every assistance API request per office (searches, lists): case software polling its
    # office's bookings every few seconds fits; beyond, a loop gone wrong.
    "assistance-office": 3000,
    "booking-staff": 60,  # per call-taker booking on callers' behalf
    "call-control-staff": 300,  # per call-taker ending callers' calls (a Twilio request each)
    "change-ip": 20,  # citizens' cancellations and moves (each tells the other side by SMS)
    "sms-phone": 5,  # texts to the number a caller calls from (ivr.limits)
    # Answers (JA/NEE) to an earlier moment offered by SMS, per sending number: one offer at a
    # time, so a handful an hour; beyond, a loop or a script moving the booking about.
    "earlier-reply-phone": 10,
    # Earlier moments asked or dropped on one appointment's page: a few changes of mind; beyond,
    # a script toggling the wish (each asks the offers engine to start again).
    "earlier-booking": 10,
    # Wrong staff passwords and codes from one address (counted only when wrong: a station
    # behind one address signs in a whole shift at once). Past it a wrong try is answered 429,
    # but a right password and code still sign in: guesses from a shared address must not lock
    # its staff out. Each account locks on its own after 5 wrong tries (app.staff).
    "staff-sign-in-ip": 30,
    # The same for the bailiffs' portal, also per e-mail address typed (an address that does
    # not exist gets no lockout of its own); each user locks after 5 wrong tries too.
    "office-sign-in-ip": 30,
    "office-sign-in-email": 20,
    # An office admin's changes to users and API tokens, and invitation links tried.
    "office-admin-user": 60,
    "office-invitation-ip": 20,
    # Wrong invitation codes typed on the web, per address: a used code opens its appointment.
    "invitation-code-ip": 20,
    # Wrong booking codes keyed in on the phone, per calling number (ivr.limits).
    "ivr-code-phone": 3,
    # The contact form's questions per address (a household, a library computer) and per
    # e-mail address or phone number the answer goes to (each question sends it a message).
    "contact-ip": 10,
    "contact-recipient": 3,
    # A status page's additions and withdrawal, per address and per status link.
    "status-ip": 30,
    "status-token": 10,
    # A staff member's actions on reports (triage, notes, answers, forwards): a busy desk
    # works a few hundred cases an hour; beyond, a script or a stuck key.
    "report-staff": 300,
    # Marks from the today page (done, no-show, a note) per officer: a long day's round sent
    # in one go after a 4G gap is a few dozen; beyond, a phone's queue gone wrong.
    "today-marks-staff": 300,
    # The reporting point (app.meldpunt): reports sent per address (a household, a shared
    # connection), per phone number or e-mail address given, and photos uploaded per address
    # (each is decoded: the costly part).
    "report-ip": 20,
    "report-contact": 5,
    "report-photo-ip": 30,
    # Open311 reads per client address: a map or dashboard polling every few seconds fits.
    "open311-ip": 1200,
    # Open311 reports posted per client (api key): a municipality's app forwards its
    # citizens' reports, a few a minute at its busiest.
    "open311-client": 600,
    # Open311 api keys an admin makes: a handful a year; more is a script or a stolen session.
    "open311-keys-staff": 20,
    # The reports overview, the bailiff-assistance figures and their CSVs per staff member: a
    # morning's reading, never a scraper.
    "overview-staff": 300,
    # Changes on the managers' pages (answer templates, bailiff offices, kinds of
    # execution, the assistance capacity rule), per staff member.
    "admin-staff": 120,
    # Reports and questions a call-taker registers for callers (console).
    "report-console-staff": 60,
    # The bailiffs' portal, per office user: searches for first moments (each a team search
    # over weeks: the costly part), and bookings, moves and cancellations (a busy office
    # plans a few dozen executions a day).
    "assistance-search-user": 120,
    "assistance-book-user": 60,
    # A bailiff office's calendar feed, per address: its users' calendar apps poll it.
    "calendar-feed-token": 120,
    # Wrong bearer tokens on /metrics per address (counted only when wrong: a scraper asks
    # every 15 s with the right one). The token is long; this stops a loop, not a guess.
    "metrics-ip": 30,
}


def _key(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def hit_or_refuse(bucket: str, value: str) -> None:
    """Count one attempt; answer 429 when the bucket's hourly limit is reached."""
    if not take(get_session(), bucket, value, now=datetime.now(UTC)):
        abort(429)


def take(session: Session, bucket: str, value: str, *, now: datetime) -> bool:
    """Count one attempt if the bucket's hourly limit allows it; False (nothing counted) when
    it is reached, for callers that answer the refusal themselves (the phone menu)."""
    key = _key(value)
    # One statement, so one round trip on every limited request (bench/reports.py measured
    # the count and the insert as two of an Open311 answer's few): insert the hit only
    # while fewer than the limit are counted.
    allowed = _recent(bucket, key, now).scalar_subquery() < LIMITS[bucket]
    hit = select(
        literal(bucket, RateLimitHit.bucket.type),
        literal(key, RateLimitHit.key.type),
        literal(now, RateLimitHit.at.type),
    ).where(allowed)
    inserted = session.execute(
        insert(RateLimitHit).from_select(["bucket", "key", "at"], hit).returning(RateLimitHit.id)
    ).first()
    return inserted is not None


def count_hit(bucket: str, value: str) -> None:
    """Count one attempt in the bucket (for limits that count only some outcomes)."""
    # Committed with the request: a refused (4xx) request rolls back and is not counted.
    add_hit(get_session(), bucket, value, now=datetime.now(UTC))


def over_limit(session: Session, bucket: str, value: str, *, now: datetime) -> bool:
    """Whether the bucket's hourly limit for ``value`` is reached (for callers that answer
    otherwise than with a 429, such as the phone menu)."""
    count = session.scalar(_recent(bucket, _key(value), now))
    return (count or 0) >= LIMITS[bucket]


def _recent(bucket: str, key: str, now: datetime) -> Select[tuple[int]]:
    """How many hits of ``key`` the bucket counted in the window up to ``now``."""
    return select(func.count()).where(
        RateLimitHit.bucket == bucket, RateLimitHit.key == key, RateLimitHit.at > now - WINDOW
    )


def add_hit(session: Session, bucket: str, value: str, *, now: datetime) -> None:
    """Count one attempt in the bucket at ``now``."""
    session.add(RateLimitHit(bucket=bucket, key=_key(value), at=now))
    session.flush()


def purge(session: Session, *, now: datetime) -> int:
    """Forget hits older than the window (run by the worker)."""
    result = session.execute(delete(RateLimitHit).where(RateLimitHit.at < now - WINDOW))
    return rowcount(result)
