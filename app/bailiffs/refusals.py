"""The engine's refusals, in the user's language next to the field they are about (the
engine names the field in English; the office reads its own language)."""

from flask_babel import gettext as _

from app.forms import Form
from scheduling.errors import AddressNotInZone, SchedulingError, SlotUnavailable


def engine_error(form: Form, error: SchedulingError) -> None:
    """Put ``error`` next to the field of ``form`` it is about."""
    field = error.field or ""
    if isinstance(error, AddressNotInZone) or field in ("postcode", "street", "number"):
        form.errors["street"] = _(
            "This address is not in our zone: the police zone where it lies assists there. "
            "Check the street and postcode."
        )
    elif field == "officers":
        form.errors["officers"] = _("More officers than the zone can send for assistance.")
    elif field == "duration_minutes":
        form.errors["duration_minutes"] = _("Longer than the zone gives assistance for.")
    elif field == "first_day":
        form.errors["first_day"] = _("The window cannot start in the past.")
    elif field == "last_day":
        form.errors["last_day"] = _("Choose a shorter window.")
    elif field == "execution_kind":
        form.errors["execution_kind"] = _("Choose the kind of execution.")
    elif field == "file_reference":
        form.errors["file_reference"] = _("Give your office's file reference.")
    elif field == "notes":
        form.errors["notes"] = _("The notes are too long.")
    elif isinstance(error, SlotUnavailable):
        form.errors["start"] = _("This moment is no longer free. Choose another one.")
    else:
        form.errors["start"] = _("The zone's rules do not allow this moment. Choose another one.")
