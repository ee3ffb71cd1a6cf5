"""What an office sees of its bookings: the status (and who changed it: the office or the
police zone, with the zone's reason), the history, the officers. Never a staff member's
name unless the zone allows it (BAILIFF_SHOW_OFFICER_NAMES), never a citizen's data: an
assistance booking holds none, and the history shows only the office's own people."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import current
from app.assistance.models import AssistanceDetails, OfficeApiToken, OfficeUser
from app.notify.messages import SYSTEM_REASONS
from app.places import address_line
from scheduling.addresses import Address
from scheduling.enums import ActorKind, BookingStatus
from scheduling.models import AuditEntry, Booking, Reservation, Staff

CHANGES = ("booked", "moved", "cancelled", "reassigned", "done", "no_show")


@dataclass(frozen=True)
class Step:
    at: datetime
    what: str
    who: str
    reason: str


@dataclass(frozen=True)
class Shown:
    booking: Booking
    details: AssistanceDetails | None
    address: str
    status: str
    reason: str  # the zone's reason for cancelling or moving, or ""
    officer_names: list[str]

    @property
    def live(self) -> bool:
        return self.booking.status is BookingStatus.CONFIRMED


def history(session: Session, booking: Booking) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.booking_id == booking.id, AuditEntry.action.in_(CHANGES))
            .order_by(AuditEntry.at, AuditEntry.id)
        )
    )


def shown(session: Session, booking: Booking, *, entries: list[AuditEntry] | None = None) -> Shown:
    entries = history(session, booking) if entries is None else entries
    status, reason = _status(booking, entries)
    return Shown(
        booking=booking,
        details=session.get(AssistanceDetails, booking.id),
        address=address_line(session, _address(booking)),
        status=status,
        reason=reason,
        officer_names=officer_names(session, booking),
    )


def shown_all(session: Session, bookings: Sequence[Booking]) -> list[Shown]:
    """``shown`` for a list (the office's page, its feed): the histories and details in one
    query each, each address line once, not a handful of queries per booking."""
    ids = [b.id for b in bookings]
    entries: dict[int, list[AuditEntry]] = defaultdict(list)
    for entry in session.scalars(
        select(AuditEntry)
        .where(AuditEntry.booking_id.in_(ids), AuditEntry.action.in_(CHANGES))
        .order_by(AuditEntry.at, AuditEntry.id)
    ):
        entries[entry.booking_id or 0].append(entry)
    details = {
        d.booking_id: d
        for d in session.scalars(
            select(AssistanceDetails).where(AssistanceDetails.booking_id.in_(ids))
        )
    }
    lines: dict[Address, str] = {}
    out = []
    for booking in bookings:
        where = _address(booking)
        if where not in lines:
            lines[where] = address_line(session, where)
        status, reason = _status(booking, entries[booking.id])
        out.append(
            Shown(
                booking=booking,
                details=details.get(booking.id),
                address=lines[where],
                status=status,
                reason=reason,
                officer_names=officer_names(session, booking),
            )
        )
    return out


def officer_names(session: Session, booking: Booking) -> list[str]:
    """The officers going, only when the zone allows offices to see them."""
    if not current.config().bailiff_show_officer_names:
        return []
    reserved = select(Reservation.staff_id).where(Reservation.booking_id == booking.id)
    return list(
        session.scalars(select(Staff.name).where(Staff.id.in_(reserved)).order_by(Staff.name))
    )


def steps(session: Session, booking: Booking, entries: list[AuditEntry]) -> list[Step]:
    """The booking's history as the office reads it."""
    return [
        Step(entry.at, _what(entry.action), _who(session, booking, entry), _reason(entry))
        for entry in entries
    ]


def _status(booking: Booking, entries: list[AuditEntry]) -> tuple[str, str]:
    last_cancel = next((e for e in reversed(entries) if e.action == "cancelled"), None)
    if booking.status is BookingStatus.CANCELLED:
        if last_cancel is not None and last_cancel.actor_kind is not ActorKind.BAILIFF:
            return _("Cancelled by the police zone"), in_words(booking.cancel_reason or "")
        return _("Cancelled by your office"), ""
    if booking.status in (BookingStatus.DONE, BookingStatus.NO_SHOW):
        return _("Done"), ""
    last_move = next((e for e in reversed(entries) if e.action == "moved"), None)
    if last_move is None:
        return _("Confirmed"), ""
    if last_move.actor_kind is ActorKind.BAILIFF:
        return _("Moved by your office"), ""
    return _("Moved by the police zone"), _reason(last_move)


def _what(action: str) -> str:
    return {
        "booked": _("Booked"),
        "moved": _("Moved"),
        "cancelled": _("Cancelled"),
        "reassigned": _("Another officer goes"),
        "done": _("Done"),
        "no_show": _("Done"),
    }.get(action, action)


def _who(session: Session, booking: Booking, entry: AuditEntry) -> str:
    """Someone of the office by name, its case software by token name, or the police zone
    (a staff member's name is the zone's, never shown here)."""
    if entry.actor_kind is not ActorKind.BAILIFF:
        return _("The police zone")
    user_id = entry.details.get("office_user_id")
    user = session.get(OfficeUser, user_id) if isinstance(user_id, int) else None
    if user is not None and user.office_id == booking.bailiff_account_id:
        return user.name
    token_id = entry.details.get("api_token_id")
    token = session.get(OfficeApiToken, token_id) if isinstance(token_id, int) else None
    if token is not None and token.office_id == booking.bailiff_account_id:
        return _("Your case software (%(name)s)", name=token.name)
    return _("Your office")


def _reason(entry: AuditEntry) -> str:
    reason = entry.details.get("reason")
    return in_words(reason) if isinstance(reason, str) else ""


def in_words(reason: str) -> str:
    """A staff member's reason as written; the engine's own (an absence) in the user's
    language."""
    return str(SYSTEM_REASONS.get(reason, reason))


def _address(booking: Booking) -> Address:
    return Address(
        booking.address_postcode or "", booking.address_street or "", booking.address_number or ""
    )
