"""The blue number's voice webhooks: ``POST /ivr/voice`` (every call starts here), the
call-takers' topic choice, ``POST /ivr/status`` and the database-free ``/ivr/fallback``.

The branches of the self-service menu join this blueprint from their own modules.
"""

import logging
from datetime import UTC, datetime

from flask import Flask, Response, request
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from app import current
from app.db import get_session
from app.hours_text import hours_in_words
from app.signals import personal_data_expired
from ivr import menu, queue, recent, retention
from ivr.blueprint import bp
from ivr.calls import Turn, answer, open_call
from ivr.telephony.signature import twilio_signed
from ivr.telephony.twiml import LANGUAGE_KEYS, SPEECH_LANGUAGES, Reply, twiml_response

log = logging.getLogger(__name__)
TOPICS = {"1": "appointment", "2": "report_or_question", "3": "other"}


def _greet(turn: Turn) -> None:
    turn.reply.say(_("Welcome to the police of zone %(zone)s.", zone=turn.config.zone_name))
    turn.reply.say(_("In an emergency, hang up and call 112. For urgent police help, call 101."))


def _entry(turn: Turn) -> None:
    language_prompt(turn)


def language_prompt(turn: Turn) -> None:
    """The language first and short: three sentences, each in its own voice, the caller's
    known language (their latest booking's, ivr.calls.open_call) first. Keys 1/2/3 are
    nl/fr/en whatever language is playing."""
    turn.reply.offer_languages(turn.reply.gather("/ivr/language"))


def _language(turn: Turn) -> None:
    digits = turn.digits
    if digits in LANGUAGE_KEYS:
        turn.call.language = turn.reply.language = LANGUAGE_KEYS[digits]
        with force_locale(turn.call.language):
            _welcome(turn)
    elif digits:  # no language of the caller is known yet: the offers say what to press
        language_prompt(turn)
    else:  # silence: on in the language offered first
        _welcome(turn)


def _welcome(turn: Turn) -> None:
    _greet(turn)
    if queue.on_duty(turn):
        topic_prompt(turn)
    else:
        menu.menu_prompt(turn)


def topic_prompt(turn: Turn) -> None:
    gather = turn.reply.gather("/ivr/topic")
    turn.reply.say(
        _(
            "For an appointment, press 1. To report something or ask a question, press 2. "
            "For anything else, press 3."
        ),
        into=gather,
    )


def _topic(turn: Turn) -> None:
    digits = turn.digits
    if digits in TOPICS or turn.quiet:
        # Silence: the caller waits for a person, so they get one.
        queue.enqueue(turn, TOPICS.get(digits, "other"))
    else:
        menu.wrong_key(turn, topic_prompt)


@bp.post("/voice")
@twilio_signed
def voice() -> Response:
    return twiml_response(answer("voice", _entry, entry=True))


@bp.post("/language")
@twilio_signed
def language() -> Response:
    return twiml_response(answer("language", _language))


@bp.post("/topic")
@twilio_signed
def topic() -> Response:
    return twiml_response(answer("topic", _topic))


@bp.post("/status")
@twilio_signed
def status() -> Response:
    """The call ended: its duration and, when nothing else said so, how it ended."""
    form = request.form
    session = get_session()
    now = datetime.now(UTC)
    call = open_call(session, form.get("CallSid", ""), form.get("From", ""), now)
    if call.ended_at is None and form.get("CallStatus") in queue.ENDED:
        call.ended_at = now
        call.duration_seconds = int(form.get("CallDuration") or 0)
        if call.outcome == queue.QUEUED:
            queue.abandoned(session, call, now)
        elif call.outcome is None:
            call.outcome = "hung_up" if form["CallStatus"] == "completed" else form["CallStatus"]
        session.flush()
    return twiml_response(str(Reply("nl", {}).twiml))


def fallback_twiml() -> str:
    """Apology, emergency numbers and hours in the three languages; no database."""
    config = current.config()
    reply = Reply("nl", dict(config.ivr_voices))
    for language in SPEECH_LANGUAGES:
        with force_locale(language):
            reply.say(
                _("We are sorry: our phone menu is not available right now."), language=language
            )
            reply.say(
                _("In an emergency, hang up and call 112. For urgent police help, call 101."),
                language=language,
            )
            reply.say(
                _(
                    "Please call again later. Our call-takers answer %(hours)s.",
                    hours=hours_in_words(config.calltaker_hours, language),
                ),
                language=language,
            )
    reply.hangup()
    return reply.xml()


@bp.route("/fallback", methods=["GET", "POST"])
@twilio_signed
def fallback() -> Response:
    return twiml_response(fallback_twiml())


@bp.errorhandler(Exception)
def _failed(error: Exception) -> Response | HTTPException:
    """A caller never hears Twilio's "application error": whatever broke, the fallback."""
    if isinstance(error, HTTPException):
        return error
    log.exception("voice webhook %s failed", request.path)
    get_session().rollback()
    return twiml_response(fallback_twiml())


def init_app(app: Flask) -> None:
    from ivr import (  # noqa: F401  # their routes join bp
        appointment,
        book_by_phone,
        info,
        message,
        transfer,
    )
    from ivr.simulator import ivr_sim
    from ivr.telephony import simulated  # noqa: F401  # the simulator's redirect route

    app.register_blueprint(bp)
    app.cli.add_command(ivr_sim)  # the phone menu in a terminal
    recent.init_app(app)
    personal_data_expired.connect(retention.forget_callers)  # the daily purge (app.retention)
