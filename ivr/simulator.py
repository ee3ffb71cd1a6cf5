"""A caller in the terminal: ``flask --app app ivr-sim`` calls the app's own voice
webhooks as Twilio does (signed requests; Gather, Redirect, Enqueue, Record, Leave, Hangup,
Dial) and prints what the caller hears. What the console does with the call (take it, hold,
transfer) reaches it as Twilio's REST redirect would (``ivr.telephony.simulated``). The
tests walk whole calls with ``CallWalker``."""

import secrets
import select
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import click
import requests
from flask import current_app
from flask.cli import with_appcontext
from flask.testing import FlaskClient
from twilio.request_validator import RequestValidator

from app import current
from ivr.telephony.twiml import LANGUAGE_OFFERS, SPEECH_LANGUAGES

BLUE_NUMBER = "+3254313501"
VOICE_LANGUAGES = {code: language for language, code in SPEECH_LANGUAGES.items()}


class Transport(Protocol):
    def post(self, path: str, params: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        """POST a form to ``path`` (with its query); (status, body)."""
        ...


@dataclass
class InProcess:
    """Through the Flask test client: no server needed."""

    client: FlaskClient

    def post(self, path: str, params: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        response = self.client.post(path, data=params, headers=headers)
        return response.status_code, response.get_data(as_text=True)


@dataclass
class OverHttp:
    """Against a running server (``--url``)."""

    base_url: str

    def post(self, path: str, params: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        response = requests.post(
            urljoin(self.base_url, path), data=params, headers=headers, timeout=15
        )
        return response.status_code, response.text


@dataclass
class Gathering:
    action: str
    rest: list[ElementTree.Element]  # what Twilio does when no key comes
    in_queue: bool
    finish_on_key: str = "#"  # Twilio's default; "" when every key is an answer


@dataclass
class CallWalker:
    """One simulated call. ``heard`` lists (language, text) in order; ``waiting_for`` says
    what the call waits for: "keys", "message", "queue", "conversation" (put through to a
    call-taker or an officer) or "hold"; ``ended`` once it is over."""

    transport: Transport
    public_base_url: str = "http://127.0.0.1:5000"
    auth_token: str | None = None
    caller: str = "+32470123456"
    call_sid: str = field(default_factory=lambda: "CA" + secrets.token_hex(16))
    queue_round_seconds: int = 40
    on_hear: Callable[[str, str], None] | None = None
    heard: list[tuple[str, str]] = field(default_factory=list)
    answers: list[tuple[str, ElementTree.Element]] = field(default_factory=list)
    waiting_for: str | None = None
    over: bool = False
    _gathering: Gathering | None = None
    _record: ElementTree.Element | None = None
    _queue: ElementTree.Element | None = None
    _queue_time: int = 0
    _dialing: ElementTree.Element | None = None
    _started: float = field(default_factory=time.monotonic)

    # --- what the caller does -------------------------------------------------------------

    def call(self) -> list[str]:
        return self._heard_since(lambda: self._run("/ivr/voice"))

    def press(self, keys: str) -> list[str]:
        """Keys on the keypad (a whole code with "#" at once, as Twilio sends it)."""
        gathering = self._expect_gathering()
        if gathering.finish_on_key:
            keys = keys.removesuffix(gathering.finish_on_key)
        return self._heard_since(lambda: self._answer_gather(gathering, keys))

    def silence(self) -> list[str]:
        """No key: Twilio's Gather times out and the TwiML goes on after it."""
        gathering = self._expect_gathering()
        self._gathering = None

        def go_on() -> None:
            self._play(gathering.rest, in_queue=gathering.in_queue)
            if gathering.in_queue and self.waiting_for is None and self._queue is not None:
                self._wait_round()

        return self._heard_since(go_on)

    def speak(self, transcription: str, seconds: int = 12) -> list[str]:
        """Leave a message (its transcription arrives through the callback)."""
        record = self._record
        if record is None or self.waiting_for != "message":
            raise RuntimeError("the call is not recording")
        sid = "RE" + secrets.token_hex(16)
        recording = {
            "RecordingSid": sid,
            "RecordingUrl": f"https://api.twilio.com/recordings/{sid}",
            "RecordingDuration": str(seconds),
        }

        def leave_message() -> None:
            self._record = None
            self._run(record.get("action", ""), recording)
            callback = record.get("transcribeCallback")
            if callback:
                self._post(
                    callback,
                    {
                        **recording,
                        "TranscriptionStatus": "completed",
                        "TranscriptionText": transcription,
                    },
                )

        return self._heard_since(leave_message)

    def keep_waiting(self) -> list[str]:
        if self.waiting_for != "queue":
            raise RuntimeError("the caller is not in the queue")
        return self._heard_since(self._wait_round)

    def answered_by_call_taker(self) -> list[str]:
        """A call-taker picks up (then the conversation ends)."""
        return self._heard_since(lambda: self._leave_queue("bridged"))

    def follow_console(self) -> list[str] | None:
        """What the console did with this call since (taken, held, resumed, transferred),
        as Twilio carries a live call on with the TwiML of a REST redirect; None when the
        console did nothing."""
        status, body = self._send("/ivr/simulator/redirect")
        if status == 204:
            return None
        if status != 200:
            raise RuntimeError(f"/ivr/simulator/redirect answered HTTP {status}: {body[:200]}")
        root = ElementTree.fromstring(body)  # noqa: S314  # the app's own TwiML

        def carry_on() -> None:
            # Twilio ends the wait with QueueResult=redirected; the redirect's TwiML plays.
            queue, self._queue = self._queue, None
            if queue is not None:
                self._post(
                    queue.get("action", ""),
                    {"QueueResult": "redirected", "QueueTime": str(self._queue_time)},
                )
            self._gathering = self._record = None
            self._play(list(root), in_queue=False)

        return self._heard_since(carry_on)

    def hang_up(self) -> list[str]:
        def gone() -> None:
            if self._queue is not None:
                self._leave_queue("hangup")
            self._end()

        return self._heard_since(gone)

    # --- what Twilio does -----------------------------------------------------------------

    def _params(self) -> dict[str, str]:
        return {
            "CallSid": self.call_sid,
            "AccountSid": "AC" + "0" * 32,
            "From": self.caller,
            "To": BLUE_NUMBER,
            "CallStatus": "in-progress",
            "Direction": "inbound",
        }

    def _send(self, url: str, extra: dict[str, str] | None = None) -> tuple[int, str]:
        path = self._path(url)
        params = {**self._params(), **(extra or {})}
        headers = {}
        if self.auth_token:
            validator = RequestValidator(self.auth_token)
            headers["X-Twilio-Signature"] = validator.compute_signature(
                self.public_base_url + path, params
            )
        return self.transport.post(path, params, headers)

    def _post(self, url: str, extra: dict[str, str] | None = None) -> str:
        path = self._path(url)
        status, body = self._send(url, extra)
        if status != 200:
            raise RuntimeError(f"{path} answered HTTP {status}: {body[:200]}")
        return body

    @staticmethod
    def _path(url: str) -> str:
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def _run(
        self, url: str, extra: dict[str, str] | None = None, *, in_queue: bool = False
    ) -> None:
        root = ElementTree.fromstring(self._post(url, extra))  # noqa: S314  # the app's own TwiML
        if root.tag != "Response":
            raise RuntimeError(f"{url} did not answer TwiML")
        self.answers.append((self._path(url), root))
        self._play(list(root), in_queue=in_queue)

    def _play(self, verbs: list[ElementTree.Element], *, in_queue: bool) -> None:
        self.waiting_for = "queue" if in_queue else None
        for i, verb in enumerate(verbs):
            if verb.tag == "Say":
                self._hear(verb)
            elif verb.tag == "Play":
                self._hear_text("", "[hold music]")
                if verb.get("loop") == "0":  # on hold until the console moves the call on
                    self.waiting_for = "hold"
                    return
            elif verb.tag == "Gather":
                for inner in verb:
                    self._hear(inner) if inner.tag == "Say" else self._hear_text("", "[hold music]")
                self._gathering = Gathering(
                    verb.get("action", ""), verbs[i + 1 :], in_queue, verb.get("finishOnKey", "#")
                )
                self.waiting_for = "keys"
                return
            elif verb.tag == "Redirect":
                self._run(verb.text or "", in_queue=in_queue)
                return
            elif verb.tag == "Enqueue":
                self._queue, self._queue_time = verb, 0
                self._wait_round()
                return
            elif verb.tag == "Leave":
                self._leave_queue("leave")
                return
            elif verb.tag == "Record":
                self._hear_text("", "[beep]")
                self._record = verb
                self.waiting_for = "message"
                return
            elif verb.tag == "Hangup":
                self._end()
                return
            elif verb.tag == "Dial":
                self._dial(verb)
                return
        if not in_queue:
            self._end()  # Twilio hangs up when the TwiML runs out

    def _dial(self, dial: ElementTree.Element) -> None:
        """Put through: to a call-taker's browser phone (``<Client>``) or a number."""
        client = dial.find("Client")
        if client is not None:
            identity = client.findtext("Identity") or (client.text or "").strip()
            self._hear_text("", f"[put through to call-taker {identity}]")
        else:
            self._hear_text("", f"[ringing {dial.findtext('Number') or (dial.text or '').strip()}]")
        self.waiting_for = "conversation"
        self._dialing = dial

    def nobody_answers(self) -> list[str]:
        """The number put through to does not answer: Twilio asks the Dial's action."""
        dial = self._dialing
        if dial is None or self.waiting_for != "conversation" or not dial.get("action"):
            raise RuntimeError("the call is not ringing a number")

        def unanswered() -> None:
            self._dialing = None
            self._run(dial.get("action", ""), {"DialCallStatus": "no-answer"})

        return self._heard_since(unanswered)

    def _answer_gather(self, gathering: Gathering, keys: str) -> None:
        self._gathering = None
        self._run(gathering.action, {"Digits": keys}, in_queue=gathering.in_queue)

    def _wait_round(self) -> None:
        assert self._queue is not None  # called only while queued
        self._queue_time += self.queue_round_seconds
        self._run(
            self._queue.get("waitUrl", ""),
            {
                "QueuePosition": "1",
                "QueueTime": str(self._queue_time),
                "AvgQueueTime": "90",
                "CurrentQueueSize": "1",
            },
            in_queue=True,
        )

    def _leave_queue(self, result: str) -> None:
        queue, self._queue = self._queue, None
        if queue is None:
            return
        self.waiting_for = None
        self._run(
            queue.get("action", ""),
            {"QueueResult": result, "QueueTime": str(self._queue_time)},
        )

    def _end(self) -> None:
        if self.over:
            return
        self.over = True
        self.waiting_for = None
        self._gathering = self._record = None
        duration = int(time.monotonic() - self._started)
        self._post("/ivr/status", {"CallStatus": "completed", "CallDuration": str(duration)})

    @property
    def ended(self) -> bool:
        return self.over

    def _hear(self, say: ElementTree.Element) -> None:
        self._hear_text(VOICE_LANGUAGES.get(say.get("language", ""), ""), say.text or "")

    def _hear_text(self, language: str, text: str) -> None:
        self.heard.append((language, text))
        if self.on_hear is not None:
            self.on_hear(language, text)

    def _heard_since(self, action: Callable[[], None]) -> list[str]:
        before = len(self.heard)
        action()
        return [text for _, text in self.heard[before:]]

    def _expect_gathering(self) -> Gathering:
        if self._gathering is None or self.waiting_for != "keys":
            raise RuntimeError(f"the call is not waiting for keys but for {self.waiting_for}")
        return self._gathering

    @property
    def last(self) -> ElementTree.Element:
        return self.answers[-1][1]


# --- the command ----------------------------------------------------------------------------


def _print(language: str, text: str) -> None:
    click.echo(f"  {'(' + language + ') ' if language else ''}{text}")


QUEUE_ROUND_SECONDS = 20  # how often a waiting caller hears the queue's news again
WAITING_CHOICES = {
    "queue": "in the queue (a call-taker can take you in the console): h = hang up, "
    "a = answered the old way (<Dial><Queue>), Enter = the next round",
    "conversation": "put through: h = hang up, n = nobody answers",
    "hold": "on hold: h = hang up",
}


def _typed(seconds: float) -> str | None:
    """A line typed within ``seconds``, else None (so the console is watched meanwhile)."""
    ready, _, _ = select.select([sys.stdin], [], [], seconds)
    if not ready:
        return None
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.strip()


def _wait_on_others(walker: CallWalker) -> None:
    """In the queue, put through or on hold: watch the console every second, and the keys."""
    click.echo(WAITING_CHOICES[walker.waiting_for or "queue"])
    started = time.monotonic()
    while True:
        typed = _typed(1.0)
        actions = {
            "h": walker.hang_up,
            "a": walker.answered_by_call_taker,
            "n": walker.nobody_answers,
            "": walker.keep_waiting,
        }
        if typed is not None and (action := actions.get(typed)) is not None:
            action()
            return
        if walker.follow_console() is not None:
            return
        if walker.waiting_for == "queue" and time.monotonic() - started >= QUEUE_ROUND_SECONDS:
            walker.keep_waiting()
            return


def _interact(walker: CallWalker, language: str) -> None:
    walker.call()
    if walker.waiting_for == "keys":  # the first question is the language
        key = LANGUAGE_OFFERS[language][0]
        click.echo(f"> {key}  (--lang {language})")
        walker.press(key)
    while not walker.ended:
        if walker.waiting_for == "keys":
            keys = click.prompt("keys (Enter: say nothing)", default="", show_default=False)
            walker.silence() if not keys.strip() else walker.press(keys.strip())
        elif walker.waiting_for == "message":
            walker.speak(click.prompt("your message (typed)", default="(silence)"))
        else:
            try:
                _wait_on_others(walker)
            except RuntimeError as refused:  # e.g. "n" while not ringing a number
                click.echo(f"  ({refused})")
    click.echo("-- call ended --")


@click.command("ivr-sim")
@click.option(
    "--from", "caller", default="+32470123456", show_default=True, help="The caller's number."
)
@click.option("--lang", type=click.Choice(["nl", "fr", "en"]), default="nl", show_default=True)
@click.option("--url", default=None, help="A running server (default: in-process, no server).")
@click.option("--token", default=None, help="TWILIO_AUTH_TOKEN of that server (to sign).")
@with_appcontext
def ivr_sim(caller: str, lang: str, url: str | None, token: str | None) -> None:
    """Call the blue number from the terminal and hear its menu."""
    config = current.config()
    transport: Transport = OverHttp(url) if url else InProcess(current_app.test_client())
    walker = CallWalker(
        transport,
        public_base_url=config.public_base_url if not url else url.rstrip("/"),
        auth_token=token or config.twilio_auth_token,
        queue_round_seconds=QUEUE_ROUND_SECONDS,
        caller=caller,
        on_hear=_print,
    )
    try:
        _interact(walker, lang)
    except requests.ConnectionError:
        # The first thing a newcomer meets when `make run` is still starting.
        raise click.ClickException(f"nothing answers at {url}: is `make run` going?") from None
    except (click.Abort, EOFError):
        walker.hang_up()
        click.echo("\n-- hung up --")
