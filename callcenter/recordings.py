"""Playing a voice message in the call-back list. Twilio keeps recordings behind the
zone's account credentials, so the browser cannot fetch them itself: the console fetches the
audio with those credentials and passes it on (``<audio>`` in callbacks.html)."""

from urllib.parse import urlsplit

import requests
from flask import Response, abort, stream_with_context
from flask_babel import gettext as _

from app import current
from app.config import Config
from app.db import get_session
from app.notify.models import CallbackTask
from app.staff.access import staff_required
from callcenter.blueprint import CONSOLE_ROLES, bp
from scheduling.models import Staff

TWILIO_API = "https://api.twilio.com"
TIMEOUT_SECONDS = 10
CHUNK = 64 * 1024


def _from_twilio(url: str, config: Config) -> bool:
    """Only Twilio's own API (or the configured stand-in) gets the account's credentials."""
    allowed = {urlsplit(TWILIO_API).netloc}
    if config.twilio_api_base_url:
        allowed.add(urlsplit(config.twilio_api_base_url).netloc)
    return urlsplit(url).netloc in allowed


@bp.get("/callbacks/<int:task_id>/recording")
@staff_required(*CONSOLE_ROLES)
def recording(me: Staff, task_id: int) -> Response | tuple[str, int]:
    config: Config = current.config()
    task = get_session().get(CallbackTask, task_id)
    if task is None or not task.recording_url or not _from_twilio(task.recording_url, config):
        abort(404)
    if not (config.twilio_account_sid and config.twilio_auth_token):
        return _("Voice messages can be played only with the zone's Twilio account."), 503
    try:
        fetched = requests.get(
            task.recording_url + ".mp3",  # Twilio serves a recording as MP3 with this suffix
            auth=(config.twilio_account_sid, config.twilio_auth_token),
            timeout=TIMEOUT_SECONDS,
            stream=True,
        )
    except requests.RequestException:
        return _("The voice message could not be fetched. Try again in a minute."), 502
    if fetched.status_code != 200:
        fetched.close()
        return _("The voice message could not be fetched. Try again in a minute."), 502
    # Staff answers are never cached (app.staff): what citizens said stays off disks.
    return Response(stream_with_context(fetched.iter_content(CHUNK)), mimetype="audio/mpeg")
