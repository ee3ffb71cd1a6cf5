"""Moments on the officer's round, as every channel marks them: which village the wijkagent
is already in ("Your wijkagent is in Gooik that morning").

The engine marks a slot ``near`` when the officer has a visit right before or after it in
the same village as the moment itself (``scheduling.slots._fits_round``), so the
neighbouring visit's village is the moment's own: the searched address's village for a home
visit, the office's village for an office moment. The web picker, the phone menu and the
console all read the names here, so they say the same."""

from collections.abc import Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduling import rounds
from scheduling.enums import LocationKind
from scheduling.models import Village
from scheduling.slots import Slot, round_order

NOON = 12  # a local hour from which a moment is "that afternoon"


def villages(session: Session, slots: Iterable[Slot], *, place: int | None) -> dict[Slot, str]:
    """The village name of each near slot (``place``: the village of the home visit searched
    for); a slot whose village has no known name is left out, so it is shown unmarked."""
    near = [s for s in slots if s.near]
    if not near:
        return {}
    names = dict(session.execute(select(Village.id, Village.name)).tuples().all())
    sites = rounds.site_villages(session)
    marks = {}
    for slot in near:
        if slot.location is LocationKind.HOME:
            village = place
        else:
            village = sites.get(slot.site_id) if slot.site_id is not None else None
        if village in names:
            marks[slot] = names[village]
    return marks


def on_round(marks: dict[Slot, str], slots: Sequence[Slot]) -> list[Slot]:
    """The marked moments among ``slots``, in the order every channel offers them."""
    return [s for s in round_order(slots) if s in marks]


def in_village(start: datetime, village: str, zone: ZoneInfo) -> str:
    """The mark on a page: "Your wijkagent is in Gooik that morning"."""
    if _morning(start, zone):
        return _("Your wijkagent is in %(village)s that morning", village=village)
    return _("Your wijkagent is in %(village)s that afternoon", village=village)


def already_in_village(start: datetime, village: str, zone: ZoneInfo) -> str:
    """The sentence the phone menu says after a near moment."""
    if _morning(start, zone):
        return _("Your wijkagent is already in %(village)s that morning.", village=village)
    return _("Your wijkagent is already in %(village)s that afternoon.", village=village)


def _morning(start: datetime, zone: ZoneInfo) -> bool:
    return start.astimezone(zone).hour < NOON
