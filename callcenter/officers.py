"""The officers a call-taker can put a caller through to (the console's Transfer)."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduling.enums import Role
from scheduling.models import Staff, StaffRole

OFFICER_ROLES = (Role.DISTRICT_OFFICER, Role.CASE_HANDLER, Role.WEAPONS_SERVICE)


def transfer_targets(session: Session, first: list[int]) -> list[Staff]:
    """Officers a caller can be put through to: active, with a phone number; the staff of
    ``first`` (the caller's appointments) at the top, then by name."""
    officers = session.scalars(
        select(Staff)
        .where(
            Staff.active,
            Staff.phone.is_not(None),
            Staff.id.in_(select(StaffRole.staff_id).where(StaffRole.role.in_(OFFICER_ROLES))),
        )
        .order_by(Staff.name)
    ).all()
    return sorted(officers, key=lambda o: o.id not in first)
