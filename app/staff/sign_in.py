"""Signing in (personnel number and password, then a TOTP code when the role needs one) and out.

Failed attempts answer 200 with the form again: the request's transaction is committed only
below 400, and the failure count must be kept. Wrong passwords and codes also count against
the client's address (``request.remote_addr``: the real client behind TRUSTED_PROXIES); past
its limit a wrong try is answered 429, but a right password and code always get through, so
guesses from an address that staff share (a station, a mobile network) lock no one out.
"""

import re
from datetime import UTC, datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

from app import current, ratelimit
from app.db import get_session
from app.forms import Form
from app.passwords import MAX_PASSWORD_LENGTH
from app.security import safe_next
from app.signals import staff_signed_out
from app.staff import bp, sessions
from app.staff.access import current_staff
from app.staff.credentials import (
    LOCKOUT,
    MAX_FAILURES,
    check_code,
    check_password,
    end_all_sessions,
    is_locked,
    needs_second_factor,
    record_sign_in,
    trail,
)
from app.staff.models import StaffCredential

IP_BUCKET = "staff-sign-in-ip"
CODE = re.compile(r"[0-9]{6}")

Answer = str | WerkzeugResponse


def _refused() -> str:
    # The same words for an unknown number, a wrong password, a locked or a demo account.
    return str(
        _(
            "The personnel number or password is not right. After %(tries)d wrong tries, "
            "signing in is paused for %(minutes)d minutes.",
            tries=MAX_FAILURES,
            minutes=int(LOCKOUT.total_seconds() // 60),
        )
    )


def _wrong_try() -> None:
    """Count a wrong password or code against this address; answer 429 when it is past its
    limit (committed first: the account's own count of wrong tries must be kept)."""
    address = request.remote_addr or "?"
    if ratelimit.over_limit(get_session(), IP_BUCKET, address, now=datetime.now(UTC)):
        get_session().commit()
        abort(429)
    ratelimit.count_hit(IP_BUCKET, address)


def _login_page(form: Form, next_url: str | None) -> str:
    return render_template("staff/login.html", form=form, next_url=next_url)


def _signed_in(credential: StaffCredential, next_url: str | None, *, mfa: bool) -> Answer:
    record_sign_in(get_session(), credential, now=current.now())
    sessions.sign_in(credential, second_factor=mfa)
    return redirect(next_url or url_for("staff.home"))


@bp.get("/login")
def login() -> Answer:
    next_url = safe_next(request.args.get("next"))
    if current_staff() is not None:
        return redirect(next_url or url_for("staff.home"))
    return _login_page(Form(), next_url)


@bp.post("/login")
def login_post() -> Answer:
    next_url = safe_next(request.form.get("next"))
    form = Form.read("personnel_number")
    password = request.form.get("password", "")  # as typed: spaces can be part of it
    form.required("personnel_number", _("Enter your personnel number."))
    if not password:
        form.errors["password"] = _("Enter your password.")
    elif len(password) > MAX_PASSWORD_LENGTH:
        form.errors["password"] = _("This is not valid.")
    if not form.ok:
        return _login_page(form, next_url)

    # The password is checked whatever the address's count: a right one must get through.
    credential = check_password(
        get_session(),
        form.values["personnel_number"],
        password,
        now=current.now(),
        demo_mode=current.config().demo_mode,
    )
    if credential is None:
        _wrong_try()
        form.errors["personnel_number"] = _refused()
        return _login_page(form, next_url)
    if not needs_second_factor(credential):
        return _signed_in(credential, next_url, mfa=False)
    if credential.totp_secret is None:
        # Told only to someone who knows the password.
        form.errors["personnel_number"] = _(
            "Your role needs a code from an authenticator app to sign in, and yours is not "
            "set up yet. Ask the administrator to set it up."
        )
        return _login_page(form, next_url)
    sessions.begin_second_step(credential, next_url=next_url)
    return redirect(url_for("staff.code"))


@bp.route("/login/code", methods=["GET", "POST"])
def code() -> Answer:
    waiting = sessions.pending()
    if waiting is None:  # never started, too slow, or locked meanwhile
        return redirect(url_for("staff.login"))
    credential, next_url = waiting
    form = Form()
    if request.method == "POST":
        form = Form({"code": re.sub(r"\s", "", request.form.get("code", ""))})
        if not CODE.fullmatch(form.values["code"]):
            form.errors["code"] = _("Enter the 6-digit code from your authenticator app.")
        elif check_code(get_session(), credential, form.values["code"], now=current.now()):
            return _signed_in(credential, next_url, mfa=True)
        else:
            _wrong_try()
            if is_locked(credential, current.now()):
                sessions.sign_out()
                flash(_refused(), "error")
                return redirect(url_for("staff.login"))
            form.errors["code"] = _(
                "This code is not right. Enter the newest code your authenticator app shows."
            )
    return render_template("staff/code.html", form=form)


@bp.post("/logout")
def logout() -> WerkzeugResponse:
    """Sign out here and everywhere else this person is signed in."""
    staff = current_staff()
    if staff is not None:
        db = get_session()
        credential = db.get(StaffCredential, staff.id)
        if credential is not None:
            end_all_sessions(db, credential)
            trail(db, staff.id, "staff.signed_out", now=current.now(), actor_id=staff.id)
        staff_signed_out.send(
            current_app._get_current_object(),  # type: ignore[attr-defined]  # Flask: typed as the app, not its proxy
            session=db,
            staff_id=staff.id,
            now=current.now(),
        )
    sessions.sign_out()
    flash(_("You are signed out."), "success")
    response = redirect(url_for("staff.login"))
    # The today page's copy for a 4G gap and its unsent marks hold citizens' details: the
    # browser drops them, and the service worker with them (docs/today.md).
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response
