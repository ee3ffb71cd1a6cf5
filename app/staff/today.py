"""``/staff/today``: the officer's day on a phone. The round in order (the drive before each
stop and back to the office), each visit with a map link, the citizen's number, what it is
about, what to bring and whether the citizen confirmed by SMS, and done / no-show / note
(``app.staff.today_marks``). A supervisor or admin reads anyone's day with ``?staff=``; to
anyone else another's day does not exist (404). ``/staff/today/sheet?size=80mm`` is the
same day for a receipt printer; ``/staff/today/sw.js`` the service worker that keeps
today's page readable in a 4G gap (docs/today.md)."""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flask import abort, current_app, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from app import current
from app.db import get_session
from app.i18n import language
from app.phone import national
from app.staff import bp
from app.staff.access import AGENDA_ROLES, MANAGERS, is_manager, staff_required
from app.staff.agenda import STATUS_LABELS, today, visit_address
from app.staff.labels import kind_label
from app.staff.models import VisitMark
from app.staff.visit_marks import NOTE_MAX
from app.values import parse_id, parse_iso_date
from scheduling.addresses import street_key
from scheduling.enums import BookingStatus, LocationKind
from scheduling.models import AuditEntry, Booking, RegisterAddress, Staff, Street
from scheduling.rounds import Round, day_round
from scheduling.zone_time import local_day_bounds

ALLOWED = (*AGENDA_ROLES, *MANAGERS)
CONFIRMED_BY_SMS = "attendance_confirmed"  # the audit action of a JA to a reminder (ivr)
SIZES = ("80mm", "a4")
SW_SCOPE = "/staff/today"  # the page, its sheet and its marks: nothing else of /staff


@dataclass(frozen=True)
class Visit:
    """One stop of the round as the page shows it."""

    booking: Booking
    drive_minutes: int  # from the stop before (the office for the first)
    village: str | None
    place: str  # the site's name, or "Home visit"
    address: str
    geo: str  # a geo: link the phone's map app opens
    tel: str  # tel:+32..., "" once the number is purged
    phone: str  # as people write it
    what: str  # the service as staff say it
    topic: str | None
    bring: str  # what the citizen was asked to bring
    confirmed: bool  # the citizen answered JA to the reminder
    status: str
    live: bool  # still to be marked done or no-show
    notes: list[str]


def _whose(me: Staff) -> Staff:
    """Whose day: one's own; ``?staff=<id>`` for managers (anyone with an agenda). To others
    another's id, like an unknown one, is 404."""
    asked = request.args.get("staff", "")
    if not asked:
        if not me.role_set & frozenset(AGENDA_ROLES):
            abort(404)  # no day of their own (the page sends them to the agenda)
        return me
    ident = parse_id(asked)
    if ident is None or (ident != me.id and not is_manager(me)):
        abort(404)
    return get_session().get(Staff, ident) or abort(404)


def _day() -> date:
    asked = request.args.get("day", "")
    if not asked:
        return today()
    return parse_iso_date(asked) or abort(400)


def _geo(booking: Booking, address: str) -> str:
    """``geo:lat,lon`` where the register puts the house (or the office), else a search."""
    spot = None  # sites keep no coordinates: the address search finds the office
    if (
        booking.location is not LocationKind.OFFICE
        and booking.address_postcode
        and booking.address_street
        and booking.address_number
    ):
        key = street_key(booking.address_street)
        spot = (
            get_session()
            .execute(
                select(RegisterAddress.lat, RegisterAddress.lon)
                .join(Street, RegisterAddress.street_id == Street.id)
                .where(
                    RegisterAddress.postcode == booking.address_postcode,
                    RegisterAddress.house_number == booking.address_number.strip().upper(),
                    (Street.key_nl == key) | (Street.key_fr == key) | (Street.key_de == key),
                )
                .limit(1)
            )
            .first()
        )
    if spot is not None:
        return f"geo:{spot.lat:.6f},{spot.lon:.6f}"
    return "geo:0,0?q=" + quote(address, safe="")


