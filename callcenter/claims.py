"""Taking a waiting caller and claiming a call-back task: each can be won by one call-taker
only, whatever the timing (one INSERT or conditional UPDATE the database decides)."""

from datetime import datetime
from typing import cast

from sqlalchemy import Table, literal_column, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.db import rowcount
from app.notify.models import CallbackTask
from callcenter.models import CallbackWork, TakenCall
from callcenter.waiting import QUEUED
from ivr.models import Call
from scheduling.enums import CallbackStatus

CALLBACK_OUTCOMES = ("reached", "no_answer", "wrong_number", "resolved_otherwise")


def _insert_once(session: Session, table: Table, **values: object) -> bool:
    """INSERT unless the primary key exists (concurrent inserts: PostgreSQL makes the second
    wait for the first and then do nothing; SQLite serialises writers)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(table).values(**values).on_conflict_do_nothing()
    # RETURNING, not rowcount: psycopg reports no rowcount for an INSERT ... ON CONFLICT.
    return session.execute(statement.returning(literal_column("1"))).first() is not None


def take_call(session: Session, *, call: Call, staff_id: int, now: datetime) -> bool:
    """Whether ``staff_id`` won the waiting ``call`` (False: taken already, or gone)."""
    if call.outcome != QUEUED or call.ended_at is not None:
        return False
    won = _insert_once(
        session,
        cast(Table, TakenCall.__table__),  # declared as any FromClause; a Table here
        call_id=call.id,
        staff_id=staff_id,
        taken_at=now,
        on_hold=False,
    )
    session.flush()
    return won


def _move(session: Session, task_id: int, from_: CallbackStatus, to: CallbackStatus) -> bool:
    """One UPDATE from one status to the next: of two racing call-takers, one moves it."""
    result = session.execute(
        update(CallbackTask)
        .where(CallbackTask.id == task_id, CallbackTask.status == from_)
        .values(status=to)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result) == 1


def claim_callback(session: Session, *, task_id: int, staff_id: int, now: datetime) -> bool:
    """Whether ``staff_id`` won the open call-back task (False: someone else has it, or done)."""
    if not _move(session, task_id, CallbackStatus.OPEN, CallbackStatus.CLAIMED):
        return False
    work = session.get(CallbackWork, task_id)
    if work is None:
        session.add(CallbackWork(task_id=task_id, staff_id=staff_id, claimed_at=now))
    else:  # released earlier by someone else: this call-taker has it now
        work.staff_id, work.claimed_at = staff_id, now
    session.flush()
    return True


def release_callback(session: Session, *, task_id: int, staff_id: int) -> bool:
    """Put a claimed task back on the list (only its claimer can)."""
    work = session.get(CallbackWork, task_id)
    if work is None or work.staff_id != staff_id or work.closed_at is not None:
        return False
    moved = _move(session, task_id, CallbackStatus.CLAIMED, CallbackStatus.OPEN)
    session.flush()
    return moved


def close_callback(
    session: Session, *, task_id: int, staff_id: int, outcome: str, note: str, now: datetime
) -> bool:
    """Close the task its claimer worked, with an outcome (once: a second close does nothing)."""
    if outcome not in CALLBACK_OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    work = session.get(CallbackWork, task_id)
    if work is None or work.staff_id != staff_id or work.closed_at is not None:
        return False
    if not _move(session, task_id, CallbackStatus.CLAIMED, CallbackStatus.DONE):
        return False
    work.closed_at, work.outcome, work.note = now, outcome, note.strip()[:2000] or None
    session.flush()
    return True
