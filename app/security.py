"""Browser-facing protections: CSRF on every form, strict headers, no stored copies of
answers, safe session cookies."""

import hmac
import secrets
from urllib.parse import urlsplit

from flask import Flask, Response, abort, request, session

from app import current

CSRF_FIELD = "csrf_token"


def csrf_token() -> str:
    if CSRF_FIELD not in session:
        session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return str(session[CSRF_FIELD])


def _check_csrf() -> None:
    # The JSON API, Open311 and Twilio webhooks authenticate otherwise; every HTML form
    # posts a token.
    if request.method != "POST" or request.path.startswith(
        ("/api/", "/open311/", "/ivr/", "/sms/", "/console/voice")
    ):
        return
    # The today page's script sends its marks as JSON, the token in a header.
    sent = request.form.get(CSRF_FIELD, "") or request.headers.get("X-CSRF-Token", "")
    expected = session.get(CSRF_FIELD, "")
    if not expected or not hmac.compare_digest(sent, expected):
        abort(400, "CSRF token missing or wrong; reload the page.")


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def _headers(response: Response) -> Response:
    """Strict headers on every answer; HSTS when the public address is HTTPS (behind a proxy
    the request itself may arrive as plain HTTP)."""
    if request.endpoint != "static":
        # The one caching rule: no browser, shared computer or proxy keeps a copy of any page
        # or API answer. They show an appointment, a citizen's details, an address, a manage
        # token, or carry the session's CSRF token; a view may set a stricter header itself.
        response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"  # manage links carry a secret
    response.headers["X-Frame-Options"] = "DENY"
    if current.config().public_base_url.startswith("https://"):
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return response


def init_app(app: Flask) -> None:
    https = app.config["BLAUWLIJN"].public_base_url.startswith("https://")
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=https,
        PERMANENT_SESSION_LIFETIME=60 * 60 * 2,
    )
    app.before_request(_check_csrf)
    app.after_request(_headers)
    app.jinja_env.globals["csrf_token"] = csrf_token


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path on this site (``/staff/...?a=b``), else None: a sign-in
    link must never send anyone to another site (``//evil``, ``https://evil``, ``/\\evil``)."""
    if not target or len(target) > 1000 or not target.startswith("/"):
        return None
    if target.startswith("//") or "\\" in target:
        return None
    if any(ord(c) < 33 or ord(c) == 127 for c in target):  # browsers drop tabs, newlines...
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
