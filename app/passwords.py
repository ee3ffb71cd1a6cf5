"""Passwords and TOTP codes, the same for staff (app.staff.credentials) and for the bailiff
offices' users (app.assistance.office_credentials): argon2id hashes, a dummy verification
when there is no account (so an unknown name takes as long), the rules for a new password,
the TOTP step a code matches (with drift; the caller refuses a step used before) and the
lockout after wrong tries. No Flask, no tables: each side keeps its own rows.
"""

import hmac
from datetime import datetime, timedelta
from functools import cache

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MAX_FAILURES = 5  # wrong passwords or codes in a row (until a whole sign-in) before it locks...
LOCKOUT = timedelta(minutes=15)  # ...for this long
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1000  # argon2 reads it all: no megabyte "passwords"
TOTP_DRIFT_STEPS = 1  # a code of the previous or next 30 s also counts (phone clocks drift)

_hasher = PasswordHasher()  # argon2id with the library's defaults (RFC 9106 low-memory)


class PasswordRefused(ValueError):
    """The new password does not meet the rules (the message says which, in English)."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; with no hash, one dummy verification all the same."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):  # VerifyMismatchError is a VerificationError
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's (rehash on sign-in)."""
    return _hasher.check_needs_rehash(password_hash)


@cache
def _dummy_hash() -> str:
    return hash_password("no such account")


def check_new_password(password: str) -> None:
    """Raise PasswordRefused unless ``password`` may become someone's password."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordRefused(f"a password has at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PasswordRefused(f"a password has at most {MAX_PASSWORD_LENGTH} characters")


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and locked_until > now


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The 30 s step whose TOTP code ``code`` is (now, or one step either side), or None."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - TOTP_DRIFT_STEPS, current + TOTP_DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def fresh_step(secret: str, code: str, last_step: int | None, now: datetime) -> int | None:
    """The step ``code`` matches if it is later than ``last_step`` (a code works once)."""
    step = matching_step(secret, code, now)
    if step is None or (last_step is not None and step <= last_step):
        return None
    return step


def current_code(secret: str, now: datetime) -> str:
    """The code an authenticator app shows now (for the demo's convenience)."""
    return pyotp.TOTP(secret).at(now)


def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, *, name: str, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads."""
    return pyotp.TOTP(secret).provisioning_uri(name=name, issuer_name=issuer)


def failure_locks(failed_logins: int) -> bool:
    """Whether this many wrong tries in a row lock the account (for LOCKOUT)."""
    return failed_logins >= MAX_FAILURES
