"""What a call-taker chooses when booking for a caller, besides the moment: the police
office or a home visit, which office, which officer (when the caller's address has more
than one: the wijkagent and their stand-in, or a team), and how each moment is read out."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from app.places import offices_of
from scheduling.eligibility import Staffing
from scheduling.enums import LocationKind
from scheduling.models import Service, Site, Staff
from scheduling.slots import Slot

# On the phone a call-taker books at an office or at the caller's home (not a bailiff's site).
BY_PHONE = (LocationKind.OFFICE, LocationKind.HOME)


@dataclass(frozen=True)
class BookingOptions:
    locations: list[LocationKind]
    offices: list[Site] = field(default_factory=list)  # offered as a choice when more than one
    officers: list[Staff] = field(default_factory=list)  # idem


def booking_options(
    session: Session, service: Service, staffing: Staffing | None, today: date
) -> BookingOptions:
    """The choices for ``service``; offices and officers once the address gave ``staffing``."""
    locations = [kind for kind in BY_PHONE if kind.value in service.locations]
    if staffing is None:
        return BookingOptions(locations)
    officers = [session.get_one(Staff, staff_id) for staff_id in staffing]
    return BookingOptions(locations, offices_of(session, list(staffing), today), officers)


class MomentLabels:
    """Where and with whom a moment is, as the call-taker reads it out: "Wijkpost Bever,
    Geert Demol" or "home visit, Geert Demol"."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def __call__(self, slot: Slot) -> str:
        site = self.session.get(Site, slot.site_id) if slot.site_id else None
        place = site.name if site else _("home visit")
        names = ", ".join(self.session.get_one(Staff, i).name for i in slot.staff_ids)
        return f"{place}, {names}"
