"""The self-service menu (docs/ivr.md): 1 appointment, 2 book, 3 message, 4 information,
0 repeat; wrong keys and silence. The language was chosen before it (ivr.voice)."""

from collections.abc import Callable

from flask import Response
from flask_babel import gettext as _

from ivr.blueprint import bp
from ivr.calls import Turn, answer
from ivr.telephony.signature import twilio_signed
from ivr.telephony.twiml import twiml_response

Prompt = Callable[[Turn], None]


def menu_prompt(turn: Turn) -> None:
    gather = turn.reply.gather("/ivr/menu")
    for text in (
        _("For your appointment, press 1."),
        _("To make an appointment, press 2."),
        _("To leave a message so that we call you back, press 3."),
        _("For practical information, press 4."),
    ):
        turn.reply.say(text, into=gather)
    turn.reply.say(_("To hear this again, press 0."), into=gather)


def goodbye(turn: Turn, outcome: str | None = None) -> None:
    turn.reply.say(_("Thank you for calling. Goodbye."))
    turn.reply.hangup()
    if outcome is not None:
        turn.call.outcome = outcome


def wrong_key(turn: Turn, again: Prompt) -> None:
    """Said before the question again, so the caller knows why they hear it twice."""
    turn.reply.say(_("Sorry, that key is not in the menu."))
    again(turn)


def unanswered(turn: Turn, again: Prompt) -> None:
    """Silence: asked once more, then offered to leave a message, then a polite goodbye."""
    if turn.quiet == 1:
        turn.reply.say(_("Sorry, we did not hear a choice."))
        again(turn)
    elif turn.quiet == 2:
        gather = turn.reply.gather("/ivr/menu", quiet=2)
        turn.reply.say(
            _("We still did not hear a choice. To leave a message, press 3 now."), into=gather
        )
    else:
        turn.reply.say(_("We did not hear a choice."))
        goodbye(turn, "silent")


def _choice(turn: Turn) -> None:
    from ivr import appointment, book_by_phone, info, message  # the branches import this module

    branches: dict[str, Prompt] = {
        "1": appointment.start,
        "2": book_by_phone.start,
        "3": message.start,
        "4": info.start,
        "0": menu_prompt,
        "*": menu_prompt,
    }
    digits = turn.digits
    if not digits:
        unanswered(turn, menu_prompt)
    elif digits in branches:
        branches[digits](turn)
    else:
        wrong_key(turn, menu_prompt)


@bp.post("/menu")
@twilio_signed
def menu() -> Response:
    return twiml_response(answer("menu", _choice))
