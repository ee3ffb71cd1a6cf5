"""The SMS (and e-mail copy) offering an earlier moment: queued in the transaction that makes
the offer, keyed by the offer, so an offer is never texted twice."""

from babel.dates import format_date, format_time
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.config import Config
from app.earlier.models import EarlierOffer
from app.i18n import BABEL_LOCALES
from app.notify.messages import Text, render
from app.notify.outbox import email_copy, enqueue
from scheduling.enums import LocationKind, MessageKind
from scheduling.models import Booking, Site

# %(until)s: the local time the offer expires; the reply word is the citizen's own (JA, OUI,
# YES: ivr.sms_replies takes all three, and NEE, NON, NO).
OFFER = _l(
    "Police %(zone)s: an earlier moment is free: %(day)s at %(time)s, %(place)s. "
    "Reply YES before %(until)s to move your appointment there, NO to keep yours."
)
KEY_PREFIX = "earlier_offer:"


def offer_key(offer: EarlierOffer) -> str:
    return f"{KEY_PREFIX}{offer.id}"


def offer_of_key(key: str) -> int | None:
    """The offer an outbox key is about (None: not an offer's SMS)."""
    rest = key.removeprefix(KEY_PREFIX)
    return int(rest) if rest != key and rest.isdigit() else None


def _place(session: Session, offer: EarlierOffer, booking: Booking) -> str:
    if offer.location is LocationKind.HOME:
        return gettext("at your home")
    if offer.location is LocationKind.ON_SITE:
        return f"{booking.address_street} {booking.address_number}, {booking.address_postcode}"
    site = session.get(Site, offer.site_id) if offer.site_id is not None else None
    if site is None:
        return gettext("at the police office")
    return f"{site.name}, {site.street} {site.number}, {site.municipality}"


def compose_offer(session: Session, offer: EarlierOffer, booking: Booking, config: Config) -> Text:
    """The offer in the booking's language (needs an app context)."""
    language = booking.language
    locale = BABEL_LOCALES.get(language, "nl_BE")
    local = offer.start_at.astimezone(config.zone)
    with force_locale(language):
        values = {
            "zone": config.zone_name,
            # Numeric date with the weekday's name: month names such as "août" force UCS-2.
            "day": f"{format_date(local, 'EEEE', locale=locale)} {local:%d/%m}",
            "time": format_time(local, "HH:mm", locale=locale),
            "place": _place(session, offer, booking),
            "until": format_time(offer.expires_at.astimezone(config.zone), "HH:mm", locale=locale),
        }
        return Text(render(str(OFFER), values), language)


def queue_offer(session: Session, offer: EarlierOffer, booking: Booking, *, config: Config) -> None:
    """The offer's SMS, due at once, and its e-mail copy when the citizen gave an address."""
    text = compose_offer(session, offer, booking, config)
    key = offer_key(offer)
    now = offer.offered_at
    enqueue(
        session,
        key=key,
        recipient=booking.citizen_phone,
        body=text.body,
        language=text.language,
        kind=MessageKind.EARLIER_OFFER,
        booking_id=booking.id,
        due_at=now,
        now=now,
    )
    email_copy(session, key, booking, MessageKind.EARLIER_OFFER, text, config, now)
