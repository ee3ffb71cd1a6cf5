"""A call-taker registers a report or a question for a caller from the caller panel: the
reporting point's commands with channel phone and the call-taker as actor, the citizen told
as on the web, the number shown to read out; errors next to the field; one report per form
however often it is sent; an hourly limit per call-taker."""

import re

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app import ratelimit
from app.reports import telling
from app.reports.enums import CategoryKind, ReportActor, ReportChannel, ReportEventKind
from app.reports.models import Report
from callcenter import report_for_caller
from scheduling.enums import Role
from tests.app.reports.factories import make_category
from tests.callcenter.calls import NOW, signed_in, taken_call
from tests.staff_login import csrf_of

CALLER = "+32470123456"


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time(NOW) as frozen:
        yield frozen


@pytest.fixture
def taken(session, call_taker):
    return taken_call(session, call_taker, caller=CALLER)


@pytest.fixture
def dumping(session):
    return make_category(session, names={"nl": "Sluikstort", "fr": "Dépôt", "en": "Dumping"})


@pytest.fixture
def told(monkeypatch):
    calls = []
    monkeypatch.setattr(
        telling, "received", lambda session, submitted, **kw: calls.append(submitted)
    )
    return calls


def _panel(client, taken) -> str:
    return client.get(f"/console/calls/{taken.call_id}").get_data(as_text=True)


def _key(html: str) -> str:
    found = re.search(r'name="report_key" value="([^"]+)"', html)
    assert found
    return found.group(1)


def _post(client, taken, **fields):
    html = _panel(client, taken)
    data = {
        "csrf_token": csrf_of(client, "/console"),
        "report_key": _key(html),
        "report_phone": "0470 12 34 56",
        **fields,
    }
    return client.post(f"/console/calls/{taken.call_id}/report", data=data)


def test_the_panel_offers_the_form_with_the_callers_number(client, session, taken, dumping):
    html = _panel(client, taken)
    assert "Register a report" in html
    assert f'<option value="{dumping.code}"' in html
    assert (
        'id="report_phone" name="report_phone" type="text" autocomplete="off" value="0470 12 34 56"'
        in html
    )


def test_a_report_is_registered_for_the_caller(client, session, taken, dumping, call_taker, told):
    answer = _post(
        client,
        taken,
        report_category=dumping.code,
        report_description="Zakken afval aan de glasbol",
        report_street="Plaats",
        report_number="3",
        report_postcode="1547",
    )
    assert answer.status_code == 302
    report = session.scalars(select(Report)).one()
    assert report.channel is ReportChannel.PHONE
    assert report.language == "nl"  # the call's language
    assert report.reporter_phone == CALLER
    assert (report.street_name, report.house_number, report.postcode) == ("Plaats", "3", "1547")
    submitted = report.events[0]
    assert submitted.kind is ReportEventKind.SUBMITTED
    assert (submitted.actor_kind, submitted.actor_id) == (ReportActor.STAFF, call_taker.id)
    assert [s.report.id for s in told] == [report.id]
    html = client.get(answer.location).get_data(as_text=True)
    assert f"Registered as {report.number}. Read the number out to the caller." in html


def test_a_question_gets_its_answer_date(client, session, taken, told):
    question = make_category(session, kind=CategoryKind.QUESTION)
    answer = _post(
        client, taken, report_category=question.code, report_description="Waar haal ik..."
    )
    assert answer.status_code == 302
    report = session.scalars(select(Report)).one()
    assert report.number.startswith("V-")
    assert report.due_at is not None


def test_an_anonymous_report_without_a_number(client, session, taken, dumping, told):
    answer = _post(
        client,
        taken,
        report_category=dumping.code,
        report_description="Lawaai",
        report_landmark="Parking achter de kerk",
        report_phone="",
    )
    assert answer.status_code == 302
    report = session.scalars(select(Report)).one()
    assert report.reporter_phone is None
    assert report.landmark == "Parking achter de kerk"


