"""Who may manage Blauwlijn is decided on the admin page, never by a GALOP import or push.

GALOP's key sits in another system; whoever holds it must not be able to make anyone a
supervisor, admin or reader of sensitive reports, nor take those roles away (docs/galop.md, "Supervisors and admins").
``guard`` takes out of a roster row what would: the import applies the rest.
"""

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduling.enums import Role
from scheduling.models import Staff, StaffRole

# And the roles that read sensitive reports: only the admin grants need-to-know.
PRIVILEGED = frozenset(
    {Role.SUPERVISOR, Role.ADMIN, Role.RESTRICTED_TEAM, Role.RESTRICTED_LEAD, Role.ZONE_CHIEF}
)


def guard(session: Session, values: dict[str, Any], staff: Staff | None) -> list[str]:
    """Adjust ``values`` (a roster row's fields to apply to ``staff``, None for a new member)
    so that no supervisor or admin right is given or taken; return what was refused:
    ``grant:<role>``, ``revoke:<role>``, ``activate`` (a supervisor or admin switched off on
    the admin page stays off) and ``deactivate`` (only for the last active admin: someone
    who left is switched off, but the zone is never left without an admin)."""
    had = staff.role_set & PRIVILEGED if staff is not None else frozenset()
    refused: list[str] = []
    if "roles" in values:
        asked = set(values["roles"]) & PRIVILEGED
        refused += [f"grant:{role}" for role in sorted(asked - had)]
        refused += [f"revoke:{role}" for role in sorted(had - asked)]
        values["roles"] = [r for r in values["roles"] if r not in PRIVILEGED] + sorted(had)
    if staff is not None and had and "active" in values and values["active"] != staff.active:
        if values["active"]:
            refused.append("activate")
            del values["active"]
        elif Role.ADMIN in had and not _other_active_admin(session, staff):
            refused.append("deactivate")
            del values["active"]
    return refused


def _other_active_admin(session: Session, staff: Staff) -> bool:
    others = (
        select(func.count())
        .select_from(StaffRole)
        .join(Staff, Staff.id == StaffRole.staff_id)
        .where(StaffRole.role == Role.ADMIN, Staff.active.is_(True), Staff.id != staff.id)
    )
    return bool(session.scalar(others))


def describe(number: str, refusal: str) -> str:
    """One refusal as the import command reports it."""
    what, _, role = refusal.partition(":")
    words = {
        "grant": f"not made {role}",
        "revoke": f"keeps {role}",
        "activate": "stays inactive",
        "deactivate": "stays active (the last admin)",
    }
    return f"{number}: {words[what]}"
