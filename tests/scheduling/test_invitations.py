"""Invitations in the domain: making one (code, window, trail), what became of it, withdrawing."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduling.booking import BookingRequest, Citizen, book, cancel, close
from scheduling.eligibility import valid_invitation
from scheduling.enums import ActorKind, BookingStatus, Channel, LocationKind, Role, ServedBy
from scheduling.errors import Forbidden, InvalidRequest, NotAllowed, NotFound
from scheduling.invitations import (
    CODE_ALPHABET,
    CODE_LENGTH,
    CODE_PREFIX,
    MAX_WINDOW_DAYS,
    InvitationRequest,
    InvitationState,
    WindowProblem,
    default_window,
    invite,
    is_invitation_code,
    new_code,
    sms_language,
    statuses,
    window_problems,
    withdraw,
)
from scheduling.models import AuditEntry, Invitation, Service, Staff
from scheduling.trail import Actor
from tests.factories import make_invitation, make_service, make_staff, make_weekly

BXL = ZoneInfo("Europe/Brussels")
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # Tuesday 1 December 2026, 09:00 local
TODAY = date(2026, 12, 1)
PHONE = "+32470123456"


@pytest.fixture
def handler(session: Session) -> Staff:
    staff = make_staff(session, roles=(Role.CASE_HANDLER,), name="Nathalie Vermeulen")
    for weekday in range(5):
        make_weekly(session, staff, weekday=weekday, starts=time(9), ends=time(12))
    return staff


@pytest.fixture
def dossier(session: Session) -> Service:
    return make_service(
        session,
        code="dossier",
        served_by=ServedBy.INVITED_STAFF,
        locations=["office"],
        duration_minutes=45,
        horizon_days=30,
    )


def _request(**kw: object) -> InvitationRequest:
    values: dict[str, object] = {
        "service_code": "dossier",
        "dossier_code": "PV 2026/1234",
        "phone": PHONE,
        "first_day": TODAY,
        "last_day": TODAY + timedelta(days=14),
        "language": "fr",
        **kw,
    }
    return InvitationRequest(**values)  # type: ignore[arg-type]


def _invite(session: Session, staff: Staff, *, now: datetime = NOW, **kw: object) -> Invitation:
    return invite(session, request=_request(**kw), actor=Actor.staff(staff.id), now=now, zone=BXL)


def _state(session: Session, invitation: Invitation, now: datetime = NOW) -> InvitationState:
    (status,) = statuses(session, [invitation], now)
    return status.state


def _book(session: Session, invitation: Invitation, start: datetime, now: datetime = NOW):
    return book(
        session,
        request=BookingRequest(
            "dossier",
            start,
            invitation.staff_id,
            LocationKind.OFFICE,
            Citizen("Wouter Van Eeckhout", PHONE),
            invitation_code=invitation.code,
        ),
        actor=Actor.citizen(Channel.WEB),
        now=now,
        zone=BXL,
    ).booking


def _local(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=BXL).astimezone(UTC)


# --- Making one -----------------------------------------------------------------------------


def test_an_invitation_is_the_handlers_with_a_typeable_code_and_whole_local_days(
    session, handler, dossier
):
    invitation = _invite(session, handler)

    assert is_invitation_code(invitation.code)
    assert invitation.code.startswith(CODE_PREFIX)
    assert len(invitation.code) == len(CODE_PREFIX) + CODE_LENGTH
    assert (invitation.staff_id, invitation.service_id) == (handler.id, dossier.id)
    assert (invitation.dossier_code, invitation.phone) == ("PV 2026/1234", PHONE)
    assert invitation.created_at == NOW
    # From local midnight of the first day to the last second of the last day (winter: +1).
    assert invitation.valid_from == datetime(2026, 11, 30, 23, 0, tzinfo=UTC)
    assert invitation.valid_until == datetime(2026, 12, 15, 22, 59, 59, tzinfo=UTC)
    assert invitation.valid_until.astimezone(BXL).date() == date(2026, 12, 15)
    assert valid_invitation(session, invitation.code, dossier, NOW).id == invitation.id


def test_the_window_follows_local_days_across_the_clock_change(session, handler, dossier):
    spring = datetime(2026, 3, 27, 9, tzinfo=UTC)  # Friday; summer time starts on Sunday 29
    invitation = _invite(
        session, handler, now=spring, first_day=date(2026, 3, 27), last_day=date(2026, 3, 29)
    )
    assert invitation.valid_from == datetime(2026, 3, 26, 23, 0, tzinfo=UTC)  # +01:00
    assert invitation.valid_until == datetime(2026, 3, 29, 21, 59, 59, tzinfo=UTC)  # +02:00


def test_the_invitation_leaves_a_trace_with_the_sms_language(session, handler, dossier):
    invitation = _invite(session, handler, language="fr")
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "invitation_created")
    ).one()
    assert (entry.actor_kind, entry.actor_id, entry.channel) == (
        ActorKind.STAFF,
        handler.id,
        Channel.STAFF,
    )
    assert entry.details["invitation_id"] == invitation.id
    assert entry.details["dossier_code"] == "PV 2026/1234"
    assert PHONE not in str(entry.details)  # the trace needs no phone number
    assert sms_language(session, invitation) == "fr"


def test_an_invitation_made_elsewhere_has_a_dutch_sms(session, handler, dossier):
    seeded = make_invitation(session, handler, dossier, valid_from=NOW, valid_until=NOW)
    assert sms_language(session, seeded) == "nl"


def test_codes_use_no_ambiguous_characters_and_never_repeat(session, handler, dossier):
    assert not set("01OIL") & set(CODE_ALPHABET)
    taken = _invite(session, handler).code
    # A source that first repeats the taken code, then gives another one.
    repeat = [CODE_ALPHABET.index(c) for c in taken.removeprefix(CODE_PREFIX)]
    draws = iter([*repeat, *([0] * CODE_LENGTH)])
    assert new_code(session, randbelow=lambda _n: next(draws)) == CODE_PREFIX + "2" * CODE_LENGTH
    codes = {new_code(session) for _ in range(200)}
    assert len(codes) == 200
    assert all(is_invitation_code(c) for c in codes)
    assert not is_invitation_code("INV-0OIL1234")
    assert not is_invitation_code("INV-123456")  # the demo seed's older form


def test_only_an_active_case_handler_invites(session, dossier):
    officer = make_staff(session, roles=(Role.DISTRICT_OFFICER,))
    with pytest.raises(Forbidden):
        _invite(session, officer)
    retired = make_staff(session, roles=(Role.CASE_HANDLER,), active=False)
    with pytest.raises(Forbidden):
        _invite(session, retired)
    with pytest.raises(Forbidden):  # nobody in particular
        invite(session, request=_request(), actor=Actor.system(), now=NOW, zone=BXL)
    assert session.scalars(select(Invitation)).all() == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"service_code": "wijkagent"}, "service"),
        ({"dossier_code": "  "}, "dossier_code"),
        ({"dossier_code": "x" * 41}, "dossier_code"),
        ({"phone": "0470 12 34 56"}, "phone"),  # raw input: the edge parses it
        ({"language": "de"}, "language"),
        ({"first_day": TODAY - timedelta(days=1)}, "valid_from"),
        ({"last_day": TODAY - timedelta(days=1)}, "valid_until"),
        ({"last_day": TODAY + timedelta(days=MAX_WINDOW_DAYS + 1)}, "valid_until"),
    ],
)
def test_a_bad_request_names_the_field(session, handler, dossier, change, field):
    make_service(session, code="wijkagent")  # booked without an invitation
    with pytest.raises(InvalidRequest) as refused:
        _invite(session, handler, **change)
    assert refused.value.field == field
    assert session.scalars(select(Invitation)).all() == []


def test_an_unknown_service_is_not_found(session, handler):
    with pytest.raises(NotFound):
        _invite(session, handler, service_code="nothing")


def test_window_problems_and_the_default_window():
    assert default_window(TODAY) == (TODAY, date(2026, 12, 15))
    assert window_problems(*default_window(TODAY), today=TODAY) == {}
    assert window_problems(TODAY, TODAY, today=TODAY) == {}  # one day will do
    longest = TODAY + timedelta(days=MAX_WINDOW_DAYS)
    assert window_problems(TODAY, longest, today=TODAY) == {}
    assert window_problems(TODAY, longest + timedelta(days=1), today=TODAY) == {
        "valid_until": WindowProblem.TOO_LONG
    }
    yesterday = TODAY - timedelta(days=1)
    assert window_problems(yesterday, yesterday - timedelta(days=1), today=TODAY) == {
        "valid_from": WindowProblem.STARTS_IN_THE_PAST,
        "valid_until": WindowProblem.ENDS_BEFORE_IT_STARTS,
    }


# --- What became of it --------------------------------------------------------------------------


def test_open_then_booked_then_open_again_after_a_cancellation_then_used(session, handler, dossier):
    invitation = _invite(session, handler)
    assert _state(session, invitation) is InvitationState.OPEN

    booking = _book(session, invitation, _local(date(2026, 12, 3), 9))
    (status,) = statuses(session, [invitation], NOW)
    assert (status.state, status.booking) == (InvitationState.BOOKED, booking)

    cancel(session, booking=booking, actor=Actor.citizen(Channel.WEB), now=NOW)
    (status,) = statuses(session, [invitation], NOW)
    assert (status.state, status.booking) == (InvitationState.OPEN, booking)

    again = _book(session, invitation, _local(date(2026, 12, 4), 9))
    later = again.start_at + timedelta(hours=1)
    close(
        session, booking=again, outcome=BookingStatus.DONE, actor=Actor.staff(handler.id), now=later
    )
    (status,) = statuses(session, [invitation], later)
    assert (status.state, status.booking) == (InvitationState.USED, again)


def test_an_invitation_expires_after_its_last_day(session, handler, dossier):
    invitation = _invite(session, handler)
    assert _state(session, invitation, _local(date(2026, 12, 15), 23)) is InvitationState.OPEN
    assert _state(session, invitation, _local(date(2026, 12, 16), 0)) is InvitationState.EXPIRED


def test_statuses_keep_the_order_given(session, handler, dossier):
    first, second = _invite(session, handler), _invite(session, handler, dossier_code="PV 2")
    _book(session, second, _local(date(2026, 12, 3), 9))
    found = statuses(session, [second, first], NOW)
    assert [(s.invitation, s.state) for s in found] == [
        (second, InvitationState.BOOKED),
        (first, InvitationState.OPEN),
    ]
    assert statuses(session, [], NOW) == []


# --- Withdrawing ---------------------------------------------------------------------------


def test_a_withdrawn_invitation_no_longer_opens_any_moment(session, handler, dossier):
    invitation = _invite(session, handler)
    later = NOW + timedelta(hours=2)
    withdraw(session, invitation=invitation, actor=Actor.staff(handler.id), now=later)

    assert invitation.valid_until < later  # not even a request in the same instant
    with pytest.raises(NotAllowed):
        valid_invitation(session, invitation.code, dossier, later)
    with pytest.raises(NotAllowed):
        valid_invitation(session, invitation.code, dossier, later + timedelta(seconds=1))
    with pytest.raises(NotAllowed):
        _book(session, invitation, _local(date(2026, 12, 3), 9), now=later + timedelta(minutes=1))
    # Withdrawn, not merely expired, for as long as anyone looks.
    assert _state(session, invitation, later) is InvitationState.WITHDRAWN
    assert _state(session, invitation, NOW + timedelta(days=60)) is InvitationState.WITHDRAWN
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "invitation_withdrawn")
    ).one()
    assert (entry.actor_id, entry.details["invitation_id"]) == (handler.id, invitation.id)


def test_an_invitation_that_has_not_started_yet_can_be_withdrawn(session, handler, dossier):
    invitation = _invite(session, handler, first_day=TODAY + timedelta(days=7))
    withdraw(session, invitation=invitation, actor=Actor.staff(handler.id), now=NOW)
    assert invitation.valid_from <= invitation.valid_until < NOW
    assert _state(session, invitation, NOW + timedelta(days=8)) is InvitationState.WITHDRAWN


def test_an_expired_one_stays_expired_beside_a_withdrawn_one(session, handler, dossier):
    kept = _invite(session, handler, last_day=TODAY)
    ended = _invite(session, handler, last_day=TODAY)
    withdraw(session, invitation=ended, actor=Actor.staff(handler.id), now=NOW)
    found = statuses(session, [kept, ended], NOW + timedelta(days=2))
    assert [s.state for s in found] == [InvitationState.EXPIRED, InvitationState.WITHDRAWN]


@pytest.mark.parametrize("state", ["booked", "expired", "withdrawn"])
def test_only_an_open_invitation_is_withdrawn(session, handler, dossier, state):
    invitation = _invite(session, handler, last_day=TODAY + timedelta(days=3))
    now = NOW
    if state == "booked":
        _book(session, invitation, _local(date(2026, 12, 3), 9))
    elif state == "expired":
        now = NOW + timedelta(days=5)
    else:
        withdraw(session, invitation=invitation, actor=Actor.staff(handler.id), now=NOW)
        now = NOW + timedelta(minutes=1)
    until = invitation.valid_until
    with pytest.raises(NotAllowed):
        withdraw(session, invitation=invitation, actor=Actor.staff(handler.id), now=now)
    assert invitation.valid_until == until
