"""Every staff and console page a browser can GET, thrown impossible values (days that
overflow, huge and negative numbers, non-numbers, NUL, direction characters, long and
invalid UTF-8 text) in every query parameter it reads and every id in its path: a clear
4xx at worst, never a 500.

The routes come from ``app.url_map`` and the parameters from what each page actually reads
(``request.args`` is recorded while each route is opened once), so a new page or parameter
is covered without touching this file. The signed-in staff member holds every role, so no
page stops at its access check before reading its input.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote

import pytest
from flask import Flask, Request
from flask.testing import FlaskClient
from freezegun import freeze_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import Rule

from app.notify.models import CallbackTask
from callcenter.claims import take_call
from scheduling.enums import Role
from tests.callcenter.calls import booked_for, queued_call
from tests.factories import (
    make_district,
    make_invitation,
    make_service,
    make_site,
    make_staff,
)
from tests.staff_login import sign_in_as

NOW = "2026-12-01T09:00:00Z"  # a Tuesday, 10:00 in Brussels
NOW_UTC = datetime(2026, 12, 1, 9, tzinfo=UTC)
PREFIXES = ("/staff", "/console")
EXAMPLES_PER_ROUTE = 8  # random combinations; the edge values below are tried one by one too
# Names every page might read, besides those each page is seen reading.
KNOWN_PARAMETERS = ("day", "view", "staff", "from", "to", "until", "week", "lang", "next")
EDGE_VALUES = (
    "0001-01-01",  # the day before does not exist
    "9999-12-31",  # nor the day after
    "99999-01-01",
    "-1",
    "0",
    str(2**31),  # one past PostgreSQL's integer
    "9" * 40,
    "\u00b2",  # "²".isdigit() is true, int("²") fails
    "1.5",
    "\x00",
    "2026-12-01\x00",
    "Jan \u202eneeteP",
    "x" * 5000,
    "all",
)


# --- What each page reads ---------------------------------------------------------------------

_read: set[str] = set()


class _RecordedArgs(ImmutableMultiDict):
    """A query string that remembers which names a page asked it for."""

    def __getitem__(self, key):
        _read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):
        _read.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):
        _read.add(key)
        return super().getlist(key, type)

    def __contains__(self, key):
        _read.add(key)
        return super().__contains__(key)


class _RecordingRequest(Request):
    parameter_storage_class = _RecordedArgs


@dataclass(frozen=True)
class Route:
    rule: Rule
    read: tuple[str, ...]  # the query names the page was seen reading
    ident: str  # an id that opens the page (when its path has one)

    @property
    def parameters(self) -> tuple[str, ...]:
        """Those, and the names any page might read only now and then."""
        return tuple(sorted({*self.read, *KNOWN_PARAMETERS}))


def _get_rules(app: Flask) -> list[Rule]:
    return sorted(
        (
            r
            for r in app.url_map.iter_rules()
            if "GET" in (r.methods or ()) and r.rule.startswith(PREFIXES)
        ),
        key=lambda r: r.rule,
    )


def _path(rule: Rule, values: dict[str, str | bytes]) -> str:
    """The rule's path with ``values`` put in as they come (the converters then judge them)."""
    return re.sub(
        r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: quote(values[m.group(1)], safe=""), rule.rule
    )


def _get(client: FlaskClient, path: str, query: list[tuple[str, str | bytes]]) -> int:
    """GET ``path`` with ``query`` (bytes go as they are: invalid UTF-8 too); the status.
    The app is in testing mode: an error propagates here instead of becoming a 500."""
    encoded = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in query)
    try:
        answer = client.get(path, query_string=encoded)
    except Exception as exc:  # any error is the finding
        pytest.fail(f"GET {path}?{encoded[:300]} raised {exc!r}")
    status = answer.status_code
    answer.close()  # an event stream stops here, after its first line
    # 502/503 are deliberate answers (a voice message without the zone's Twilio account).
    assert status != 500, f"GET {path}?{encoded[:300]} answered {status}"
    return status


# --- The zone, a signed-in staff member with every role, the routes ----------------------------


@pytest.fixture
def frozen() -> Iterator[None]:
    with freeze_time(NOW):
        yield


