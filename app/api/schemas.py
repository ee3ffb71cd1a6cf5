"""The API's request and response shapes; the OpenAPI document is generated from them."""

from datetime import date, datetime
from typing import Annotated, Literal, TypeVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
)

from app.assistance.commands import FILE_REFERENCE_MAX, NOTES_MAX
from app.email_address import MAX_LENGTH as EMAIL_LENGTH
from app.email_address import normalized_email
from app.text import is_plain
from app.values import CALENDAR, in_calendar
from scheduling.errors import InvalidRequest


def _printable(value: str) -> str:
    # Control characters (NUL above all, which PostgreSQL refuses) and direction controls
    # (which turn the text after a name around) have no place in what is stored: say so
    # instead of failing later (app.text).
    if not is_plain(value):
        raise ValueError("control and text direction characters are not allowed")
    return value


def _multiline(value: str) -> str:
    if not is_plain(value, multiline=True):
        raise ValueError("control and text direction characters are not allowed")
    return value


def _email(value: str) -> str:
    try:
        return normalized_email(value)
    except InvalidRequest:
        raise ValueError("one e-mail address like name@example.be is expected") from None


Printable = AfterValidator(_printable)

# Days far outside any calendar a booking can use; near date.min/date.max the engine's day
# arithmetic overflows (a 500), so they are refused here as invalid input.
Day = TypeVar("Day", date, datetime)


def _in_calendar(value: Day) -> Day:
    day = value.date() if isinstance(value, datetime) else value
    if not in_calendar(day):
        raise ValueError("the date must lie between 2000-01-01 and 2999-12-31")
    return value


