"""The portal's signed-in state, kept apart from the staff's: the signed session cookie holds
``office`` = {id (OfficeUser.id), v (its auth version), at (signed in), seen (last request)}
as epoch seconds, checked against the database on every portal request. Between password
and TOTP code it holds only ``office_pending`` = {id, v, at}, which opens nothing.

Bumping ``OfficeUser.auth_version`` (sign-out everywhere, new password, removed by the
office's admin) ends every session of that user at its next request.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import g, session

from app import current
from app.assistance.models import OfficeUser
from app.assistance.office_credentials import is_locked
from app.db import get_session

IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=12)
SECOND_STEP_TIMEOUT = timedelta(minutes=5)

SIGNED_IN = "office"
PENDING = "office_pending"
KEPT_ACROSS_SIGN_IN = ("lang",)


def epoch(instant: datetime) -> int:
    return int(instant.timestamp())


def new_session() -> None:
    """Drop everything (CSRF token, signed-in state) but the language."""
    kept = {k: session[k] for k in KEPT_ACROSS_SIGN_IN if k in session}
    session.clear()
    session.update(kept)


def sign_in(user: OfficeUser) -> None:
    """Start a new signed-in session (after password and TOTP code)."""
    new_session()
    t = epoch(current.now())
    session[SIGNED_IN] = {"id": user.id, "v": user.auth_version, "at": t, "seen": t}
    g.office_user = user


def begin_second_step(user: OfficeUser, *, next_url: str | None) -> None:
    """Password right, TOTP code still to come: a new session that opens nothing yet."""
    new_session()
    session[PENDING] = {
        "id": user.id,
        "v": user.auth_version,
        "at": epoch(current.now()),
        "next": next_url,
    }


def pending() -> tuple[OfficeUser, str | None] | None:
    """The user waiting for their TOTP code (and where to go after), if still valid: within
    SECOND_STEP_TIMEOUT, not locked meanwhile."""
    state = session.get(PENDING)
    if not isinstance(state, dict):
        return None
    user = valid_user(state)
    if user is None or age(state, "at") >= SECOND_STEP_TIMEOUT or is_locked(user, current.now()):
        session.pop(PENDING, None)
        return None
    next_url = state.get("next")
    return user, next_url if isinstance(next_url, str) else None


def sign_out() -> None:
    new_session()
    g.office_user = None


def current_office_user() -> OfficeUser | None:
    """The office user signed in on this request, or None (timed out, signed out everywhere,
    removed, office inactive, demo login outside demo mode); the idle clock restarts."""
    if "office_user" not in g:
        g.office_user = _load()
    user: OfficeUser | None = g.office_user
    return user


def _load() -> OfficeUser | None:
    state = session.get(SIGNED_IN)
    if not isinstance(state, dict):
        return None
    user = valid_user(state)
    if user is None or age(state, "at") >= ABSOLUTE_TIMEOUT or age(state, "seen") >= IDLE_TIMEOUT:
        session.pop(SIGNED_IN, None)
        g.office_session_ended = True
        return None
    session[SIGNED_IN] = {**state, "seen": epoch(current.now())}
    return user


def valid_user(state: dict[str, Any]) -> OfficeUser | None:
    """The user the state names, if their sessions still hold and they may sign in."""
    user_id = state.get("id")
    if not isinstance(user_id, int):
        return None
    user = get_session().get(OfficeUser, user_id)
    if (
        user is None
        or user.auth_version != state.get("v")
        or not user.active
        or not user.office.active
        or user.password_hash is None
        or (user.demo and not current.config().demo_mode)
    ):
        return None
    return user


def age(state: dict[str, Any], key: str) -> timedelta:
    stamp = state.get(key)
    if not isinstance(stamp, int):
        return timedelta.max
    return current.now() - datetime.fromtimestamp(stamp, UTC)
