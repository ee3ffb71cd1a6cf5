"""A bailiff office hears of its assistance by e-mail, in its own language, never by SMS:
booked, moved (by itself, or by the zone with the zone's reason), cancelled (by itself, or
refused by the zone with its reason). The officer hears of the office's cancellation as of a
citizen's."""

import dataclasses
from datetime import UTC, datetime

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app import commands as app_commands
from app.assistance import commands
from app.notify.models import OutboxMessage
from app.notify.outbox import claim_event, handle_event
from scheduling.addresses import Address
from scheduling.enums import Channel, MessageKind, NoticeChannel
from scheduling.models import BailiffAccount, Booking
from scheduling.trail import Actor
from tests.app.bailiff_portal import NOW_UTC, THURSDAY_8, make_kinds
from tests.factories import NOW, make_bailiff, make_staff
from tests.office_login import make_office_user

LATER = datetime(2026, 12, 10, 7, tzinfo=UTC)  # Thursday a week later, 08:00 in Brussels


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time(NOW):
        yield


@pytest.fixture
def config(app):
    """The app with SMTP configured (the rows are what is tested, nothing is sent), in an
    app context as the worker runs (the texts are translated there)."""
    original = app.config["BLAUWLIJN"]
    app.config["BLAUWLIJN"] = dataclasses.replace(
        original, smtp_host="127.0.0.1", smtp_from="afspraak@pz.example"
    )
    with app.app_context():
        yield app.config["BLAUWLIJN"]
    app.config["BLAUWLIJN"] = original


def _office(session, language: str) -> BailiffAccount:
    make_kinds(session)
    office = make_bailiff(
        session, token=f"token-{language}", language=language, email=f"{language}@etude.example.be"
    )
    make_office_user(session, office, email=f"user-{language}@etude.example.be")
    return office


def _book(session, office: BailiffAccount, config) -> Booking:
    request = commands.AssistanceRequest(
        address=Address("1547", "Plaats", "3"),
        file_reference="DOS-77",
        execution_kind="eviction",
        officers=2,
        duration_minutes=120,
    )
    booked = commands.book(
        session,
        request,
        start=THURSDAY_8,
        who=commands.OfficeActor(office, Channel.API),
        now=NOW_UTC,
        config=config,
    )
    return booked.booking


def _handled(session, config) -> None:
    while (event := claim_event(session)) is not None:
        handle_event(session, event, config=config, now=NOW_UTC)


def _mails(session, booking: Booking, kind: MessageKind) -> list[OutboxMessage]:
    return list(
        session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.booking_id == booking.id, OutboxMessage.kind == kind
            )
        )
    )


@pytest.mark.parametrize(
    ("language", "subject", "line"),
    [
        (
            "nl",
            "Politie Pajottenland: bijstand geboekt, donderdag 3 december 2026 (DOS-77)",
            "Uw dossier: DOS-77 (Uithuiszetting)",
        ),
        (
            "fr",
            "Police Pajottenland : assistance réservée, jeudi 3 décembre 2026 (DOS-77)",
            "Votre dossier : DOS-77 (Expulsion)",
        ),
    ],
)
def test_the_booking_is_confirmed_by_email_in_the_offices_language(
    session, bailiff_service, config, language, subject, line
):
    office = _office(session, language)
    booking = _book(session, office, config)
    _handled(session, config)
    (mail,) = _mails(session, booking, MessageKind.ASSISTANCE_BOOKED)
    assert mail.channel is NoticeChannel.EMAIL
    assert mail.recipient == office.email
    assert mail.subject == subject
    assert line in mail.body
    assert f"/deurwaarder/boekingen/{booking.reference}" in mail.body
    assert (
        session.scalars(
            select(OutboxMessage).where(OutboxMessage.channel == NoticeChannel.SMS)
        ).all()
        == []
    )


def test_a_supervisors_move_with_a_reason_reaches_the_office(session, bailiff_service, config):
    office = _office(session, "fr")
    booking = _book(session, office, config)
    supervisor = make_staff(session, name="Commissaire Lambert")
    app_commands.move(
        session,
        booking,
        start=LATER,
        actor=Actor.staff(supervisor.id),
        now=NOW_UTC,
        config=config,
        reason="Manifestation à Bever",
    )
    _handled(session, config)
    (mail,) = _mails(session, booking, MessageKind.ASSISTANCE_CHANGED)
    assert mail.recipient == office.email
    assert mail.subject.startswith("Police Pajottenland : assistance déplacée, jeudi 10 décembre")
    assert "a dû déplacer" in mail.body
    assert "Motif : Manifestation à Bever" in mail.body
    assert "avant : jeudi 3 décembre 08:00" in mail.body
    assert "Lambert" not in mail.body


def test_the_offices_own_move_is_confirmed_without_a_zone_reason(session, bailiff_service, config):
    office = _office(session, "nl")
    booking = _book(session, office, config)
    commands.move(
        session,
        booking,
        start=LATER,
        who=commands.OfficeActor(office, Channel.WEB),
        now=NOW_UTC,
        config=config,
    )
    _handled(session, config)
    (mail,) = _mails(session, booking, MessageKind.ASSISTANCE_CHANGED)
    assert mail.body.startswith("Uw kantoor heeft de politiebijstand verplaatst")
    assert "Reden" not in mail.body


def test_a_refusal_by_the_zone_gives_its_reason(session, bailiff_service, config):
    office = _office(session, "nl")
    booking = _book(session, office, config)
    supervisor = make_staff(session, name="Commissaris Peeters")
    app_commands.cancel(
        session, booking, actor=Actor.staff(supervisor.id), now=NOW_UTC, reason="Te weinig ploegen"
    )
    _handled(session, config)
    (mail,) = _mails(session, booking, MessageKind.ASSISTANCE_CANCELLED)
    assert mail.subject == "Politie Pajottenland: bijstand geannuleerd (DOS-77)"
    assert "kan de bijstand hieronder niet verlenen" in mail.body
    assert "Reden: Te weinig ploegen" in mail.body


def test_the_offices_cancellation_is_confirmed_and_the_officer_told(
    session, bailiff_service, config, officer
):
    office = _office(session, "nl")
    booking = _book(session, office, config)
    commands.cancel(
        session, booking, who=commands.OfficeActor(office, Channel.WEB), now=NOW_UTC, reason=None
    )
    _handled(session, config)
    (mail,) = _mails(session, booking, MessageKind.ASSISTANCE_CANCELLED)
    assert mail.body.startswith("Uw kantoor heeft de politiebijstand hieronder geannuleerd")
    (sms,) = _mails(session, booking, MessageKind.CANCELLED_BY_CITIZEN)
    assert sms.channel is NoticeChannel.SMS
    assert sms.recipient == booking.staff.phone


def test_without_smtp_nothing_is_queued_for_the_office(session, bailiff_service, app):
    config = app.config["BLAUWLIJN"]
    office = _office(session, "nl")
    booking = _book(session, office, config)
    _handled(session, config)
    assert _mails(session, booking, MessageKind.ASSISTANCE_BOOKED) == []
