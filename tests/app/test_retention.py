"""The retention purge (app.retention): what goes when, on both databases; idempotent,
crash-safe, and safe with two purges at once."""

import logging
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from pathlib import Path

import freezegun
import pytest
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session, sessionmaker

from app import retention
from app.config import Config
from app.db import make_engine
from app.notify.models import CallbackTask, InboundSms, OutboxMessage
from app.notify.recordings import make_eraser
from app.signals import personal_data_expired
from app.worker import purge_personal_data
from callcenter.models import CallbackWork, TakenCall
from ivr.models import Call
from scheduling.enums import (
    ActorKind,
    BookingStatus,
    CallbackStatus,
    Channel,
    EventKind,
    LocationKind,
    MessageKind,
    OutboxStatus,
)
from scheduling.models import AuditEntry, Booking, DomainEvent, Invitation, Service, Staff
from tests.app.twilio_mock import free_port
from tests.factories import TEST_SECRET_KEY, make_invitation, make_service, make_staff

_n = count(1)
# An appointment on Saturday 27 March 2027 (Brussels); summer time starts on the 28th.
BEFORE_DST = datetime(2027, 3, 27, 9, 0, tzinfo=UTC)  # 10:00 in Brussels


def gone(sid: str) -> bool:
    """No recording at Twilio to erase (the erasing itself: the tests at the end)."""
    return True


def config(tmp_path: Path, **env: str) -> Config:
    return Config.from_env(tmp_path, env={"SECRET_KEY": TEST_SECRET_KEY, **env})


def add_booking(session: Session, staff: Staff, service: Service, start: datetime) -> Booking:
    n = next(_n)
    booking = Booking(
        reference=f"{n:09d}",
        token_hash=f"{n:064d}",
        service_id=service.id,
        staff_id=staff.id,
        location=LocationKind.HOME,
        start_at=start,
        end_at=start + timedelta(minutes=30),
        status=BookingStatus.DONE,
        citizen_name="Jan Peeters",
        citizen_phone="+32470123456",
        citizen_email="jan@example.be",
        address_postcode="1547",
        address_street="Plaats",
        address_number="1",
        topic="Mijn fiets is gestolen",
        cancel_reason="Burger belde: ziek",
        channel=Channel.WEB,
        created_at=start - timedelta(days=3),
        updated_at=start,
    )
    session.add(booking)
    session.flush()
    session.add_all(
        [
            AuditEntry(
                at=start,
                actor_kind=ActorKind.STAFF,
                actor_id=staff.id,
                channel=Channel.STAFF,
                action="moved",
                booking_id=booking.id,
                details={"from": "x", "reason": "Burger belde: ziek"},
            ),
            DomainEvent(
                at=start,
                kind=EventKind.MOVED,
                booking_id=booking.id,
                payload={"actor": "staff", "reason": "Burger belde: ziek"},
                handled_at=start,
            ),
            OutboxMessage(
                idempotency_key=f"confirm:{booking.id}",
                recipient="+32470123456",
                body="Jan, uw afspraak ...",
                language="nl",
                kind=MessageKind.CONFIRMATION,
                booking_id=booking.id,
                due_at=start,
                next_attempt_at=start,
                status=OutboxStatus.DELIVERED,
                created_at=start - timedelta(days=3),
            ),
            InboundSms(
                message_sid=f"SM{n:032d}",
                sender="+32470123456",
                body="JA",
                received_at=start,
                action="confirmed",
                booking_id=booking.id,
                reply="Bedankt",
            ),
        ]
    )
    session.flush()
    return booking


@pytest.fixture
def team(session):
    staff = make_staff(session)
    return staff, make_service(session, team=(staff,))


@pytest.fixture
def sessions(connection: Connection) -> sessionmaker[Session]:
    """Batches commit as SAVEPOINTs inside the test's rolled-back transaction."""
    return sessionmaker(bind=connection, join_transaction_mode="create_savepoint")


def purged(session: Session, booking: Booking) -> bool:
    session.expire_all()
    return session.get(Booking, booking.id).citizen_phone == ""


