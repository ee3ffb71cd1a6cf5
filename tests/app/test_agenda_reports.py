"""The "Reports for you" panel on an officer's own agenda: their open, non-sensitive reports
and questions with number, category, street, age and due date, linking to the case."""

from datetime import timedelta

import pytest
from freezegun import freeze_time

from app.reports import commands
from app.reports.commands import Place
from scheduling.enums import Role
from tests.app.reports.factories import NOW, make_category, submit
from tests.factories import make_staff
from tests.staff_login import sign_in_as


@pytest.fixture
def frozen():
    with freeze_time(NOW) as clock:
        yield clock


def _assigned(session, category, staff, **kw):
    report = submit(session, category, now=NOW - timedelta(days=3), **kw)
    commands.triage(session, report, actor=commands.SYSTEM, now=NOW, staff_id=staff.id)
    return report


def test_an_officer_sees_their_open_reports_beside_the_agenda(client, session, frozen):
    me = sign_in_as(client, session, Role.DISTRICT_OFFICER)
    colleague = make_staff(session)
    dumping = make_category(session, names={"nl": "Sluikstort", "fr": "Dépôt", "en": "Dumping"})
    secret = make_category(session, sensitive=True)
    place = Place(street_name="Kerkstraat", house_number="4", postcode="1547", municipality="Bever")
    mine = _assigned(session, dumping, me, place=place)
    closed = _assigned(session, dumping, me)
    commands.close_with_message(session, closed, "Opgeruimd.", actor=commands.SYSTEM, now=NOW)
    hidden = _assigned(session, secret, me)
    theirs = _assigned(session, dumping, colleague)

    html = client.get("/staff/agenda?lang=en").get_data(as_text=True)

    assert "Reports for you" in html
    assert mine.number in html
    assert f'href="/staff/reports/{mine.id}"' in html
    assert "Dumping" in html
    assert "Kerkstraat, Bever" in html
    assert "3 days" in html
    for other in (closed, hidden, theirs):
        assert other.number not in html


def test_without_reports_the_panel_says_so(client, session, frozen):
    sign_in_as(client, session, Role.DISTRICT_OFFICER)
    html = client.get("/staff/agenda?lang=en").get_data(as_text=True)
    assert "No open reports are assigned to you." in html


def test_a_manager_looking_at_everyones_agenda_gets_no_panel(client, session, frozen):
    sign_in_as(client, session, Role.SUPERVISOR)
    html = client.get("/staff/agenda?staff=all&lang=en").get_data(as_text=True)
    assert "Reports for you" not in html
