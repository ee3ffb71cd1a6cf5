"""Need-to-know: who sees a report's content, who triages it (app.reports.access)."""

from types import SimpleNamespace

import pytest

from app.reports.access import may_see, may_triage
from scheduling.enums import Role

ME, SOMEONE_ELSE = 7, 8


def _report(*, sensitive: bool, staff: int | None = None, team: str | None = None):
    category = SimpleNamespace(sensitive=sensitive)
    return SimpleNamespace(category=category, assigned_staff_id=staff, assigned_team=team)


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        (Role.RESTRICTED_TEAM, True),
        (Role.RESTRICTED_LEAD, True),
        (Role.ZONE_CHIEF, True),
        (Role.INTAKE, False),
        (Role.SUPERVISOR, False),
        (Role.ADMIN, False),
        (Role.CALL_TAKER, False),
        (Role.DISTRICT_OFFICER, False),
    ],
)
def test_only_the_restricted_team_and_the_zone_chief_see_a_sensitive_report(role, sees):
    report = _report(sensitive=True, team="restricted")
    assert may_see({role}, ME, report) is sees
    assert may_triage({role}, report) is sees


def test_a_sensitive_report_assigned_to_someone_outside_the_team_stays_hidden_from_them():
    report = _report(sensitive=True, staff=ME)
    assert not may_see({Role.DISTRICT_OFFICER}, ME, report)


def test_an_ordinary_report_is_seen_by_the_desk_and_its_assignee_only():
    report = _report(sensitive=False, staff=ME)
    assert may_see({Role.DISTRICT_OFFICER}, ME, report)
    assert not may_see({Role.DISTRICT_OFFICER}, SOMEONE_ELSE, report)
    assert may_see({Role.INTAKE}, SOMEONE_ELSE, report)
    assert not may_see({Role.ADMIN}, SOMEONE_ELSE, report)
    assert not may_triage({Role.DISTRICT_OFFICER}, report)  # the assignee works it, the desk routes