def _length(max_length: int) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length)


Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]{1,40}$")]
DbId = Annotated[int, Field(ge=1, le=2**31 - 1)]
Postcode = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{4}$")]
LocationName = Literal["office", "home", "on_site"]
Language = Literal["nl", "fr", "en"]
Name = Annotated[str, _length(200), Printable]
Street = Annotated[str, _length(200), Printable]
HouseNumber = Annotated[str, _length(12), Printable]
PhoneText = Annotated[str, _length(40), Printable]
InvitationCode = Annotated[str, _length(40), Printable]
Reason = Annotated[str, _length(500), Printable]
Topic = Annotated[str, _length(300), AfterValidator(_multiline)]  # as the web's textarea
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=EMAIL_LENGTH),
    AfterValidator(_email),
    Field(json_schema_extra={"format": "email"}, description="One address; stored normalized."),
]
LocalDay = Annotated[date, AfterValidator(_in_calendar)]
FileReference = Annotated[
    str, _length(FILE_REFERENCE_MAX), Printable, Field(description="Your office's file number.")
]
Notes = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=NOTES_MAX),
    AfterValidator(_multiline),
]
# Sane bounds only: the zone's own maxima (the service's) are checked by the engine, which
# names the same field.
Officers = Annotated[int, Field(ge=1, le=50, description="Default: the service's (2 in the demo).")]
Minutes = Annotated[
    int, Field(ge=15, le=24 * 60, description="Whole quarter hours, up to the zone's maximum.")
]
Instant = Annotated[AwareDatetime, AfterValidator(_in_calendar), Field(description=CALENDAR)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AddressIn(_In):
    postcode: Postcode
    street: Street
    number: HouseNumber


class CitizenIn(_In):
    name: Name
    phone: PhoneText
    email: Email | None = None


class EarlierIn(_In):
    """Text the citizen if an earlier moment frees up (a mobile number only)."""

    location: Literal["office", "home"] | None = Field(
        None, description="Only there; absent: any place the service is given."
    )
    not_before: LocalDay | None = Field(
        None, description="No moment before this local day (from today, before the appointment)."
    )


class BookingIn(_In):
    service: Code
    start: Instant
    staff_id: DbId
    location: LocationName
    citizen: CitizenIn
    address: AddressIn | None = None
    invitation_code: InvitationCode | None = None
    language: Language = "nl"
    topic: Topic | None = Field(
        None, description="What the appointment is about, in the citizen's words."
    )
    earlier: EarlierIn | None = Field(
        None, description="Offer the citizen an earlier moment by SMS when one frees up."
    )


class CancelIn(_In):
    reason: Reason | None = None


class RescheduleIn(_In):
    start: Instant
    staff_id: DbId | None = None


class RisksIn(_In):
    """The risk questions the officers read before they go: every one must be answered."""

    known_aggression: bool
    weapons: bool
    dogs: bool
    vulnerable_persons: bool
    interpreter_needed: bool


class AssistanceIn(_In):
    """Police assistance at an address: one of the moments GET /assistance/moments gave for
    the same address, officers and duration."""

    address: AddressIn
    file_reference: FileReference
    execution_kind: Code = Field(description="A code of GET /assistance/kinds.")
    officers: Officers | None = None
    duration_minutes: Minutes | None = None
    risks: RisksIn
    notes: Notes = ""
    start: Instant


class AssistanceMoveIn(_In):
    start: Instant


class _Query(BaseModel):
    model_config = ConfigDict(extra="ignore")  # cache busters and the like do no harm


class SlotQuery(_Query):
    """The query string of GET /slots."""

    service: Code
    from_: LocalDay = Field(alias="from")
    to: LocalDay
    location: LocationName | None = None
    postcode: Postcode | None = None
    street: Street | None = None
    number: HouseNumber | None = None
    staff: DbId | None = None
    invitation_code: InvitationCode | None = None


class MomentsQuery(_Query):
    """The query string of GET /assistance/moments."""

    postcode: Postcode
    street: Street
    number: HouseNumber
    officers: Officers | None = None
    duration_minutes: Minutes | None = None
    from_: LocalDay = Field(alias="from")
    to: LocalDay


class AssistanceListQuery(_Query):
    """The query string of GET /assistance/bookings."""

    past: bool = False
    limit: int = Field(100, ge=1, le=500)


class OfficerQuery(_Query):
    postcode: Postcode
    street: Street
    number: HouseNumber


# --- responses -------------------------------------------------------------------------


class StaffRef(BaseModel):
    id: int
    name: str


class DistrictRef(BaseModel):
    id: int
    name: str


class ServiceOut(BaseModel):
    code: str
    name: str
    duration_minutes: int
    locations: list[LocationName]
    audience: Literal["citizen", "bailiff"]
    requires_invitation: bool
    served_by: Literal["district_officer", "team", "invited_staff"]


class StreetOut(BaseModel):
    postcode: str
    street: str


class DistrictOut(BaseModel):
    id: int
    name: str
    municipality: str
    officer: StaffRef
    streets: list[StreetOut]


class OfficerOut(BaseModel):
    officer: StaffRef
    district: DistrictRef


class SlotOut(BaseModel):
    start: str = Field(json_schema_extra={"format": "date-time"})
    end: str = Field(json_schema_extra={"format": "date-time"})
    staff: StaffRef
    location: LocationName


class SlotsOut(BaseModel):
    slots: list[SlotOut]


class EarlierOut(BaseModel):
    """The citizen's wish for an earlier moment and what became of it."""

    status: Literal["waiting", "dropped", "moved", "ended"]
    location: Literal["office", "home"] | None
    not_before: str | None = Field(json_schema_extra={"format": "date"})


class BookingOut(BaseModel):
    reference: str = Field(pattern=r"^[0-9]{6,9}$")
    status: Literal["confirmed", "cancelled", "done", "no_show"]
    start: str = Field(json_schema_extra={"format": "date-time"})
    end: str = Field(json_schema_extra={"format": "date-time"})
    service: str
    staff: StaffRef
    location: LocationName
    topic: str | None = None
    earlier: EarlierOut | None = Field(
        None, description="The wish for an earlier moment, or null when none was asked."
    )


class BookingCreated(BookingOut):
    manage_token: str


class MomentOut(BaseModel):
    start: str = Field(json_schema_extra={"format": "date-time"})
    end: str = Field(json_schema_extra={"format": "date-time"})
    officers: int


class MomentsOut(BaseModel):
    moments: list[MomentOut]


class RisksOut(BaseModel):
    known_aggression: bool
    weapons: bool
    dogs: bool
    vulnerable_persons: bool
    interpreter_needed: bool


class AssistanceDetailsOut(BaseModel):
    file_reference: str
    execution_kind: str
    risks: RisksOut
    notes: str


class AddressOut(BaseModel):
    postcode: str
    street: str
    number: str


class AssistanceOut(BaseModel):
    reference: str = Field(pattern=r"^[0-9]{6,9}$")
    status: Literal["confirmed", "cancelled", "done", "no_show"]
    start: str = Field(json_schema_extra={"format": "date-time"})
    end: str = Field(json_schema_extra={"format": "date-time"})
    officers: int
    address: AddressOut | None
    details: AssistanceDetailsOut | None
    cancel_reason: str | None = Field(
        description="Why it was cancelled (by your office or by the zone, which says why)."
    )


class AssistanceListOut(BaseModel):
    bookings: list[AssistanceOut]


class KindNames(BaseModel):
    nl: str
    fr: str
    en: str


class KindOut(BaseModel):
    code: str
    names: KindNames


class KindsOut(BaseModel):
    kinds: list[KindOut]


class FieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None
    phone: str | None = Field(
        None, description="Whom to call instead (a change too close to the appointment)."
    )
