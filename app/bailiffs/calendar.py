"""The office's calendar feed (/deurwaarder/agenda): one secret address per office for its
users' calendar apps, made (or renewed) on the page and shown once; and the feed itself,
which needs no session (calendar apps cannot sign in) and is rate limited per address.

Only the secret's hash is kept (``BailiffAccount.calendar_token_hash``); the token, the
answer and the refresh interval are those of every feed (app.ics)."""

from datetime import timedelta

from flask import Response, abort, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app import current, ratelimit
from app.assistance.models import OfficeUser
from app.bailiffs import bp
from app.bailiffs.access import office_user_required
from app.bailiffs.bookings import event_of
from app.bailiffs.shown import shown_all
from app.db import get_session
from app.ics import (
    FEED_REFRESH,
    MAX_FEED_TOKEN_LENGTH,
    calendar,
    feed_response,
    new_feed_token,
    uid_domain,
)
from scheduling.booking import hash_token
from scheduling.enums import ActorKind, Channel
from scheduling.models import BailiffAccount, Booking
from scheduling.trail import Actor, note

FEED_PAST = timedelta(days=30)
FEED_AHEAD = timedelta(days=180)


@office_user_required()
def calendar_page(user: OfficeUser) -> str:
    return render_template(
        "bailiffs/calendar.html", has_feed=user.office.calendar_token_hash is not None, url=None
    )


# The URL plan's endpoint for the page is `bailiffs.calendar`.
bp.add_url_rule("/agenda", "calendar", calendar_page)


@bp.post("/agenda")
@office_user_required()
def renew_calendar(user: OfficeUser) -> str:
    """Make a new secret address (the old one stops working) and show it, once: in this
    answer, not after a redirect, since only its hash is stored."""
    office = user.office
    renewed = office.calendar_token_hash is not None
    token = new_feed_token()
    office.calendar_token_hash = hash_token(token)
    note(
        get_session(),
        actor=Actor(ActorKind.BAILIFF, Channel.WEB, office.id),
        action="calendar_feed_renewed" if renewed else "calendar_feed_created",
        now=current.now(),
        details={"office_user_id": user.id},
    )
    url = current.config().public_base_url + url_for("bailiffs.calendar_feed", token=token)
    return render_template("bailiffs/calendar.html", has_feed=True, url=url, renewed=renewed)


def _office(token: str) -> BailiffAccount:
    """The office whose feed this is; 404 for any token that opens nothing."""
    if len(token) > MAX_FEED_TOKEN_LENGTH:
        abort(404)
    office = get_session().scalar(
        select(BailiffAccount).where(BailiffAccount.calendar_token_hash == hash_token(token))
    )
    if office is None or not office.active:
        abort(404)
    if office.demo and not current.config().demo_mode:
        abort(404)  # as demo logins: never outside demo mode
    return office


@bp.get("/agenda/<token>.ics")
def calendar_feed(token: str) -> Response:
    """The feed, in the office's language: 30 days back to 180 days ahead, cancelled
    bookings as STATUS:CANCELLED, the officers' names only when the zone allows it."""
    ratelimit.hit_or_refuse("calendar-feed-token", token)
    office = _office(token)
    now = current.now()
    session = get_session()
    bookings = session.scalars(
        select(Booking)
        .where(
            Booking.bailiff_account_id == office.id,
            Booking.start_at >= now - FEED_PAST,
            Booking.start_at < now + FEED_AHEAD,
        )
        .order_by(Booking.start_at, Booking.id)
    )
    with force_locale(office.language):
        body = calendar(
            [event_of(item) for item in shown_all(session, bookings.all())],
            uid_domain=uid_domain(current.config().public_base_url),
            now=now,
            name=_("Police assistance %(office)s", office=office.name),
            refresh=FEED_REFRESH,
        )
    return feed_response(body)
