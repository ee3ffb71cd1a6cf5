"""Which register street a district street is: its name in any official language, with an
address in its postcode, and only one such street (two candidates stay unlinked, as the
import leaves them: a wrong link would send citizens to the wrong officer)."""

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from scheduling.models import RegisterAddress, Street


def register_street(session: Session, postcode: str, key: str) -> int | None:
    """The id of the one register street named ``key`` (scheduling.addresses.street_key) in
    any language with an address in ``postcode``; None when the register has none or several.
    The same rule as ``app.addresses.importer.link_district_streets``, for one street."""
    if not key:
        return None
    found = session.scalars(
        select(Street.id)
        .join(RegisterAddress, RegisterAddress.street_id == Street.id)
        .where(
            RegisterAddress.postcode == postcode,
            or_(Street.key_nl == key, Street.key_fr == key, Street.key_de == key),
        )
        .distinct()
        .limit(2)
    ).all()
    return found[0] if len(found) == 1 else None
