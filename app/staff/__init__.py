"""The staff pages under /staff: sign-in (password, TOTP for supervisors and admins), the
staff home page, and the access rules every staff page is built on.

Building a staff page: add a module here that adds routes to ``bp`` (and import it in
``init_app``), protect each view with ``app.staff.access.staff_required`` and each row
with ``get_visible`` / ``visible_rows`` (see that module), extend ``staff/layout.html``
(block ``staff_content``), and give the section its endpoint in ``app.staff.sections`` so
the home page links to it. Staff pages in another package (the call-takers' console) make
their blueprint with ``staff_blueprint`` to get the same 403 page.

Modules: ``access`` (decorator, per-object checks, ``current_staff``), ``sessions`` (the
signed-in state, timeouts), ``credentials`` (passwords, TOTP, lockout; no Flask),
``sign_in`` and ``home`` (the pages), ``sections`` (what the home page offers).
Tests sign a client in with ``tests.staff_login.sign_in_as``.
"""

from flask import Blueprint, Flask, g, render_template, request

from app.i18n import select_language
from app.staff.labels import kind_label, language_name
from app.staff.sections import menu_for


def forbidden(_error: Exception) -> tuple[str, int]:
    """One page for every refusal: it names no object and no reason."""
    return render_template("staff/forbidden.html"), 403


def bad_request(_error: Exception) -> tuple[str, int]:
    """One page for an address or form no page can use (a day beyond the calendar, a staff
    id no column holds), instead of the overflow it would cause."""
    return render_template("staff/bad_request.html"), 400


def _remember_language() -> None:
    # ?lang= is otherwise remembered only when a page is rendered: not on the redirect of a
    # staff link to the sign-in page.
    if "lang" in request.args:
        select_language()


def _template_names() -> dict[str, object]:
    staff = g.get("staff")
    return {
        "current_staff": staff,
        "staff_menu": menu_for(staff, request.endpoint) if staff else [],
        "kind_label": kind_label,
        "language_name": language_name,
    }


def staff_blueprint(name: str, import_name: str, url_prefix: str) -> Blueprint:
    """A blueprint of staff pages: refusals (403) show the staff 403 page and unusable input
    (400) the staff 400 page, ?lang= is remembered even on a redirect, templates see
    ``current_staff`` (None until a view checked access), ``staff_menu`` (the menu its
    roles open, app.staff.sections), ``kind_label`` and
    ``language_name`` (app.staff.labels). Like every page, its answers are
    never cached (app.security)."""
    blueprint = Blueprint(name, import_name, url_prefix=url_prefix)
    blueprint.register_error_handler(403, forbidden)
    blueprint.register_error_handler(400, bad_request)
    blueprint.before_request(_remember_language)
    blueprint.context_processor(_template_names)
    return blueprint


bp = staff_blueprint("staff", __name__, "/staff")


def init_app(app: Flask) -> None:
    from app.staff import (  # noqa: F401  (they add routes to bp)
        admin,
        agenda,
        appointments,
        bailiff_figures,
        calendar,
        earlier,
        home,
        invitations,
        moments,
        reports,
        sign_in,
        today,
        today_marks,
    )

    app.register_blueprint(bp)
