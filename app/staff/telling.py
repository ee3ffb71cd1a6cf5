"""Who hears of a cancellation or a move made on the staff pages, and what the staff member
is told to do: a citizen with a mobile number gets an SMS (app.notify), one with a landline
must be called (the booking pages promised them a call), a bailiff office gets an e-mail
with the staff member's reason (app.notify, from the same domain event).

Each message is one whole sentence per case, so a translator sees it whole and the staff
member reads it wholly in their own language (never an English piece glued to a Dutch one).
"""

from enum import Enum

from flask_babel import gettext as _

from app.phone import is_mobile, national
from scheduling.models import Booking


class Told(Enum):
    SMS = "sms"  # the worker texts the citizen
    CALL = "call"  # a landline: the staff member calls
    BAILIFF = "bailiff"  # the office gets an e-mail, with the reason


def told(booking: Booking) -> Told:
    if booking.bailiff_account_id is not None:
        return Told.BAILIFF
    return Told.SMS if is_mobile(booking.citizen_phone) else Told.CALL


def cancelled(booking: Booking) -> str:
    """The flash after cancelling."""
    match told(booking):
        case Told.SMS:
            return _("The appointment is cancelled. The citizen gets an SMS with your reason.")
        case Told.CALL:
            return _(
                "The appointment is cancelled. The citizen's number takes no SMS: call them "
                "on %(phone)s to tell them.",
                phone=national(booking.citizen_phone),
            )
        case Told.BAILIFF:
            return _(
                "The assistance is cancelled. The bailiff office gets an e-mail with your reason."
            )


def moved(booking: Booking, when: str) -> str:
    """The flash after moving to ``when`` (day and time, in the staff member's language)."""
    match told(booking):
        case Told.SMS:
            return _("The appointment is moved to %(when)s. The citizen gets an SMS.", when=when)
        case Told.CALL:
            return _(
                "The appointment is moved to %(when)s. The citizen's number takes no SMS: "
                "call them on %(phone)s to tell them.",
                when=when,
                phone=national(booking.citizen_phone),
            )
        case Told.BAILIFF:
            return _(
                "The assistance is moved to %(when)s. The bailiff office gets an e-mail with "
                "the new moment and your reason.",
                when=when,
            )


def cancel_hint(booking: Booking, reason_max: int) -> str:
    """Under the reason for cancelling: who reads it."""
    match told(booking):
        case Told.SMS:
            return _(
                "The citizen gets it by SMS, with a link to book again. At most %(length)d "
                "characters.",
                length=reason_max,
            )
        case Told.CALL:
            return _call_hint(booking)
        case Told.BAILIFF:
            return _(
                "Required: the bailiff office gets it by e-mail. At most %(length)d characters.",
                length=reason_max,
            )


def move_hint(booking: Booking) -> str:
    """Under the reason for a move: who reads it."""
    match told(booking):
        case Told.SMS:
            return _("Kept in the history. The citizen gets an SMS with the new moment.")
        case Told.CALL:
            return _call_hint(booking)
        case Told.BAILIFF:
            return _("Required: the bailiff office gets it by e-mail, with the new moment.")


def _call_hint(booking: Booking) -> str:
    return _(
        "Kept in the history. The citizen's number takes no SMS: call them on %(phone)s.",
        phone=national(booking.citizen_phone),
    )
