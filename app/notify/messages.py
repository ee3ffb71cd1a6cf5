"""The texts of the SMS, one English msgid per kind, rendered in the booking's language and
kept within two GSM-7 segments (long free text is shortened, never the link or the time);
and the e-mails to a bailiff office about its assistance bookings."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from babel.dates import format_date, format_time
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

from app.config import Config
from app.hours_text import hours_in_words
from app.i18n import BABEL_LOCALES
from app.phone import national
from scheduling.absences import ABSENCE_REASON, DEPARTURE_REASON
from scheduling.enums import LocationKind, MessageKind
from scheduling.models import Booking, Invitation
from scheduling.notices import SEGMENT, SINGLE, first_items, fits, gsm7_safe, septets, shorten

TEMPLATES = {
    # %(bring)s: " Bring: ..." (" Have ready: ..." for a home visit), or nothing.
    MessageKind.CONFIRMATION: _l(
        "Police %(zone)s: appointment on %(day)s at %(time)s, %(place)s.%(bring)s "
        "Change or cancel: %(link)s"
    ),
    MessageKind.REMINDER: _l(
        "Police %(zone)s: reminder of your appointment on %(day)s at %(time)s, %(place)s. "
        "Cannot come? Call %(blue)s, code %(reference)s."
    ),
    MessageKind.CANCELLED_BY_STAFF: _l(
        "Police %(zone)s: we had to cancel your appointment of %(day)s at %(time)s. "
        "Reason: %(reason)s Book again: %(link)s or call %(blue)s."
    ),
    MessageKind.CHANGED: _l(
        "Police %(zone)s: your appointment has changed. New: %(day)s at %(time)s with "
        "%(officer)s, %(place)s. Questions: %(blue)s, code %(reference)s."
    ),
    MessageKind.CANCELLED_BY_CITIZEN: _l(
        "Blauwlijn: %(citizen)s cancelled the appointment of %(day)s at %(time)s "
        "(%(service)s, code %(reference)s)."
    ),
}
# The confirmation when no manage link is known (booked through a channel that did not
# hand the secret to us): the booking code and the blue number instead.
CONFIRMATION_WITHOUT_LINK = _l(
    "Police %(zone)s: appointment on %(day)s at %(time)s, %(place)s.%(bring)s "
    "Code %(reference)s, questions: %(blue)s"
)
# A case handler's invitation: no booking yet, so its own values (see compose_invitation).
INVITATION = _l(
    "Police zone %(zone)s: you are invited to make an appointment about dossier "
    "%(dossier)s. Choose a moment until %(until)s: %(link)s"
)
# A caller left a message or asked to be called back on the blue number.
CALLBACK_CONFIRMATION = _l(
    "Police %(zone)s: we will call you back on this number as soon as we can, %(hours)s. "
    "Emergency: 112, urgent police help: 101."
)
# The e-mail copy's subject (its body is the SMS text).
SUBJECTS = {
    MessageKind.CONFIRMATION: _l("Police %(zone)s: your appointment is booked"),
    MessageKind.CANCELLED_BY_STAFF: _l("Police %(zone)s: your appointment is cancelled"),
    MessageKind.CHANGED: _l("Police %(zone)s: your appointment has changed"),
    MessageKind.EARLIER_OFFER: _l("Police %(zone)s: an earlier moment is free"),
}
# The reasons the engine gives itself (scheduling.absences, scheduling.moments), in English
# there: the citizen reads them in their own language. A staff member's words stay theirs.
SYSTEM_REASONS = {
    ABSENCE_REASON: _l("The staff member is not available at that moment."),
    DEPARTURE_REASON: _l("The staff member no longer receives appointments."),
}
# Free text that is shortened, in this order, when a message would not fit.
SHRINKABLE = ("bring", "reason", "place", "citizen", "officer", "service")
LIMIT = SEGMENT * 2


@dataclass(frozen=True)
class Text:
    body: str
    language: str


def render(template: str, values: dict[str, str]) -> str:
    """``template`` filled with ``values``, GSM-7 only, shortened to fit two segments."""
    values = {k: gsm7_safe(v) for k, v in values.items()}
    body = gsm7_safe(template % values)
    for key in SHRINKABLE:
        if fits(body):
            break
        if not values.get(key):
            continue
        overflow = septets(body) - (LIMIT if septets(body) > SINGLE else SINGLE)
        keep = max(septets(values[key]) - overflow, 12)
        if key == "bring":  # whole items only; none fits: where to find the list
            kept = first_items(values[key], keep - 1)
            values[key] = f" {kept}" if kept else f" {values['bring_elsewhere']}"
        else:
            values[key] = shorten(values[key], keep)
        body = template % values
    return body


def _place(booking: Booking, language: str) -> str:
    if booking.location is LocationKind.HOME:
        return gettext("at your home")
    if booking.location is LocationKind.ON_SITE:
        return f"{booking.address_street} {booking.address_number}, {booking.address_postcode}"
    site = booking.site
    if site is None:
        return gettext("at the police office")
    return f"{site.name}, {site.street} {site.number}, {site.municipality}"


def _bring(booking: Booking, language: str) -> dict[str, str]:
    """What to bring, as the SMS says it: at the office "Bring: ...", at home "Have ready:
    ..." (nobody goes anywhere); nothing when there is nothing to bring."""
    items = booking.service.what_to_bring.get(language, "")
    label = gettext("Have ready:") if booking.location is LocationKind.HOME else gettext("Bring:")
    return {
        "bring": f" {label} {items}" if items else "",
        # When not one item fits two segments: the appointment page lists them all.
        "bring_elsewhere": gettext("What to bring: see the link."),
    }


