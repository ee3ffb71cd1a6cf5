"""What officers read of a bailiff-assistance booking before they go: the office, its file
reference and kind of execution, the colleagues going together, how long, and the risk
answers, a yes flagged (app.assistance.models.AssistanceDetails). Shown in the agenda, on
the day sheet and on the appointment's page; fetched for a whole list in a few queries."""

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.assistance.models import AssistanceDetails
from app.db import get_session
from app.i18n import language
from scheduling.models import BailiffAccount, Booking, Reservation, Staff

RISKS: dict[str, LazyString] = {
    "known_aggression": _l("Known aggression"),
    "weapons": _l("Weapons"),
    "dogs": _l("Dogs"),
    "vulnerable_persons": _l("Vulnerable persons present"),
    "interpreter_needed": _l("Interpreter needed"),
}


@dataclass(frozen=True)
class Risk:
    label: str
    yes: bool


@dataclass(frozen=True)
class Assistance:
    office: str
    file_reference: str
    kind: str
    officers: list[str]  # names: the officers are colleagues
    duration_minutes: int
    risks: list[Risk]
    notes: str

    @property
    def flagged(self) -> list[str]:
        """The risks answered yes: what the officers must not miss."""
        return [r.label for r in self.risks if r.yes]


def assistance_of(bookings: list[Booking]) -> dict[int, Assistance]:
    """By booking id, what each assistance booking among ``bookings`` carries."""
    ids = [b.id for b in bookings if b.bailiff_account_id is not None]
    if not ids:
        return {}
    session = get_session()
    details = {
        d.booking_id: d
        for d in session.scalars(
            select(AssistanceDetails).where(AssistanceDetails.booking_id.in_(ids))
        )
    }
    offices = dict(
        session.execute(
            select(BailiffAccount.id, BailiffAccount.name).where(
                BailiffAccount.id.in_({b.bailiff_account_id for b in bookings})
            )
        )
        .tuples()
        .all()
    )
    together: dict[int, list[str]] = defaultdict(list)
    rows = session.execute(
        select(Reservation.booking_id, Staff.name)
        .join(Staff, Staff.id == Reservation.staff_id)
        .where(Reservation.booking_id.in_(ids))
        .order_by(Staff.name)
    )
    for booking_id, name in rows.tuples():
        together[booking_id].append(name)
    lang = language()
    shown = {}
    for booking in bookings:
        if booking.bailiff_account_id is None:
            continue
        found = details.get(booking.id)
        shown[booking.id] = Assistance(
            office=offices.get(booking.bailiff_account_id, booking.citizen_name),
            file_reference=found.file_reference if found else (booking.topic or ""),
            kind=found.execution_kind.name(lang) if found else "",
            # A cancelled booking holds no reservations any more: its lead officer is left.
            officers=together.get(booking.id) or [booking.staff.name],
            duration_minutes=int((booking.end_at - booking.start_at).total_seconds() // 60),
            risks=[
                Risk(str(label), bool(found and getattr(found, name)))
                for name, label in RISKS.items()
            ],
            notes=found.notes if found else "",
        )
    return shown
