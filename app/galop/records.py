"""The shape of a GALOP document (staff rows and absences), validated by pydantic.

One model serves the JSON file, each CSV row and the push endpoint, and the OpenAPI
document is generated from it. Times may be local (the zone's wall time) or carry an
offset; the zone comes from the validation context (``{"zone": ZoneInfo}``).
"""

from datetime import UTC, date, datetime, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from app.email_address import MAX_LENGTH as EMAIL_LENGTH
from app.email_address import normalized_email
from app.phone import to_e164
from app.text import is_plain
from app.values import in_calendar
from scheduling.enums import Role
from scheduling.errors import InvalidRequest
from scheduling.zone_time import DEFAULT_ZONE, local_to_utc

MAX_ROWS = 10_000  # per list; a zone's whole roster and a year of absences fit many times over


def _plain_text(value: str) -> str:
    # No control characters (PostgreSQL refuses NUL), lone surrogates (not encodable) or
    # direction controls (a name shown in the agenda would turn what follows around).
    if not is_plain(value):
        raise ValueError("control and text direction characters are not allowed")
    return value


def _length(max_length: int) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length)


PlainText = AfterValidator(_plain_text)


def _phone(value: str) -> str:
    try:
        return to_e164(value)
    except InvalidRequest as exc:
        raise ValueError(exc.message.rstrip(".").lower()) from None


PersonnelNumber = Annotated[str, _length(40), PlainText]
AbsenceId = Annotated[str, _length(80), PlainText]
Name = Annotated[str, _length(200), PlainText]
SiteCode = Annotated[str, _length(40), PlainText]
AbsenceKind = Annotated[str, _length(40), PlainText]
Phone = Annotated[str, _length(40), PlainText, AfterValidator(_phone)]


def _email(value: str) -> str:
    try:
        return normalized_email(value)
    except InvalidRequest:
        raise ValueError("one e-mail address like name@example.be is expected") from None


Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=EMAIL_LENGTH),
    AfterValidator(_email),
    Field(json_schema_extra={"format": "email"}),
]

TIME_HELP = (
    "`YYYY-MM-DDTHH:MM[:SS]` with an offset (`+01:00`, `Z`), or without one in the zone's "
    "local time (Europe/Brussels), or a date `YYYY-MM-DD`: as `start` the beginning of that "
    "day, as `end` the end of that day (an end date is inclusive)."
)


def _instant(value: object, info: ValidationInfo) -> datetime | None:
    """A GALOP time as a UTC instant (see TIME_HELP)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("a date or date-time text is expected")
    text = value.strip()
    zone: ZoneInfo = (info.context or {}).get("zone", DEFAULT_ZONE)
    is_end = info.field_name == "end"
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            _check_calendar(day)
            return local_to_utc(
                day + timedelta(days=1) if is_end else day, datetime.min.time(), zone
            )
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            "not a date or time: give YYYY-MM-DD, or YYYY-MM-DDTHH:MM in local time "
            "or with an offset (+01:00)"
        ) from None
    _check_calendar(moment.date())
    if moment.tzinfo is None:
        return local_to_utc(moment.date(), moment.time(), zone, end=is_end)
    return moment.astimezone(UTC)


def _check_calendar(day: date) -> None:
    if not in_calendar(day):
        raise ValueError("the date must lie between 2000-01-01 and 2999-12-31")


GalopTime = Annotated[
    datetime | None,
    PlainValidator(_instant),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string", "minLength": 8, "maxLength": 40}, {"type": "null"}],
            "description": TIME_HELP,
        }
    ),
]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StaffRecord(_Record):
    """One row of the roster. Fields left out keep what Blauwlijn has (a new member gets the
    defaults); fields given as null (an empty CSV cell) are cleared."""

    personnel_number: PersonnelNumber
    name: Name
    roles: list[Role] = Field(default_factory=list, max_length=len(Role))
    email: Email | None = None
    phone: Phone | None = None
    home_site: SiteCode | None = None  # the code of a site known to Blauwlijn
    active: bool = True

    @field_validator("roles")
    @classmethod
    def _unique_roles(cls, roles: list[Role]) -> list[Role]:
        return list(dict.fromkeys(roles))


class AbsenceRecord(_Record):
    """One absence; ``absence_id`` is GALOP's and makes every import of it idempotent.
    A withdrawn absence needs only its id."""

    absence_id: AbsenceId
    withdrawn: bool = False
    personnel_number: PersonnelNumber | None = Field(default=None, validate_default=True)
    start: GalopTime = Field(default=None, validate_default=True)
    end: GalopTime = Field(default=None, validate_default=True)
    kind: AbsenceKind | None = None  # leave, sick, training...: GALOP's own word

    @field_validator("personnel_number", "start", "end", mode="after")
    @classmethod
    def _required_unless_withdrawn(cls, value: object, info: ValidationInfo) -> object:
        if value is None and not info.data.get("withdrawn", False):
            raise ValueError("required (unless the absence is withdrawn)")
        return value

    @field_validator("end", mode="after")
    @classmethod
    def _after_start(cls, end: datetime | None, info: ValidationInfo) -> datetime | None:
        start = info.data.get("start")
        if end is not None and start is not None and end <= start:
            raise ValueError("the end must come after the start")
        return end


class GalopDocument(_Record):
    """What a GALOP file holds and what the push endpoint takes: either list may be left out."""

    staff: list[StaffRecord] = Field(default_factory=list, max_length=MAX_ROWS)
    absences: list[AbsenceRecord] = Field(default_factory=list, max_length=MAX_ROWS)


class Counts(BaseModel):
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class AbsenceCounts(BaseModel):
    new: int = 0
    changed: int = 0
    withdrawn: int = 0
    unchanged: int = 0


class AppointmentCounts(BaseModel):
    reassigned: int = 0
    cancelled: int = 0


class ImportSummary(BaseModel):
    """What an import changed (the push endpoint's answer; the CLI prints the same)."""

    staff: Counts
    absences: AbsenceCounts
    appointments: AppointmentCounts
