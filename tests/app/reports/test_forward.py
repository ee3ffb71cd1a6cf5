"""Forwarding a report to its municipality: the event and its e-mail together, the reporter's
identity only when asked, never a sensitive report."""

import pytest
from sqlalchemy import select

from app.notify.models import OutboxMessage
from app.reports import commands, forwarding
from app.reports.commands import Reporter, staff
from app.reports.enums import ReportEventKind
from scheduling.enums import MessageKind, NoticeChannel
from scheduling.errors import InvalidRequest, NotAllowed
from tests.app.reports.factories import BXL, NOW, make_category, submit
from tests.factories import make_staff

TO = "milieu@bever.example.be"


def _forward(session, report, *, with_identity):
    desk = make_staff(session)
    return commands.forward(
        session,
        report,
        to=TO,
        with_identity=with_identity,
        actor=staff(desk.id),
        now=NOW,
        zone_name="Pajottenland",
        zone=BXL,
    )


def _mail(session) -> OutboxMessage:
    return session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == MessageKind.REPORT_FORWARD)
    ).one()


def test_a_forward_is_recorded_and_its_e_mail_queued_without_the_reporter(session):
    report = submit(session, make_category(session), description="Sluikstort aan de kerk")
    event = _forward(session, report, with_identity=False)
    assert (event.kind, event.public) == (ReportEventKind.FORWARDED, False)
    assert event.details == {"to": TO, "municipality": report.municipality, "identity": False}
    mail = _mail(session)
    assert (mail.recipient, mail.channel) == (TO, NoticeChannel.EMAIL)
    assert report.number in mail.body
    assert report.number in (mail.subject or "")
    assert "Sluikstort aan de kerk" in mail.body
    assert "An Peeters" not in mail.body
    assert "470123456" not in mail.body


def test_the_reporter_goes_along_only_when_asked(session):
    report = submit(session, make_category(session))
    _forward(session, report, with_identity=True)
    assert "An Peeters" in _mail(session).body


def test_an_anonymous_reporter_has_no_identity_to_send(session):
    report = submit(session, make_category(session), reporter=Reporter())
    with pytest.raises(InvalidRequest) as refused:
        _forward(session, report, with_identity=True)
    assert refused.value.field == "forward_identity"


def test_a_sensitive_report_is_never_forwarded(session):
    report = submit(session, make_category(session, sensitive=True, handled_by="restricted"))
    with pytest.raises(NotAllowed) as refused:
        _forward(session, report, with_identity=False)
    assert refused.value.field == "forward"
    assert session.scalars(select(OutboxMessage)).all() == []


def test_a_very_long_description_is_shortened_to_fit_the_outbox(session):
    report = submit(session, make_category(session), description="x" * 5000)
    _forward(session, report, with_identity=True)
    body = _mail(session).body
    assert len(body) <= forwarding.LIMIT
    assert body.count("x") > 1000
    assert forwarding.ELLIPSIS in body
    assert report.number in body
