"""A citizen's SMS from the terminal: ``flask --app app sms-sim --from +32470000000 JA`` posts
it to the app's own ``POST /sms/inbound`` as Twilio does (signed, in-process or to a running
server with ``--url``) and prints the answer: the same code path as a real inbound SMS."""

import secrets
from xml.etree import ElementTree

import click
import requests
from flask import current_app
from flask.cli import with_appcontext
from twilio.request_validator import RequestValidator

from app import current
from ivr.simulator import BLUE_NUMBER, InProcess, OverHttp, Transport

INBOUND = "/sms/inbound"


def send_sms(
    transport: Transport,
    *,
    sender: str,
    body: str,
    public_base_url: str,
    auth_token: str | None,
    message_sid: str | None = None,
) -> str:
    """Post one inbound SMS as Twilio would; the reply's text ("" when none)."""
    params = {
        "MessageSid": message_sid or "SM" + secrets.token_hex(16),
        "AccountSid": "AC" + "0" * 32,
        "From": sender,
        "To": BLUE_NUMBER,
        "Body": body,
    }
    headers = {}
    if auth_token:
        validator = RequestValidator(auth_token)
        headers["X-Twilio-Signature"] = validator.compute_signature(
            public_base_url + INBOUND, params
        )
    status, answer = transport.post(INBOUND, params, headers)
    if status != 200:
        raise click.ClickException(f"{INBOUND} answered HTTP {status}")
    root = ElementTree.fromstring(answer)  # noqa: S314  # the app's own TwiML
    return " ".join((m.text or "").strip() for m in root.iter("Message"))


@click.command("sms-sim")
@click.option("--from", "sender", required=True, help="The citizen's number, e.g. +32470000000.")
@click.option("--url", default=None, help="A running server (default: in-process, no server).")
@click.option("--token", default=None, help="TWILIO_AUTH_TOKEN of that server (to sign).")
@click.argument("words", nargs=-1, required=True)
@with_appcontext
def sms_sim(sender: str, url: str | None, token: str | None, words: tuple[str, ...]) -> None:
    """Send the blue number an SMS (JA, NEE, ANNULEER, STOP...) and print its answer."""
    config = current.config()
    transport: Transport = OverHttp(url) if url else InProcess(current_app.test_client())
    try:
        reply = send_sms(
            transport,
            sender=sender,
            body=" ".join(words),
            public_base_url=config.public_base_url if not url else url.rstrip("/"),
            auth_token=token or config.twilio_auth_token,
        )
    except requests.ConnectionError:
        raise click.ClickException(f"nothing answers at {url}: is `make run` going?") from None
    click.echo(reply or "(no answer)")
