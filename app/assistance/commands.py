"""Bailiff assistance: what an office asks, the first moments when that many officers are
free together, and booking, moving and cancelling it.

The one way the portal (app.bailiffs), the API and the zone's pages change assistance; each
goes through app.commands, so the engine's rules (notice, cut-off, the capacity rule, no
double booking) and the telling hold for every channel. Every change is recorded in the
booking's history with who of the office made it (``OfficeActor.details``).
Flushes, never commits; raises scheduling errors naming the field at fault.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import commands
from app.assistance.models import AssistanceDetails, ExecutionKind, OfficeUser
from app.config import Config
from scheduling import capacity
from scheduling.addresses import Address, check_in_zone
from scheduling.booking import Booked, BookingRequest, Citizen
from scheduling.eligibility import Who, eligible_staff
from scheduling.enums import ActorKind, Audience, Channel, LocationKind
from scheduling.errors import InvalidRequest, NotFound, SlotUnavailable
from scheduling.models import BailiffAccount, Booking, Service
from scheduling.slots import MAX_SEARCH_DAYS, Rules, Slot, find_slots
from scheduling.trail import Actor

FILE_REFERENCE_MAX = 60
NOTES_MAX = 2000
MOMENTS_SHOWN = 12  # the first moments offered; a later window finds later ones


@dataclass(frozen=True)
class Risks:
    """The risk questions the officers read before they go."""

    known_aggression: bool = False
    weapons: bool = False
    dogs: bool = False
    vulnerable_persons: bool = False
    interpreter_needed: bool = False


@dataclass(frozen=True)
class AssistanceRequest:
    """What an office asks: where, for which file and kind of execution, how many officers
    for how long, and what the officers must know."""

    address: Address
    file_reference: str
    execution_kind: str  # ExecutionKind.code
    officers: int
    duration_minutes: int
    risks: Risks = field(default_factory=Risks)
    notes: str = ""


@dataclass(frozen=True)
class OfficeActor:
    """Who of an office acts: a signed-in user, or its case software with an API token."""

    office: BailiffAccount
    channel: Channel
    user: OfficeUser | None = None
    token_id: int | None = None

    @property
    def actor(self) -> Actor:
        return Actor(ActorKind.BAILIFF, self.channel, self.office.id)

    @property
    def details(self) -> dict[str, Any]:
        """What the booking's history keeps of who it was."""
        if self.user is not None:
            return {"office_user_id": self.user.id}
        return {"api_token_id": self.token_id} if self.token_id is not None else {}


def assistance_service(session: Session) -> Service:
    """The service bailiffs book (the zone has one)."""
    service = session.scalar(
        select(Service).where(Service.audience == Audience.BAILIFF).order_by(Service.id)
    )
    if service is None:
        raise NotFound("This zone offers no police assistance to bailiffs.", field="service")
    return service


def execution_kinds(session: Session) -> list[ExecutionKind]:
    """The kinds an office may choose, in the zone's order."""
    return list(
        session.scalars(
            select(ExecutionKind).where(ExecutionKind.active).order_by(ExecutionKind.id)
        )
    )


def rules_for(service: Service, request: AssistanceRequest) -> Rules:
    """The engine's rules for this request (refuses more officers or time than allowed)."""
    return Rules.of(service, officers=request.officers, duration_minutes=request.duration_minutes)


def check(session: Session, request: AssistanceRequest) -> ExecutionKind:
    """The request's own fields (the moment is the engine's); returns its kind."""
    if not request.file_reference.strip():
        raise InvalidRequest("Give your office's file reference.", field="file_reference")
    if len(request.file_reference) > FILE_REFERENCE_MAX:
        raise InvalidRequest("The file reference is too long.", field="file_reference")
    if len(request.notes) > NOTES_MAX:
        raise InvalidRequest("The notes are too long.", field="notes")
    kind = session.scalar(
        select(ExecutionKind).where(
            ExecutionKind.code == request.execution_kind, ExecutionKind.active
        )
    )
    if kind is None:
        raise InvalidRequest("Choose a kind of execution.", field="execution_kind")
    check_in_zone(session, request.address)  # an address outside the zone is refused here
    return kind