def _values(booking: Booking, config: Config, language: str) -> dict[str, str]:
    local = booking.start_at.astimezone(config.zone)
    locale = BABEL_LOCALES.get(language, "nl_BE")
    # Numeric date with the weekday's name: month names such as "août" would force UCS-2.
    day = f"{format_date(local, 'EEEE', locale=locale)} {local:%d/%m}"
    return {
        "zone": config.zone_name,
        "day": day,
        "time": format_time(local, "HH:mm", locale=locale),
        "place": _place(booking, language),
        **_bring(booking, language),
        "reference": booking.reference,
        "blue": national(config.twilio_from_number),
        "officer": booking.staff.name,
        "service": booking.service.name(language),
        "citizen": booking.citizen_name,
        "reason": str(
            SYSTEM_REASONS.get(booking.cancel_reason or "", booking.cancel_reason or "-")
        ),
        "link": f"{config.public_base_url}/?lang={language}",
    }


def compose(
    kind: MessageKind,
    booking: Booking,
    config: Config,
    *,
    language: str,
    manage_token: str | None = None,
) -> Text:
    """The body of ``kind`` about ``booking`` in ``language`` (needs an app context)."""
    with force_locale(language):
        values = _values(booking, config, language)
        template = TEMPLATES[kind]
        if kind is MessageKind.CONFIRMATION:
            if manage_token is None:
                template = CONFIRMATION_WITHOUT_LINK
                values["bring_elsewhere"] = gettext("Ask us what to bring.")
            else:
                values["link"] = f"{config.public_base_url}/appointment/{manage_token}"
        return Text(render(str(template), values), language)


def compose_invitation(invitation: Invitation, config: Config, *, language: str, link: str) -> Text:
    """The SMS inviting a citizen to book about a dossier (needs an app context)."""
    last_day = invitation.valid_until.astimezone(config.zone)
    values = {
        "zone": config.zone_name,
        "dossier": invitation.dossier_code,
        "until": f"{last_day:%d/%m}",
        "link": link,
    }
    with force_locale(language):
        return Text(render(str(INVITATION), values), language)


def subject(kind: MessageKind, config: Config, *, language: str) -> str:
    """The subject of the e-mail copy of ``kind`` in ``language`` (needs an app context)."""
    with force_locale(language):
        return str(SUBJECTS[kind]) % {"zone": config.zone_name}


def compose_callback(config: Config, *, language: str) -> Text:
    """The SMS confirming a call-back request (needs an app context)."""
    with force_locale(language):
        values = {
            "zone": config.zone_name,
            "hours": hours_in_words(config.calltaker_hours, language),
        }
        return Text(render(str(CALLBACK_CONFIRMATION), values), language)


