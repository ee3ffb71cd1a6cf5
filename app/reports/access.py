"""Who may see and handle which report: need-to-know, as pure rules over a staff member's
roles (the staff pages check them; docs/reports.md explains the choice).

- The **intake desk** (``INTAKE``), supervisors and the zone chief see and handle every
  report and question that is not sensitive; an assignee sees and handles what is theirs
  (a wijkagent the reports of their district).
- A **sensitive** report's content is seen only by the restricted team (``RESTRICTED_TEAM``,
  ``RESTRICTED_LEAD``) and the zone chief — not by admins, supervisors, call-takers or the
  intake desk, who see only that one arrived and its number.
- The restricted team's lead and the zone chief read the access log; supervisors and the
  zone chief read the overview (sensitive reports there only as counts).
"""

from collections.abc import Set

from app.reports.models import Report
from scheduling.enums import Role

RESTRICTED_TEAM = "restricted"  # the team code sensitive categories name
# A team code a category's ``handled_by`` names → the roles whose holders are that team.
TEAMS: dict[str, frozenset[Role]] = {
    RESTRICTED_TEAM: frozenset({Role.RESTRICTED_TEAM, Role.RESTRICTED_LEAD}),
}
DESK = frozenset({Role.INTAKE, Role.SUPERVISOR, Role.ZONE_CHIEF})
SENSITIVE_READERS = frozenset({Role.RESTRICTED_TEAM, Role.RESTRICTED_LEAD, Role.ZONE_CHIEF})
ACCESS_LOG_READERS = frozenset({Role.RESTRICTED_LEAD, Role.ZONE_CHIEF})
OVERVIEW_READERS = frozenset({Role.SUPERVISOR, Role.ZONE_CHIEF})
# Who opens the queue at all (the intake desk's page, and the restricted team's own cases).
QUEUE_READERS = DESK | SENSITIVE_READERS


def in_team(roles: Set[Role], team: str | None) -> bool:
    return team is not None and bool(TEAMS.get(team, frozenset()) & roles)


def may_see(roles: Set[Role], staff_id: int, report: Report) -> bool:
    """The case's content (reporter, description, photos, history)."""
    if report.category.sensitive:
        return bool(roles & SENSITIVE_READERS)
    return (
        bool(roles & DESK)
        or report.assigned_staff_id == staff_id
        or in_team(roles, report.assigned_team)
    )


def may_handle(roles: Set[Role], staff_id: int, report: Report) -> bool:
    """Triage, notes, public updates, closing: whoever may see the case may work on it."""
    return may_see(roles, staff_id, report)


def may_triage(roles: Set[Role], report: Report) -> bool:
    """Change the category or the assignee, merge, forward: the desk, or for a sensitive
    report the restricted team."""
    if report.category.sensitive:
        return bool(roles & SENSITIVE_READERS)
    return bool(roles & DESK)