def test_an_appointment_is_kept_through_its_last_day_across_a_dst_change(
    session, sessions, team, tmp_path
):
    """Two days after Saturday 27 March: kept all Monday 29th (Brussels), gone from Tuesday
    00:00 CEST, which is 22:00 UTC; a count in UTC hours would be an hour off."""
    booking = add_booking(session, *team, BEFORE_DST)
    zone = config(tmp_path, RETENTION_APPOINTMENT_DAYS="2")
    retention.purge(sessions, zone, datetime(2027, 3, 29, 21, 59, 59, tzinfo=UTC), gone)
    assert not purged(session, booking)
    retention.purge(sessions, zone, datetime(2027, 3, 29, 22, 0, 1, tzinfo=UTC), gone)
    assert purged(session, booking)


def test_the_booking_keeps_what_statistics_need_and_loses_the_rest(
    session, sessions, team, tmp_path
):
    booking = add_booking(session, *team, BEFORE_DST)
    done = retention.purge(sessions, config(tmp_path), BEFORE_DST + timedelta(days=367), gone)
    assert done["bookings"] == 1
    session.expire_all()
    row = session.get(Booking, booking.id)
    assert (row.citizen_name, row.citizen_phone, row.citizen_email) == ("", "", None)
    assert (row.address_postcode, row.address_street, row.address_number) == (None, None, None)
    assert (row.topic, row.cancel_reason) == (None, None)
    assert (row.start_at, row.status, row.service_id, row.staff_id) == (
        BEFORE_DST,
        BookingStatus.DONE,
        team[1].id,
        team[0].id,
    )
    audit = session.scalars(select(AuditEntry).where(AuditEntry.booking_id == booking.id)).one()
    assert audit.details == {"from": "x"}
    event = session.scalars(select(DomainEvent).where(DomainEvent.booking_id == booking.id)).one()
    assert event.payload == {"actor": "staff"}
    message = session.scalars(
        select(OutboxMessage).where(OutboxMessage.booking_id == booking.id)
    ).one()
    assert (message.recipient, message.body, message.status) == ("", "", OutboxStatus.DELIVERED)
    sms = session.scalars(select(InboundSms).where(InboundSms.booking_id == booking.id)).one()
    assert (sms.sender, sms.body, sms.reply, sms.action) == ("", "", "", "confirmed")


def test_a_second_run_changes_nothing(session, sessions, team, tmp_path):
    add_booking(session, *team, BEFORE_DST)
    now = BEFORE_DST + timedelta(days=400)
    assert retention.purge(sessions, config(tmp_path), now, gone)["bookings"] == 1
    assert retention.purge(sessions, config(tmp_path), now, gone) == {}


def test_calls_voice_messages_notes_and_stray_sms_go_after_the_contact_period(
    app, session, sessions, team, tmp_path
):
    """Through the app: the phone side and the console purge their own tables on the
    signal. Ninety days after Saturday 27 March: kept through Friday 25 June."""
    staff, _service = team
    call = Call(call_sid="CA" + "1" * 32, caller="+32470123456", started_at=BEFORE_DST)
    call.state = {"address": ["1547", "Plaats", "1"]}
    call.path = ["menu:2"]
    session.add(call)
    session.flush()
    task = CallbackTask(
        reason="bel me terug over mijn buurman",
        phone="+32470123456",
        call_id=call.id,
        recording_sid="RE" + "1" * 32,
        recording_url="https://api.twilio.com/rec/RE1",
        transcription="Mijn buurman ...",
        created_at=BEFORE_DST,
    )
    session.add(task)
    session.flush()
    session.add_all(
        [
            TakenCall(call_id=call.id, staff_id=staff.id, taken_at=BEFORE_DST, note="Buurman X"),
            CallbackWork(task_id=task.id, staff_id=staff.id, claimed_at=BEFORE_DST, note="Y"),
            InboundSms(
                message_sid="SM" + "9" * 32,
                sender="+32470123456",
                body="Hallo?",
                received_at=BEFORE_DST,
                action="kept",
            ),
        ]
    )
    session.flush()
    zone = app.config["BLAUWLIJN"]
    retention.purge(sessions, zone, datetime(2027, 6, 25, 21, 59, tzinfo=UTC), gone)
    session.expire_all()
    assert session.get(Call, call.id).caller is not None
    done = retention.purge(sessions, zone, datetime(2027, 6, 25, 22, 1, tzinfo=UTC), gone)
    assert done == {
        "recordings": 1,
        "calls": 1,
        "callbacks": 1,
        "sms_received": 1,
        "call_notes": 1,
        "callback_notes": 1,
    }
    session.expire_all()
    call = session.get(Call, call.id)
    assert (call.caller, call.state, call.path) == (None, {}, ["menu:2"])
    task = session.get(CallbackTask, task.id)
    assert (task.phone, task.recording_sid, task.recording_url, task.transcription) == (None,) * 4
    assert (task.reason, task.status) == ("", CallbackStatus.DONE)
    assert session.scalars(select(TakenCall.note)).one() is None
    assert session.scalars(select(CallbackWork.note)).one() is None
    assert session.scalars(select(InboundSms.sender)).one() == ""


