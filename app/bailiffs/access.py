"""Who may open a portal page: ``office_user_required()`` for any signed-in office user,
``office_user_required(admin=True)`` for the office's admin (who manages its users and API
tokens). The view gets the signed-in ``OfficeUser`` as its first argument; everything it
shows or changes must be of ``user.office`` (another office's booking is a 404)."""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

from app.assistance.models import OfficeUser
from app.bailiffs.sessions import current_office_user
from app.security import safe_next

P = ParamSpec("P")
R = TypeVar("R")


def office_user_required(
    *, admin: bool = False
) -> Callable[[Callable[Concatenate[OfficeUser, P], R]], Callable[P, R | WerkzeugResponse]]:
    def decorator(
        view: Callable[Concatenate[OfficeUser, P], R],
    ) -> Callable[P, R | WerkzeugResponse]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R | WerkzeugResponse:
            user = current_office_user()
            if user is None:
                return _to_sign_in()
            if admin and not user.office_admin:
                abort(403)
            return view(user, *args, **kwargs)

        return wrapped

    return decorator


def _to_sign_in() -> WerkzeugResponse:
    if g.get("office_session_ended"):
        flash(_("Your session has ended. Please sign in again."), "info")
    target = request.full_path.rstrip("?") if request.method in ("GET", "HEAD") else None
    return redirect(url_for("bailiffs.login", next=safe_next(target)))
