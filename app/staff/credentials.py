"""Staff credentials: argon2 passwords, the TOTP second factor, and the lockout after wrong tries.

The generic parts (hashing, the rules, TOTP steps, the lockout) are app.passwords, shared
with the bailiff offices' users (app.assistance.office_credentials). No Flask here: the
sign-in pages, the CLI and the demo seed call these with the database session and ``now``;
they flush, never commit.

- ``check_password(session, number, password, now=, demo_mode=)`` → the credential, or None
  for every refusal alike (unknown number, wrong password, locked, inactive, demo login
  outside demo mode): the caller must not tell which.
- ``needs_second_factor(credential)`` → a TOTP code is asked next (supervisors and admins,
  and anyone who enrolled one); ``check_code(session, credential, code, now=)``.
- ``set_password``, ``enrol_totp``, ``end_all_sessions`` for the CLI and the sign-out.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import passwords
from app.passwords import (  # noqa: F401  (the staff side's names: the CLI, seed and tests use them)
    LOCKOUT,
    MAX_FAILURES,
    MIN_PASSWORD_LENGTH,
    PasswordRefused,
    current_code,
    hash_password,
)
from app.staff.models import StaffCredential
from scheduling.enums import ActorKind, Channel, Role
from scheduling.models import AuditEntry, Staff

# Managers, and whoever reads sensitive reports (they are the restricted team's whole point).
SECOND_FACTOR_ROLES = frozenset(
    {Role.SUPERVISOR, Role.ADMIN, Role.RESTRICTED_TEAM, Role.RESTRICTED_LEAD, Role.ZONE_CHIEF}
)


def find_staff(session: Session, personnel_number: str) -> Staff | None:
    """The staff member with this personnel number (case and surrounding spaces ignored)."""
    number = personnel_number.strip().upper()
    return session.scalar(select(Staff).where(func.upper(Staff.personnel_number) == number))


def is_locked(credential: StaffCredential, now: datetime) -> bool:
    return passwords.is_locked(credential.locked_until, now)


def check_password(
    session: Session, personnel_number: str, password: str, *, now: datetime, demo_mode: bool
) -> StaffCredential | None:
    """The credential when number and password are right and sign-in is allowed now.

    A wrong password counts towards the lockout; a right one does not clear the count when a
    code must follow (only a whole sign-in does, ``record_sign_in``): otherwise the password
    and four wrong codes, again and again, would never lock. Every refusal returns None and
    takes about as long (one argon2 verification each), so nothing tells whether a number
    exists.
    """
    staff = find_staff(session, personnel_number)
    credential = (
        # Locked for the check: two parallel guesses cannot both read the same failure count.
        session.get(StaffCredential, staff.id, with_for_update=True) if staff else None
    )
    right = passwords.verify(credential.password_hash if credential else None, password)
    if credential is None or staff is None or not staff.active:
        return None
    if (credential.demo and not demo_mode) or is_locked(credential, now):
        return None
    if not right:
        _count_failure(session, credential, now=now)
        return None
    if passwords.needs_rehash(credential.password_hash):
        credential.password_hash = hash_password(password)  # parameters raised since
    session.flush()
    return credential


def needs_second_factor(credential: StaffCredential) -> bool:
    """Supervisors and admins must give a TOTP code; so must anyone who enrolled one."""
    return credential.totp_secret is not None or bool(
        credential.staff.role_set & SECOND_FACTOR_ROLES
    )


def check_code(session: Session, credential: StaffCredential, code: str, *, now: datetime) -> bool:
    """Whether ``code`` is the current TOTP code (not one used before); a wrong one counts
    towards the lockout like a wrong password (the count is cleared by ``record_sign_in``)."""
    if credential.totp_secret is None or is_locked(credential, now):
        return False
    step = passwords.fresh_step(credential.totp_secret, code, credential.totp_last_step, now)
    if step is None:
        _count_failure(session, credential, now=now)
        return False
    credential.totp_last_step = step
    session.flush()
    return True


def _count_failure(session: Session, credential: StaffCredential, *, now: datetime) -> None:
    credential.failed_logins += 1
    if passwords.failure_locks(credential.failed_logins):
        credential.locked_until = now + LOCKOUT
        credential.failed_logins = 0  # after the pause, MAX_FAILURES tries again
        trail(session, credential.staff_id, "staff.sign_in_locked", now=now)
    session.flush()


def record_sign_in(session: Session, credential: StaffCredential, *, now: datetime) -> None:
    """A whole sign-in (password, and the code when one is asked): the row of wrong tries ends."""
    credential.failed_logins = 0
    credential.last_login_at = now
    trail(session, credential.staff_id, "staff.signed_in", now=now, actor_id=credential.staff_id)


def end_all_sessions(session: Session, credential: StaffCredential) -> None:
    """Every session signed in under the current version ends at its next request."""
    credential.auth_version += 1
    session.flush()


def set_password(
    session: Session, staff: Staff, password: str, *, now: datetime
) -> StaffCredential:
    """Give ``staff`` this password (a real, non-demo credential); ends their sessions and
    lifts a lockout. Raises PasswordRefused when it is too short."""
    passwords.check_new_password(password)
    credential = session.get(StaffCredential, staff.id)
    if credential is None:
        credential = StaffCredential(staff_id=staff.id, auth_version=0)
        session.add(credential)
    credential.password_hash = hash_password(password)
    credential.demo = False
    credential.failed_logins = 0
    credential.locked_until = None
    credential.auth_version += 1
    trail(session, staff.id, "staff.password_set", now=now)
    session.flush()
    return credential


def enrol_totp(session: Session, credential: StaffCredential, *, now: datetime) -> str:
    """A new TOTP secret for this credential (the old one stops working); returns it."""
    credential.totp_secret = passwords.new_totp_secret()
    credential.totp_last_step = None
    credential.auth_version += 1
    trail(session, credential.staff_id, "staff.totp_enrolled", now=now)
    session.flush()
    return credential.totp_secret


def provisioning_uri(credential: StaffCredential, *, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads (usually as a QR code)."""
    if credential.totp_secret is None:
        raise ValueError("no TOTP secret enrolled")
    return passwords.provisioning_uri(
        credential.totp_secret, name=credential.staff.personnel_number, issuer=issuer
    )


def trail(
    session: Session,
    staff_id: int,
    action: str,
    *,
    now: datetime,
    actor_id: int | None = None,
    **details: Any,
) -> None:
    """An audit entry about a staff member's sign-in (``actor_id`` None: the system, e.g. the
    CLI or the lockout)."""
    session.add(
        AuditEntry(
            at=now,
            actor_kind=ActorKind.STAFF if actor_id is not None else ActorKind.SYSTEM,
            actor_id=actor_id,
            channel=Channel.STAFF if actor_id is not None else Channel.SYSTEM,
            action=action,
            details={"staff_id": staff_id, **details},
        )
    )
