"""The console's blueprint (``/console``) and who may open it; ``init_app`` loads the
modules that add its routes.

Pages: ``page`` (the console), ``status`` (available / pause / offline), ``events`` (the
live queue as Server-Sent Events), ``taking`` (take a caller, hold, resume), ``phone``
(access token and the TwiML App's voice URL), ``caller`` (the caller panel and wrap-up), ``on_behalf`` (book and move for the caller),
``transfer`` (put the caller through to an officer), ``callbacks`` (the call-back list; ``recordings`` plays its voice messages), ``supervisor`` (live view and figures, CSV).
"""

from flask import Flask

from app.signals import staff_signed_out
from app.staff import staff_blueprint
from app.staff.access import MANAGERS
from scheduling.enums import Role

CONSOLE_ROLES = (Role.CALL_TAKER, *MANAGERS)

bp = staff_blueprint("console", __name__, "/console")


def identity(staff_id: int) -> str:
    """The browser phone's Twilio client identity for a staff member."""
    return f"staff-{staff_id}"


def staff_of(identity_or_from: str) -> int | None:
    """The staff id in ``staff-7`` or Twilio's ``client:staff-7``; None otherwise."""
    name = identity_or_from.removeprefix("client:")
    number = name.removeprefix("staff-")
    return int(number) if name.startswith("staff-") and number.isdigit() else None


def init_app(app: Flask) -> None:
    from callcenter import (  # noqa: F401  (they add routes to bp)
        callbacks,
        caller,
        events,
        on_behalf,
        page,
        phone,
        recordings,
        signout,
        status,
        supervisor,
        taking,
        transfer,
    )

    app.register_blueprint(bp)
    staff_signed_out.connect(signout.on_staff_signed_out)
