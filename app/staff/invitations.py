"""Invitations (/staff/invitations): a case handler invites a citizen to book about a dossier;
the list of their invitations (managers: everyone's) with what became of each; withdrawing.

The invitation's SMS is an outbox row written with the invitation (app.notify.outbox); the
page shows how far it got, so a handler whose SMS failed gives the code by phone instead.
"""

from dataclasses import dataclass
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from werkzeug.routing import BuildError
from werkzeug.wrappers import Response as WerkzeugResponse

from app import current
from app.db import get_session
from app.forms import Form
from app.i18n import language
from app.notify.outbox import drop_invitation_sms, invitation_sms, queue_invitation
from app.phone import e164_or_none, is_mobile, national
from app.staff import bp
from app.staff.access import (
    MANAGERS,
    get_visible,
    is_manager,
    staff_required,
    visible_rows,
)
from app.staff.labels import LANGUAGE_NAMES
from app.values import parse_date
from scheduling.enums import Audience, Channel, OutboxStatus, Role, ServedBy
from scheduling.errors import SchedulingError
from scheduling.invitations import (
    DOSSIER_CODE_MAX,
    LANGUAGES,
    MAX_WINDOW_DAYS,
    InvitationRequest,
    InvitationState,
    InvitationStatus,
    WindowProblem,
    default_window,
    invite,
    sms_language,
    statuses,
    window_problems,
    withdraw,
)
from scheduling.models import Booking, Invitation, Service, ServiceTeam, Staff
from scheduling.trail import Actor

LIST_LENGTH = 100  # the most recent invitations shown
FIELDS = ("phone", "dossier_code", "service", "valid_from", "valid_until", "language")
SMS_LABELS = {
    OutboxStatus.PENDING: _l("Waiting to be sent"),
    OutboxStatus.SENDING: _l("Being sent"),
    OutboxStatus.SENT: _l("Sent"),
    OutboxStatus.DELIVERED: _l("Delivered"),
    OutboxStatus.FAILED: _l("Not delivered"),
    OutboxStatus.FINAL: _l("Not sent"),
}
STATE_LABELS = {
    InvitationState.OPEN: _l("Open"),
    InvitationState.BOOKED: _l("Booked"),
    InvitationState.USED: _l("Used"),
    InvitationState.EXPIRED: _l("Expired"),
    InvitationState.WITHDRAWN: _l("Withdrawn"),
}
WINDOW_MESSAGES = {
    WindowProblem.STARTS_IN_THE_PAST: _l("The first day cannot lie in the past."),
    WindowProblem.ENDS_BEFORE_IT_STARTS: _l("The last day cannot come before the first day."),
    WindowProblem.TOO_LONG: _l("Keep the window to at most %(days)d days.", days=MAX_WINDOW_DAYS),
}


def _today() -> date:
    return current.now().astimezone(current.zone()).date()


# --- Reading the form -------------------------------------------------------------------


def _services(me: Staff) -> list[Service]:
    """The services a citizen books by invitation that the handler ``me`` serves (a
    service with a team: its members; without one: every case handler)."""
    in_team = select(ServiceTeam.staff_id).where(ServiceTeam.service_id == Service.id)
    return list(
        get_session().scalars(
            select(Service)
            .where(
                Service.served_by == ServedBy.INVITED_STAFF,
                Service.audience == Audience.CITIZEN,
                or_(~in_team.exists(), in_team.where(ServiceTeam.staff_id == me.id).exists()),
            )
            .order_by(Service.code)
        )
    )


def _read_date(form: Form, name: str, missing: str) -> date | None:
    raw = form.required(name, missing)
    if name in form.errors:
        return None
    day = parse_date(raw)
    if day is None:
        form.errors[name] = _("Enter a date like 31/12/2026.")
    return day


def _read_mobile(form: Form) -> str:
    """The citizen's mobile number as E.164 (the invitation goes out by SMS)."""
    raw = form.required("phone", _("Enter the citizen's mobile number."))
    if "phone" in form.errors:
        return raw
    number = e164_or_none(raw)
    if number is None:
        form.errors["phone"] = _("Enter a mobile number like 0470 12 34 56.")
        return raw
    if not is_mobile(number):
        form.errors["phone"] = _("This is not a mobile number: the invitation goes out by SMS.")
        return raw
    return number


def _read(form: Form, services: list[Service]) -> InvitationRequest | None:
    """The request the form describes, or None with ``form.errors`` next to each field."""
    phone = _read_mobile(form)
    dossier = form.required("dossier_code", _("Enter the dossier code."))
    if "dossier_code" not in form.errors and len(dossier) > DOSSIER_CODE_MAX:
        form.errors["dossier_code"] = _(
            "Keep the dossier code to %(length)d characters.", length=DOSSIER_CODE_MAX
        )
    service = form.values["service"]
    if service not in {s.code for s in services}:
        form.errors["service"] = _("Choose what the appointment is for.")
    first = _read_date(form, "valid_from", _("Enter the first day the citizen can book."))
    last = _read_date(form, "valid_until", _("Enter the last day the citizen can book."))
    if first and last:
        for name, problem in window_problems(first, last, today=_today()).items():
            form.errors[name] = str(WINDOW_MESSAGES[problem])
    if form.values["language"] not in LANGUAGES:
        form.errors["language"] = _("Choose the language of the SMS.")
    if not form.ok or first is None or last is None:
        return None
    return InvitationRequest(service, dossier, phone, first, last, form.values["language"])


