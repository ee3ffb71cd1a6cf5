"""Streets a keypad can name: the zone's streets of a postcode that have a house number,
found by the first letters of their name keyed as for a text message (2 = A B C, 3 = D E F
... 9 = W X Y Z), in the district's spelling or any name the address register gives them
(Kerkstraat and Rue de l'Église in Bever). What a caller chooses from them is a real zone
street, never one guessed for them."""

import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduling.addresses import house_number
from scheduling.errors import SchedulingError
from scheduling.models import DistrictStreet, Street

KEYPAD = {
    letter: str(key)
    for key, letters in enumerate(("abc", "def", "ghi", "jkl", "mno", "pqrs", "tuv", "wxyz"), 2)
    for letter in letters
}


def keypad_digits(name: str) -> str:
    """The keys that spell ``name``'s letters: "Rue de l'Église" → "7833335474743"."""
    plain = unicodedata.normalize("NFKD", name)
    return "".join(KEYPAD.get(c, "") for c in plain.casefold())


def streets_by_keys(session: Session, postcode: str, number: str, keys: str) -> list[str]:
    """The names of the zone's streets in ``postcode`` that have house ``number`` and whose
    name begins with ``keys`` (one per district street, in order)."""
    try:
        wanted = house_number(number)
    except SchedulingError:
        return []
    rows = session.execute(
        select(DistrictStreet, Street)
        .outerjoin(Street, DistrictStreet.street_id == Street.id)
        .where(DistrictStreet.postcode == postcode)
        .order_by(DistrictStreet.street, DistrictStreet.id)
    ).tuples()
    found: dict[str, None] = {}
    for row, street in rows:
        if not row.covers(wanted):
            continue
        names = [row.street, *((street.name_nl, street.name_fr, street.name_de) if street else ())]
        name = next((n for n in names if n and keypad_digits(n).startswith(keys)), None)
        if name is not None:
            found.setdefault(name)
    return sorted(found)