@pytest.fixture
def zone(frozen, session, client) -> list[str]:
    """Rows for every kind of page, and their ids (as text) to put in paths."""
    me = sign_in_as(client, session, *Role, name="Alle Rollen")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    officer = make_staff(session, name="Geert Demol")
    site = make_site(session)
    district = make_district(session, officer, streets=(("1547", "Plaats"),))
    service = make_service(session, code="wijkagent")
    booking = booked_for(session, "+32470123456", start=NOW_UTC + timedelta(days=2))
    call = queued_call(session, now=NOW_UTC)
    assert take_call(session, call=call, staff_id=me.id, now=NOW_UTC)
    task = CallbackTask(
        reason="Bel terug",
        phone="+32470123456",
        recording_url="https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1",
        created_at=NOW_UTC,
    )
    session.add(task)
    invitation = make_invitation(
        session, me, service, valid_from=NOW_UTC, valid_until=NOW_UTC + timedelta(days=5)
    )
    session.flush()
    ids = {me.id, officer.id, site.id, district.id, service.id, booking.id, call.id, task.id}
    ids.add(invitation.id)
    return sorted(str(i) for i in ids)


@pytest.fixture
def routes(app, client, zone) -> list[Route]:
    """Every staff and console GET route with the query names it reads, found by opening it
    (with each known id in its path) while the query string records what is asked of it."""
    app.request_class = _RecordingRequest
    try:
        found = []
        for rule in _get_rules(app):
            _read.clear()
            opening = [
                ident
                for ident in zone
                if _get(client, _path(rule, dict.fromkeys(rule.arguments, ident)), []) == 200
            ]
            found.append(Route(rule, tuple(sorted(_read)), (opening or zone)[0]))
        return found
    finally:
        app.request_class = Request


# --- The values -------------------------------------------------------------------------------

DAYS = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40),
    st.integers(min_value=2**31 - 3, max_value=2**63 + 3),
).map(str)
TEXT = st.text(
    st.one_of(
        st.characters(exclude_categories=["Cs"]),
        st.sampled_from("\x00\x1b\x7f\x85\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2069"),
    ),
    max_size=40,
)
RAW_BYTES = st.binary(max_size=20)  # percent-encoded as they are: invalid UTF-8 too
VALUES = st.one_of(
    st.sampled_from(EDGE_VALUES), DAYS, NUMBERS, TEXT, RAW_BYTES, DAYS.map(lambda d: d + "\x00")
)


def _query(names: tuple[str, ...]) -> st.SearchStrategy[list[tuple[str, str | bytes]]]:
    return st.lists(st.tuples(st.sampled_from(names), VALUES), min_size=1, max_size=4)


# --- The test ---------------------------------------------------------------------------------


def test_no_staff_or_console_page_answers_impossible_input_with_a_500(client, zone, routes):
    assert any(r.rule.rule == "/staff/agenda" for r in routes)  # the discovery found pages
    assert any(r.rule.rule == "/console/supervisor" for r in routes)
    assert {"day", "staff", "view"} <= set(
        next(r for r in routes if r.rule.rule == "/staff/agenda").read
    )
    for route in routes:
        real = dict.fromkeys(route.rule.arguments, route.ident)
        # Each edge value in each parameter the page reads and in each path id, on its own...
        for value in EDGE_VALUES:
            for name in route.read:
                _get(client, _path(route.rule, real), [(name, value)])
            for name in route.rule.arguments:
                _get(client, _path(route.rule, {**real, name: value}), [])

        # ...then random combinations of them and of anything else.
        _throw_combinations(client, route, zone)


def _throw_combinations(client: FlaskClient, route: Route, ids: list[str]) -> None:
    @settings(
        max_examples=EXAMPLES_PER_ROUTE,
        derandomize=True,  # the same examples every run: no flaky failures
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        query=_query(route.parameters),
        path=st.fixed_dictionaries(
            {n: st.one_of(st.sampled_from(ids), VALUES) for n in route.rule.arguments}
        ),
    )
    def throw(query: list[tuple[str, str | bytes]], path: dict[str, str | bytes]) -> None:
        _get(client, _path(route.rule, path), query)

    throw()
