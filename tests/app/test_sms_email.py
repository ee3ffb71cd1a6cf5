"""E-mail, the second channel, against a real SMTP server on loopback (aiosmtpd): copies of
the notices, their own keys and retries, and a call-back only when both channels fail."""

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from freezegun import freeze_time
from sqlalchemy import select

from app.config import Config
from app.notify.mail import SmtpTransport
from app.notify.models import CallbackTask, OutboxMessage
from app.worker import notify_events, send_sms
from scheduling.booking import booking_by_token, cancel
from scheduling.enums import MessageKind, NoticeChannel, OutboxStatus
from scheduling.notices import SendError
from scheduling.trail import Actor
from tests.api_calls import book_by_api
from tests.app.sms_recorder import FakeTransport
from tests.app.twilio_mock import free_port
from tests.factories import NOW, TEST_SECRET_KEY

ADDRESS = "jan.peeters@example.be"
INVALID_TO = SendError("21211", "invalid 'To' number", retryable=False)


class Mailbox:
    """An SMTP server's handler: keeps what it accepts; ``refuse`` answers RCPT instead."""

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []
        self.refuse: str | None = None

    async def handle_RCPT(  # noqa: N802  (aiosmtpd's hook name)
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append(parsed)
        return "250 Message accepted for delivery"


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


@pytest.fixture
def sms() -> FakeTransport:
    return FakeTransport()


@pytest.fixture
def mail_app(app: Flask, mailbox, sms) -> Iterator[Flask]:
    """The app with SMTP pointed at the loopback server; SMS into a scripted fake."""
    original = app.config["BLAUWLIJN"]
    config = dataclasses.replace(
        original, smtp_host="127.0.0.1", smtp_port=mailbox[1], smtp_from="afspraak@pz.example"
    )
    app.config["BLAUWLIJN"] = config
    app.extensions["sms_transport"] = sms
    app.extensions["mail_transport"] = SmtpTransport(config)
    yield app
    app.config["BLAUWLIJN"] = original
    del app.extensions["sms_transport"], app.extensions["mail_transport"]


def _rows(session, channel: NoticeChannel) -> list[OutboxMessage]:
    session.expire_all()
    return list(
        session.scalars(
            select(OutboxMessage).where(OutboxMessage.channel == channel).order_by(OutboxMessage.id)
        )
    )


def _run(app: Flask) -> None:
    notify_events(app)
    send_sms(app)


@freeze_time(NOW)
def test_the_confirmation_goes_by_sms_and_by_email_once(
    mail_app, client, officer, session, mailbox
):
    citizen = {"name": "Jan Peeters", "phone": "0470 12 34 56", "email": ADDRESS}
    answer = book_by_api(client, officer, language="en", citizen=citizen)
    _run(mail_app)
    _run(mail_app)
    (mail,) = mailbox[0].received
    assert mail["To"] == ADDRESS
    assert mail["From"] == "afspraak@pz.example"
    assert mail["Subject"] == "Police Pajottenland: your appointment is booked"
    assert f"/appointment/{answer['manage_token']}" in mail.get_content()
    (row,) = _rows(session, NoticeChannel.EMAIL)  # no reminder by e-mail
    assert row.idempotency_key == f"email:confirmation:{row.booking_id}"
    assert row.status is OutboxStatus.SENT
    assert row.provider_sid in mail["Message-ID"]
    assert [m.kind for m in _rows(session, NoticeChannel.SMS)] == [
        MessageKind.CONFIRMATION,
        MessageKind.REMINDER,
    ]


@freeze_time(NOW)
def test_without_smtp_or_without_an_address_nothing_goes_by_email(
    app, client, officer, session, mail_app
):
    book_by_api(client, officer)  # no address
    assert _rows(session, NoticeChannel.EMAIL) == []
    mail_app.config["BLAUWLIJN"] = dataclasses.replace(mail_app.config["BLAUWLIJN"], smtp_host=None)
    citizen = {"name": "Jan Peeters", "phone": "0470 12 34 56", "email": ADDRESS}
    book_by_api(client, officer, citizen=citizen, start="2026-12-02T10:30:00+01:00")
    assert _rows(session, NoticeChannel.EMAIL) == []


def _cancel_by_staff(session, officer, token: str) -> None:
    cancel(
        session,
        booking=booking_by_token(session, token),
        actor=Actor.staff(officer.id),
        now=datetime.now(UTC),
        reason="Ziek",
    )
    session.commit()


def _booked_with_email(client, officer, mail_app) -> str:
    citizen = {"name": "Jan Peeters", "phone": "0470 12 34 56", "email": ADDRESS}
    token = book_by_api(client, officer, language="nl", citizen=citizen)["manage_token"]
    _run(mail_app)
    return str(token)


@freeze_time(NOW)
def test_an_undeliverable_sms_with_a_delivered_email_needs_no_call_back(
    mail_app, client, officer, session, mailbox, sms
):
    token = _booked_with_email(client, officer, mail_app)
    _cancel_by_staff(session, officer, token)
    sms.answers = [INVALID_TO]
    _run(mail_app)
    notice = _rows(session, NoticeChannel.SMS)[-1]
    assert (notice.kind, notice.status) == (MessageKind.CANCELLED_BY_STAFF, OutboxStatus.FINAL)
    cancelled = mailbox[0].received[-1]
    assert cancelled["Subject"].startswith("Politie Pajottenland")  # booked in Dutch
    assert "Ziek" in cancelled.get_content()
    assert session.scalars(select(CallbackTask)).all() == []


@freeze_time(NOW)
def test_a_call_back_only_when_both_channels_fail_in_either_order(
    mail_app, client, officer, session, mailbox, sms
):
    token = _booked_with_email(client, officer, mail_app)
    _cancel_by_staff(session, officer, token)
    sms.answers = [SendError("500", "server error", retryable=True)]
    mailbox[0].refuse = "550 5.1.1 No such mailbox"
    _run(mail_app)
    email = _rows(session, NoticeChannel.EMAIL)[-1]
    assert (email.status, email.last_error_code) == (OutboxStatus.FINAL, "smtp-550")
    assert session.scalars(select(CallbackTask)).all() == []  # the SMS may still arrive
    sms.answers = [INVALID_TO]
    with freeze_time(datetime.now(UTC) + timedelta(minutes=1)):
        _run(mail_app)
        _run(mail_app)
    task = session.scalars(select(CallbackTask)).one()
    assert task.booking_id == email.booking_id
    assert "21211" in task.reason


@freeze_time(NOW)
def test_a_temporary_smtp_refusal_is_tried_again_later(mail_app, client, officer, session, mailbox):
    mailbox[0].refuse = "451 4.3.0 Try again later"
    citizen = {"name": "Jan Peeters", "phone": "0470 12 34 56", "email": ADDRESS}
    book_by_api(client, officer, citizen=citizen)
    _run(mail_app)
    (row,) = _rows(session, NoticeChannel.EMAIL)
    assert (row.status, row.attempts, row.last_error_code) == (
        OutboxStatus.PENDING,
        1,
        "smtp-451",
    )
    assert row.next_attempt_at == datetime.now(UTC) + timedelta(seconds=30)
    mailbox[0].refuse = None
    with freeze_time(datetime.now(UTC) + timedelta(seconds=30)):
        _run(mail_app)
    assert len(mailbox[0].received) == 1
    assert _rows(session, NoticeChannel.EMAIL)[0].status is OutboxStatus.SENT


def _transport(port: int, instance: Path) -> SmtpTransport:
    config = dataclasses.replace(
        Config.from_env(instance, env={"SECRET_KEY": TEST_SECRET_KEY}),
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_from="afspraak@pz.example",
    )
    return SmtpTransport(config)


@pytest.mark.parametrize(
    "to",
    [
        "me@x.be, victim1@example.be, victim2@example.be",  # one notice to three people
        "me@x.be\r\nBcc: victim1@example.be",  # a header of one's own
        "Jan <me@x.be>",
    ],
)
def test_the_mail_transport_refuses_anything_but_one_address_for_good(mailbox, tmp_path, to):
    handler, port = mailbox
    outcome = _transport(port, tmp_path).send(to=to, subject="Uw afspraak", body="Tot dan.")
    assert isinstance(outcome, SendError)
    assert not outcome.retryable  # the outbox marks it final: no retries, no crash
    assert "me@x.be" not in outcome.message  # the error is logged and stored: no address
    assert handler.received == []


def test_the_mail_transport_sends_to_the_one_address_only(mailbox, tmp_path):
    handler, port = mailbox
    outcome = _transport(port, tmp_path).send(
        to="Jan@Exämple.be", subject="Uw afspraak", body="Tot dan."
    )
    assert not isinstance(outcome, SendError)
    (received,) = handler.received
    assert received["To"] == "Jan@xn--exmple-cua.be"
