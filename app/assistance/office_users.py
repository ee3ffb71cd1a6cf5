"""Placeholder on this branch; the portal-auth branch has the real module.

Inviting, resetting and removing an office's users, with the fixed signatures the zone's
admin pages call. Here only the minimal thing: the user row with the hash of a one-time
link (no e-mail is sent, no session is ended)."""

import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.assistance.models import OfficeUser
from app.config import Config
from app.email_address import normalized_email
from scheduling.booking import hash_token
from scheduling.errors import InvalidRequest
from scheduling.models import BailiffAccount

INVITATION_VALID = timedelta(days=7)


def invite(
    session: Session,
    *,
    office: BailiffAccount,
    email: str,
    name: str,
    language: str,
    office_admin: bool,
    now: datetime,
    config: Config,
) -> OfficeUser:
    address = normalized_email(email, field="email").lower()
    user = session.scalar(select(OfficeUser).where(func.lower(OfficeUser.email) == address))
    if user is not None and (user.office_id != office.id or user.password_hash is not None):
        raise InvalidRequest("This e-mail address is already used.", field="email")
    if user is None:
        user = OfficeUser(office_id=office.id, email=address, created_at=now)
        session.add(user)
    user.name, user.language, user.office_admin = name, language, office_admin
    user.invite_token_hash = hash_token(secrets.token_urlsafe(32))
    user.invite_expires_at = now + INVITATION_VALID
    session.flush()
    return user


def reset(session: Session, *, user: OfficeUser, now: datetime, config: Config) -> None:
    user.password_hash = None
    user.totp_secret = None
    user.auth_version += 1
    user.invite_token_hash = hash_token(secrets.token_urlsafe(32))
    user.invite_expires_at = now + INVITATION_VALID
    session.flush()


def remove(session: Session, *, user: OfficeUser, now: datetime) -> None:
    user.active = False
    user.auth_version += 1
    session.flush()
