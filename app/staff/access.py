"""Who may open which staff page and see which rows: the API the staff pages are built on.

    from app.staff import bp
    from app.staff.access import MANAGERS, current_staff, get_visible, staff_required, visible_rows

    @bp.get("/agenda")
    @staff_required(Role.DISTRICT_OFFICER, Role.CASE_HANDLER, Role.WEAPONS_SERVICE, *MANAGERS)
    def agenda(me: Staff) -> str:  # the signed-in staff member, handed over
        rows = db.scalars(select(Booking).where(visible_rows(Booking.staff_id)))
        ...

    @bp.get("/appointments/<int:booking_id>")
    @staff_required()  # any signed-in staff member
    def appointment(me: Staff, booking_id: int) -> str:
        booking = get_visible(Booking, booking_id)  # 403 unless own (or a manager's)
        ...

- ``staff_required(*roles)``: not signed in → redirect to the sign-in page, which comes
  back here afterwards; signed in without one of ``roles`` → 403. No roles: any staff.
  Roles are not ranked: list every role that may open the page (``MANAGERS`` for
  supervisor and admin). The view gets the signed-in ``Staff`` as its first argument.
- ``current_staff()`` → the signed-in ``Staff`` or None (``app.staff.sessions``).
- Per object: ``can_see(owner_id)``, ``require_access(owner_id)`` (403),
  ``get_visible(Model, id)`` (load + check; a missing row is 403 too for non-managers, so
  "not yours" and "does not exist" look the same), ``visible_rows(column)`` for queries.
  Officers, case handlers... see their own rows; ``MANAGERS`` see all.
- Every refusal is the same 403 page, which tells nothing about the object or the reason.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, true
from sqlalchemy.orm import InstrumentedAttribute
from werkzeug.wrappers import Response as WerkzeugResponse

from app.db import get_session
from app.security import safe_next
from app.staff.sessions import current_staff, session_ended
from scheduling.enums import Role
from scheduling.models import Base, Staff

__all__ = [
    "AGENDA_ROLES",
    "MANAGERS",
    "can_see",
    "current_staff",
    "get_visible",
    "is_manager",
    "require_access",
    "staff_required",
    "visible_rows",
]

MANAGERS = (Role.SUPERVISOR, Role.ADMIN)  # see every staff member's rows
AGENDA_ROLES = (Role.DISTRICT_OFFICER, Role.CASE_HANDLER, Role.WEAPONS_SERVICE)  # bookable

P = ParamSpec("P")
R = TypeVar("R")
M = TypeVar("M", bound=Base)


def staff_required(
    *roles: Role,
) -> Callable[[Callable[Concatenate[Staff, P], R]], Callable[P, R | WerkzeugResponse]]:
    """Open the view to signed-in staff holding one of ``roles`` (any staff when none), and
    hand it the signed-in staff member as its first argument."""
    allowed = frozenset(roles)

    def decorator(
        view: Callable[Concatenate[Staff, P], R],
    ) -> Callable[P, R | WerkzeugResponse]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R | WerkzeugResponse:
            staff = current_staff()
            if staff is None:
                return _to_sign_in()
            if allowed and not staff.role_set & allowed:
                abort(403)
            return view(staff, *args, **kwargs)

        return wrapped

    return decorator


def _to_sign_in() -> WerkzeugResponse:
    if session_ended():
        flash(_("Your session has ended. Please sign in again."), "info")
    # Only a page can be come back to: after a timed-out POST, start from the staff home.
    target = request.full_path.rstrip("?") if request.method in ("GET", "HEAD") else None
    return redirect(url_for("staff.login", next=safe_next(target)))


def is_manager(staff: Staff | None = None) -> bool:
    staff = staff or current_staff()
    return staff is not None and bool(staff.role_set & frozenset(MANAGERS))


def can_see(owner_id: int | None, staff: Staff | None = None) -> bool:
    """Whether the (signed-in) staff member may see a row that belongs to ``owner_id``."""
    staff = staff or current_staff()
    if staff is None:
        return False
    return is_manager(staff) or (owner_id is not None and owner_id == staff.id)


def require_access(owner_id: int | None) -> None:
    """403 unless the signed-in staff member may see a row of ``owner_id``."""
    if not can_see(owner_id):
        abort(403)


def get_visible(model: type[M], ident: Any, *, owner: str = "staff_id") -> M:
    """The row of ``model`` with primary key ``ident`` whose ``owner`` column is the signed-in
    staff member's id (managers: any row). Missing: 404 for managers, else 403 — to others
    a row that exists but is not theirs and one that does not exist look the same."""
    row = get_session().get(model, ident)
    if row is None:
        abort(404 if is_manager() else 403)
    require_access(getattr(row, owner))
    return row


def visible_rows(owner_column: InstrumentedAttribute[Any]) -> ColumnElement[bool]:
    """A WHERE clause: the signed-in staff member's own rows, or every row for managers."""
    staff = current_staff()
    if staff is None:
        abort(403)
    if is_manager(staff):
        return true()
    return owner_column == staff.id