# E-mails to a bailiff office about its assistance bookings, in the office's language. Not
# SMS: no length limit, one line per fact, so a clerk can file it with the case.
ASSISTANCE_SUBJECTS = {
    MessageKind.ASSISTANCE_BOOKED: _l("Police %(zone)s: assistance booked, %(day)s (%(file)s)"),
    MessageKind.ASSISTANCE_CHANGED: _l("Police %(zone)s: assistance moved, %(day)s (%(file)s)"),
    MessageKind.ASSISTANCE_CANCELLED: _l("Police %(zone)s: assistance cancelled (%(file)s)"),
}
ASSISTANCE_SUMMARY = _l(
    "When: %(day)s, %(start)s to %(end)s\n"
    "Address: %(address)s\n"
    "Your file: %(file)s (%(kind)s)\n"
    "Officers: %(officers)d\n"
    "Booking number: %(reference)s"
)
ASSISTANCE_BOOKED = _l(
    "The police zone %(zone)s confirms the assistance your office booked.\n\n%(summary)s\n\n"
    "See, move or cancel it: %(link)s\n"
    "Less than %(cutoff)d hours before, call %(desk)s."
)
ASSISTANCE_MOVED_BY_OFFICE = _l(
    "Your office moved the police assistance (before: %(before)s). The new moment:\n\n"
    "%(summary)s\n\nSee it: %(link)s"
)
ASSISTANCE_MOVED_BY_ZONE = _l(
    "The police zone %(zone)s had to move the assistance your office booked (before: "
    "%(before)s).\nReason: %(reason)s\n\nThe new moment:\n\n%(summary)s\n\n"
    "Does it not suit you? Move or cancel it: %(link)s, or call %(desk)s."
)
ASSISTANCE_CANCELLED_BY_OFFICE = _l(
    "Your office cancelled the police assistance below. The officers are told.\n\n%(summary)s"
)
ASSISTANCE_CANCELLED_BY_ZONE = _l(
    "The police zone %(zone)s cannot give the assistance below and has cancelled it.\n"
    "Reason: %(reason)s\n\n%(summary)s\n\n"
    "Request assistance at another moment: %(request)s, or call %(desk)s."
)


@dataclass(frozen=True)
class Mail:
    subject: str
    body: str
    language: str


def compose_assistance(
    kind: MessageKind,
    booking: Booking,
    config: Config,
    *,
    language: str,
    file_reference: str,
    execution_kind: str,
    by_zone: bool,
    reason: str | None = None,
    before: datetime | None = None,
) -> Mail:
    """The e-mail of ``kind`` to the booking's bailiff office in ``language`` (the office's);
    ``by_zone``: the zone did it (with its ``reason``), not the office; ``before``: the
    moment it was moved from."""
    locale = BABEL_LOCALES.get(language, "nl_BE")
    with force_locale(language):
        local = booking.start_at.astimezone(config.zone)
        values: dict[str, Any] = {
            "zone": config.zone_name,
            "day": format_date(local, "EEEE d MMMM y", locale=locale),
            "start": format_time(local, "HH:mm", locale=locale),
            "end": format_time(booking.end_at.astimezone(config.zone), "HH:mm", locale=locale),
            "address": _place(booking, language),
            "file": file_reference,
            "kind": execution_kind,
            "officers": booking.officers,
            "reference": booking.reference,
            "link": f"{config.public_base_url}/deurwaarder/boekingen/{booking.reference}",
            "request": f"{config.public_base_url}/deurwaarder/aanvraag",
            "desk": national(config.desk_phone),
            "cutoff": booking.service.cancel_cutoff_minutes // 60,
            "reason": str(SYSTEM_REASONS.get(reason or "", reason or "-")),
            "before": _before(before, config, locale),
        }
        values["summary"] = str(ASSISTANCE_SUMMARY) % values
        body = {
            MessageKind.ASSISTANCE_BOOKED: ASSISTANCE_BOOKED,
            MessageKind.ASSISTANCE_CHANGED: (
                ASSISTANCE_MOVED_BY_ZONE if by_zone else ASSISTANCE_MOVED_BY_OFFICE
            ),
            MessageKind.ASSISTANCE_CANCELLED: (
                ASSISTANCE_CANCELLED_BY_ZONE if by_zone else ASSISTANCE_CANCELLED_BY_OFFICE
            ),
        }[kind]
        return Mail(str(ASSISTANCE_SUBJECTS[kind]) % values, str(body) % values, language)


def _before(instant: datetime | None, config: Config, locale: str) -> str:
    if instant is None:
        return "-"
    local = instant.astimezone(config.zone)
    return f"{format_date(local, 'EEEE d MMMM', locale=locale)} {format_time(local, 'HH:mm', locale=locale)}"
