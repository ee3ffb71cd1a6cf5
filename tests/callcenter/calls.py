"""The console tests' pieces: signed-in clients by role, callers waiting in the queue, the
events of a Server-Sent Events stream, and a stand-in for Twilio's REST API that records
where each caller's call was sent (the fixtures that install them: conftest.py)."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import count

from flask.testing import FlaskClient

from callcenter.claims import take_call
from callcenter.models import TakenCall
from ivr.models import Call
from scheduling.enums import BookingStatus, Channel, LocationKind, Role
from scheduling.models import Booking, Staff
from tests.factories import make_service, make_staff
from tests.staff_login import sign_in_as

NOW = "2026-12-01T09:00:00Z"  # Tuesday 1 December 2026, 10:00 in Brussels: call-taker hours
NOW_UTC = datetime(2026, 12, 1, 9, tzinfo=UTC)
_sids = count(1)


@dataclass
class RecordedControl:
    """Twilio's REST API at its boundary: each redirect of a live call, in order."""

    redirects: list[tuple[str, str]] = field(default_factory=list)
    fail: Exception | None = None

    def redirect(self, call_sid: str, twiml: str) -> None:
        if self.fail is not None:
            raise self.fail
        self.redirects.append((call_sid, twiml))


def signed_in(client: FlaskClient, session, *roles: Role, **kw: object) -> Staff:
    """Signed in, reading the pages in English (the texts the tests look for)."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return sign_in_as(client, session, *roles, **kw)


def queued_call(
    session,
    *,
    caller: str | None = "+32470123456",
    topic: str = "appointment",
    waited: int = 30,
    now: datetime = NOW_UTC,
    outcome: str | None = "queued",
) -> Call:
    """A caller the IVR put in the call-takers' queue ``waited`` seconds ago."""
    call = Call(
        call_sid=f"CA{next(_sids):032d}",
        caller=caller,
        language="nl",
        topic=topic,
        path=["voice", "topic:1"],
        state={},
        started_at=now - timedelta(seconds=waited),
        outcome=outcome,
    )
    session.add(call)
    session.flush()
    return call


def taken_call(session, staff: Staff, *, caller: str | None = "+32470123456") -> TakenCall:
    """A waiting caller ``staff`` took from the queue (as the console's Take claims it)."""
    call = queued_call(session, caller=caller)
    assert take_call(session, call=call, staff_id=staff.id, now=NOW_UTC)
    return session.get_one(TakenCall, call.id)


def booked_for(
    session, phone: str, *, name: str = "Jan Peeters", start: datetime | None = None
) -> Booking:
    """An appointment made with ``phone`` (rows as the engine writes them)."""
    now = datetime(2026, 11, 20, 9, tzinfo=UTC)
    start = start or datetime(2026, 12, 3, 9, tzinfo=UTC)
    officer = make_staff(session)
    service = make_service(session, code=f"svc-{officer.id}")
    booking = Booking(
        reference=f"{officer.id:09d}"[-9:],
        token_hash=f"{officer.id:064d}",
        service_id=service.id,
        staff_id=officer.id,
        location=LocationKind.OFFICE,
        start_at=start,
        end_at=start + timedelta(minutes=30),
        status=BookingStatus.CONFIRMED,
        citizen_name=name,
        citizen_phone=phone,
        channel=Channel.WEB,
        created_at=now,
        updated_at=now,
    )
    session.add(booking)
    session.flush()
    return booking


def read_events(chunks: list[str]) -> list[tuple[str, str]]:
    """(event, data) of each Server-Sent Event in the chunks of a stream read so far."""
    found = []
    for block in "".join(chunks).split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in lines:
            found.append((lines["event"], lines["data"]))
    return found
