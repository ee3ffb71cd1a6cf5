"""Menu 4, practical information: the offices, the call-takers' hours, 101 and 112."""

from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from app.hours_text import hours_in_words
from ivr import recent
from ivr.calls import Turn
from scheduling.hours import Hours
from scheduling.models import Site, stored_hours


def _sites(session: Session) -> Sequence[Row[tuple[str, str, str, str, list[list[Any]], bool]]]:
    """The zone's offices, main office first: plain rows, kept beyond this request."""
    return session.execute(
        select(
            Site.name,
            Site.street,
            Site.number,
            Site.municipality,
            Site.opening_hours,
            Site.is_central,
        ).order_by(Site.is_central.desc(), Site.name)
    ).all()


def start(turn: Turn) -> None:
    sites = recent.cached("sites", lambda: _sites(turn.session))
    central = [s for s in sites if s.is_central]
    posts = [s for s in sites if not s.is_central]
    for site in central:
        turn.reply.say(
            _(
                "Our main office is %(name)s, %(street)s %(number)s in %(municipality)s.",
                name=site.name,
                street=site.street,
                number=site.number,
                municipality=site.municipality,
            )
        )
        if site.opening_hours:
            hours = Hours(stored_hours(site.opening_hours))
            said = hours_in_words(hours, turn.call.language)
            turn.reply.say(_("Open without appointment %(hours)s.", hours=said))
    if posts:
        turn.reply.say(
            _(
                "Our local offices, open by appointment: %(offices)s.",
                offices="; ".join(f"{s.name}, {s.street} {s.number}" for s in posts),
            )
        )
    turn.reply.say(
        _(
            "Our call-takers answer this number %(hours)s, except on public holidays.",
            hours=hours_in_words(turn.config.calltaker_hours, turn.call.language),
        )
    )
    turn.reply.say(_("In an emergency, call 112. For urgent police help, call 101."))
    gather = turn.reply.gather("/ivr/menu")
    turn.reply.say(_("To hear this again, press 4. For the main menu, press star."), into=gather)
