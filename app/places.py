"""Where an appointment takes place, in words a citizen understands."""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select, union
from sqlalchemy.orm import Session

from app.i18n import ZONE_LANGUAGE, language
from scheduling.addresses import Address, canonical, district_for
from scheduling.enums import LocationKind
from scheduling.errors import SchedulingError
from scheduling.models import Availability, DistrictStreet, Site, Staff, Street


@dataclass(frozen=True)
class Place:
    title: str  # "Wijkpost Lennik" / "At your home"
    address: str  # one line
    staff_name: str
    description: str = ""  # an office's access, parking, entrance, in the page's language


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
        line = address_line(session, address) if address else ""
        return Place(location_label(location), line, staff.name)
    site = session.get(Site, site_id) if site_id else None
    if site is None:
        return Place(location_label(location), "", staff.name)
    return Place(site.name, site_address(site), staff.name, site_description(site, language()))


def site_address(site: Site) -> str:
    """``Plaats 10, 1547 Bever``: an office's address on one line."""
    return f"{site.street} {site.number}, {site.postcode} {site.municipality}"


def site_description(site: Site, language: str) -> str:
    """An office's description in ``language``, else in the zone's language, else ""."""
    return site.description.get(language) or site.description.get(ZONE_LANGUAGE, "")


def address_line(session: Session, address: Address) -> str:
    """``Plaats 3, 1547 Bever``: the street as the zone spells it, the postcode with the
    municipality of the district that serves it."""
    try:
        spelled = canonical(session, address)
        municipality = district_for(session, address).municipality
    except SchedulingError:  # no longer served (a district redrawn meanwhile): as typed
        return f"{address.street} {address.number}, {address.postcode}"
    return f"{spelled.street} {spelled.number}, {spelled.postcode} {municipality}"


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


def offices_of(session: Session, staff_ids: list[int], today: date) -> list[Site]:
    """The offices where these people have bookable office moments from ``today`` on: what
    "at the police office" means for this citizen."""
    # Sites by id, not SELECT DISTINCT over their rows: PostgreSQL cannot compare json columns.
    receiving = select(Availability.site_id).where(
        Availability.staff_id.in_(staff_ids),
        Availability.location == LocationKind.OFFICE,
        or_(Availability.valid_until.is_(None), Availability.valid_until >= today),
        or_(Availability.on_date.is_(None), Availability.on_date >= today),
    )
    return list(session.scalars(select(Site).where(Site.id.in_(receiving)).order_by(Site.name)))


def offices_hint(offices: list[Site]) -> str:
    """One office with its address; several by name ("Wijkpost Bever or Politiehuis Halle")."""
    if len(offices) == 1:
        return f"{offices[0].name}, {site_address(offices[0])}"
    return _(" or ").join(site.name for site in offices)
