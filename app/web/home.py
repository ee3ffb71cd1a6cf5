"""The start page, "who is my wijkagent?", and the accessibility statement."""

from datetime import date

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from app import current
from app.db import get_session
from app.forms import Form
from app.i18n import language
from app.offices import closing_days_ahead, office_texts, officer_offices
from app.places import zone_streets
from app.web import bp
from app.web.book import address_error, bookable_services
from scheduling.addresses import Address, district_for
from scheduling.enums import ServedBy
from scheduling.errors import SchedulingError
from scheduling.models import District, Service, Site


def _today() -> date:
    return current.now().astimezone(current.zone()).date()


@bp.get("/")
def home() -> str:
    """The start page; its offices with their walk-in hours and their hours by appointment
    (from the officers' bookable moments there), in the page's language."""
    sites = get_session().scalars(select(Site).order_by(Site.is_central.desc(), Site.name))
    return render_template(
        "web/home.html",
        services=bookable_services(),
        offices=office_texts(get_session(), list(sites), language=language(), today=_today()),
        closing_days=closing_days_ahead(current.config().closed_days, _today()),
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
    offices = []
    if district is not None:  # where and when this officer receives: their own office hours
        offices = officer_offices(
            get_session(), district.officer_id, language=language(), today=_today()
        )
    return render_template(
        "web/officer.html",
        offices=offices,
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
