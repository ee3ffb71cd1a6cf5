"""The texts of the reporting point's SMS and e-mails (app.reports.telling sends them), one
English msgid each, rendered in the report's language as the booking texts are
(app.notify.messages: GSM-7 only, within two segments).

They say that something happened and link to the status page; what the report is about
stays there (only a question's answer may also travel in its e-mail): a phone on a kitchen
table or a shared mailbox must not tell anyone else. A sensitive report's texts do not even
say "report": they say "your message to the police".
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date
from flask_babel import LazyString, force_locale
from flask_babel import lazy_gettext as _l

from app.i18n import BABEL_LOCALES
from app.notify.messages import render

RECEIVED = _l("Police %(zone)s: we received your report %(number)s. Follow it: %(link)s")
RECEIVED_QUESTION = _l(
    "Police %(zone)s: we received your question %(number)s and answer it by %(day)s. "
    "Follow it: %(link)s"
)
RECEIVED_SENSITIVE = _l(
    "Your message to the police has been received. Number %(number)s. Follow it: %(link)s"
)
UPDATE = _l("Police %(zone)s: there is news about your report %(number)s: %(link)s")
UPDATE_SENSITIVE = _l("There is news about your message to the police, number %(number)s: %(link)s")
ANSWERED = _l("Police %(zone)s: your question %(number)s has been answered. Read it: %(link)s")
CLOSED = _l("Police %(zone)s: your report %(number)s is closed. Our message: %(link)s")
CLOSED_SENSITIVE = _l(
    "Your message to the police, number %(number)s, is closed. Our message: %(link)s"
)
# To the staff member or team a case is for: its number and a link, never what it is about.
STAFF_NOTICE = _l("Blauwlijn: a new case for you, %(number)s: %(link)s")

SUBJECT_CITIZEN = _l("Police: your message %(number)s")
SUBJECT_STAFF = _l("Blauwlijn: a new case for you")
# An answer in an e-mail: the outbox holds at most 1600 characters, the rest is on the page.
ANSWER_HEADING = _l("Our answer:")
ANSWER_CONTINUES = _l("The whole answer is on the page of the link above.")
BODY_LIMIT = 1600


def day_in_sms(instant: datetime, zone: ZoneInfo, language: str) -> str:
    """ "dinsdag 08/12": the weekday's name and a numeric date (a month name such as "août"
    would force an SMS into UCS-2)."""
    local = instant.astimezone(zone)
    locale = BABEL_LOCALES.get(language, "nl_BE")
    return f"{format_date(local, 'EEEE', locale=locale)} {local:%d/%m}"


def compose(template: LazyString, language: str, **values: str) -> str:
    """``template`` in ``language`` with ``values`` (needs an app context)."""
    with force_locale(language):
        return render(str(template), values)


def subject(template: LazyString, language: str, **values: str) -> str:
    with force_locale(language):
        return str(template) % values


def with_answer(body: str, answer: str, language: str) -> str:
    """An e-mail's body with the answer below it, cut to what the outbox holds."""
    with force_locale(language):
        heading, continues = str(ANSWER_HEADING), str(ANSWER_CONTINUES)
    full = f"{body}\n\n{heading}\n\n{answer}"
    if len(full) <= BODY_LIMIT:
        return full
    room = BODY_LIMIT - len(body) - len(heading) - len(continues) - 10
    return f"{body}\n\n{heading}\n\n{answer[:room].rstrip()} …\n\n{continues}"
