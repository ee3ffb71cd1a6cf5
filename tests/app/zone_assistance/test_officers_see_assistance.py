"""Officers read an assistance booking before they go: the office, the file, the kind, the
colleagues going together, how long, and the risk answers with a yes flagged — in the
agenda list, on the day sheet and on the appointment's page, the colleague's too."""

from datetime import datetime

from freezegun import freeze_time

from app.assistance.commands import OfficeActor, Risks
from app.assistance.models import OfficeUser
from scheduling.enums import Channel
from tests.app.zone_assistance.conftest import WEDNESDAY, at
from tests.app.zone_assistance.helpers import page
from tests.factories import NOW, make_credential
from tests.staff_login import sign_in

AGENDA = f"/staff/agenda?day={WEDNESDAY.isoformat()}"


def _as(client, session, staff) -> None:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    make_credential(session, staff)
    sign_in(client, staff)


@freeze_time(NOW)
def test_the_agenda_shows_the_assistance_with_its_risks_flagged(client, session, team):
    booking = team.book(
        at(WEDNESDAY, 8),
        risks=Risks(dogs=True, interpreter_needed=True),
        notes="Twee honden in de tuin.",
    )
    _as(client, session, team.second)  # the colleague reserved alongside the lead
    agenda = page(client, AGENDA)
    assert "Take care: Dogs, Interpreter needed." in agenda
    assert "Deurwaarders Van Damme" in agenda
    assert "DW/2026/0042" in agenda
    assert "Eviction" in agenda
    assert "Inspecteur Dewaele, Inspecteur Lemmens" in agenda
    assert "120 minutes" in agenda
    assert "Twee honden in de tuin." in agenda
    shown = page(client, f"/staff/appointments/{booking.id}")
    assert "Known aggression: No" in shown
    assert "Dogs: <strong>Yes</strong>" in shown
    assert "Take care: Dogs, Interpreter needed." in shown
    sheet = page(client, f"/staff/agenda/day-sheet?day={WEDNESDAY.isoformat()}")
    assert "Take care: Dogs, Interpreter needed." in sheet


@freeze_time(NOW)
def test_without_a_yes_the_agenda_says_no_risk_was_reported(client, session, team):
    team.book(at(WEDNESDAY, 8))
    _as(client, session, team.lead)
    agenda = page(client, AGENDA)
    assert "No risk reported by the office." in agenda
    assert "Take care" not in agenda


@freeze_time(NOW)
def test_a_citizens_appointment_shows_no_assistance_facts(client, session, team):
    _as(client, session, team.lead)
    assert "Bailiff office" not in page(client, AGENDA)


@freeze_time(NOW)
def test_the_history_names_the_office_user_who_booked(client, session, team):
    user = OfficeUser(
        office_id=team.office.id,
        email="griet@vandamme.example.be",
        name="Griet Van Damme",
        created_at=datetime.fromisoformat(NOW),
    )
    session.add(user)
    session.flush()
    who = OfficeActor(team.office, Channel.WEB, user=user)
    booking = team.book(at(WEDNESDAY, 8), who=who)
    _as(client, session, team.lead)
    shown = page(client, f"/staff/appointments/{booking.id}")
    assert "Griet Van Damme (Deurwaarders Van Damme)" in shown
