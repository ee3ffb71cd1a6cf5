"""Signing in to the portal (e-mail and password, then always a TOTP code) and out.

As for staff (app.staff.sign_in): failed attempts answer 200 with the form again so the
failure count is committed; every refusal says the same words; wrong passwords and codes
also count against the client's address and the e-mail address typed, past whose limit a
wrong try is answered 429 while a right password and code still get through.
"""

import re
from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

from app import current, ratelimit
from app.assistance.models import OfficeUser
from app.assistance.office_credentials import (
    check_code,
    check_password,
    end_all_sessions,
    is_locked,
    record_sign_in,
    trail,
)
from app.bailiffs import bp, sessions
from app.bailiffs.sessions import current_office_user
from app.db import get_session
from app.forms import Form
from app.i18n import select_language
from app.passwords import LOCKOUT, MAX_FAILURES, MAX_PASSWORD_LENGTH
from app.security import safe_next

IP_BUCKET = "office-sign-in-ip"
EMAIL_BUCKET = "office-sign-in-email"
CODE = re.compile(r"[0-9]{6}")

Answer = str | WerkzeugResponse


def refused() -> str:
    # The same words for an unknown address, a wrong password, a locked or removed user.
    return str(
        _(
            "The e-mail address or password is not right. After %(tries)d wrong tries, "
            "signing in is paused for %(minutes)d minutes.",
            tries=MAX_FAILURES,
            minutes=int(LOCKOUT.total_seconds() // 60),
        )
    )


def _wrong_try(email: str) -> None:
    """Count a wrong password or code against this address and e-mail; 429 past the limit
    (committed first: the user's own count of wrong tries must be kept)."""
    db, now = get_session(), datetime.now(UTC)
    keys = ((IP_BUCKET, request.remote_addr or "?"), (EMAIL_BUCKET, email.strip().lower()))
    if any(ratelimit.over_limit(db, bucket, value, now=now) for bucket, value in keys):
        db.commit()
        abort(429)
    for bucket, value in keys:
        ratelimit.count_hit(bucket, value)


def _login_page(form: Form, next_url: str | None) -> str:
    return render_template("bailiffs/login.html", form=form, next_url=next_url)


@bp.get("/login")
def login() -> Answer:
    next_url = safe_next(request.args.get("next"))
    if current_office_user() is not None:
        return redirect(next_url or url_for("bailiffs.home"))
    return _login_page(Form(), next_url)


@bp.post("/login")
def login_post() -> Answer:
    next_url = safe_next(request.form.get("next"))
    form = Form.read("email")
    password = request.form.get("password", "")  # as typed: spaces can be part of it
    form.required("email", _("Enter your e-mail address."))
    if not password:
        form.errors["password"] = _("Enter your password.")
    elif len(password) > MAX_PASSWORD_LENGTH:
        form.errors["password"] = _("This is not valid.")
    if not form.ok:
        return _login_page(form, next_url)
    user = check_password(
        get_session(),
        form.values["email"],
        password,
        now=current.now(),
        demo_mode=current.config().demo_mode,
    )
    if user is None:
        _wrong_try(form.values["email"])
        form.errors["email"] = refused()
        return _login_page(form, next_url)
    sessions.begin_second_step(user, next_url=next_url)
    return redirect(url_for("bailiffs.login_code"))


@bp.route("/login/code", methods=["GET", "POST"])
def login_code() -> Answer:
    waiting = sessions.pending()
    if waiting is None:  # never started, too slow, or locked meanwhile
        return redirect(url_for("bailiffs.login"))
    user, next_url = waiting
    form = Form()
    if request.method == "POST":
        form = Form({"code": re.sub(r"\s", "", request.form.get("code", ""))})
        if not CODE.fullmatch(form.values["code"]):
            form.errors["code"] = _("Enter the 6-digit code from your authenticator app.")
        elif check_code(get_session(), user, form.values["code"], now=current.now()):
            return signed_in(user, next_url)
        else:
            _wrong_try(user.email)
            if is_locked(user, current.now()):
                sessions.sign_out()
                flash(refused(), "error")
                return redirect(url_for("bailiffs.login"))
            form.errors["code"] = _(
                "This code is not right. Enter the newest code your authenticator app shows."
            )
    return render_template("bailiffs/code.html", form=form)


def signed_in(user: OfficeUser, next_url: str | None) -> WerkzeugResponse:
    record_sign_in(get_session(), user, now=current.now())
    sessions.sign_in(user)
    return redirect(next_url or url_for("bailiffs.home"))


@bp.post("/logout")
def logout() -> WerkzeugResponse:
    """Sign out in this browser."""
    user = current_office_user()
    if user is not None:
        trail(get_session(), user, "office_user.signed_out", now=current.now())
    sessions.sign_out()
    flash(_("You are signed out."), "success")
    return redirect(url_for("bailiffs.login"))


@bp.post("/logout-everywhere")
def logout_everywhere() -> WerkzeugResponse:
    """Sign out here and in every other browser (a lost laptop, a shared computer)."""
    user = current_office_user()
    if user is not None:
        end_all_sessions(get_session(), user)
        trail(get_session(), user, "office_user.signed_out_everywhere", now=current.now())
    sessions.sign_out()
    flash(_("You are signed out on every device."), "success")
    return redirect(url_for("bailiffs.login"))


def french_entry() -> WerkzeugResponse:
    """/huissier: the portal in French (registered outside /deurwaarder, see init_app)."""
    return redirect(url_for("bailiffs.home", lang="fr"))


@bp.before_request
def _remember_language() -> None:
    # ?lang= is otherwise remembered only when a page is rendered: not on the redirect of
    # /huissier or a portal link to the sign-in page.
    if "lang" in request.args:
        select_language()
