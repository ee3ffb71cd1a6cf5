"""Who of a bailiff office may use the portal: inviting a user (a one-time link by e-mail,
valid 7 days, only its hash kept), resetting one (password and code cleared, a new link) and
removing one. The zone's admin pages and the office admin's users page both call these.

No Flask request here (the e-mail is rendered in the user's language, which needs the app);
they flush, never commit.
"""

import secrets
from datetime import datetime, timedelta
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.assistance import office_credentials
from app.assistance.models import OfficeUser
from app.config import Config
from app.email_address import normalized_email
from app.notify.outbox import enqueue
from scheduling.booking import hash_token
from scheduling.enums import MessageKind, NoticeChannel
from scheduling.errors import InvalidRequest
from scheduling.models import BailiffAccount
from scheduling.trail import Actor

INVITATION_VALID = timedelta(days=7)
INVITATION_PATH = "/deurwaarder/welkom/"  # the portal's bailiffs.accept_invitation
LANGUAGES = ("nl", "fr", "en")


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
    by: Actor,
    **details: Any,
) -> OfficeUser:
    """A new user of ``office`` (or a fresh link for one who never accepted theirs, or for
    one removed before), told by e-mail. InvalidRequest naming the field for a malformed or taken e-mail address, an
    empty name or an unknown language. ``by`` (and ``details``: which office user) goes into
    the history."""
    address = normalized_email(email, field="email").lower()
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidRequest("A name of at most 200 characters is needed.", field="name")
    if language not in LANGUAGES:
        raise InvalidRequest("Not a language of the portal.", field="language")
    user = session.scalar(select(OfficeUser).where(OfficeUser.email == address))
    if user is not None and (
        user.office_id != office.id or (user.active and user.password_hash is not None)
    ):
        raise InvalidRequest("This e-mail address already has a user.", field="email")
    if user is None:
        user = OfficeUser(office_id=office.id, email=address, created_at=now, auth_version=1)
        session.add(user)
    elif not user.active:  # removed once, back at the office: starts afresh
        _clear_credentials(user)
        user.active = True
    user.name, user.language, user.office_admin = name, language, office_admin
    user.office = office
    session.flush()
    office_credentials.trail(session, user, "office_user.invited", now=now, actor=by, **details)
    _send_link(session, user, now=now, config=config)
    return user


def reset(
    session: Session, *, user: OfficeUser, now: datetime, config: Config, by: Actor, **details: Any
) -> None:
    """Password and second factor cleared, every session ended, a new link e-mailed: for a
    user who lost their phone or password."""
    _clear_credentials(user)
    office_credentials.end_all_sessions(session, user)
    office_credentials.trail(session, user, "office_user.reset", now=now, actor=by, **details)
    _send_link(session, user, now=now, config=config)


def remove(session: Session, *, user: OfficeUser, now: datetime, by: Actor, **details: Any) -> None:
    """Deactivated and signed out everywhere; the office's last active admin stays (someone
    must be able to manage its users)."""
    if user.office_admin and user.active and _active_admins(session, user.office_id) <= 1:
        raise InvalidRequest("The office's last admin cannot be removed.", field="user")
    user.active = False
    user.invite_token_hash = None
    user.invite_expires_at = None
    office_credentials.end_all_sessions(session, user)
    office_credentials.trail(session, user, "office_user.removed", now=now, actor=by, **details)


def invited_user(session: Session, token: str, *, now: datetime) -> OfficeUser | None:
    """The user whose invitation link this is, while it is valid (not used, not expired,
    the user not removed, the office open)."""
    user = session.scalar(
        select(OfficeUser).where(OfficeUser.invite_token_hash == hash_token(token))
    )
    if (
        user is None
        or not user.active
        or not user.office.active
        or user.invite_expires_at is None
        or user.invite_expires_at <= now
    ):
        return None
    return user


def accepted(session: Session, user: OfficeUser) -> None:
    """The link has done its work: it opens nothing any more."""
    user.invite_token_hash = None
    user.invite_expires_at = None
    session.flush()


def _clear_credentials(user: OfficeUser) -> None:
    user.password_hash = None
    user.totp_secret = None
    user.totp_last_step = None
    user.failed_logins = 0
    user.locked_until = None
    user.demo = False


def _active_admins(session: Session, office_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(OfficeUser)
            .where(
                OfficeUser.office_id == office_id,
                OfficeUser.office_admin,
                OfficeUser.active,
            )
        )
        or 0
    )


def _send_link(session: Session, user: OfficeUser, *, now: datetime, config: Config) -> None:
    token = secrets.token_urlsafe(32)
    user.invite_token_hash = hash_token(token)
    user.invite_expires_at = now + INVITATION_VALID
    session.flush()
    link = f"{config.public_base_url}{INVITATION_PATH}{token}"
    with force_locale(user.language):
        subject = _("Police %(zone)s: your access to the bailiffs' portal", zone=config.zone_name)
        body = _(
            "Hello %(name)s,\n\nYou are invited to the portal where %(office)s books police "
            "assistance from police zone %(zone)s. Choose your password and set up your "
            "authenticator app through this link, valid for 7 days and only once:\n\n"
            "%(link)s\n\nDid you not expect this? Then ignore this e-mail.",
            name=user.name,
            office=user.office.name,
            zone=config.zone_name,
            link=link,
        )
    enqueue(
        session,
        # One message per link: the hash is new every time a link is made.
        key=f"office-invitation:{user.id}:{user.invite_token_hash}",
        recipient=user.email,
        body=body,
        language=user.language,
        kind=MessageKind.OFFICE_INVITATION,
        booking_id=None,
        due_at=now,
        now=now,
        channel=NoticeChannel.EMAIL,
        subject=subject,
    )