def first_moments(
    session: Session,
    request: AssistanceRequest,
    *,
    first_day: date,
    last_day: date,
    now: datetime,
    config: Config,
    limit: int = MOMENTS_SHOWN,
) -> list[Slot]:
    """The first moments in the window when the officers asked for are free together, under
    the zone's capacity rule, with travel to the address (the engine's team search)."""
    _check_window(first_day, last_day, now=now, config=config)
    check(session, request)
    service = assistance_service(session)
    return _search(
        session,
        service,
        request.address,
        rules_for(service, request),
        first_day=first_day,
        last_day=last_day,
        now=now,
        config=config,
    )[:limit]


def team_moments(
    session: Session,
    address: Address,
    *,
    officers: int | None,
    duration_minutes: int | None,
    first_day: date,
    last_day: date,
    now: datetime,
    config: Config,
    limit: int = MOMENTS_SHOWN,
) -> list[Slot]:
    """``first_moments`` before a file or kind is known (the API's search for case software):
    the window, the address in the zone, and the officers and duration (None: the service's
    default) are checked; the same team search."""
    _check_window(first_day, last_day, now=now, config=config)
    check_in_zone(session, address)  # an address outside the zone is refused here
    service = assistance_service(session)
    rules = Rules.of(service, officers=officers, duration_minutes=duration_minutes)
    return _search(
        session,
        service,
        address,
        rules,
        first_day=first_day,
        last_day=last_day,
        now=now,
        config=config,
    )[:limit]


def _search(
    session: Session,
    service: Service,
    address: Address,
    rules: Rules,
    *,
    first_day: date,
    last_day: date,
    now: datetime,
    config: Config,
) -> list[Slot]:
    staffing = eligible_staff(session, service, Who(address=address), now)
    return find_slots(
        session,
        service=service,
        staff_ids=staffing,
        first_day=first_day,
        last_day=last_day,
        now=now,
        zone=config.zone,
        location=LocationKind.ON_SITE,
        rules=rules,
    )


def _check_window(first_day: date, last_day: date, *, now: datetime, config: Config) -> None:
    today = now.astimezone(config.zone).date()
    if first_day < today:
        raise InvalidRequest("The window cannot start in the past.", field="first_day")
    if last_day < first_day:
        raise InvalidRequest("The window ends before it starts.", field="last_day")
    if (last_day - first_day).days >= MAX_SEARCH_DAYS:
        raise InvalidRequest(f"Search at most {MAX_SEARCH_DAYS} days at once.", field="last_day")


def book(
    session: Session,
    request: AssistanceRequest,
    *,
    start: datetime,
    who: OfficeActor,
    now: datetime,
    config: Config,
) -> Booked:
    """Book assistance at ``start`` (one of ``first_moments``), or raise with nothing
    written: a moment taken meanwhile, by officers or by the capacity, is SlotUnavailable."""
    kind = check(session, request)
    service = assistance_service(session)
    day = start.astimezone(config.zone).date()
    moments = first_moments(
        session, request, first_day=day, last_day=day, now=now, config=config, limit=1000
    )
    slot = next((s for s in moments if s.start == start), None)
    if slot is None:
        raise SlotUnavailable("This moment is no longer free.", field="start")
    office = who.office
    booked = commands.book(
        session,
        BookingRequest(
            service.code,
            slot.start,
            slot.staff_ids[0],
            LocationKind.ON_SITE,
            Citizen(office.name, office.phone, office.email or None),
            address=request.address,
            language=office.language,
            topic=request.file_reference.strip(),
            officers=request.officers,
            duration_minutes=request.duration_minutes,
        ),
        actor=who.actor,
        now=now,
        config=config,
        bailiff_account_id=office.id,
        details=who.details,
    )
    risks = request.risks
    session.add(
        AssistanceDetails(
            booking_id=booked.booking.id,
            file_reference=request.file_reference.strip(),
            execution_kind_id=kind.id,
            known_aggression=risks.known_aggression,
            weapons=risks.weapons,
            dogs=risks.dogs,
            vulnerable_persons=risks.vulnerable_persons,
            interpreter_needed=risks.interpreter_needed,
            notes=request.notes.strip(),
            booked_by=who.user.id if who.user else None,
        )
    )
    session.flush()
    return booked


