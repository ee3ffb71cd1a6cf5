"""Several worker processes: each whole-table job runs in one of them at a time (app.job_lock),
the SMS job in all of them (its claims skip what another holds)."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from app.job_lock import lock_key, only_one
from app.worker import alone, build_scheduler


@contextmanager
def held_elsewhere(engine, name: str) -> Iterator[list[bool]]:
    """Job ``name`` running in another thread with its own connection, as another worker
    process would run it, until the block ends; yields [whether that one got the lock]."""
    started, release = threading.Event(), threading.Event()
    got: list[bool] = []

    def run() -> None:
        with only_one(engine, name) as mine:
            got.append(mine)
            started.set()
            release.wait(10)

    holder = threading.Thread(target=run)
    holder.start()
    try:
        assert started.wait(10)
        yield got
    finally:
        release.set()
        holder.join(10)


def test_a_job_held_by_one_worker_is_skipped_by_the_other(engine, postgres_only):
    """Two connections, as two processes would have: while the first runs the job, the
    second skips it; after the first ends, the next run is the second's."""
    with held_elsewhere(engine, "earlier_offers") as first:
        assert first == [True]
        with only_one(engine, "earlier_offers") as mine:
            assert not mine  # the first still holds it
        with only_one(engine, "report_reminders") as other:
            assert other  # another job's lock is another lock
    with only_one(engine, "earlier_offers") as mine:
        assert mine  # released when the first one's run ended


def test_a_job_that_fails_releases_its_lock(engine, postgres_only):
    try:
        with only_one(engine, "purge_personal_data") as mine:
            assert mine
            raise RuntimeError("the job broke")
    except RuntimeError:
        pass
    with only_one(engine, "purge_personal_data") as mine:
        assert mine


def test_alone_runs_the_job_only_when_no_other_worker_does(app, postgres_only):
    engine = app.extensions["db_engine"]
    ran: list[int] = []
    with held_elsewhere(engine, "report_reminders") as other:
        assert other == [True]
        alone(app, "report_reminders", ran.append, 1)
    alone(app, "report_reminders", ran.append, 2)
    engine.dispose()  # the app's own pool (its requests here use the test's connection)
    assert ran == [2]


def test_every_job_but_the_sms_job_runs_alone(app):
    jobs = build_scheduler(app).get_jobs()
    assert {job.id for job in jobs if job.func is not alone} == {"sms"}
    assert all(job.args[1] == job.id for job in jobs if job.func is alone)


def test_lock_keys_are_stable_and_distinct():
    assert lock_key("sms") == lock_key("sms")
    assert lock_key("earlier_offers") != lock_key("report_reminders")
    assert -(2**63) <= lock_key("earlier_offers") < 2**63
