"""Item 5: the call-back list. Tasks from the queue, voicemail and undeliverable SMS; claim,
close with an outcome; none lost, none worked twice (claims race in real transactions)."""

import threading

import pytest
from freezegun import freeze_time
from sqlalchemy.orm import Session

from app.db import make_engine
from app.notify.models import CallbackTask
from callcenter.claims import claim_callback, close_callback, release_callback
from callcenter.models import CallbackWork
from scheduling.enums import CallbackStatus, Role
from tests.bidi import assert_isolated
from tests.callcenter.calls import NOW, NOW_UTC, signed_in
from tests.factories import make_staff
from tests.staff_login import csrf_of

LIST = "/console/callbacks"


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time(NOW) as frozen:
        yield frozen


def _task(session, **kw) -> CallbackTask:
    task = CallbackTask(
        **{
            "reason": "asked to be called back",
            "phone": "+32470123456",
            "created_at": NOW_UTC,
            **kw,
        }
    )
    session.add(task)
    session.flush()
    return task


def _post(client, path: str, **data: str):
    return client.post(path, data={"csrf_token": csrf_of(client, LIST), **data})


def test_the_list_shows_each_kind_of_task(client, session, call_taker):
    _task(session, reason="hung up while waiting (topic: appointment)")
    _task(
        session,
        reason="voice message",
        recording_sid="RE" + "1" * 32,
        recording_url="https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1",
        transcription="Please call me about my neighbour's dog",
    )
    done = _task(session, reason="already done")
    done.status = CallbackStatus.DONE
    session.flush()
    page = client.get(LIST).get_data(as_text=True)
    assert "Hung up while waiting (topic: Appointment)" in page  # in the reader's words
    assert "Download the voice message" in page
    assert "Please call me about my neighbour&#39;s dog" in page
    assert "already done" not in page
    assert page.count(">Claim<") == 2


def test_claim_then_close_with_an_outcome(client, session, call_taker):
    task = _task(session)
    assert _post(client, f"{LIST}/{task.id}/claim").status_code == 302
    session.expire_all()
    assert task.status is CallbackStatus.CLAIMED
    page = client.get(LIST).get_data(as_text=True)
    assert "You are working on this call-back." in page
    _post(client, f"{LIST}/{task.id}/close", outcome="reached", note="Explained")
    session.expire_all()
    assert task.status is CallbackStatus.DONE
    work = session.get(CallbackWork, task.id)
    assert (work.staff_id, work.outcome, work.note, work.closed_at) == (
        call_taker.id,
        "reached",
        "Explained",
        NOW_UTC,
    )
    assert "No call-backs to do." in client.get(LIST).get_data(as_text=True)


def test_a_claimed_task_cannot_be_claimed_or_closed_by_a_colleague(
    app, client, session, call_taker
):
    task = _task(session)
    _post(client, f"{LIST}/{task.id}/claim")
    colleague = app.test_client()
    signed_in(colleague, session, Role.CALL_TAKER)
    answer = colleague.post(
        f"{LIST}/{task.id}/claim",
        data={"csrf_token": csrf_of(colleague, LIST)},
        follow_redirects=True,
    )
    assert "Another call-taker has this call-back already." in answer.get_data(as_text=True)
    answer = colleague.post(
        f"{LIST}/{task.id}/close",
        data={"csrf_token": csrf_of(colleague, LIST), "outcome": "reached"},
        follow_redirects=True,
    )
    assert "not yours to close" in answer.get_data(as_text=True)
    session.expire_all()
    assert task.status is CallbackStatus.CLAIMED
    assert session.get(CallbackWork, task.id).staff_id == call_taker.id


def test_release_puts_it_back_for_anyone(session):
    first, second = (make_staff(session, roles=(Role.CALL_TAKER,)) for _ in range(2))
    task = _task(session)
    assert claim_callback(session, task_id=task.id, staff_id=first.id, now=NOW_UTC)
    assert not release_callback(session, task_id=task.id, staff_id=second.id)
    assert release_callback(session, task_id=task.id, staff_id=first.id)
    assert claim_callback(session, task_id=task.id, staff_id=second.id, now=NOW_UTC)
    assert session.get(CallbackWork, task.id).staff_id == second.id


