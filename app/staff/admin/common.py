"""What the managers' pages share: who acts, the audit entry of a change, reading numbers and
choices from a form, and the lists the forms offer."""

import re
from collections.abc import Iterable
from typing import Any, TypeVar

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import select

from app import current
from app.db import get_session
from app.forms import Form, not_plain_message
from app.staff.access import current_staff
from app.text import is_plain
from scheduling.enums import Channel, Role
from scheduling.models import Base, Site, Staff, StaffRole
from scheduling.trail import Actor, note

M = TypeVar("M", bound=Base)
POSTCODE = re.compile(r"[1-9]\d{3}")


def me() -> Staff:
    staff = current_staff()
    if staff is None:  # the views are behind staff_required
        abort(403)
    return staff


def load(model: type[M], ident: int) -> M:
    """The row, or the 404 page (only managers reach these pages: no need to hide it)."""
    row = get_session().get(model, ident)
    if row is None:
        abort(404)
    return row


def is_admin() -> bool:
    return Role.ADMIN in me().role_set


def require_admin() -> None:
    """403 for supervisors: they read the page, only admins change it."""
    if not is_admin():
        abort(403)


def actor() -> Actor:
    return Actor.staff(me().id, Channel.STAFF)


def audit(action: str, details: dict[str, Any]) -> None:
    """The audit entry of a change made on these pages, by the signed-in staff member."""
    note(get_session(), actor=actor(), action=action, now=current.now(), details=details)


def apply_changes(target: object, values: dict[str, Any]) -> list[str]:
    """Set each attribute of ``target`` that differs; the names of those that did."""
    changed = [name for name, value in values.items() if getattr(target, name) != value]
    for name in changed:
        setattr(target, name, values[name])
    return changed


def read_int(form: Form, name: str, low: int, high: int) -> int | None:
    """A whole number between ``low`` and ``high``, else None with the error next to the field."""
    raw = form.values.get(name, "")
    if not raw:
        form.errors[name] = _("Enter a number.")
        return None
    if not raw.isascii() or not raw.isdigit():
        form.errors[name] = _("Enter a whole number, like %(example)d.", example=low or 1)
        return None
    value = int(raw) if len(raw) <= 9 else high + 1  # no need to read a million digits
    if not low <= value <= high:
        form.errors[name] = _("Enter a number from %(low)d to %(high)d.", low=low, high=high)
        return None
    return value


def read_text(
    form: Form, name: str, *, limit: int, missing: str | None = None, lines: bool = False
) -> str:
    """Text of at most ``limit`` characters (several ``lines`` when allowed); required when
    ``missing`` (its error) is given."""
    value = form.values.get(name, "")
    if name in form.errors:  # Form.read found a control or direction character
        return value
    if not value and missing:
        form.errors[name] = missing
    elif len(value) > limit:
        form.errors[name] = _("Keep this to %(length)d characters.", length=limit)
    elif not is_plain(value, multiline=lines):
        form.errors[name] = not_plain_message()
    return value


def read_postcode(form: Form, name: str) -> str:
    """A Belgian postcode: four digits, the first not 0."""
    value = form.values.get(name, "")
    if not POSTCODE.fullmatch(value):
        form.errors[name] = _("Enter a Belgian postcode of four digits, like 1547.")
    return value


def read_id(form: Form, name: str, allowed: Iterable[int], message: str) -> int | None:
    """The id chosen in a list (an empty choice is None), or the error when it is not offered."""
    raw = form.values.get(name, "")
    if not raw:
        return None
    ids = set(allowed)
    if raw.isascii() and raw.isdigit() and int(raw) in ids:
        return int(raw)
    form.errors[name] = message
    return None


def sites() -> list[Site]:
    return list(get_session().scalars(select(Site).order_by(Site.name)))


def staff_with(*roles: Role, active_only: bool = True) -> list[Staff]:
    """Staff holding one of ``roles``, by name."""
    query = (
        select(Staff)
        .where(Staff.id.in_(select(StaffRole.staff_id).where(StaffRole.role.in_(roles))))
        .order_by(Staff.name)
    )
    if active_only:
        query = query.where(Staff.active.is_(True))
    return list(get_session().scalars(query))
