"""The console's own records: which call-taker took which waiting caller (and the wrap-up),
and who works which call-back task (and how it ended).

Separate tables, so a claim is one INSERT that the database lets only one call-taker win
(the primary key is the call or the task); the IVR's ``calls`` row stays the IVR's.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.notify.models import CallbackTask
from ivr.models import Call
from scheduling.enums import PresenceStatus
from scheduling.models import Base, Staff, enum_column, utc
from scheduling.types import UTCDateTime


class TakenCall(Base):
    """A waiting caller a call-taker took from the queue, and the wrap-up of that call."""

    __tablename__ = "console_calls"
    __table_args__ = (Index("ix_console_calls_staff", "staff_id", "taken_at"),)

    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    taken_at: Mapped[utc]
    on_hold: Mapped[bool] = mapped_column(default=False)
    # The officer the call-taker put the caller through to (the console's Transfer).
    transferred_to_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    category: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(String(2000))
    wrapped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    call: Mapped[Call] = relationship()
    staff: Mapped[Staff] = relationship(foreign_keys=[staff_id])
    transferred_to: Mapped[Staff | None] = relationship(foreign_keys=[transferred_to_id])


class CallbackWork(Base):
    """Who claimed a call-back task, and the outcome they closed it with."""

    __tablename__ = "console_callbacks"
    __table_args__ = (Index("ix_console_callbacks_staff", "staff_id", "claimed_at"),)

    task_id: Mapped[int] = mapped_column(ForeignKey("callback_tasks.id"), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    claimed_at: Mapped[utc]
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(String(2000))

    task: Mapped[CallbackTask] = relationship()
    staff: Mapped[Staff] = relationship()


class CallTakerPresence(Base):
    """Whether a call-taker can take a call now; the blue number queues callers only while
    someone is available (callcenter.presence)."""

    __tablename__ = "calltaker_presence"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    status: Mapped[PresenceStatus] = mapped_column(enum_column(PresenceStatus))
    updated_at: Mapped[utc]
