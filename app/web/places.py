"""Where an appointment takes place, in words a citizen understands."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduling.addresses import Address
from scheduling.enums import LocationKind
from scheduling.models import DistrictStreet, Site, Staff


@dataclass(frozen=True)
class Place:
    title: str  # "Wijkpost Lennik" / "At your home"
    address: str  # one line
    staff_name: str


def place_of(
    session: Session, *, location: str, staff_id: int, site_id: int | None, address: Address | None
) -> Place:
    staff = session.get_one(Staff, staff_id)
    if location != LocationKind.OFFICE.value:
        line = f"{address.street} {address.number}, {address.postcode}" if address else ""
        return Place(_("At your home"), line, staff.name)
    site = session.get(Site, site_id) if site_id else None
    if site is None:
        return Place(_("At the police office"), "", staff.name)
    return Place(
        site.name, f"{site.street} {site.number}, {site.postcode} {site.municipality}", staff.name
    )


def zone_streets(session: Session) -> list[str]:
    """Every street name of the zone once, for the browser's suggestions."""
    return list(
        session.scalars(select(DistrictStreet.street).distinct().order_by(DistrictStreet.street))
    )
