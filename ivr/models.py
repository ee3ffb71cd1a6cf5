"""The phone side's own table: each call to the blue number."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.models import Base, intpk, utc
from scheduling.types import UTCDateTime


class Call(Base):
    """One call to the blue number: its way through the menu and how it ended (unique per
    Twilio CallSid, so a retried webhook finds the same call)."""

    __tablename__ = "calls"
    __table_args__ = (Index("ix_calls_started", "started_at"),)

    id: Mapped[intpk]
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)
    caller: Mapped[str | None] = mapped_column(String(20))  # E.164; None when withheld
    language: Mapped[str] = mapped_column(String(2), default="nl")
    topic: Mapped[str | None] = mapped_column(String(40))  # chosen before the queue
    path: Mapped[list[str]] = mapped_column(JSON, default=list)  # "menu:1", "appointment:2"...
    # What the caller is in the middle of (the appointment heard, the moments offered).
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_at: Mapped[utc]
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    duration_seconds: Mapped[int | None]
    outcome: Mapped[str | None] = mapped_column(String(40))
