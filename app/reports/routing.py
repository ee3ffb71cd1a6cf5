"""Who handles a new report: the team its category names, else the wijkagent of its address
(the booking engine's district lookup), else nobody yet — the intake queue triages it."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from scheduling.addresses import Address, district_for
from scheduling.errors import AddressNotInZone, InvalidRequest


@dataclass(frozen=True)
class Assignment:
    staff_id: int | None = None
    team: str | None = None

    @property
    def intake(self) -> bool:
        """Nobody yet: the intake queue assigns it."""
        return self.staff_id is None and self.team is None


INTAKE = Assignment()


def route(session: Session, *, handled_by: str | None, address: Address | None) -> Assignment:
    """A category's team wins over the address (a sensitive phenomenon never goes to the
    wijkagent); an address outside the zone, or none, leaves it to the intake queue."""
    if handled_by:
        return Assignment(team=handled_by)
    if address is None:
        return INTAKE
    try:
        district = district_for(session, address)
    except (AddressNotInZone, InvalidRequest):
        return INTAKE
    return Assignment(staff_id=district.officer_id)
