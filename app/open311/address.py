"""An Open311 ``address_string`` read against the address register: "Kerkstraat 12, 1547
Bever" becomes that register street and house number (with the register's point when it
knows the house), so the report is routed to the wijkagent like one made on the web.
Anything else is kept as the citizen's landmark, for the intake desk to read."""

import re

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.reports.commands import Place
from scheduling.addresses import street_key
from scheduling.models import RegisterAddress, Street

MAX_LENGTH = 300  # as Report.landmark holds it
# "Street 12", "Street 12A", "Street 12 bus 3", then "1755" and optionally the municipality.
_ADDRESS = re.compile(
    r"^\s*(?P<street>[^,\d][^,]*?)\s+(?P<number>\d{1,5}\s?[A-Za-z]{0,2}"
    r"(?:\s*(?:bus|bte|box|/)\s*\w{1,6})?)\s*,\s*(?P<postcode>[1-9]\d{3})(?:\s+[^,]*)?\s*$",
    re.IGNORECASE,
)


def place_of(session: Session, address: str) -> Place:
    """The register street and number of ``address``, else ``address`` as a landmark."""
    match = _ADDRESS.match(address)
    street = _register_street(session, match["street"], match["postcode"]) if match else None
    if match is None or street is None:
        return Place(landmark=address.strip())
    number = match["number"].strip()
    point = session.execute(
        select(RegisterAddress.lat, RegisterAddress.lon).where(
            RegisterAddress.street_id == street,
            RegisterAddress.postcode == match["postcode"],
            RegisterAddress.house_number == re.split(r"\s|/", number)[0].upper(),
        )
    ).first()
    return Place(
        street_id=street,
        house_number=number,
        postcode=match["postcode"],
        lat=point.lat if point else None,
        lon=point.lon if point else None,
    )


def _register_street(session: Session, name: str, postcode: str) -> int | None:
    """The register street of that name (in any language) with a house in ``postcode``."""
    key = street_key(name)
    if not key:
        return None
    return session.scalar(
        select(Street.id)
        .join(RegisterAddress, RegisterAddress.street_id == Street.id)
        .where(
            RegisterAddress.postcode == postcode,
            or_(Street.key_nl == key, Street.key_fr == key, Street.key_de == key),
        )
        .order_by(Street.id)
        .limit(1)
    )