def _visits(plan: Round) -> list[Visit]:
    session = get_session()
    ids = [stop.booking.id for stop in plan.stops]
    confirmed = set(
        session.scalars(
            select(AuditEntry.booking_id).where(
                AuditEntry.booking_id.in_(ids), AuditEntry.action == CONFIRMED_BY_SMS
            )
        )
    )
    notes: dict[int, list[str]] = {}
    for mark in session.scalars(
        select(VisitMark)
        .where(VisitMark.booking_id.in_(ids), VisitMark.kind == "note")
        .order_by(VisitMark.marked_at)
    ):
        notes.setdefault(mark.booking_id, []).append(mark.note)
    lang = language()
    visits = []
    for stop in plan.stops:
        b = stop.booking
        if b.location is LocationKind.OFFICE and b.site is not None:
            place = b.site.name
            address = f"{b.site.street} {b.site.number}, {b.site.postcode} {b.site.municipality}"
        else:
            place = _("Home visit") if b.location is LocationKind.HOME else _("On site")
            address = visit_address(b)
        bring = b.service.what_to_bring or {}
        visits.append(
            Visit(
                booking=b,
                drive_minutes=int(stop.travel / timedelta(minutes=1)),
                village=stop.village,
                place=place,
                address=address,
                geo=_geo(b, address),
                tel=f"tel:{b.citizen_phone}" if b.citizen_phone else "",
                phone=national(b.citizen_phone) if b.citizen_phone else "",
                what=kind_label(b.service, b.location),
                topic=b.topic,
                bring=bring.get(lang) or bring.get("nl") or "",
                confirmed=b.id in confirmed,
                status=str(STATUS_LABELS[b.status]),
                live=b.status is BookingStatus.CONFIRMED,
                notes=notes.get(b.id, []),
            )
        )
    return visits


def _link(endpoint: str, whose: Staff, me: Staff, **args: str) -> str:
    query: dict[str, Any] = dict(args)
    if whose.id != me.id:
        query["staff"] = str(whose.id)
    return url_for(endpoint, **query)


def _cache_until(day: date) -> int | None:
    """Today's page may be kept on the phone until the end of the local day (ms since the
    epoch, for the service worker); another day's page is never kept."""
    if day != today():
        return None
    return int(local_day_bounds(day, current.zone())[1].timestamp() * 1000)


@bp.get("/today")
@staff_required(*ALLOWED)
def today_page(me: Staff) -> WerkzeugResponse | tuple[str, int, dict[str, str]]:
    if not request.args.get("staff") and not me.role_set & frozenset(AGENDA_ROLES):
        # A supervisor or admin has no round of their own: they pick whose in the agenda,
        # whose days link here.
        return redirect(url_for("staff.agenda"))
    whose, day = _whose(me), _day()
    plan = day_round(get_session(), staff_id=whose.id, day=day, zone=current.zone())
    until = _cache_until(day)
    page = render_template(
        "staff/today.html",
        whose=whose,
        mine=whose.id == me.id,
        day=day,
        is_today=until is not None,
        cache_until=until,
        visits=_visits(plan),
        back_minutes=int(plan.back / timedelta(minutes=1)),
        travel_minutes=int(plan.travel / timedelta(minutes=1)),
        previous=_link("staff.today_page", whose, me, day=(day - timedelta(days=1)).isoformat()),
        next=_link("staff.today_page", whose, me, day=(day + timedelta(days=1)).isoformat()),
        sheet=_link("staff.today_sheet", whose, me, day=day.isoformat(), size="80mm"),
        a4_sheet=_link("staff.day_sheet", whose, me, day=day.isoformat()),
        note_max=NOTE_MAX,
        # Each form its own mark id: a form sent twice (no JavaScript) counts once.
        new_mark_id=lambda: str(uuid.uuid4()),
    )
    headers = {"Blauwlijn-Cache-Until": str(until)} if until is not None else {}
    return page, 200, headers


@bp.get("/today/sheet")
@staff_required(*ALLOWED)
def today_sheet(me: Staff) -> WerkzeugResponse | str:
    whose, day = _whose(me), _day()
    size = request.args.get("size", "80mm")
    if size not in SIZES:
        abort(400)
    if size == "a4":
        return redirect(_link("staff.day_sheet", whose, me, day=day.isoformat()))
    plan = day_round(get_session(), staff_id=whose.id, day=day, zone=current.zone())
    return render_template(
        "staff/today_sheet.html",
        whose=whose,
        day=day,
        visits=_visits(plan),
        back_minutes=int(plan.back / timedelta(minutes=1)),
        back_url=_link("staff.today_page", whose, me, day=day.isoformat()),
    )


@bp.get("/today/sw.js")
def today_service_worker() -> WerkzeugResponse:
    """The service worker, served from under the page so that its scope can be the page alone
    (``Service-Worker-Allowed`` widens it from ``/staff/today/`` to ``/staff/today``)."""
    path = Path(current_app.static_folder or "") / "js" / "today_sw.js"
    response = send_file(path, mimetype="text/javascript", max_age=0)
    response.headers["Service-Worker-Allowed"] = SW_SCOPE
    return response
