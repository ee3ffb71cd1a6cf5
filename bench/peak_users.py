"""Locust's user classes for the Monday-morning peak (bench/peak.py starts Locust on this file).

Run only by ``bench/peak.py``: it writes the plan (addresses, searches, call-takers, rates) to
a JSON file named by ``PEAK_PLAN``. Each class has a fixed number of users and a pacing, so
the load is bounded in count and rate whatever the server answers:

* ``Citizen`` walks the web booking flow (pages, CSRF tokens, a moment, details, check); a
  moment taken meanwhile is a handled outcome (``outcome: moment taken``), not an error;
* ``Searcher`` asks the API for slots;
* ``Caller`` rings through the signed voice webhooks (``ivr.simulator.CallWalker``): the
  language, the call-takers' topic, the queue's wait rounds, then hangs up;
* ``CallTaker`` holds ``/console/events`` open with a signed-in call-taker's cookie;
* ``Reporter`` files a meldpunt report with a photo.

Every user sends its own ``X-Forwarded-For`` (a household's address): the servers run with
``TRUSTED_PROXIES`` so the per-address rate limits see many households, not one loopback.
"""

import itertools
import json
import os
import random
import re
import secrets
import sys
import time
from io import BytesIO
from pathlib import Path
from typing import Any

from locust import HttpUser, constant_pacing, events, task
from PIL import Image

# Locust puts this file's folder first on the path, where bench/ivr.py would shadow the
# ivr package: the project's root goes first.
ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p).resolve() != ROOT / "bench")]

from ivr.simulator import CallWalker  # noqa: E402

TAKEN = itertools.count()  # call-takers signed in by this process
PLAN: dict[str, Any] = json.loads(Path(os.environ["PEAK_PLAN"]).read_text())
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SLOT = re.compile(r'name="slot"[^>]*value="([^"]+)"')
LOCATION = re.compile(r'name="location"[^>]*value="([^"]+)"')


def _photo() -> bytes:
    """A phone photo's stand-in: a small noisy JPEG (the upload checks it is an image)."""
    out = BytesIO()
    Image.effect_noise((320, 240), 64).convert("RGB").save(out, format="JPEG", quality=90)
    return out.getvalue()


JPEG = _photo()


def _household() -> dict[str, str]:
    """A made-up client address (documentation range 10/8, never routed)."""
    return {
        "X-Forwarded-For": f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
    }


def _outcome(name: str) -> None:
    """Count a handled outcome as its own zero-time row in Locust's table."""
    events.request.fire(
        request_type="outcome",
        name=name,
        response_time=0,
        response_length=0,
        exception=None,
        context={},
    )


def _timed(name: str, began: float) -> None:
    """Count ``name`` as a row with the time since ``began`` (perf_counter)."""
    events.request.fire(
        request_type="stream",
        name=name,
        response_time=(time.perf_counter() - began) * 1000,
        response_length=0,
        exception=None,
        context={},
    )


def _token(page: Any) -> str:
    found = CSRF.search(page.text)
    if found is None:
        raise RuntimeError(f"no CSRF token on {page.url}")
    return found.group(1)


def _pacing(kind: str) -> Any:
    return constant_pacing(PLAN["pacing"][kind])


class Citizen(HttpUser):
    fixed_count = PLAN["users"]["citizen"]
    wait_time = _pacing("citizen")

    @task
    def book(self) -> None:
        # A new citizen each round, from their own home: the limit per address (20 bookings
        # an hour) is for one household, not for the whole zone's morning.
        self.client.cookies.clear()
        self.client.headers.update(_household())
        postcode, street, number = random.choice(PLAN["addresses"])
        page = self.client.get("/book", name="citizen: GET /book")
        token = _token(page)
        page = self.client.post(
            "/book", data={"csrf_token": token, "service": "wijkagent"}, name="citizen: POST /book"
        )
        page = self.client.post(
            "/book/address",
            data={"csrf_token": token, "postcode": postcode, "street": street, "number": number},
            name="citizen: POST /book/address",
        )
        places = LOCATION.findall(page.text)
        if places:
            place = "office" if "office" in places else places[0]
            page = self.client.post(
                "/book/location",
                data={"csrf_token": token, "location": place},
                name="citizen: POST /book/location",
            )
        slots = SLOT.findall(page.text)
        if not slots:
            _outcome("citizen: no moment offered")
            return
        # Many citizens aim at the first moments of the new week: a taken one is likely.
        slot = random.choice(slots[:5])
        self.client.post(
            "/book/moment",
            data={"csrf_token": token, "slot": slot},
            name="citizen: POST /book/moment",
        )
        phone = "+32470" + "".join(random.choices("0123456789", k=6))
        self.client.post(
            "/book/details",
            data={"csrf_token": token, "name": "Piek Burger", "phone": phone, "email": "",
                  "topic": "", "website": ""},
            name="citizen: POST /book/details",
        )  # fmt: skip
        done = self.client.post(
            "/book/check", data={"csrf_token": token}, name="citizen: POST /book/check"
        )
        if "/appointment/" in done.url:
            _outcome("citizen: booked")
        elif "/book/moment" in done.url:
            _outcome("citizen: moment taken meanwhile")
        else:
            _outcome("citizen: not booked (other)")


