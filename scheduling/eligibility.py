"""Who may be booked for a service: the district officer, a team member, or the inviting handler."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduling.addresses import Address, district_for
from scheduling.enums import LocationKind, ServedBy
from scheduling.errors import InvalidRequest, NotAllowed, NotFound
from scheduling.models import Invitation, Service, Staff
from scheduling.rounds import village_of


@dataclass(frozen=True)
class Who:
    """The request's facts that decide who can be booked."""

    address: Address | None = None
    invitation_code: str | None = None
    staff_id: int | None = None  # narrows the search to one person


def service_by_code(session: Session, code: str) -> Service:
    service = session.scalar(select(Service).where(Service.code == code))
    if service is None:
        raise NotFound(f"No service {code!r}.", field="service")
    return service


def check_location(service: Service, location: LocationKind | None) -> None:
    if location is not None and location.value not in service.locations:
        raise InvalidRequest(
            f"{service.code} is not offered at location {location.value!r}.", field="location"
        )


def valid_invitation(session: Session, code: str, service: Service, now: datetime) -> Invitation:
    invitation = session.scalar(select(Invitation).where(Invitation.code == code.strip()))
    if invitation is None or invitation.service_id != service.id:
        raise NotFound("Unknown invitation code.", field="invitation_code")
    if not invitation.valid_from <= now <= invitation.valid_until:
        raise NotAllowed("This invitation is not valid now.", field="invitation_code")
    return invitation


class Staffing(list[int]):
    """The ids of the staff whose moments a request may see or book, ``covers``: a
    district's stand-in → its wijkagent, whose moments count only while they are absent, and
    ``place``: the village of the address a home visit goes to (``scheduling.rounds``)."""

    def __init__(
        self,
        ids: Iterable[int],
        covers: Mapping[int, int] | None = None,
        place: int | None = None,
    ) -> None:
        super().__init__(ids)
        self.covers = {s: o for s, o in (covers or {}).items() if s in self}
        self.place = place


def eligible_staff(session: Session, service: Service, who: Who, now: datetime) -> Staffing:
    """Who this request may see or book (see ``Staffing``)."""
    covers: dict[int, int] = {}
    place = None
    match service.served_by:
        case ServedBy.DISTRICT_OFFICER:
            if who.address is None:
                raise InvalidRequest(
                    "An address is needed to find your wijkagent.", field="address"
                )
            district = district_for(session, who.address)
            ids = [district.officer_id]
            if district.standin_id is not None and district.standin_id != district.officer_id:
                ids.append(district.standin_id)
                covers[district.standin_id] = district.officer_id
            if LocationKind.HOME.value in service.locations:
                place = village_of(session, who.address)
        case ServedBy.TEAM:
            ids = [s.id for s in service.team if s.active]
        case ServedBy.INVITED_STAFF:
            if not who.invitation_code:
                raise InvalidRequest(
                    "This service needs an invitation code.", field="invitation_code"
                )
            ids = [valid_invitation(session, who.invitation_code, service, now).staff_id]
    if who.staff_id is not None:
        if session.get(Staff, who.staff_id) is None:
            raise NotFound("No such staff member.", field="staff")
        ids = [i for i in ids if i == who.staff_id]
        if not ids:
            raise InvalidRequest("This staff member does not serve this request.", field="staff")
    return Staffing(ids, covers, place)
