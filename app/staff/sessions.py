"""The signed-in state: kept in the signed session cookie, checked against the database on
every staff request (auth version, active, demo mode) and timed out when idle or too old.

The cookie holds ``staff`` = {id, v (the credential's auth version), mfa, at (signed in),
seen (last request)} as epoch seconds; between password and TOTP code it holds only
``staff_pending`` = {id, v, at, next}, which ``current_staff()`` ignores: half signed in
opens nothing. Each step starts a new session (only the chosen language is kept), so a
cookie or CSRF token known before sign-in is worth nothing after it.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import g, session

from app import current
from app.db import get_session
from app.staff.credentials import is_locked, needs_second_factor
from app.staff.models import StaffCredential
from scheduling.models import Staff

IDLE_TIMEOUT = timedelta(minutes=30)  # no staff page asked for this long: signed out
ABSOLUTE_TIMEOUT = timedelta(hours=12)  # a shift, at most: then sign in again
SECOND_STEP_TIMEOUT = timedelta(minutes=5)  # from a right password to the TOTP code

SIGNED_IN = "staff"
PENDING = "staff_pending"
KEPT_ACROSS_SIGN_IN = ("lang",)


def _epoch(instant: datetime) -> int:
    return int(instant.timestamp())


def _demo_mode() -> bool:
    return bool(current.config().demo_mode)


def _new_session() -> None:
    """Drop everything (CSRF token, booking draft, signed-in state) but the language."""
    kept = {k: session[k] for k in KEPT_ACROSS_SIGN_IN if k in session}
    session.clear()
    session.update(kept)


def sign_in(credential: StaffCredential, *, second_factor: bool) -> None:
    """Start a new signed-in session for the credential's staff member."""
    _new_session()
    t = _epoch(current.now())
    session[SIGNED_IN] = {
        "id": credential.staff_id,
        "v": credential.auth_version,
        "mfa": second_factor,
        "at": t,
        "seen": t,
    }
    g.staff = credential.staff


def begin_second_step(credential: StaffCredential, *, next_url: str | None) -> None:
    """Password right, TOTP code still to come: a new session that opens nothing yet."""
    _new_session()
    session[PENDING] = {
        "id": credential.staff_id,
        "v": credential.auth_version,
        "at": _epoch(current.now()),
        "next": next_url,
    }


def pending() -> tuple[StaffCredential, str | None] | None:
    """The credential waiting for its TOTP code (and where to go after), if still valid."""
    state = session.get(PENDING)
    if not isinstance(state, dict):
        return None
    credential = _credential(state)
    fresh = _age(state, "at") < SECOND_STEP_TIMEOUT
    if credential is None or not fresh or is_locked(credential, current.now()):
        session.pop(PENDING, None)
        return None
    next_url = state.get("next")
    return credential, next_url if isinstance(next_url, str) else None


def sign_out() -> None:
    """Forget the signed-in (or half signed-in) state in this browser."""
    _new_session()
    g.staff = None


def current_staff() -> Staff | None:
    """The staff member signed in on this request, or None (never signed in, timed out,
    signed out elsewhere, password changed, deactivated, demo login outside demo mode).

    Also available as ``g.staff`` after the first call; a valid session's idle clock restarts.
    """
    if "staff" not in g:
        g.staff = _load()
    staff: Staff | None = g.staff
    return staff


def session_ended() -> bool:
    """Whether this request came with a signed-in session that has just been found over."""
    return bool(g.get("staff_session_ended"))


def _load() -> Staff | None:
    state = session.get(SIGNED_IN)
    if not isinstance(state, dict):
        return None
    credential = _credential(state)
    valid = (
        credential is not None
        and _age(state, "at") < ABSOLUTE_TIMEOUT
        and _age(state, "seen") < IDLE_TIMEOUT
        and (state.get("mfa") is True or not needs_second_factor(credential))
    )
    if credential is None or not valid:
        session.pop(SIGNED_IN, None)
        g.staff_session_ended = True
        return None
    session[SIGNED_IN] = {**state, "seen": _epoch(current.now())}
    return credential.staff


def _credential(state: dict[str, Any]) -> StaffCredential | None:
    """The credential the state names, if its sessions still hold and it may sign in."""
    staff_id = state.get("id")
    if not isinstance(staff_id, int):
        return None
    credential = get_session().get(StaffCredential, staff_id)
    if (
        credential is None
        or credential.auth_version != state.get("v")
        or not credential.staff.active
        or (credential.demo and not _demo_mode())
    ):
        return None
    return credential


def _age(state: dict[str, Any], key: str) -> timedelta:
    stamp = state.get(key)
    if not isinstance(stamp, int):
        return timedelta.max
    return current.now() - datetime.fromtimestamp(stamp, UTC)
