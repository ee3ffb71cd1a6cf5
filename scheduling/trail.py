"""The trace every change leaves: an audit entry, and a domain event when someone must be told."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from scheduling.enums import ActorKind, Channel, EventKind
from scheduling.models import AuditEntry, Booking, DomainEvent


@dataclass(frozen=True)
class Actor:
    """Who acts, and through which channel."""

    kind: ActorKind
    channel: Channel
    id: int | None = None

    @classmethod
    def citizen(cls, channel: Channel) -> "Actor":
        return cls(ActorKind.CITIZEN, channel)

    @classmethod
    def staff(cls, staff_id: int, channel: Channel = Channel.STAFF) -> "Actor":
        return cls(ActorKind.STAFF, channel, staff_id)

    @classmethod
    def system(cls, channel: Channel = Channel.SYSTEM) -> "Actor":
        return cls(ActorKind.SYSTEM, channel)


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    booking: Booking,
    now: datetime,
    details: dict[str, Any] | None = None,
    event: EventKind | None = None,
) -> None:
    """Write the audit entry (always) and the domain event (when given) for a booking change."""
    session.add(
        AuditEntry(
            at=now,
            actor_kind=actor.kind,
            actor_id=actor.id,
            channel=actor.channel,
            action=action,
            booking_id=booking.id,
            details=details or {},
        )
    )
    if event is not None:
        session.add(
            DomainEvent(
                at=now,
                kind=event,
                booking_id=booking.id,
                payload={
                    "actor": actor.kind.value,
                    "channel": actor.channel.value,
                    **(details or {}),
                },
            )
        )


def note(
    session: Session, *, actor: Actor, action: str, now: datetime, details: dict[str, Any]
) -> None:
    """Write the audit entry of a change that is not a booking's (an absence, a staff record)."""
    session.add(
        AuditEntry(
            at=now,
            actor_kind=actor.kind,
            actor_id=actor.id,
            channel=actor.channel,
            action=action,
            booking_id=None,
            details=details,
        )
    )
