"""The capacity rule page: saving re-counts the rule in the same transaction (a moment the
new rule leaves no room for is refused at once; a booking already above it is kept and
listed), each wrong field refused next to it, and who may open it."""

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from scheduling.enums import BookingStatus, Role
from scheduling.errors import SlotUnavailable
from scheduling.models import AssistanceCapacityRule, AssistanceClosedDay, AuditEntry
from tests.app.zone_assistance.conftest import WEDNESDAY, at
from tests.app.zone_assistance.helpers import NOT_MANAGERS, error_of, page, post, signed_in
from tests.factories import NOW

PATH = "/staff/admin/assistance-capacity"
WEDNESDAY_8_TO_12 = {
    "rule-0-day": "2",
    "rule-0-starts": "08:00",
    "rule-0-ends": "12:00",
    "rule-0-officers": "2",
}


@freeze_time(NOW)
def test_saving_recounts_a_booking_beyond_the_new_rule_is_refused_one_above_it_kept(
    client, session, team
):
    kept = team.book(at(WEDNESDAY, 8))  # two officers under the factory's rule of ten
    signed_in(client, session, Role.SUPERVISOR)
    answer = post(client, PATH, **{**WEDNESDAY_8_TO_12, "rule-0-officers": "1", "action": "save"})
    assert answer.status_code == 302
    rule = session.scalars(select(AssistanceCapacityRule)).all()
    assert [(r.weekday, r.officers) for r in rule] == [(2, 1)]
    entry = session.scalar(
        select(AuditEntry).where(AuditEntry.action == "assistance_capacity_updated")
    )
    assert entry.details == {"lines": 1, "closed_days": 0}
    session.refresh(kept)
    assert kept.status is BookingStatus.CONFIRMED  # booked under the old rule: kept
    shown = page(client, PATH)
    assert "Booked above the rule" in shown
    assert f"/staff/appointments/{kept.id}" in shown
    with pytest.raises(SlotUnavailable):  # the new rule gives one officer: none for two
        team.book(at(WEDNESDAY, 10), file_reference="DW/2026/0043")


@freeze_time(NOW)
def test_a_closed_day_takes_all_assistance_that_day(client, session, team):
    signed_in(client, session, Role.ADMIN)
    data = {
        **WEDNESDAY_8_TO_12,
        "closed-0-day": WEDNESDAY.isoformat(),
        "closed-0-reason": "Voetbalmatch",
        "action": "save",
    }
    assert post(client, PATH, **data).status_code == 302
    closed = session.scalar(select(AssistanceClosedDay))
    assert (closed.day, closed.reason) == (WEDNESDAY, "Voetbalmatch")
    with pytest.raises(SlotUnavailable):
        team.book(at(WEDNESDAY, 8))
    assert "Voetbalmatch" in page(client, PATH)


@freeze_time(NOW)
def test_adding_and_removing_rows_changes_nothing_stored(client, session, team):
    signed_in(client, session, Role.SUPERVISOR)
    added = post(client, PATH, **{**WEDNESDAY_8_TO_12, "action": "add_rule"})
    assert 'name="rule-1-day"' in added.get_data(as_text=True)
    removed = post(
        client, PATH, **{**WEDNESDAY_8_TO_12, "rule-0-remove": "1", "action": "add_closed"}
    )
    html = removed.get_data(as_text=True)
    assert 'name="rule-0-day"' not in html
    assert 'name="closed-0-day"' in html
    assert len(session.scalars(select(AssistanceCapacityRule)).all()) == 7  # the factory's


@freeze_time(NOW)
@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("rule-0-day", "7", "Choose a day."),
        ("rule-0-starts", "8 o'clock", "Enter a time like 08:00."),
        ("rule-0-starts", "08:10", "Choose a time on the quarter hour"),
        ("rule-0-ends", "07:00", "The end must come after the start."),
        ("rule-0-officers", "", "Enter a number."),
        ("rule-0-officers", "two", "Enter a whole number"),
        ("rule-0-officers", "51", "Enter a number from 0 to 50."),
        ("closed-0-day", "31/02/2027", "Enter a date like"),
        ("closed-0-day", "2026-11-30", "This day has passed"),
        ("closed-0-reason", "Match\u202e", "Remove the special characters"),
        ("closed-0-reason", "x" * 201, "Keep this to 200 characters."),
    ],
)
def test_each_wrong_field_is_refused_next_to_it(client, session, team, field, value, error):
    signed_in(client, session, Role.SUPERVISOR)
    data = {**WEDNESDAY_8_TO_12, "closed-0-day": "2026-12-24", "closed-0-reason": "Kerstmarkt"}
    answer = post(client, PATH, **{**data, field: value, "action": "save"})
    assert answer.status_code == 200
    assert error in error_of(answer.get_data(as_text=True), field)
    assert session.scalar(select(AssistanceClosedDay)) is None  # nothing written


@freeze_time(NOW)
def test_the_page_says_the_rule_comes_on_top_of_the_officers_moments(client, session):
    signed_in(client, session, Role.SUPERVISOR)
    assert "this rule comes on top of the officers' own bookable moments" in page(client, PATH)


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_others_get_the_403_page(client, session, role):
    signed_in(client, session, role)
    assert client.get(PATH).status_code == 403
