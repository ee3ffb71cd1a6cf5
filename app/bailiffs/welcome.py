"""Accepting an invitation (/deurwaarder/welkom/<token>): the one-time link of an e-mail from
app.assistance.office_users. The new user chooses a password (the staff's rules), adds the
portal to an authenticator app (the secret and its otpauth:// address; no QR code: the
project has no way to draw one without a third-party script) and confirms with a first code;
then they are signed in and the link opens nothing any more.

The secret offered is kept in the session until confirmed, so a form shown again with an
error keeps offering the one already scanned.
"""

import re
from datetime import UTC, datetime

from flask import abort, render_template, request, session
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

from app import current, ratelimit
from app.assistance import office_credentials, office_users
from app.assistance.models import OfficeUser
from app.bailiffs import bp
from app.bailiffs.sign_in import signed_in
from app.db import get_session
from app.forms import Form
from app.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, PasswordRefused
from scheduling.booking import hash_token

BUCKET = "office-invitation-ip"
ENROLLING = "office_enrol"  # {link: hash of the token, secret: the TOTP secret offered}
CODE = re.compile(r"[0-9]{6}")


def _secret_for(token: str) -> str:
    state = session.get(ENROLLING)
    link = hash_token(token)
    if (
        isinstance(state, dict)
        and state.get("link") == link
        and isinstance(state.get("secret"), str)
    ):
        return str(state["secret"])
    secret = office_credentials.new_totp_secret()
    session[ENROLLING] = {"link": link, "secret": secret}
    return secret


def _read_password(form: Form) -> str | None:
    password = request.form.get("password", "")
    again = request.form.get("password_again", "")
    if not password:
        form.errors["password"] = _("Choose a password.")
        return None
    if len(password) < MIN_PASSWORD_LENGTH or len(password) > MAX_PASSWORD_LENGTH:
        form.errors["password"] = _(
            "Choose a password of at least %(length)d characters.", length=MIN_PASSWORD_LENGTH
        )
        return None
    if password != again:
        form.errors["password_again"] = _("Type the same password twice.")
        return None
    return password


@bp.route("/welkom/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> str | WerkzeugResponse | tuple[str, int]:
    db, now, address = get_session(), current.now(), request.remote_addr or "?"
    # Only unknown links and refused forms count (a whole office may accept its invitations
    # from one address); past the limit the page is refused.
    if ratelimit.over_limit(db, BUCKET, address, now=datetime.now(UTC)):
        abort(429)
    user = office_users.invited_user(db, token, now=now) if len(token) <= 100 else None
    if user is None:
        ratelimit.count_hit(BUCKET, address)
        db.commit()  # a 404 rolls the request back: the count must stay
        return render_template("bailiffs/invitation_gone.html"), 404
    secret = _secret_for(token)
    form = Form()
    if request.method == "POST":
        form = Form({"code": re.sub(r"\s", "", request.form.get("code", ""))})
        password = _read_password(form)
        if not CODE.fullmatch(form.values["code"]):
            form.errors["code"] = _("Enter the 6-digit code from your authenticator app.")
        elif password is not None:
            done = _accept(user, password, secret, form)
            if done is not None:
                return done
        ratelimit.count_hit(BUCKET, address)
    return render_template(
        "bailiffs/welcome.html",
        form=form,
        user=user,
        secret=secret,
        uri=office_credentials.provisioning_uri(
            secret, user, issuer=f"Blauwlijn {current.config().zone_name}"
        ),
        min_length=MIN_PASSWORD_LENGTH,
    )


def _accept(user: OfficeUser, password: str, secret: str, form: Form) -> WerkzeugResponse | None:
    db, now = get_session(), current.now()
    if not office_credentials.enrol_totp(db, user, secret, form.values["code"], now=now):
        form.errors["code"] = _(
            "This code is not right. Check that the app shows the portal you just added, "
            "and enter its newest code."
        )
        return None
    try:
        office_credentials.set_password(db, user, password, now=now)
    except PasswordRefused:  # the form checks the same rules
        form.errors["password"] = _("This is not valid.")
        return None
    office_users.accepted(db, user)
    return signed_in(user, None)