# --- What the pages show ----------------------------------------------------------------


def invitation_link(invitation: Invitation, lang: str) -> str:
    """The address the citizen gets: the invitation page with the code, in their language."""
    base = current.config().public_base_url
    return str(base + url_for("web.invitation", code=invitation.code, lang=lang))


def appointment_url(booking: Booking) -> str | None:
    """The staff page of an appointment, once the agenda pages offer one."""
    try:
        return url_for("staff.appointment", booking_id=booking.id)
    except BuildError:
        return None


@dataclass(frozen=True)
class Row:
    status: InvitationStatus
    label: str
    first_day: date  # local
    last_day: date
    booking_url: str | None


def _rows(found: list[InvitationStatus]) -> list[Row]:
    return [
        Row(
            s,
            str(STATE_LABELS[s.state]),
            s.invitation.valid_from.astimezone(current.zone()).date(),
            s.invitation.valid_until.astimezone(current.zone()).date(),
            appointment_url(s.booking) if s.booking else None,
        )
        for s in found
    ]


def _can_invite(me: Staff) -> bool:
    return Role.CASE_HANDLER in me.role_set


# --- The pages --------------------------------------------------------------------------


@bp.get("/invitations")
@staff_required(Role.CASE_HANDLER, *MANAGERS)
def invitations(me: Staff) -> str:
    session = get_session()
    shown = list(
        session.scalars(
            select(Invitation)
            .where(visible_rows(Invitation.staff_id))
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
            .limit(LIST_LENGTH)
        )
    )
    return render_template(
        "staff/invitations.html",
        rows=_rows(statuses(session, shown, current.now())),
        all_staff=is_manager(),
        can_invite=_can_invite(me),
        list_length=LIST_LENGTH,
    )


@bp.route("/invitations/new", methods=["GET", "POST"])
@staff_required(Role.CASE_HANDLER)
def new_invitation(me: Staff) -> str | WerkzeugResponse:
    services = _services(me)
    first, last = default_window(_today())
    form = Form(
        {
            "service": services[0].code if services else "",
            "valid_from": first.isoformat(),
            "valid_until": last.isoformat(),
            "language": "nl",
        }
    )
    if request.method == "POST":
        form = Form.read(*FIELDS)
        wanted = _read(form, services)
        if wanted is not None:
            try:
                made = invite(
                    get_session(),
                    request=wanted,
                    actor=Actor.staff(me.id, Channel.STAFF),
                    now=current.now(),
                    zone=current.zone(),
                )
            except SchedulingError as error:  # the form checks the same rules: a race at most
                form.errors[error.field or "service"] = _("This is not valid.")
            else:
                queue_invitation(
                    get_session(),
                    made,
                    config=current.config(),
                    language=wanted.language,
                    link=invitation_link(made, wanted.language),
                    now=current.now(),
                )
                flash(_("The invitation is made: the citizen gets it by SMS."), "success")
                return redirect(url_for("staff.invitation", ident=made.id))
    return render_template(
        "staff/invitation_new.html",
        form=form,
        service_options=[(s.code, s.name(language()), "") for s in services],
        language_options=[(code, name, code) for code, name in LANGUAGE_NAMES.items()],
        today=_today(),
        max_days=MAX_WINDOW_DAYS,
    )


@bp.get("/invitations/<int:ident>")
@staff_required(Role.CASE_HANDLER, *MANAGERS)
def invitation(me: Staff, ident: int) -> str:
    session = get_session()
    found = get_visible(Invitation, ident)
    (row,) = _rows(statuses(session, [found], current.now()))
    lang = sms_language(session, found)
    return render_template(
        "staff/invitation.html",
        row=row,
        invitation=found,
        service=session.get_one(Service, found.service_id),
        phone=national(found.phone) if found.phone else "",
        link=invitation_link(found, lang),
        sms=invitation_sms(session, found),
        sms_labels=SMS_LABELS,
        sms_language=LANGUAGE_NAMES[lang],
        open=row.status.state is InvitationState.OPEN,
    )


@bp.post("/invitations/<int:ident>/withdraw")
@staff_required(Role.CASE_HANDLER, *MANAGERS)
def withdraw_invitation(me: Staff, ident: int) -> WerkzeugResponse:
    found = get_visible(Invitation, ident)
    if me is None:  # staff_required
        abort(403)
    try:
        withdraw(get_session(), invitation=found, actor=Actor.staff(me.id), now=current.now())
        drop_invitation_sms(get_session(), found)
    except SchedulingError:
        flash(_("This invitation is no longer open: it cannot be withdrawn."), "error")
    else:
        flash(_("The invitation is withdrawn: its code no longer works."), "success")
    return redirect(url_for("staff.invitation", ident=ident))