def test_errors_stand_next_to_their_field_and_what_was_typed_stays(
    client, session, taken, dumping, told
):
    answer = _post(
        client,
        taken,
        report_category=dumping.code,
        report_description="",
        report_phone="12",
        report_street="Plaats",
    )
    assert answer.status_code == 400
    html = answer.get_data(as_text=True)
    assert 'id="report_description-error"' in html
    assert 'id="report_phone-error"' in html
    assert 'id="report_postcode-error"' in html
    assert 'value="Plaats"' in html
    assert session.scalar(select(Report)) is None
    assert told == []


def test_a_category_that_needs_the_caller_says_so_at_the_name(client, session, taken, told):
    named = make_category(session, anonymous_allowed=False)
    answer = _post(
        client, taken, report_category=named.code, report_description="Vraag", report_phone=""
    )
    assert answer.status_code == 400
    assert 'id="report_name-error"' in answer.get_data(as_text=True)


def test_a_lost_object_needs_its_kind(client, session, taken, told):
    lost = make_category(session, kind=CategoryKind.LOST)
    answer = _post(client, taken, report_category=lost.code, report_description="Verloren")
    assert answer.status_code == 400
    assert 'id="report_object_type-error"' in answer.get_data(as_text=True)


def test_the_same_form_twice_makes_one_report(client, session, taken, dumping, told):
    html = _panel(client, taken)
    data = {
        "csrf_token": csrf_of(client, "/console"),
        "report_key": _key(html),
        "report_category": dumping.code,
        "report_description": "Twee keer geklikt",
    }
    path = f"/console/calls/{taken.call_id}/report"
    assert client.post(path, data=data).status_code == 302
    assert client.post(path, data=data).status_code == 302
    assert len(session.scalars(select(Report)).all()) == 1


def test_a_call_taker_is_limited_per_hour(client, session, taken, dumping, told, monkeypatch):
    monkeypatch.setitem(ratelimit.LIMITS, "report-console-staff", 1)
    fields = {"report_category": dumping.code, "report_description": "Eén"}
    assert _post(client, taken, **fields).status_code == 302
    assert _post(client, taken, **fields).status_code == 429


def test_another_call_takers_call_is_refused(client, session, dumping, told):
    other = signed_in(client, session, Role.CALL_TAKER)
    someone = signed_in(client.application.test_client(), session, Role.CALL_TAKER)
    theirs = taken_call(session, someone, caller=CALLER)
    assert other.id != someone.id
    answer = client.post(
        f"/console/calls/{theirs.call_id}/report",
        data={
            "csrf_token": csrf_of(client, "/console"),
            "report_key": "k" * 32,
            "report_category": dumping.code,
            "report_description": "x",
        },
    )
    assert answer.status_code == 403
    assert session.scalar(select(Report)) is None


def test_two_clicks_at_the_same_instant_make_one_report(
    client, session, taken, dumping, told, monkeypatch
):
    """The second click passes the check before the first one's row exists: the key's
    uniqueness stops it, and it answers with the first one's number (never a 500)."""
    html = _panel(client, taken)
    data = {
        "csrf_token": csrf_of(client, "/console"),
        "report_key": _key(html),
        "report_category": dumping.code,
        "report_description": "Tegelijk geklikt",
    }
    path = f"/console/calls/{taken.call_id}/report"
    assert client.post(path, data=data).status_code == 302
    real = report_for_caller.registered_with
    seen: list[str] = []

    def not_yet_the_first_time(key: str) -> str | None:
        seen.append(key)
        return None if len(seen) == 1 else real(key)

    monkeypatch.setattr(report_for_caller, "registered_with", not_yet_the_first_time)
    answer = client.post(path, data=data)
    assert answer.status_code == 302
    assert len(seen) == 2
    assert len(session.scalars(select(Report)).all()) == 1
    number = session.scalars(select(Report.number)).one()
    assert number in client.get(answer.location).get_data(as_text=True)
