"""Calendar subscription (/staff/calendar): a secret per-person ICS feed of one's appointments
for Outlook, Google or Apple Calendar, and the page that makes (or renews) its address.

Only the secret's hash is kept (``StaffCredential.calendar_token_hash``, like manage tokens):
the address is shown once, when it is made; renewing it ends the old one. The feed needs no
session (calendar apps cannot sign in), so it is served outside the staff blueprint: its
hooks (sign-in, "no-store" without "private", language remembering) are for browsers.
"""

from datetime import datetime, timedelta

from flask import Blueprint, Response, abort, render_template, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app import current
from app.db import get_session
from app.ics import (
    FEED_REFRESH,
    MAX_FEED_TOKEN_LENGTH,
    Event,
    calendar,
    feed_response,
    new_feed_token,
    uid_domain,
)
from app.staff import bp
from app.staff.access import AGENDA_ROLES, staff_required
from app.staff.agenda import visit_address
from app.staff.labels import kind_label
from app.staff.models import StaffCredential
from scheduling.booking import hash_token
from scheduling.enums import LocationKind
from scheduling.models import Booking, Invitation, Reservation, Staff
from scheduling.trail import Actor, note

FEED_PAST = timedelta(days=30)
FEED_AHEAD = timedelta(days=180)

feed = Blueprint("staff_calendar_feed", __name__, url_prefix="/staff/calendar")


def _credential(me: Staff) -> StaffCredential:
    return get_session().get_one(StaffCredential, me.id)


def feed_url(token: str) -> str:
    base = current.config().public_base_url
    return str(base + url_for("staff_calendar_feed.ics", token=token))


# --- The page ---------------------------------------------------------------------------


@bp.get("/calendar")
@staff_required(*AGENDA_ROLES)
def calendar_page(me: Staff) -> str:
    return render_template(
        "staff/calendar.html", has_feed=_credential(me).calendar_token_hash is not None, url=None
    )


@bp.post("/calendar")
@staff_required(*AGENDA_ROLES)
def renew_calendar(me: Staff) -> str:
    """Make a new secret address (the old one, if any, stops working) and show it, once.

    Shown in this answer, not after a redirect: only its hash is stored, and the session
    cookie is no place for a secret.
    """
    credential = _credential(me)
    renewed = credential.calendar_token_hash is not None
    token = new_feed_token()
    credential.calendar_token_hash = hash_token(token)
    note(
        get_session(),
        actor=Actor.staff(credential.staff_id),
        action="calendar_feed_renewed" if renewed else "calendar_feed_created",
        now=current.now(),
        details={"staff_id": credential.staff_id},
    )
    return render_template(
        "staff/calendar.html", has_feed=True, url=feed_url(token), renewed=renewed
    )


# --- The feed ---------------------------------------------------------------------------


def _owner(token: str) -> Staff:
    """The staff member whose feed this is; 404 for any token that opens nothing."""
    if len(token) > MAX_FEED_TOKEN_LENGTH:
        abort(404)
    credential = get_session().scalar(
        select(StaffCredential).where(StaffCredential.calendar_token_hash == hash_token(token))
    )
    if credential is None or not credential.staff.active:
        abort(404)
    if credential.demo and not current.config().demo_mode:
        abort(404)  # as demo logins: never outside demo mode
    return credential.staff


def _appointments(staff: Staff, now: datetime) -> list[Booking]:
    """The person's appointments (also those they are reserved for alongside a colleague)."""
    reserved = select(Reservation.booking_id).where(Reservation.staff_id == staff.id)
    return list(
        get_session().scalars(
            select(Booking)
            .where(
                or_(Booking.staff_id == staff.id, Booking.id.in_(reserved)),
                Booking.start_at >= now - FEED_PAST,
                Booking.start_at < now + FEED_AHEAD,
            )
            .options(selectinload(Booking.site))
            .order_by(Booking.start_at, Booking.id)
        )
    )


def _location(booking: Booking) -> str:
    """The site, or the address of a visit: what a map app can find."""
    if booking.location is LocationKind.OFFICE:
        site = booking.site
        if site is None:
            return ""
        return f"{site.name}, {site.street} {site.number}, {site.postcode} {site.municipality}"
    return visit_address(booking)


def _description(booking: Booking, dossier_code: str | None) -> str:
    """The reference and, for an invitation, the dossier code: nothing more of the dossier
    (a calendar app's provider keeps a copy)."""
    lines = [_("Reference %(reference)s", reference=booking.reference)]  # the kind: summary
    if dossier_code:
        lines.append(_("Dossier %(code)s", code=dossier_code))
    return "\n".join(lines)


def _event(booking: Booking, dossier_code: str | None) -> Event:
    return Event(
        booking,
        summary=f"{kind_label(booking.service, booking.location)} – {booking.citizen_name}",
        location=_location(booking),
        description=_description(booking, dossier_code),
    )


@feed.get("/<token>.ics", endpoint="ics")
def calendar_feed(token: str) -> Response:
    """The feed: 30 days back to 180 days ahead, cancelled ones as STATUS:CANCELLED."""
    staff = _owner(token)
    now = current.now()
    bookings = _appointments(staff, now)
    dossiers = _dossier_codes(bookings)
    config = current.config()
    body = calendar(
        [_event(b, dossiers.get(b.invitation_id or 0)) for b in bookings],
        uid_domain=uid_domain(config.public_base_url),
        now=now,
        name=_("Appointments %(name)s", name=staff.name),
        refresh=FEED_REFRESH,
    )
    return feed_response(body)


def _dossier_codes(bookings: list[Booking]) -> dict[int, str]:
    ids = {b.invitation_id for b in bookings if b.invitation_id is not None}
    if not ids:
        return {}
    rows = get_session().execute(
        select(Invitation.id, Invitation.dossier_code).where(Invitation.id.in_(ids))
    )
    return dict(rows.tuples().all())


@bp.record_once
def _register_feed(state: BlueprintSetupState) -> None:
    state.app.register_blueprint(feed)
