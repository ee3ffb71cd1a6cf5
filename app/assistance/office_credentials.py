"""The bailiff offices' users' credentials: password (argon2) and TOTP code, both always
(they handle enforcement files), with the staff's lockout after wrong tries (app.passwords).

No Flask here: the portal's pages call these with the database session and ``now``; they
flush, never commit.

- ``check_password(session, email, password, now=, demo_mode=)`` → the user, or None for
  every refusal alike (unknown e-mail, wrong password, locked, removed, office inactive,
  not yet accepted, demo login outside demo mode): the caller must not tell which.
- ``check_code(session, user, code, now=)``; ``record_sign_in`` after both.
- ``set_password``, ``enrol_totp``, ``end_all_sessions``.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import passwords
from app.assistance.models import OfficeUser
from scheduling.enums import ActorKind, Channel
from scheduling.models import AuditEntry
from scheduling.trail import Actor


def find_user(session: Session, email: str) -> OfficeUser | None:
    """The office user with this e-mail address (stored lower-cased; spaces ignored)."""
    wanted = email.strip().lower()
    return session.scalar(
        select(OfficeUser).where(OfficeUser.email == wanted)
    )  # stored lower-cased


def may_sign_in(user: OfficeUser, *, demo_mode: bool) -> bool:
    """Active, of an active office, invitation accepted, and no demo login outside demo mode."""
    return (
        user.active
        and user.office.active
        and user.password_hash is not None
        and user.totp_secret is not None
        and (demo_mode or not user.demo)
    )


def is_locked(user: OfficeUser, now: datetime) -> bool:
    return passwords.is_locked(user.locked_until, now)


def check_password(
    session: Session, email: str, password: str, *, now: datetime, demo_mode: bool
) -> OfficeUser | None:
    """The user when e-mail and password are right and they may sign in now.

    A wrong password counts towards the lockout; a right one does not clear the count (the
    code must follow: only ``record_sign_in`` does). Every refusal returns None and takes
    about as long (one argon2 verification each)."""
    found = find_user(session, email)
    # Locked for the check: two parallel guesses cannot both read the same failure count.
    user = session.get(OfficeUser, found.id, with_for_update=True) if found else None
    right = passwords.verify(user.password_hash if user else None, password)
    if user is None or not may_sign_in(user, demo_mode=demo_mode) or is_locked(user, now):
        return None
    if not right:
        _count_failure(session, user, now=now)
        return None
    assert user.password_hash is not None  # may_sign_in
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)  # parameters raised since
    session.flush()
    return user


def check_code(session: Session, user: OfficeUser, code: str, *, now: datetime) -> bool:
    """Whether ``code`` is the current TOTP code (not one used before); a wrong one counts
    towards the lockout like a wrong password."""
    if user.totp_secret is None or is_locked(user, now):
        return False
    step = passwords.fresh_step(user.totp_secret, code, user.totp_last_step, now)
    if step is None:
        _count_failure(session, user, now=now)
        return False
    user.totp_last_step = step
    session.flush()
    return True


def _count_failure(session: Session, user: OfficeUser, *, now: datetime) -> None:
    user.failed_logins += 1
    if passwords.failure_locks(user.failed_logins):
        user.locked_until = now + passwords.LOCKOUT
        user.failed_logins = 0  # after the pause, MAX_FAILURES tries again
        trail(session, user, "office_user.sign_in_locked", now=now, actor=Actor.system())
    session.flush()


def record_sign_in(session: Session, user: OfficeUser, *, now: datetime) -> None:
    """A whole sign-in (password and code): the row of wrong tries ends."""
    user.failed_logins = 0
    user.last_login_at = now
    trail(session, user, "office_user.signed_in", now=now)
    session.flush()


def end_all_sessions(session: Session, user: OfficeUser) -> None:
    """Every session signed in under the current version ends at its next request."""
    user.auth_version += 1
    session.flush()


def set_password(session: Session, user: OfficeUser, password: str, *, now: datetime) -> None:
    """Give ``user`` this password (PasswordRefused when it breaks the rules); ends their
    sessions and lifts a lockout."""
    passwords.check_new_password(password)
    user.password_hash = passwords.hash_password(password)
    user.demo = False
    user.failed_logins = 0
    user.locked_until = None
    user.auth_version += 1
    trail(session, user, "office_user.password_set", now=now)
    session.flush()


def new_totp_secret() -> str:
    """A secret to show while enrolling; ``enrol_totp`` keeps it once a code confirms it."""
    return passwords.new_totp_secret()


def enrol_totp(
    session: Session, user: OfficeUser, secret: str, code: str, *, now: datetime
) -> bool:
    """Keep ``secret`` as the user's second factor if ``code`` is its current code (the app
    is set up right); the code counts as used."""
    step = passwords.matching_step(secret, code, now)
    if step is None:
        return False
    user.totp_secret = secret
    user.totp_last_step = step
    user.auth_version += 1
    trail(session, user, "office_user.totp_enrolled", now=now)
    session.flush()
    return True


def provisioning_uri(secret: str, user: OfficeUser, *, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads."""
    return passwords.provisioning_uri(secret, name=user.email, issuer=issuer)


def trail(
    session: Session,
    user: OfficeUser,
    action: str,
    *,
    now: datetime,
    actor: Actor | None = None,
    **details: Any,
) -> None:
    """An audit entry about an office user (no e-mail address: ids only); ``actor``: who did
    it, when not the user themself (the zone's staff, the office's admin, the system)."""
    actor = actor or Actor(ActorKind.BAILIFF, Channel.WEB, user.office_id)
    session.add(
        AuditEntry(
            at=now,
            actor_kind=actor.kind,
            actor_id=actor.id,
            channel=actor.channel,
            action=action,
            details={"office_user_id": user.id, "office_id": user.office_id, **details},
        )
    )
