"""Call-back reasons, stored as the phone side and the outbox write them, read in the
call-taker's language; what is not known here (a provider's own words) stays as stored."""

import pytest
from flask_babel import force_locale

from callcenter.labels import callback_reason
from ivr.message import VOICE_MESSAGE
from ivr.queue import AT_CLOSING, CALL_BACK, HUNG_UP


@pytest.mark.parametrize(
    ("stored", "language", "shown"),
    [
        (VOICE_MESSAGE, "nl", "Spraakbericht"),
        (VOICE_MESSAGE, "fr", "Message vocal"),
        (
            f"{CALL_BACK} (topic: appointment)",
            "nl",
            "Vroeg om teruggebeld te worden in plaats van te wachten (onderwerp: Afspraak)",
        ),
        (f"{HUNG_UP} (topic: other)", "fr", "A raccroché pendant l'attente (sujet : Autre)"),
        (
            f"{AT_CLOSING} (topic: report_or_question)",
            "en",
            f"{AT_CLOSING[0].upper()}{AT_CLOSING[1:]} (topic: Report or question)",
        ),
        (
            "SMS not sent (21614): 'To' number is not a valid mobile number",
            "nl",
            "Sms niet verstuurd (21614): 'To' number is not a valid mobile number",
        ),
        ("something a later version wrote", "nl", "something a later version wrote"),
    ],
)
def test_a_reason_in_the_readers_language(app, stored, language, shown):
    with app.test_request_context(), force_locale(language):
        assert callback_reason(stored) == shown
