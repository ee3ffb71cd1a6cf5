"""Who is the wijkagent of an address: district lookup by postcode, street and house number."""

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from scheduling.errors import AddressNotInZone, InvalidRequest
from scheduling.models import District, DistrictStreet, Street

_NUMBER = re.compile(r"^\s*(\d{1,5})\s*([A-Za-z]{0,2})?\s*(?:(?:bus|bte|box|/)\s*\w{1,6})?\s*$")
_STREET_SUFFIXES = (("straat", "str"), ("steenweg", "stwg"), ("laan", "ln"))


@dataclass(frozen=True)
class Address:
    postcode: str
    street: str
    number: str


def street_key(street: str) -> str:
    """A street name reduced for matching: no accents, case, punctuation or spacing,
    and common abbreviations ("str.", "stwg.") read as the full word."""
    plain = unicodedata.normalize("NFKD", street)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    plain = re.sub(r"[^a-z0-9]", "", plain)
    for full, short in _STREET_SUFFIXES:
        if plain.endswith(short) and not plain.endswith(full):
            plain = plain[: -len(short)] + full
    return plain


def house_number(number: str) -> int:
    """The numeric part of a Belgian house number ("12", "12A", "12 bus 3")."""
    match = _NUMBER.match(number)
    if not match:
        raise InvalidRequest("Not a house number.", field="number")
    return int(match.group(1))


def check_in_zone(session: Session, address: Address) -> None:
    """AddressNotInZone (or InvalidRequest for a malformed one) unless the zone serves it."""
    _street_row(session, address)


def district_for(session: Session, address: Address) -> District:
    """The district that serves this address, or AddressNotInZone."""
    row, _ = _street_row(session, address)
    return session.get_one(District, row.district_id)


def canonical(session: Session, address: Address) -> Address:
    """The address as the zone spells it ("plaats 1" → "Plaats 1"), for an officer's round:
    in the language the citizen typed it when the register names the street in it
    ("rue de l'eglise" → "Rue de l'Église"), otherwise as the district lists it."""
    row, street = _street_row(session, address)
    key = street_key(address.street)
    names = street_names(street) if street else ()
    name = next((name for k, name in names if k == key), row.street)
    return Address(row.postcode, name, address.number.strip())


def street_names(street: Street) -> tuple[tuple[str, str], ...]:
    """(key, name) of each language the register names the street in: nl, fr, de."""
    pairs = (
        (street.key_nl, street.name_nl),
        (street.key_fr, street.name_fr),
        (street.key_de, street.name_de),
    )
    return tuple((key, name) for key, name in pairs if name)


def _street_row(session: Session, address: Address) -> tuple[DistrictStreet, Street | None]:
    """The district street of this address, with its register street if it has one.

    One query: the district streets of the postcode whose own name matches, or whose
    register street has the name in any language (Kerkstraat / Rue de l'Église)."""
    if not re.fullmatch(r"\d{4}", address.postcode.strip()):
        raise InvalidRequest("A Belgian postcode has four digits.", field="postcode")
    key = street_key(address.street)
    if not key:
        raise InvalidRequest("Give a street name.", field="street")
    number = house_number(address.number)
    rows = session.execute(
        select(DistrictStreet, Street)
        .outerjoin(Street, DistrictStreet.street_id == Street.id)
        .where(
            DistrictStreet.postcode == address.postcode.strip(),
            or_(
                DistrictStreet.street_key == key,
                Street.key_nl == key,
                Street.key_fr == key,
                Street.key_de == key,
            ),
        )
        .order_by(DistrictStreet.id)
    ).tuples()
    for row, street in rows:
        if row.covers(number):
            return row, street
    raise AddressNotInZone("This address is not served by the zone.", field="street")