def test_invitations_and_their_sms_go_a_year_after(session, sessions, team, tmp_path):
    staff, service = team
    invitation = make_invitation(
        session,
        staff,
        service,
        valid_from=BEFORE_DST - timedelta(days=10),
        valid_until=BEFORE_DST,
        phone="+32470123456",
    )
    session.add(
        OutboxMessage(
            idempotency_key=f"invitation:{invitation.id}",
            recipient="+32470123456",
            body="Code INV-1234",
            language="nl",
            kind=MessageKind.INVITATION,
            due_at=BEFORE_DST,
            next_attempt_at=BEFORE_DST,
            status=OutboxStatus.SENT,
            created_at=BEFORE_DST,
        )
    )
    session.flush()
    done = retention.purge(sessions, config(tmp_path), BEFORE_DST + timedelta(days=367), gone)
    assert done == {"invitations": 1, "messages": 1}
    session.expire_all()
    assert session.get(Invitation, invitation.id).phone is None


def test_a_run_cut_short_leaves_whole_batches_and_the_next_run_finishes(
    session, sessions, team, tmp_path, monkeypatch
):
    """A batch is one transaction: a run killed in its second batch keeps the first batch
    whole (booking and its messages together) and nothing of the second."""
    bookings = [add_booking(session, *team, BEFORE_DST) for _ in range(5)]
    monkeypatch.setattr(retention, "BATCH", 2)
    rounds = count()

    def killed(_sender, **_kw):
        if next(rounds) == 1:
            raise RuntimeError("worker killed")
        return {}

    now = BEFORE_DST + timedelta(days=400)
    personal_data_expired.connect(killed)
    try:
        with pytest.raises(RuntimeError):
            retention.purge(sessions, config(tmp_path), now, gone)
    finally:
        personal_data_expired.disconnect(killed)
    assert [purged(session, b) for b in bookings] == [True, True, False, False, False]
    recipients = session.scalars(select(OutboxMessage.recipient).order_by(OutboxMessage.booking_id))
    assert list(recipients) == ["", "", "+32470123456", "+32470123456", "+32470123456"]
    assert retention.purge(sessions, config(tmp_path), now, gone)["bookings"] == 3
    assert all(purged(session, b) for b in bookings)


@pytest.mark.slow
def test_two_purges_at_once_split_the_work_and_count_each_booking_once(
    fresh_database, database_url, tmp_path, monkeypatch
):
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    engine = make_engine(fresh_database(kind))
    try:
        with Session(engine) as session, session.begin():
            staff = make_staff(session)
            service = make_service(session, team=(staff,))
            for _ in range(40):
                add_booking(session, staff, service, BEFORE_DST)
        monkeypatch.setattr(retention, "BATCH", 5)
        sessions = sessionmaker(bind=engine)
        start = threading.Barrier(2)
        counts: list[int] = []

        def run() -> None:
            start.wait()
            counts.append(
                retention.purge(sessions, config(tmp_path), BEFORE_DST + timedelta(days=400), gone)[
                    "bookings"
                ]
            )

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert len(counts) == 2
        assert sum(counts) == 40
        with Session(engine) as session:
            assert set(session.scalars(select(Booking.citizen_phone))) == {""}
            assert set(session.scalars(select(OutboxMessage.recipient))) == {""}
    finally:
        engine.dispose()


