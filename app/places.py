"""Where an appointment takes place, in words a citizen understands."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select, union
from sqlalchemy.orm import Session

from scheduling.addresses import Address
from scheduling.enums import LocationKind
from scheduling.models import DistrictStreet, Site, Staff, Street


@dataclass(frozen=True)
class Place:
    title: str  # "Wijkpost Lennik" / "At your home"
    address: str  # one line
    staff_name: str


def location_label(location: str) -> str:
    """Where a booking happens, as the citizen is asked it."""
    if location == LocationKind.OFFICE.value:
        return _("At the police office")
    if location == LocationKind.HOME.value:
        return _("At your home")
    return location


def place_of(
    session: Session, *, location: str, staff_id: int, site_id: int | None, address: Address | None
) -> Place:
    staff = session.get_one(Staff, staff_id)
    if location != LocationKind.OFFICE.value:
        line = f"{address.street} {address.number}, {address.postcode}" if address else ""
        return Place(location_label(location), line, staff.name)
    site = session.get(Site, site_id) if site_id else None
    if site is None:
        return Place(location_label(location), "", staff.name)
    return Place(
        site.name, f"{site.street} {site.number}, {site.postcode} {site.municipality}", staff.name
    )


def zone_streets(session: Session) -> list[str]:
    """Every street name of the zone once, for the browser's suggestions: as the districts
    list them, and in every language the address register names them in."""
    in_register = (
        select(name.label("name")).join(DistrictStreet, DistrictStreet.street_id == Street.id)
        for name in (Street.name_nl, Street.name_fr, Street.name_de)
    )
    names = union(select(DistrictStreet.street.label("name")), *in_register).subquery()
    return list(
        session.scalars(select(names.c.name).where(names.c.name != "").order_by(names.c.name))
    )
