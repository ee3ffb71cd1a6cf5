"""The portal's menu: what an office user may open, each entry only when its page exists
(the pages come from several modules), the admin's pages only for the office's admin. The
templates see ``office_user`` and ``portal_menu``."""

from dataclasses import dataclass

from flask import g, request
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from app.assistance.models import OfficeUser
from app.bailiffs import bp


@dataclass(frozen=True)
class Entry:
    endpoint: str
    title: LazyString
    admin_only: bool = False


MENU = (
    Entry("bailiffs.home", _l("Our bookings")),
    Entry("bailiffs.request", _l("Request assistance")),
    Entry("bailiffs.calendar", _l("Calendar feed")),
    Entry("bailiffs.users", _l("Users"), admin_only=True),
    Entry("bailiffs.tokens", _l("API keys"), admin_only=True),
)


@dataclass(frozen=True)
class Shown:
    endpoint: str
    title: str
    current: bool


def menu_for(user: OfficeUser, endpoint: str | None) -> list[Shown]:
    return [
        Shown(e.endpoint, str(e.title), e.endpoint == endpoint)
        for e in MENU
        if user.office_admin or not e.admin_only
    ]


@bp.context_processor
def _portal_names() -> dict[str, object]:
    # None until a view checked access (the sign-in pages show no menu).
    user = g.get("office_user")
    return {
        "office_user": user,
        "portal_menu": menu_for(user, request.endpoint) if user else [],
    }