def office_booking(session: Session, office: BailiffAccount, reference: str) -> Booking:
    """One of this office's bookings; another office's is as unknown as a missing one."""
    booking = session.scalar(
        select(Booking).where(
            Booking.reference == reference.strip(), Booking.bailiff_account_id == office.id
        )
    )
    if booking is None:
        raise NotFound("No booking of your office with this number.", field="reference")
    return booking


def details_of(session: Session, booking: Booking) -> AssistanceDetails | None:
    return session.get(AssistanceDetails, booking.id)


def move(
    session: Session,
    booking: Booking,
    *,
    start: datetime,
    who: OfficeActor,
    now: datetime,
    config: Config,
) -> Booking:
    """The office moves its booking to one of the team search's moments (the service's
    cut-off applies; the engine says so). The engine keeps the booking's first officer when
    they are free then (also a move by a quarter hour, overlapping its own time); when they
    are not, the team the search found at that moment takes it over, as a new booking
    there would have."""
    _own(booking, who.office)
    try:
        return commands.move(
            session,
            booking,
            start=start,
            actor=who.actor,
            now=now,
            config=config,
            details=who.details,
        )
    except SlotUnavailable:
        lead = _free_lead(session, booking, start, now=now, config=config)
        if lead is None:
            raise
    return commands.move(
        session,
        booking,
        start=start,
        staff_id=lead,
        actor=who.actor,
        now=now,
        config=config,
        details=who.details,
    )


def _free_lead(
    session: Session, booking: Booking, start: datetime, *, now: datetime, config: Config
) -> int | None:
    """The first officer of a team free together at ``start`` for this booking, if any."""
    if not (booking.address_postcode and booking.address_street and booking.address_number):
        return None
    address = Address(booking.address_postcode, booking.address_street, booking.address_number)
    day = start.astimezone(config.zone).date()
    moments = _search(
        session,
        booking.service,
        address,
        Rules.of_booking(booking),
        first_day=day,
        last_day=day,
        now=now,
        config=config,
    )
    return next((m.staff_ids[0] for m in moments if m.start == start), None)


def cancel(
    session: Session, booking: Booking, *, who: OfficeActor, now: datetime, reason: str | None
) -> Booking:
    """The office cancels its booking (the service's cut-off applies)."""
    _own(booking, who.office)
    return commands.cancel(
        session, booking, actor=who.actor, now=now, reason=reason, details=who.details
    )


def late_cancellation(booking: Booking, at: datetime) -> bool:
    """Cancelled inside the service's cut-off (the zone's figures count these)."""
    return booking.start_at - at < timedelta(minutes=booking.service.cancel_cutoff_minutes)


def _own(booking: Booking, office: BailiffAccount) -> None:
    if booking.bailiff_account_id != office.id:
        raise NotFound("No booking of your office with this number.", field="reference")


def capacity_counted(session: Session, *, now: datetime, config: Config) -> int:
    """Count the capacity rule out from today to the assistance service's horizon: after
    every change of the rule or its closed days, and daily (the worker) as the horizon
    moves. Returns how many quarter hours changed."""
    service = session.scalar(select(Service).where(Service.audience == Audience.BAILIFF))
    if service is None:
        return 0
    today = now.astimezone(config.zone).date()
    return capacity.sync(
        session,
        first_day=today,
        last_day=today + timedelta(days=service.horizon_days + 1),
        zone=config.zone,
    )
