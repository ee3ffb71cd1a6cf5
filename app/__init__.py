"""The Flask application: citizen pages, staff pages, Twilio webhooks, the JSON API and
Open311."""

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import (
    access_log,
    api,
    bailiffs,
    cli,
    db,
    errors,
    health,
    i18n,
    limits,
    logs,
    meldpunt,
    metrics,
    open311,
    security,
    staff,
    web,
)
from app.config import Config
from app.hours_text import hours_in_words
from app.phone import national
from app.values import IdConverter
from callcenter import blueprint as console
from ivr import sms, voice


def create_app(config: Config | None = None) -> Flask:
    """Build the application; ``config`` defaults to the environment (README.md)."""
    app = Flask(__name__, instance_relative_config=True)
    config = config or Config.from_env(Path(app.instance_path))
    app.config["BLAUWLIJN"] = config
    app.config["SECRET_KEY"] = config.secret_key
    # Keep fields in contract order (Flask types app.json as the base provider, without it).
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.url_map.converters["int"] = IdConverter  # before any route is added
    if config.trusted_proxies:
        # request.remote_addr (rate limits, sign-in) and the scheme become the client's as the
        # nearest trusted proxy saw them; what the client itself wrote is not believed.
        n = config.trusted_proxies
        # Flask's documented way to wrap the WSGI app, which mypy reads as replacing a method.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n)  # type: ignore[method-assign]

    logs.init_app(app)
    metrics.init_app(app)  # first: its clock starts before every other hook
    access_log.init_app(app)
    db.init_app(app)
    health.init_app(app)
    i18n.init_app(app)
    limits.init_app(app)
    security.init_app(app)
    api.init_app(app)
    open311.init_app(app)
    errors.init_app(app)
    web.init_app(app)
    meldpunt.init_app(app)
    bailiffs.init_app(app)
    staff.init_app(app)
    console.init_app(app)
    sms.init_app(app)
    voice.init_app(app)
    cli.init_app(app)
    _zone_globals(app, config)
    return app


def _zone_globals(app: Flask, config: Config) -> None:
    """What every page shows of the zone: its name, the blue number as people dial it, when
    a call-taker answers it (in the page's language, from CALLTAKER_HOURS), and how long an
    appointment's details are kept."""
    app.jinja_env.globals.update(
        calltaker_hours=lambda: hours_in_words(config.calltaker_hours, i18n.language()),
        zone_name=config.zone_name,
        blue_number=national(config.twilio_from_number),
        blue_number_e164=config.twilio_from_number,
        # What the booking's details step promises; the purge keeps it (app.retention).
        appointment_retention_days=config.retention_appointment_days,
    )
