"""A supervisor refuses (cancels) or moves an assistance booking only with a reason, and the
reason reaches both the booking's history and the domain event the office's e-mail is made
from; the moments offered to move it are for its own officers and duration."""

from freezegun import freeze_time
from sqlalchemy import select

from scheduling.enums import BookingStatus, EventKind, Role
from scheduling.models import AuditEntry, DomainEvent
from tests.app.zone_assistance.conftest import WEDNESDAY, at
from tests.app.zone_assistance.helpers import error_of, post, signed_in
from tests.factories import NOW


def _path(booking, action: str = "") -> str:
    return f"/staff/appointments/{booking.id}" + (f"/{action}" if action else "")


@freeze_time(NOW)
def test_refusing_needs_a_reason_which_reaches_the_history_and_the_event(client, session, team):
    booking = team.book(at(WEDNESDAY, 8))
    me = signed_in(client, session, Role.SUPERVISOR)
    refused = post(client, _path(booking, "cancel"), _path(booking), cancel_reason="  ")
    assert refused.status_code == 200
    assert error_of(refused.get_data(as_text=True), "cancel_reason") == (
        "Give the reason for cancelling."
    )
    session.refresh(booking)
    assert booking.status is BookingStatus.CONFIRMED
    reason = "Geen ploeg vrij: voetbalmatch"
    answer = post(client, _path(booking, "cancel"), _path(booking), cancel_reason=reason)
    assert answer.status_code == 302
    session.refresh(booking)
    assert booking.status is BookingStatus.CANCELLED
    entry = session.scalar(
        select(AuditEntry).where(
            AuditEntry.booking_id == booking.id, AuditEntry.action == "cancelled"
        )
    )
    assert entry.actor_id == me.id
    assert entry.details["reason"] == reason
    event = session.scalar(
        select(DomainEvent).where(
            DomainEvent.booking_id == booking.id, DomainEvent.kind == EventKind.CANCELLED_BY_STAFF
        )
    )
    assert event.payload["reason"] == reason


@freeze_time(NOW)
def test_moving_needs_a_reason_which_reaches_the_history_and_the_event(client, session, team):
    booking = team.book(at(WEDNESDAY, 8), officers=2, duration_minutes=60)
    signed_in(client, session, Role.SUPERVISOR)
    later = at(WEDNESDAY, 11).isoformat()
    page = client.get(_path(booking)).get_data(as_text=True)
    assert f'value="{later}"' in page  # 11-12: its own hour, not the service's two
    refused = post(client, _path(booking, "move"), _path(booking), start=later, move_reason="")
    assert (
        error_of(refused.get_data(as_text=True), "move_reason") == "Give the reason for the move."
    )
    reason = "Ploeg pas om elf uur vrij"
    moved = post(client, _path(booking, "move"), _path(booking), start=later, move_reason=reason)
    assert moved.status_code == 302
    session.refresh(booking)
    assert booking.start_at == at(WEDNESDAY, 11)
    assert booking.officers == 2
    entry = session.scalar(
        select(AuditEntry).where(AuditEntry.booking_id == booking.id, AuditEntry.action == "moved")
    )
    assert entry.details["reason"] == reason
    event = session.scalar(
        select(DomainEvent).where(
            DomainEvent.booking_id == booking.id, DomainEvent.kind == EventKind.MOVED
        )
    )
    assert event.payload["reason"] == reason
