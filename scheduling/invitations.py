"""Invitations: a case handler asks a citizen to book about a dossier, within a window of days.

The citizen gets a short code (in a link, or to type) that opens only that handler's moments
(``scheduling.eligibility.valid_invitation``). ``invite`` makes one, ``withdraw`` ends an open
one at once, ``statuses`` tells what became of each (open, booked, used, expired, withdrawn).
Like every service function here these take the session and ``now``, flush, never commit.
"""

import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduling.eligibility import service_by_code
from scheduling.enums import ActorKind, Audience, BookingStatus, Role, ServedBy
from scheduling.errors import Forbidden, InvalidRequest, NotAllowed
from scheduling.models import AuditEntry, Booking, Invitation, Staff
from scheduling.trail import Actor, note
from scheduling.zone_time import local_day_bounds, local_to_utc

# Read out on the phone or typed from an SMS: no 0/O, no 1/I/L. 31 symbols, 8 of them: about
# 40 bits, while only a handful of codes are valid at any time (and a code opens no personal
# data: only the handler's free moments). The prefix tells it apart from a booking reference.
CODE_PREFIX = "INV-"
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
EXAMPLE_CODE = "INV-7KQ2MX9P"  # the format, as the citizen's hint shows it

DEFAULT_WINDOW_DAYS = 14  # the citizen chooses a moment in the coming two weeks
MAX_WINDOW_DAYS = 90
DOSSIER_CODE_MAX = 40  # the column's length
LANGUAGES = ("nl", "fr", "en")
INVITING_ROLES = frozenset({Role.CASE_HANDLER})
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")

WITHDRAWN_BEFORE = timedelta(seconds=1)  # a withdrawn invitation ends this long before
CREATED = "invitation_created"  # audit actions
WITHDRAWN = "invitation_withdrawn"


class WindowProblem(StrEnum):
    """Why a window of days cannot be an invitation's."""

    STARTS_IN_THE_PAST = "starts_in_the_past"
    ENDS_BEFORE_IT_STARTS = "ends_before_it_starts"
    TOO_LONG = "too_long"


class InvitationState(StrEnum):
    OPEN = "open"  # the citizen can book with it (from its first day on)
    BOOKED = "booked"  # an appointment stands
    USED = "used"  # the appointment has taken place (done or no-show)
    EXPIRED = "expired"  # its last day has passed without an appointment
    WITHDRAWN = "withdrawn"  # ended by staff before its last day


@dataclass(frozen=True)
class InvitationRequest:
    """What a case handler fills in. ``phone`` is E.164: parsed at the edge, never raw here."""

    service_code: str
    dossier_code: str
    phone: str
    first_day: date
    last_day: date  # inclusive
    language: str = "nl"  # of the SMS and of the page the link opens


@dataclass(frozen=True)
class InvitationStatus:
    invitation: Invitation
    state: InvitationState
    booking: Booking | None  # the standing appointment, else the last one made with it


def default_window(today: date) -> tuple[date, date]:
    """The first and last day an invitation made ``today`` offers unless told otherwise."""
    return today, today + timedelta(days=DEFAULT_WINDOW_DAYS)


def window_problems(first_day: date, last_day: date, *, today: date) -> dict[str, WindowProblem]:
    """What is wrong with a window of days, by the field at fault (empty: nothing)."""
    problems: dict[str, WindowProblem] = {}
    if first_day < today:
        problems["valid_from"] = WindowProblem.STARTS_IN_THE_PAST
    if last_day < first_day:
        problems["valid_until"] = WindowProblem.ENDS_BEFORE_IT_STARTS
    elif last_day - first_day > timedelta(days=MAX_WINDOW_DAYS):
        problems["valid_until"] = WindowProblem.TOO_LONG
    return problems


def new_code(session: Session, *, randbelow: Callable[[int], int] = secrets.randbelow) -> str:
    """An invitation code no other invitation has, from a cryptographic source."""
    while True:
        body = "".join(CODE_ALPHABET[randbelow(len(CODE_ALPHABET))] for _ in range(CODE_LENGTH))
        code = CODE_PREFIX + body
        if session.scalar(select(Invitation.id).where(Invitation.code == code)) is None:
            return code


def normalized_code(text: str) -> str:
    """A code as people type it — ``inv 7kq2 mx9p``, ``7KQ2-MX9P``, ``INV-7KQ2MX9P`` — in the
    form it is stored in; what is left when it has no body at all is ""."""
    plain = "".join(c for c in text.upper() if c.isalnum())
    body = plain.removeprefix(CODE_PREFIX.rstrip("-"))
    return CODE_PREFIX + body if body else ""


def live_booking(session: Session, invitation_id: int) -> Booking | None:
    """The appointment standing on this invitation, if any (one per invitation)."""
    return session.scalar(
        select(Booking).where(
            Booking.invitation_id == invitation_id, Booking.status == BookingStatus.CONFIRMED
        )
    )


def is_invitation_code(text: str) -> bool:
    """Whether ``text`` has the form of a code ``new_code`` makes."""
    body = text.removeprefix(CODE_PREFIX)
    return (
        text.startswith(CODE_PREFIX)
        and len(body) == CODE_LENGTH
        and all(c in CODE_ALPHABET for c in body)
    )


