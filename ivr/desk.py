"""What the blue number's queue asks of whoever answers it: is a call-taker available, and who
took this caller. The console (callcenter) plugs itself in at start-up
(``app.extensions["call_takers"]``); without it nobody answers and callers get the menu. So
the phone menu asks the console without importing it."""

from datetime import datetime
from typing import Protocol

from flask import current_app
from sqlalchemy.orm import Session

EXTENSION = "call_takers"


class CallTakers(Protocol):
    def any_available(self, session: Session, now: datetime) -> bool:
        """Whether at least one call-taker can take a call now."""

    def taken_by(self, session: Session, call_id: int) -> int | None:
        """The staff id of the call-taker who took the waiting call ``call_id``, if any."""


class Nobody:
    """No console: nobody answers."""

    def any_available(self, session: Session, now: datetime) -> bool:
        return False

    def taken_by(self, session: Session, call_id: int) -> int | None:
        return None


def call_takers() -> CallTakers:
    found: CallTakers = current_app.extensions.get(EXTENSION, Nobody())
    return found
