"""Menu 4, practical information, short: the caller's own office (their district's, found
from the address of their number's latest appointment; else the main office), the
call-takers' hours and the emergency numbers once; the other offices on request (1)."""

from collections.abc import Sequence
from typing import Any

from flask import Response
from flask_babel import gettext as _
from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from app.hours_text import hours_in_words
from ivr import menu, recent
from ivr.blueprint import bp
from ivr.calls import Turn, answer
from ivr.telephony.signature import twilio_signed
from ivr.telephony.twiml import twiml_response
from scheduling.addresses import Address, district_for
from scheduling.errors import SchedulingError
from scheduling.hours import Hours
from scheduling.models import Booking, Site, stored_hours

SiteRow = Row[tuple[int, str, str, str, str, list[list[Any]], bool]]


def _sites(session: Session) -> Sequence[SiteRow]:
    """The zone's offices, main office first: plain rows, kept beyond this request."""
    return session.execute(
        select(
            Site.id,
            Site.name,
            Site.street,
            Site.number,
            Site.municipality,
            Site.opening_hours,
            Site.is_central,
        ).order_by(Site.is_central.desc(), Site.name)
    ).all()


def _district_site(turn: Turn) -> int | None:
    """The office of the district of the caller's latest appointment with an address."""
    if turn.call.caller is None:
        return None
    row = turn.session.execute(
        select(Booking.address_postcode, Booking.address_street, Booking.address_number)
        .where(Booking.citizen_phone == turn.call.caller, Booking.address_street.is_not(None))
        .order_by(Booking.id.desc())
        .limit(1)
    ).one_or_none()
    if row is None:
        return None
    try:
        return district_for(turn.session, Address(*row)).site_id
    except SchedulingError:  # the district was redrawn since: the main office
        return None


def _opening_hours(turn: Turn, site: SiteRow) -> str | None:
    """The office's walk-in hours in the caller's language; None when by appointment only."""
    if not site.opening_hours:
        return None
    said = hours_in_words(Hours(stored_hours(site.opening_hours)), turn.call.language)
    return _("Open without appointment %(hours)s.", hours=said)


def _own_office(turn: Turn, sites: Sequence[SiteRow]) -> SiteRow | None:
    """The caller's district's office, said as theirs; else the main office."""
    own_id = _district_site(turn)
    own = next((s for s in sites if s.id == own_id), None)
    if own is not None:
        said = _("Your office is %(name)s, %(street)s %(number)s in %(municipality)s.")
    elif sites:
        own = sites[0]  # the main office comes first
        said = _("Our main office is %(name)s, %(street)s %(number)s in %(municipality)s.")
    else:
        return None
    turn.reply.say(
        said
        % {
            "name": own.name,
            "street": own.street,
            "number": own.number,
            "municipality": own.municipality,
        }
    )
    return own


def start(turn: Turn) -> None:
    sites = recent.cached("sites", lambda: _sites(turn.session))
    own = _own_office(turn, sites)
    if own is not None:
        turn.remember(own_office=own.id)
        if hours := _opening_hours(turn, own):
            turn.reply.say(hours)
    turn.reply.say(
        _(
            "Our call-takers answer this number %(hours)s, except on public holidays.",
            hours=hours_in_words(turn.config.calltaker_hours, turn.call.language),
        )
    )
    turn.reply.say(_("In an emergency, call 112. For urgent police help, call 101."))
    choices(turn)


def choices(turn: Turn) -> None:
    gather = turn.reply.gather("/ivr/info")
    for text in (
        _("For our other offices, press 1."),
        _("To hear your office again, press 0. For the main menu, press star."),
    ):
        turn.reply.say(text, into=gather)


def _other_offices(turn: Turn) -> None:
    """Every office but the one already heard, with its address; the main office first."""
    sites = recent.cached("sites", lambda: _sites(turn.session))
    own_id = turn.call.state.get("own_office")
    turn.reply.say(
        _(
            "Our other offices: %(offices)s.",
            offices="; ".join(
                f"{s.name}, {s.street} {s.number}, {s.municipality}"
                for s in sites
                if s.id != own_id
            ),
        )
    )
    turn.reply.say(_("The local offices receive you by appointment."))
    choices(turn)


def _choice(turn: Turn) -> None:
    match turn.digits:
        case "":
            menu.unanswered(turn, choices)
        case "1":
            _other_offices(turn)
        case "0":
            start(turn)
        case "*":
            menu.menu_prompt(turn)
        case _other:
            menu.wrong_key(turn, choices)


@bp.post("/info")
@twilio_signed
def info() -> Response:
    return twiml_response(answer("info", _choice))
