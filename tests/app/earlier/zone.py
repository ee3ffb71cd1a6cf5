"""The earlier-moment tests' zone: the booking tests' officer (Wednesdays 9-12 at Wijkpost
Bever, service ``wijkagent``), citizens booked through ``app.commands.book`` (some asking
for an earlier moment), and the clock moved by hand."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import commands
from app.config import Config
from app.earlier.models import EarlierOffer, OfferStatus
from app.earlier.wishes import Wish
from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen
from scheduling.enums import Channel, LocationKind
from scheduling.models import Booking, Staff
from scheduling.trail import Actor

BXL = ZoneInfo("Europe/Brussels")
WEB = Actor.citizen(Channel.WEB)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A local Brussels moment (UTC-aware through the zone)."""
    return datetime.combine(day, time(hour, minute), tzinfo=BXL)


def book(
    session: Session,
    officer: Staff,
    config: Config,
    start: datetime,
    *,
    phone: str,
    now: datetime,
    earlier: Wish | None = None,
    language: str = "nl",
    email: str | None = None,
) -> Booking:
    request = BookingRequest(
        service_code="wijkagent",
        start=start,
        staff_id=officer.id,
        location=LocationKind.OFFICE,
        citizen=Citizen("Burger", phone, email),
        address=Address("1547", "Plaats", "3"),
        language=language,
    )
    return commands.book(
        session, request, actor=WEB, now=now, config=config, earlier=earlier
    ).booking


def offers_of(session: Session, status: OfferStatus | None = None) -> list[EarlierOffer]:
    query = select(EarlierOffer).order_by(EarlierOffer.id)
    if status is not None:
        query = query.where(EarlierOffer.status == status)
    return list(session.scalars(query))
