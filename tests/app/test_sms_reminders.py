"""Each service's reminder lead time, through the API and the worker, in the DST weeks:
the reminder goes at the right real moment, never in the quiet hours, and once."""

from datetime import UTC, datetime, time

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.notify.models import OutboxMessage
from app.worker import notify_events, send_sms
from scheduling.booking import reschedule
from scheduling.enums import MessageKind, OutboxStatus
from scheduling.models import Booking, Service
from scheduling.trail import Actor
from tests.app.sms_recorder import Recorder
from tests.factories import make_district, make_service, make_site, make_staff, make_weekly

ADDRESS = {"postcode": "1547", "street": "Plaats", "number": "3"}


@pytest.fixture
def tuesday_officer(session):
    """A wijkagent receiving on Tuesday mornings (not Easter Monday 29 March 2027); the
    service's lead is set per test."""
    officer = make_staff(session, name="Inspecteur Wouters")
    make_district(session, officer, streets=(("1547", "Plaats"),))
    site = make_site(session)
    make_weekly(session, officer, weekday=1, starts=time(9), ends=time(12), site=site)
    make_service(session, code="wijkagent", min_notice_minutes=60, horizon_days=90)
    session.commit()
    return officer


def _set_lead(session, minutes: int) -> None:
    session.scalars(select(Service)).one().reminder_lead_minutes = minutes
    session.commit()


def _book(client, officer, start: str) -> None:
    body = {
        "service": "wijkagent",
        "start": start,
        "staff_id": officer.id,
        "location": "office",
        "citizen": {"name": "Jan Peeters", "phone": "0470 12 34 56"},
        "address": ADDRESS,
        "language": "nl",
    }
    answer = client.post("/api/v1/bookings", json=body)
    assert answer.status_code == 201, answer.get_data(as_text=True)


def _reminder(session) -> OutboxMessage:
    session.expire_all()
    return session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.kind == MessageKind.REMINDER,
            OutboxMessage.status == OutboxStatus.PENDING,
        )
    ).one()


def _sent_at(app, recorder: Recorder, instant: str) -> int:
    with freeze_time(instant):
        notify_events(app)
        send_sms(app)
    return len(recorder.take())


@pytest.mark.parametrize(
    ("booked_at", "start", "lead", "due"),
    [
        # Three days before Tuesday 10:00 CEST, across spring-forward (28 March 2027):
        # Saturday 08:00 UTC, which is 09:00 CET on the wall.
        ("2027-03-24T10:00:00Z", "2027-03-30T10:00:00+02:00", 4320, "2027-03-27T08:00:00Z"),
        # Three days before Tuesday 10:00 CET, across fall-back (25 October 2026):
        # Saturday 09:00 UTC, which is 11:00 CEST on the wall.
        ("2026-10-21T10:00:00Z", "2026-10-27T10:00:00+01:00", 4320, "2026-10-24T09:00:00Z"),
        # Two hours before 09:00 is 07:00, quiet: 20:59 the evening before (CEST, CET).
        ("2027-03-24T10:00:00Z", "2027-03-30T09:00:00+02:00", 120, "2027-03-29T18:59:00Z"),
        ("2026-10-21T10:00:00Z", "2026-10-27T09:00:00+01:00", 120, "2026-10-26T19:59:00Z"),
        # A week before Tuesday 11:00 CET: Tuesday 20 October 10:00 UTC, 12:00 CEST.
        ("2026-10-14T10:00:00Z", "2026-10-27T11:00:00+01:00", 10080, "2026-10-20T10:00:00Z"),
    ],
)
def test_the_reminder_goes_at_the_services_lead_and_once(
    app, client, session, tuesday_officer, recorder, booked_at, start, lead, due
):
    _set_lead(session, lead)
    with freeze_time(booked_at):
        _book(client, tuesday_officer, start)
        assert _sent_at(app, recorder, booked_at) == 1  # the confirmation
    assert _reminder(session).due_at == datetime.fromisoformat(due).astimezone(UTC)
    before = datetime.fromisoformat(due).timestamp() - 60
    assert _sent_at(app, recorder, datetime.fromtimestamp(before, UTC).isoformat()) == 0
    assert _sent_at(app, recorder, due) == 1
    assert _sent_at(app, recorder, start) == 0


@freeze_time("2027-03-24T10:00:00Z")
def test_a_lead_changed_later_holds_for_moves_from_then_on(
    app, client, session, tuesday_officer, recorder
):
    _book(client, tuesday_officer, "2027-03-30T10:00:00+02:00")
    assert _reminder(session).due_at == datetime(2027, 3, 29, 8, tzinfo=UTC)  # 24 h, CEST
    _set_lead(session, 4320)
    reschedule(
        session,
        booking=session.scalars(select(Booking)).one(),
        start=datetime(2027, 3, 30, 9, 30, tzinfo=UTC),  # 11:30 CEST
        actor=Actor.staff(tuesday_officer.id),
        now=datetime.now(UTC),
        zone=app.config["BLAUWLIJN"].zone,
    )
    session.commit()
    notify_events(app)
    assert _reminder(session).due_at == datetime(2027, 3, 27, 9, 30, tzinfo=UTC)  # 10:30 CET