def test_close_once_and_with_a_known_outcome(session):
    staff = make_staff(session, roles=(Role.CALL_TAKER,))
    task = _task(session)
    claim_callback(session, task_id=task.id, staff_id=staff.id, now=NOW_UTC)
    with pytest.raises(ValueError, match="unknown outcome"):
        close_callback(
            session, task_id=task.id, staff_id=staff.id, outcome="??", note="", now=NOW_UTC
        )
    assert close_callback(
        session, task_id=task.id, staff_id=staff.id, outcome="no_answer", note="", now=NOW_UTC
    )
    assert not close_callback(
        session, task_id=task.id, staff_id=staff.id, outcome="reached", note="", now=NOW_UTC
    )
    assert session.get(CallbackWork, task.id).outcome == "no_answer"
    assert not claim_callback(session, task_id=task.id, staff_id=staff.id, now=NOW_UTC)


def test_an_unknown_outcome_over_http_changes_nothing(client, session, call_taker):
    task = _task(session)
    _post(client, f"{LIST}/{task.id}/claim")
    answer = _post(client, f"{LIST}/{task.id}/close", outcome="gone fishing")
    assert answer.status_code == 302
    session.expire_all()
    assert task.status is CallbackStatus.CLAIMED


def test_what_people_said_or_typed_is_isolated_on_the_list(client, session, call_taker):
    # Stored before the edges refused direction characters: shown isolated all the same.
    _task(session, reason="Bel \u202eterug", transcription="Mijn fiets \u2067is weg")
    page = client.get(LIST).get_data(as_text=True)
    assert_isolated(page, "Bel \u202eterug")
    assert_isolated(page, "Mijn fiets \u2067is weg")


@pytest.mark.parametrize("note", ["Uitgelegd\x00", "Uitgelegd \u202e"])
def test_a_note_with_control_or_direction_characters_closes_nothing(
    client, session, call_taker, note
):
    task = _task(session)
    _post(client, f"{LIST}/{task.id}/claim")
    answer = _post(client, f"{LIST}/{task.id}/close", outcome="reached", note=note)
    assert answer.status_code == 302
    assert "Remove the special characters" in client.get(LIST).get_data(as_text=True)
    session.expire_all()
    assert task.status is CallbackStatus.CLAIMED
    answer = _post(client, f"{LIST}/{task.id}/close", outcome="reached", note="Lijn 1\r\nLijn 2")
    session.expire_all()
    assert task.status is CallbackStatus.DONE


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_call_takers_racing_for_the_list_each_task_once(fresh_database, kind):
    """Eight call-takers in threads, each claiming every task: each task is won once and none
    is left over."""
    engine = make_engine(fresh_database(kind))
    try:
        with Session(engine) as session:
            tasks = [_task(session).id for _ in range(10)]
            takers = [make_staff(session, roles=(Role.CALL_TAKER,)).id for _ in range(8)]
            session.commit()
        barrier = threading.Barrier(len(takers))
        wins: list[tuple[int, int]] = []
        errors: list[BaseException] = []

        def work(staff_id: int) -> None:
            try:
                barrier.wait(timeout=30)
                for task_id in tasks:
                    with Session(engine) as session:
                        if claim_callback(session, task_id=task_id, staff_id=staff_id, now=NOW_UTC):
                            wins.append((task_id, staff_id))
                        session.commit()
            except BaseException as error:  # reported below: a thread's failure must fail the test
                errors.append(error)

        threads = [threading.Thread(target=work, args=(s,)) for s in takers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert sorted(t for t, _ in wins) == sorted(tasks)
        with Session(engine) as session:
            for task_id, staff_id in wins:
                assert session.get(CallbackWork, task_id).staff_id == staff_id
                assert session.get(CallbackTask, task_id).status is CallbackStatus.CLAIMED
    finally:
        engine.dispose()


def test_the_console_lists_my_claimed_call_backs(client, session, call_taker):
    mine, other = _task(session, reason="mine to call"), _task(session, reason="still open")
    _post(client, f"{LIST}/{mine.id}/claim")
    page = client.get("/console").get_data(as_text=True)
    assert "Your call-backs" in page
    assert "mine to call" in page
    assert "still open" not in page
    assert "data-dial" not in page  # the browser phone is not set up here
    assert other.status is CallbackStatus.OPEN
