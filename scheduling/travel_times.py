"""The zone's villages and the travel times between them, as the admin keeps them
(/staff/admin/villages): add or change a village, save the travel grid.

Each write here changes ``villages`` or ``village_travel``, which are schedule tables
(``scheduling.models.SCHEDULE_TABLES``): their triggers bump the schedule version in the same
transaction, so the API's slot cache never serves moments planned on the old travel. The
functions flush, never commit."""

from collections.abc import Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduling.models import Village, VillageTravel

Pair = tuple[int, int]  # (from village, to village)
MAX_MINUTES = 240  # the table's check constraint


def travel_minutes(session: Session) -> dict[Pair, int]:
    """Every known drive, in minutes."""
    rows = session.execute(
        select(VillageTravel.from_village_id, VillageTravel.to_village_id, VillageTravel.minutes)
    ).tuples()
    return {(a, b): m for a, b, m in rows}


def save_travel(session: Session, entered: Mapping[Pair, int | None]) -> dict[Pair, int | None]:
    """Store the grid as entered (None: no time known, the longest drive counts). A pair whose
    minutes changed takes them, and so does the way back unless it was changed too: one
    drive for both ways unless the zone enters both. What changed, both ways included."""
    known = travel_minutes(session)
    changed = {pair: m for pair, m in entered.items() if known.get(pair) != m}
    saved = dict(changed)
    for (a, b), m in changed.items():
        if (b, a) not in changed and known.get((b, a)) != m:
            saved[(b, a)] = m
    for (a, b), m in saved.items():
        row = session.get(VillageTravel, (a, b))
        if m is None:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(VillageTravel(from_village_id=a, to_village_id=b, minutes=m))
        else:
            row.minutes = m
    session.flush()
    return saved


def add_village(session: Session, *, name: str, postcode: str, lat: float, lon: float) -> Village:
    village = Village(name=name, postcode=postcode, lat=lat, lon=lon)
    session.add(village)
    session.flush()
    return village


def name_taken(session: Session, name: str, *, other_than: int | None = None) -> bool:
    """Whether another village already has this name (names are unique, any case)."""
    query = select(Village.id).where(func.lower(Village.name) == name.lower())
    if other_than is not None:
        query = query.where(Village.id != other_than)
    return session.scalar(query.limit(1)) is not None
