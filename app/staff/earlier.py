"""``/staff/earlier``: who waits for an earlier moment, the moments offered now and until
when, and what became of recent offers; an officer sees their own appointments, managers
all (the appointment list's rule). No phone numbers: the booking code links to the rest."""

from dataclasses import dataclass
from datetime import timedelta

from flask import render_template
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import current
from app.db import get_session
from app.earlier.models import EarlierOffer, EarlierWish, OfferStatus, WishStatus
from app.staff import bp
from app.staff.access import AGENDA_ROLES, MANAGERS, staff_required, visible_rows
from scheduling.enums import Channel, LocationKind
from scheduling.models import Booking, Staff

RECENT = timedelta(days=7)
MAX_ROWS = 200  # a zone's whole waiting list fits; beyond, the oldest first anyway
CHANNELS: dict[Channel, LazyString] = {
    Channel.WEB: _l("website"),
    Channel.API: _l("API"),
    Channel.PHONE: _l("phone menu"),
    Channel.SMS: _l("SMS"),
    Channel.STAFF: _l("staff"),
    Channel.GALOP: _l("GALOP"),
    Channel.SYSTEM: _l("system"),
}
WHERE: dict[LocationKind | None, LazyString] = {
    None: _l("anywhere"),
    LocationKind.OFFICE: _l("only at the office"),
    LocationKind.HOME: _l("only a home visit"),
    LocationKind.ON_SITE: _l("only on site"),
}
OUTCOMES: dict[OfferStatus, LazyString] = {
    OfferStatus.OPEN: _l("waiting for an answer"),
    OfferStatus.ACCEPTED: _l("accepted: moved"),
    OfferStatus.EXPIRED: _l("not taken: passed on"),
    OfferStatus.GONE: _l("gone before the answer"),
}


@dataclass(frozen=True)
class Offered:
    offer: EarlierOffer
    booking: Booking
    outcome: str


def _offers(*statuses: OfferStatus, since: bool = False) -> list[Offered]:
    query = (
        select(EarlierOffer, Booking)
        .join(EarlierWish, EarlierOffer.wish_id == EarlierWish.id)
        .join(Booking, EarlierWish.booking_id == Booking.id)
        .where(EarlierOffer.status.in_(statuses), visible_rows(Booking.staff_id))
        .order_by(EarlierOffer.offered_at.desc())
        .limit(MAX_ROWS)
    )
    if since:
        query = query.where(EarlierOffer.offered_at >= current.now() - RECENT)
    return [Offered(o, b, str(OUTCOMES[o.status])) for o, b in get_session().execute(query)]


@bp.get("/earlier")
@staff_required(*AGENDA_ROLES, *MANAGERS)
def earlier(me: Staff) -> str:
    waiting = get_session().scalars(
        select(EarlierWish)
        .join(Booking, EarlierWish.booking_id == Booking.id)
        .where(EarlierWish.status == WishStatus.WAITING, visible_rows(Booking.staff_id))
        .order_by(EarlierWish.asked_at, EarlierWish.id)
        .limit(MAX_ROWS)
    )
    return render_template(
        "staff/earlier.html",
        waiting=list(waiting),
        open_offers=_offers(OfferStatus.OPEN),
        recent=_offers(OfferStatus.ACCEPTED, OfferStatus.EXPIRED, OfferStatus.GONE, since=True),
        channels=CHANNELS,
        where=WHERE,
    )
