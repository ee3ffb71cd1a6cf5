"""The request form of the portal (request, and the window of a move): read into an
``AssistanceRequest`` and a search window, each refusal next to its field in the user's
language, and what was typed kept for re-showing the form."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from app.assistance.commands import FILE_REFERENCE_MAX, NOTES_MAX, AssistanceRequest, Risks
from app.assistance.models import AssistanceDetails
from app.forms import Form
from app.i18n import local
from app.values import parse_date
from scheduling.addresses import Address, district_for
from scheduling.errors import SchedulingError
from scheduling.models import Booking, Service
from scheduling.slots import MAX_SEARCH_DAYS

ADDRESS = ("postcode", "street", "number")
RISKS = ("known_aggression", "weapons", "dogs", "vulnerable_persons", "interpreter_needed")
WINDOW = ("first_day", "last_day")
FIELDS = (
    *ADDRESS,
    "file_reference",
    "execution_kind",
    "duration_minutes",
    "officers",
    *RISKS,
    "notes",
    *WINDOW,
)
DEFAULT_WINDOW = timedelta(weeks=4)
QUARTER = 15


@dataclass(frozen=True)
class Window:
    first_day: date
    last_day: date


def first_allowed_day(service: Service, now: datetime) -> date:
    """The first day the service's notice leaves a moment on."""
    return local(now + timedelta(minutes=service.min_notice_minutes)).date()


def window_defaults(service: Service, now: datetime) -> dict[str, str]:
    first = first_allowed_day(service, now)
    return {"first_day": first.isoformat(), "last_day": (first + DEFAULT_WINDOW).isoformat()}


def blank(service: Service, now: datetime) -> Form:
    """The empty form: the service's officers and duration, the first four weeks."""
    return Form(
        {
            "officers": str(service.staff_required),
            "duration_minutes": str(service.duration_minutes),
            **window_defaults(service, now),
        }
    )


def durations(service: Service) -> list[int]:
    """The durations offered, in quarter hours up to the service's maximum."""
    longest = service.duration_max_minutes or service.duration_minutes
    return list(range(QUARTER, longest + 1, QUARTER))


def officer_counts(service: Service) -> list[int]:
    return list(range(1, max(service.staff_max, service.staff_required) + 1))


def read(
    session: Session, service: Service, kinds: set[str]
) -> tuple[Form, AssistanceRequest | None]:
    """The posted request; None with field errors when something is wrong."""
    form = Form.read(*FIELDS, multiline=("notes",))
    address = _address(session, form)
    reference = form.required("file_reference", _("Give your office's file reference."))
    if "file_reference" not in form.errors and len(reference) > FILE_REFERENCE_MAX:
        form.errors["file_reference"] = _(
            "Keep it to %(length)d characters.", length=FILE_REFERENCE_MAX
        )
    if form.values["execution_kind"] not in kinds:
        form.errors["execution_kind"] = _("Choose the kind of execution.")
    minutes = _number(form, "duration_minutes")
    if minutes not in durations(service):
        form.errors["duration_minutes"] = _(
            "Choose a duration in quarter hours, at most %(hours)s.",
            hours=hours_label(durations(service)[-1]),
        )
    officers = _number(form, "officers")
    if officers not in officer_counts(service):
        form.errors["officers"] = _(
            "Choose between 1 and %(most)d officers.", most=officer_counts(service)[-1]
        )
    risks = {}
    for name in RISKS:
        if form.values[name] not in ("yes", "no"):
            form.errors[name] = _("Answer yes or no.")
        risks[name] = form.values[name] == "yes"
    if "notes" not in form.errors and len(form.values["notes"]) > NOTES_MAX:
        form.errors["notes"] = _("Keep it to %(length)d characters.", length=NOTES_MAX)
    if not form.ok or address is None or minutes is None or officers is None:
        return form, None
    return form, AssistanceRequest(
        address=address,
        file_reference=reference,
        execution_kind=form.values["execution_kind"],
        officers=officers,
        duration_minutes=minutes,
        risks=Risks(**risks),
        notes=form.values["notes"],
    )


def read_window(form: Form, today: date) -> Window | None:
    """The window to search in (``form`` already read); None with field errors."""
    first = parse_date(form.values.get("first_day", ""))
    last = parse_date(form.values.get("last_day", ""))
    if first is None:
        form.errors["first_day"] = _("Enter a date like 31/12/2026.")
    elif first < today:
        form.errors["first_day"] = _("The window cannot start in the past.")
    if last is None:
        form.errors["last_day"] = _("Enter a date like 31/12/2026.")
    elif first is not None and last < first:
        form.errors["last_day"] = _("The window ends before it starts.")
    elif first is not None and (last - first).days >= MAX_SEARCH_DAYS:
        form.errors["last_day"] = _("Search at most %(days)d days at once.", days=MAX_SEARCH_DAYS)
    if first is None or last is None or "first_day" in form.errors or "last_day" in form.errors:
        return None
    return Window(first, last)


def later(form: Form, window: Window) -> Window:
    """The window of the same length right after ``window`` (nothing was free in it)."""
    length = window.last_day - window.first_day
    first = window.last_day + timedelta(days=1)
    moved = Window(first, first + length)
    form.values.update(first_day=moved.first_day.isoformat(), last_day=moved.last_day.isoformat())
    return moved


def of_booking(booking: Booking, details: AssistanceDetails | None) -> AssistanceRequest:
    """The request a booking was made with (a move searches for the same)."""
    return AssistanceRequest(
        address=Address(
            booking.address_postcode or "",
            booking.address_street or "",
            booking.address_number or "",
        ),
        file_reference=details.file_reference if details else booking.topic or "-",
        execution_kind=details.execution_kind.code if details else "",
        officers=booking.officers,
        duration_minutes=int((booking.end_at - booking.start_at).total_seconds()) // 60,
        risks=Risks(**{name: bool(getattr(details, name, False)) for name in RISKS}),
        notes=details.notes if details else "",
    )


def hours_label(minutes: int) -> str:
    """120 → "2 h", 135 → "2 h 15 min", 45 → "45 min" (the same in nl, fr and en)."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d} min" if rest else f"{hours} h"


def _number(form: Form, name: str) -> int | None:
    raw = form.values[name]
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 5 else None


def _address(session: Session, form: Form) -> Address | None:
    form.required("postcode", _("Enter the postcode."))
    form.required("street", _("Enter the street."))
    form.required("number", _("Enter the house number."))
    if any(name in form.errors for name in ADDRESS):
        return None
    address = Address(*(form.values[k] for k in ADDRESS))
    try:
        district_for(session, address)
    except SchedulingError as error:
        if error.field == "postcode":
            form.errors["postcode"] = _("A postcode has four digits.")
        elif error.field == "number":
            form.errors["number"] = _("Enter a house number like 12 or 12A.")
        else:
            form.errors["street"] = _(
                "This address is not in our zone: the police zone where it lies assists "
                "there. Check the street and postcode."
            )
        return None
    return address
