"""What the SMS side did, as the tests see it: a recording transport for the worker's jobs
(the ``recorder`` fixture in tests/app/conftest.py installs it), a scripted one for the
sender, and the outbox's rows."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.notify.models import OutboxMessage
from app.notify.transports import Accepted
from scheduling.notices import SendError


@dataclass(frozen=True)
class Sent:
    channel: str
    to: str
    body: str
    subject: str | None = None


@dataclass
class Recorder:
    """Takes every message; ``sent`` lists them in the order the worker sent them."""

    sent: list[Sent] = field(default_factory=list)

    def send(self, *, to: str, body: str) -> Accepted:
        self.sent.append(Sent("sms", to, body))
        return Accepted(f"SM{uuid.uuid4().hex}")

    def take(self) -> list[Sent]:
        """What was sent since the last ``take``."""
        taken, self.sent[:] = list(self.sent), []
        return taken


class FakeTransport:
    """Answers from a script, records what it was given."""

    def __init__(self, *answers: Accepted | SendError) -> None:
        self.answers = list(answers)
        self.sent: list[tuple[str, str]] = []

    def send(self, *, to: str, body: str) -> Accepted | SendError:
        self.sent.append((to, body))
        answer = self.answers.pop(0) if self.answers else Accepted(f"SM{len(self.sent):032d}")
        return answer


def outbox_rows(session: Session) -> Sequence[OutboxMessage]:
    """Every outbox row, oldest first, read afresh."""
    session.expire_all()
    return session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
