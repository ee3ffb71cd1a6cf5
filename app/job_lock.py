"""One worker at a time per job, so a zone may run several worker processes (docs/operations.md).

Every worker has the same schedule. A job that looks at whole tables (the offers of freed
moments, the reminders, the purges, the capacity count) takes a PostgreSQL advisory lock named
after it for its run; a worker that finds the lock taken skips that run: another one is doing
it, and the next run comes soon. The lock lives on a connection of its own, so it is released
when the job ends, fails, or its process dies (the connection closes). The SMS job takes
none: its claims skip rows another worker holds, so two workers share the sending.

SQLite is one machine with one worker (it serialises writers anyway): nothing to take.
"""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for ``name`` (PostgreSQL's advisory locks take a bigint)."""
    digest = hashlib.sha256(f"blauwlijn-job:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def only_one(engine: Engine, name: str) -> Iterator[bool]:
    """Yields True when this process may run job ``name`` now, False when another holds it.

    A transaction-level lock, held by a transaction that stays open (and does nothing else)
    while the job runs: it works through PgBouncer's transaction pooling too, and READ
    COMMITTED keeps no snapshot between statements, so it holds back no vacuum."""
    if engine.dialect.name != "postgresql":
        yield True
        return
    with engine.connect() as conn:
        lock = text("SELECT pg_try_advisory_xact_lock(:key)")
        try:
            yield bool(conn.scalar(lock, {"key": lock_key(name)}))
        finally:
            conn.rollback()  # ends the transaction, and with it the lock
