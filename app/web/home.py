"""The start page, "who is my wijkagent?", and the accessibility statement."""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from app.db import get_session
from app.forms import Form
from app.places import zone_streets
from app.web import bp
from app.web.book import address_error, bookable_services
from scheduling.addresses import Address, district_for
from scheduling.enums import ServedBy
from scheduling.errors import SchedulingError
from scheduling.models import District, Service, Site


def _sites() -> list[Site]:
    return list(get_session().scalars(select(Site).order_by(Site.is_central.desc(), Site.name)))


@bp.get("/")
def home() -> str:
    return render_template(
        "web/home.html",
        services=bookable_services(),
        sites=_sites(),
        form=Form(),
        streets=zone_streets(get_session()),
    )


@bp.get("/officer")
def officer() -> str:
    """Answer "who is my wijkagent?" for an address (a plain GET form, works without JS)."""
    names = ("postcode", "street", "number")
    form = Form.read(*names, source=request.args)
    district: District | None = None
    if any(k in request.args for k in names):  # the form was sent, even empty
        for name, message in (
            ("postcode", _("Enter your postcode.")),
            ("street", _("Enter your street.")),
            ("number", _("Enter your house number.")),
        ):
            form.required(name, message)
        if form.ok:
            try:
                district = district_for(get_session(), Address(**form.values))
            except SchedulingError as error:
                form.errors[error.field or "street"] = address_error(error)
    return render_template(
        "web/officer.html",
        district_service=get_session().scalar(
            select(Service.code).where(Service.served_by == ServedBy.DISTRICT_OFFICER)
        ),
        form=form,
        district=district,
        streets=zone_streets(get_session()),
    )


@bp.get("/favicon.ico")
def favicon() -> WerkzeugResponse:
    """Browsers and bookmarks that ask the root for the icon, past the pages' <link rel=icon>."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.get("/accessibility")
def accessibility() -> str:
    return render_template("web/accessibility.html")