def test_the_worker_job_logs_counts_only(app, session, team, caplog):
    add_booking(session, *team, BEFORE_DST)
    caplog.set_level(logging.INFO, logger="app.worker")
    with freezegun.freeze_time(BEFORE_DST + timedelta(days=400)):
        assert purge_personal_data(app) >= 1
    (line,) = [r.getMessage() for r in caplog.records if "purge_personal_data" in r.getMessage()]
    assert "bookings=1" in line
    assert not any(personal in line for personal in ("Jan", "470", "Plaats"))


@pytest.mark.parametrize("value", ["0", "-1", "1.5", "een jaar", "３６５"])
def test_a_retention_period_is_whole_days_or_the_start_stops(tmp_path, value):
    with pytest.raises(ValueError, match="RETENTION_CONTACT_DAYS"):
        config(tmp_path, RETENTION_CONTACT_DAYS=value)


# --- Voice messages at Twilio ----------------------------------------------------------


def _voice_message(session: Session) -> CallbackTask:
    task = CallbackTask(
        reason="bel me terug",
        phone="+32470123456",
        recording_sid="RE" + "ab" * 16,
        recording_url="https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1",
        created_at=BEFORE_DST,
    )
    session.add(task)
    session.flush()
    return task


PAST_CONTACT = BEFORE_DST + timedelta(days=100)


def test_a_voice_message_is_erased_at_twilio_through_the_sdk(session, sessions, tmp_path, prism):
    """The real SDK call (DELETE .../Recordings/{sid}.json) against Twilio's own API
    description: accepted, then our link to the audio is forgotten."""
    task = _voice_message(session)
    zone = config(
        tmp_path,
        TWILIO_ACCOUNT_SID="AC" + "0123456789abcdef" * 2,
        TWILIO_AUTH_TOKEN="secret-token",
        TWILIO_API_BASE_URL=prism,
    )
    done = retention.purge(sessions, zone, PAST_CONTACT, make_eraser(zone))
    assert (done["recordings"], done["callbacks"]) == (1, 1)
    session.expire_all()
    assert (task.recording_sid, task.recording_url, task.phone) == (None, None, None)


def test_a_voice_message_twilio_did_not_erase_keeps_its_link_until_it_does(
    session, sessions, tmp_path
):
    """Twilio unreachable: nothing about the message is forgotten (the sid is the only way
    to erase the audio later); the next run erases it and then clears the rest."""
    task = _voice_message(session)
    unreachable = config(
        tmp_path,
        TWILIO_ACCOUNT_SID="AC" + "0123456789abcdef" * 2,
        TWILIO_AUTH_TOKEN="secret-token",
        TWILIO_API_BASE_URL=f"http://127.0.0.1:{free_port()}",  # nobody listens
    )
    done = retention.purge(sessions, unreachable, PAST_CONTACT, make_eraser(unreachable))
    assert done == {}
    session.expire_all()
    assert (task.recording_sid, task.phone) == ("RE" + "ab" * 16, "+32470123456")

    asked: list[str] = []

    def erased(sid: str) -> bool:
        asked.append(sid)
        return True

    done = retention.purge(sessions, unreachable, PAST_CONTACT, erased)
    assert (done["recordings"], done["callbacks"], asked) == (1, 1, ["RE" + "ab" * 16])
    session.expire_all()
    assert (task.recording_sid, task.phone) == (None, None)


def test_a_voice_message_already_gone_at_twilio_counts_as_erased(tmp_path):
    """A 404 from Twilio: erased before (a run cut short between the erasing and the
    commit), so the purge goes on."""

    class NotFound(BaseHTTPRequestHandler):
        def do_DELETE(self) -> None:
            data = b'{"code": 20404, "message": "not found", "status": 404}'
            self.send_response(404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), NotFound)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        zone = config(
            tmp_path,
            TWILIO_ACCOUNT_SID="AC" + "0123456789abcdef" * 2,
            TWILIO_AUTH_TOKEN="secret-token",
            TWILIO_API_BASE_URL=f"http://127.0.0.1:{server.server_port}",
        )
        assert make_eraser(zone)("RE" + "ab" * 16) is True
    finally:
        server.shutdown()
        server.server_close()
