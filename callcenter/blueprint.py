"""The console's blueprint (``/console``) and who may open it; ``init_app`` loads the
modules that add its routes.

Pages: ``page`` (the console), ``status`` (available / pause / offline), ``events`` (the
live queue as Server-Sent Events), ``taking`` (take a caller, hold, resume), ``phone``
(access token and the TwiML App's voice URL), ``caller`` (the caller panel and wrap-up), ``on_behalf`` (book and move for the caller), ``report_for_caller`` (register a report or question for them),
``transfer`` (put the caller through to an officer), ``callbacks`` (the call-back list; ``recordings`` plays its voice messages), ``supervisor`` (live view and figures, CSV).
"""

from flask import Flask

from app.signals import personal_data_expired, staff_signed_out
from app.staff import staff_blueprint
from app.staff.access import MANAGERS
from ivr import desk
from scheduling.enums import Role

CONSOLE_ROLES = (Role.CALL_TAKER, *MANAGERS)

bp = staff_blueprint("console", __name__, "/console")


def init_app(app: Flask) -> None:
    from callcenter import (  # noqa: F401  (they add routes to bp)
        callbacks,
        caller,
        events,
        metrics,
        on_behalf,
        page,
        phone,
        presence,
        recordings,
        report_for_caller,
        retention,
        signout,
        status,
        supervisor,
        taking,
        transfer,
    )
    from callcenter.labels import callback_reason
    from callcenter.live import init_app as init_live

    app.register_blueprint(bp)
    metrics.init_app(app)  # callers waiting, on /metrics (app.gauges)
    app.jinja_env.filters["callback_reason"] = callback_reason
    staff_signed_out.connect(signout.signed_out)
    personal_data_expired.connect(retention.forget_notes)  # the daily purge (app.retention)
    app.extensions[desk.EXTENSION] = presence.ConsoleCallTakers()
    init_live(app)  # PostgreSQL: the live streams' listener (started by the first stream)