def invite(
    session: Session, *, request: InvitationRequest, actor: Actor, now: datetime, zone: ZoneInfo
) -> Invitation:
    """Make an invitation for the acting case handler, or raise an error naming the field."""
    staff = session.get(Staff, actor.id) if actor.kind is ActorKind.STAFF else None
    if staff is None or not staff.active or not staff.role_set & INVITING_ROLES:
        raise Forbidden("Only case handlers invite citizens.", field="staff")
    service = service_by_code(session, request.service_code)
    if service.served_by is not ServedBy.INVITED_STAFF or service.audience is not Audience.CITIZEN:
        raise InvalidRequest(f"{service.code} is not booked by invitation.", field="service")
    dossier = request.dossier_code.strip()
    if not dossier or len(dossier) > DOSSIER_CODE_MAX or any(ord(c) < 32 for c in dossier):
        raise InvalidRequest("A dossier code of at most 40 characters.", field="dossier_code")
    if not _E164.match(request.phone):
        raise InvalidRequest("The phone number must be E.164.", field="phone")
    if request.language not in LANGUAGES:
        raise InvalidRequest("Unknown language.", field="language")
    today = now.astimezone(zone).date()
    problems = window_problems(request.first_day, request.last_day, today=today)
    if problems:
        field, problem = next(iter(problems.items()))
        raise InvalidRequest(f"The window {problem.value.replace('_', ' ')}.", field=field)

    invitation = Invitation(
        code=new_code(session),
        staff_id=staff.id,
        service_id=service.id,
        dossier_code=dossier,
        phone=request.phone,
        valid_from=local_to_utc(request.first_day, time(0), zone),
        # The last second of the last day, so that it reads back as that day.
        valid_until=local_day_bounds(request.last_day, zone)[1] - timedelta(seconds=1),
        created_at=now,
    )
    session.add(invitation)
    session.flush()
    note(
        session,
        actor=actor,
        action=CREATED,
        now=now,
        details={
            "invitation_id": invitation.id,
            "service": service.code,
            "dossier_code": dossier,
            # Kept here until invitations get a column for it: the SMS to send is in it.
            "language": request.language,
            "valid_from": invitation.valid_from.isoformat(),
            "valid_until": invitation.valid_until.isoformat(),
        },
    )
    return invitation


def withdraw(
    session: Session, *, invitation: Invitation, actor: Actor, now: datetime
) -> Invitation:
    """End an open invitation now: its code stops working. A booked one is not withdrawn
    (cancel the appointment instead); withdrawing twice is refused too."""
    (status,) = statuses(session, [invitation], now)
    if status.state is not InvitationState.OPEN:
        raise NotAllowed(f"This invitation is {status.state.value}.", field="invitation")
    # Ended just before now, so that not even a request in this same instant gets through.
    invitation.valid_until = now - WITHDRAWN_BEFORE
    invitation.valid_from = min(invitation.valid_from, invitation.valid_until)
    session.flush()
    # The audit entry's time is the invitation's new end plus WITHDRAWN_BEFORE: that is how
    # ``statuses`` tells a withdrawn invitation from an expired one.
    note(
        session,
        actor=actor,
        action=WITHDRAWN,
        now=now,
        details={"invitation_id": invitation.id, "dossier_code": invitation.dossier_code},
    )
    return invitation


def statuses(
    session: Session, invitations: Sequence[Invitation], now: datetime
) -> list[InvitationStatus]:
    """What became of each invitation, in the order given (three queries in all)."""
    if not invitations:
        return []
    ids = [i.id for i in invitations]
    by_invitation: dict[int, list[Booking]] = {}
    for booking in session.scalars(
        select(Booking).where(Booking.invitation_id.in_(ids)).order_by(Booking.created_at)
    ):
        by_invitation.setdefault(booking.invitation_id or 0, []).append(booking)
    withdrawn = _withdrawn(session, [i for i in invitations if i.valid_until < now])
    return [
        _status(i, by_invitation.get(i.id, []), withdrawn=i.id in withdrawn, now=now)
        for i in invitations
    ]


def _status(
    invitation: Invitation, bookings: list[Booking], *, withdrawn: bool, now: datetime
) -> InvitationStatus:
    for booking in reversed(bookings):
        if booking.status is BookingStatus.CONFIRMED:
            return InvitationStatus(invitation, InvitationState.BOOKED, booking)
        if booking.status in (BookingStatus.DONE, BookingStatus.NO_SHOW):
            return InvitationStatus(invitation, InvitationState.USED, booking)
    last = bookings[-1] if bookings else None  # cancelled: the invitation still counts
    if withdrawn:
        return InvitationStatus(invitation, InvitationState.WITHDRAWN, last)
    if now > invitation.valid_until:
        return InvitationStatus(invitation, InvitationState.EXPIRED, last)
    return InvitationStatus(invitation, InvitationState.OPEN, last)


def _withdrawn(session: Session, ended: Sequence[Invitation]) -> set[int]:
    """The ids among ``ended`` that staff withdrew (see ``withdraw``)."""
    if not ended:
        return set()
    rows = session.scalars(
        select(AuditEntry.details).where(
            AuditEntry.action == WITHDRAWN,
            AuditEntry.at.in_({i.valid_until + WITHDRAWN_BEFORE for i in ended}),
        )
    )
    ended_ids = {i.id for i in ended}
    return {d["invitation_id"] for d in rows if d.get("invitation_id") in ended_ids}


def sms_language(session: Session, invitation: Invitation) -> str:
    """The language chosen for the invitation's SMS (Dutch when none was recorded)."""
    rows = session.scalars(
        select(AuditEntry.details).where(
            AuditEntry.action == CREATED, AuditEntry.at == invitation.created_at
        )
    )
    for details in rows:
        if details.get("invitation_id") == invitation.id:
            language = details.get("language")
            return language if language in LANGUAGES else "nl"
    return "nl"
