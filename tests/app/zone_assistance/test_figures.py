"""The bailiff-assistance figures: hours (clock and officer-hours) of what was not cancelled,
cancellations by the office and by the zone, late ones (inside the cut-off, the clock
frozen either side of it), the year filter, the CSV with its formula guard, and access."""

import csv
import io
from datetime import datetime

import pytest
from freezegun import freeze_time

from app import commands
from app.assistance import commands as assistance
from scheduling.enums import Channel, Role
from scheduling.trail import Actor
from tests.app.zone_assistance.conftest import WEDNESDAY, at
from tests.app.zone_assistance.helpers import NOT_MANAGERS, page, signed_in
from tests.factories import NOW, make_staff

PATH = "/staff/bailiff-assistance/figures"
# The service's cut-off (tests.factories.make_service): 120 minutes before the start.
OUTSIDE_CUTOFF = "2026-12-02T07:59:00Z"  # 08:59 in Brussels: 121 minutes before 11:00
INSIDE_CUTOFF = "2026-12-02T08:01:00Z"  # 09:01: 119 minutes before 11:00


@pytest.fixture
def booked(session, team):
    """Wednesday: 08–10 kept (two officers), 10–11 cancelled by the office the day before,
    and 11–12, returned for the zone to cancel (on the office's call, or refusing it)."""
    with freeze_time(NOW):
        team.book(at(WEDNESDAY, 8))
        by_office = team.book(at(WEDNESDAY, 10), duration_minutes=60, file_reference="DW/2")
        who = assistance.OfficeActor(team.office, Channel.API, token_id=1)
        assistance.cancel(session, by_office, who=who, now=by_office.created_at, reason=None)
        late = team.book(at(WEDNESDAY, 11), duration_minutes=60, file_reference="DW/3")
    return late


def _cancel_by_staff(session, booking, when: str) -> None:
    supervisor = make_staff(session, roles=(Role.SUPERVISOR,))
    with freeze_time(when):
        commands.cancel(
            session,
            booking,
            actor=Actor.staff(supervisor.id, Channel.STAFF),
            now=datetime.fromisoformat(when),
            reason="Kantoor belde: schuldenaar vertrokken",
        )


def _csv(client, year: int = 2026) -> list[dict[str, str]]:
    answer = client.get(f"{PATH}.csv?year={year}")
    assert answer.status_code == 200
    assert answer.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))


@pytest.mark.parametrize(("when", "late"), [(OUTSIDE_CUTOFF, "0"), (INSIDE_CUTOFF, "1")])
def test_hours_cancellations_and_late_ones_per_office_and_month(
    client, session, team, booked, when, late
):
    _cancel_by_staff(session, booked, when)
    with freeze_time(NOW):
        signed_in(client, session, Role.SUPERVISOR)
        (row,) = _csv(client)
    assert row == {
        "office": "Deurwaarders Van Damme",
        "month": "2026-12",
        "bookings": "3",
        "clock_hours": "2.0",  # only the kept 08–10
        "officer_hours": "4.0",  # two officers
        "cancelled_by_office": "1",
        "cancelled_by_zone": "1",
        "late_cancellations": late,
    }


@freeze_time(NOW)
def test_the_page_shows_the_year_asked_for(client, session, team, booked):
    signed_in(client, session, Role.ADMIN)
    shown = page(client, PATH)
    assert "Deurwaarders Van Damme" in shown
    assert "december 2026" in shown.lower()
    assert "No bailiff assistance in 2025." in page(client, f"{PATH}?year=2025")
    assert _csv(client, 2025) == []
    for wrong in ("26", "twenty", "1999", "9999"):
        assert client.get(f"{PATH}?year={wrong}").status_code == 400


@freeze_time(NOW)
def test_the_csv_shows_a_formula_as_text(client, session, team):
    team.office.name = '=HYPERLINK("http://evil.example")'
    team.book(at(WEDNESDAY, 8))
    signed_in(client, session, Role.SUPERVISOR)
    (row,) = _csv(client)
    assert row["office"] == '\'=HYPERLINK("http://evil.example")'


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_others_get_the_403_page(client, session, role):
    signed_in(client, session, role)
    assert client.get(PATH).status_code == 403
    assert client.get(f"{PATH}.csv").status_code == 403