class Searcher(HttpUser):
    fixed_count = PLAN["users"]["searcher"]
    wait_time = _pacing("searcher")

    @task
    def search(self) -> None:
        path = random.choice(PLAN["searches"])
        self.client.get(path, name="api: GET /api/v1/slots")


class _Transport:
    """CallWalker's transport through Locust's client (one keep-alive connection per call)."""

    def __init__(self, user: HttpUser) -> None:
        self.user = user

    def post(self, path: str, params: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        name = "voice: POST " + path.split("?")[0]
        answer = self.user.client.post(path, data=params, headers=headers, name=name)
        return answer.status_code, answer.text


class Caller(HttpUser):
    fixed_count = PLAN["users"]["caller"]
    wait_time = _pacing("caller")

    def on_start(self) -> None:
        # The first calls come once the call-takers have signed in and are available (all
        # users are spawned within about 10 s): a call before that hears "closed".
        time.sleep(PLAN["settle"] * random.random())  # gevent's sleep

    @task
    def call(self) -> None:
        walker = CallWalker(
            _Transport(self),  # type: ignore[arg-type]
            public_base_url=PLAN["public"],
            auth_token=PLAN["token"],
            caller="+32471" + "".join(random.choices("0123456789", k=6)),
            queue_round_seconds=PLAN["wait_round"],
        )
        walker.call()
        walker.press("1")  # Nederlands
        gather = walker.last.find("Gather")
        if gather is None or not gather.get("action", "").startswith("/ivr/topic"):
            _outcome("caller: no call-taker offered (closed)")
            walker.press("4") if gather is not None else None
            return
        walker.press("2")  # a report or a question: into the call-takers' queue
        if walker.waiting_for != "queue":
            _outcome("caller: not queued")
            return
        waited = 0.0
        while waited < PLAN["hold"]:
            time.sleep(PLAN["wait_round"])
            waited += PLAN["wait_round"]
            walker.keep_waiting()
        walker.hang_up()
        _outcome("caller: waited and hung up")


class CallTaker(HttpUser):
    fixed_count = PLAN["users"]["console"]
    wait_time = _pacing("console")

    def on_start(self) -> None:
        self.client.headers.update(_household())
        # Each Locust process has its own copy of the plan: it takes every n-th call-taker,
        # from its own index on, so no two consoles share an account.
        index = max(0, getattr(self.environment.runner, "worker_index", 0))
        mine = index + next(TAKEN) * PLAN["processes"]
        # bench/peak.py signed them in and set them available before the load began.
        self.client.cookies.update(PLAN["console_cookies"][mine % len(PLAN["console_cookies"])])

    @task
    def stream(self) -> None:
        """Hold the live stream open until the server ends it, as EventSource does."""
        began = time.perf_counter()
        events_seen = 0
        with self.client.get(
            "/console/events", stream=True, name="console: GET /console/events (open)",
            catch_response=True, timeout=(10, 90),
        ) as answer:  # fmt: skip
            for chunk in answer.iter_content(chunk_size=None):
                if not events_seen and b"event: queue" in chunk:
                    _timed("console: stream's first queue event", began)
                events_seen += chunk.count(b"event: queue")
            answer.success()
        events.request.fire(
            request_type="stream",
            name="console: stream held (ms)",
            response_time=(time.perf_counter() - began) * 1000,
            response_length=events_seen,
            exception=None,
            context={},
        )


class Reporter(HttpUser):
    fixed_count = PLAN["users"]["reporter"]
    wait_time = _pacing("reporter")

    @task
    def report(self) -> None:
        # Each report someone else's, from their own home: the limits per address and per
        # contact (5 reports an hour) are for one person, not for the whole zone's morning.
        self.client.cookies.clear()
        self.client.headers.update(_household())
        postcode, street, number = random.choice(PLAN["addresses"])
        self.client.get("/melden?lang=nl", name="meldpunt: GET /melden")
        flow = "/melden/illegal_dumping"
        token = _token(self.client.get(f"{flow}/where", name="meldpunt: GET where"))
        steps: list[tuple[str, dict[str, str]]] = [
            ("where", {"postcode": postcode, "street": street, "number": number}),
            ("when", {"when": "now"}),
            ("what", {"description": "Zakken afval naast de glasbol"}),
        ]
        for step, data in steps:
            self.client.post(f"{flow}/{step}", data={"csrf_token": token, **data},
                             name=f"meldpunt: POST {step}")  # fmt: skip
        self.client.post(
            f"{flow}/photos",
            data={"csrf_token": token, "action": "add"},
            files={"photos": (f"afval-{secrets.token_hex(4)}.jpg", JPEG, "image/jpeg")},
            name="meldpunt: POST photos (upload)",
        )
        self.client.post(f"{flow}/photos", data={"csrf_token": token, "action": "continue"},
                         name="meldpunt: POST photos")  # fmt: skip
        self.client.post(f"{flow}/who", data={"csrf_token": token, "name": "Piek Melder",
                         "email": f"melder-{secrets.token_hex(4)}@example.be", "website": ""}, name="meldpunt: POST who")  # fmt: skip
        done = self.client.post(
            f"{flow}/check", data={"csrf_token": token}, name="meldpunt: POST check"
        )
        _outcome("meldpunt: filed" if done.url.endswith("/melden/done") else "meldpunt: not filed")
