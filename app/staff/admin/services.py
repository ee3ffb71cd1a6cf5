"""Services (/staff/admin/services): what citizens and bailiffs book, with its rules —
duration, minimum notice, how far ahead, travel around a home visit, until when a citizen
may cancel, how long before it the SMS reminder goes, what to bring (nl, fr, en) and, for a
team service, its team. Admins change them, supervisors read. A new rule holds for what is booked from then on (the slot cache
follows: services are schedule tables); appointments already made keep their times."""

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as WerkzeugResponse

from app.db import get_session
from app.forms import Form
from app.i18n import LANGUAGES, language
from app.staff import bp
from app.staff.access import AGENDA_ROLES, MANAGERS, staff_required
from app.staff.admin import common
from app.staff.admin.amounts import UNIT_NAMES, Rule
from app.staff.labels import LANGUAGE_NAMES
from scheduling.enums import ServedBy
from scheduling.models import Service, Staff

BRING_LIMIT = 500  # it goes into the confirmation SMS too


RULES = (
    Rule("duration_minutes", _l("Duration"), ("minutes", "hours"), 5, 8 * 60),
    Rule("min_notice_minutes", _l("Minimum notice"), ("minutes", "hours", "days"), 0, 14 * 24 * 60),
    Rule("horizon_days", _l("Bookable ahead"), ("days", "weeks"), 1, 365, stored="days"),
    Rule("travel_minutes", _l("Travel before and after a home visit"), ("minutes",), 0, 180),
    Rule(
        "cancel_cutoff_minutes",
        _l("Cancellation cut-off"),
        ("minutes", "hours", "days"),
        0,
        7 * 24 * 60,
    ),
    # From an hour (a reminder is still useful) to a week (longer would precede most bookings).
    Rule("reminder_lead_minutes", _l("SMS reminder before"), ("hours", "days"), 60, 7 * 24 * 60),
)


@bp.get("/admin/services")
@staff_required(*MANAGERS)
def admin_services(me: Staff) -> str:
    found = get_session().scalars(
        select(Service).options(selectinload(Service.team)).order_by(Service.code)
    )
    return render_template(
        "staff/admin/services.html",
        services=list(found),
        rules=RULES,
        lang=language(),
        team=ServedBy.TEAM,
        can_edit=common.is_admin(),
    )


def _form_of(service: Service) -> Form:
    values: dict[str, str] = {}
    for rule in RULES:
        values |= rule.form_values(getattr(service, rule.field))
    for lang in LANGUAGES:
        values[f"bring_{lang}"] = service.what_to_bring.get(lang, "")
    return Form(values)


def _read(form: Form, service: Service, team_ids: set[str]) -> dict[str, Any] | None:
    values: dict[str, Any] = {rule.field: rule.read(form) for rule in RULES}
    notice, horizon = values["min_notice_minutes"], values["horizon_days"]
    if notice is not None and horizon is not None and notice >= horizon * 24 * 60:
        form.errors["min_notice_minutes"] = _(
            "The minimum notice must be shorter than the time citizens can book ahead."
        )
    bring = {
        lang: common.read_text(form, f"bring_{lang}", limit=BRING_LIMIT, lines=True)
        for lang in LANGUAGES
    }
    values["what_to_bring"] = {lang: text for lang, text in bring.items() if text}
    if service.served_by is ServedBy.TEAM:
        offered = {str(s.id): s for s in _team_candidates(service)}
        if not team_ids <= offered.keys():
            form.errors["team"] = _("Choose team members from the list.")
        elif len(team_ids) < service.staff_required:
            form.errors["team"] = _(
                "Staff members this service needs at once: %(count)d. Choose at least as many.",
                count=service.staff_required,
            )
        values["team"] = sorted((offered[i] for i in team_ids & offered.keys()), key=_by_name)
    return values if form.ok else None


def _by_name(staff: Staff) -> str:
    return staff.name


def _team_candidates(service: Service) -> list[Staff]:
    """Active staff with an agenda, and the team as it is (an inactive member can be removed)."""
    bookable = common.staff_with(*AGENDA_ROLES)
    return sorted(bookable + [s for s in service.team if s not in bookable], key=_by_name)


def _audit_details(service: Service, before: dict[str, Any], changed: list[str]) -> dict[str, Any]:
    # The rules are no personal data: the trail keeps old and new values, team members by id.
    def plain(name: str, value: Any) -> Any:
        return [s.id for s in value] if name == "team" else value

    return {
        "service_id": service.id,
        "code": service.code,
        "changed": {
            name: [plain(name, before[name]), plain(name, getattr(service, name))]
            for name in changed
        },
    }


@bp.route("/admin/services/<int:ident>", methods=["GET", "POST"])
@staff_required(*MANAGERS)
def admin_service(me: Staff, ident: int) -> str | WerkzeugResponse:
    common.require_admin()
    service = common.load(Service, ident)
    form, team_ids = _form_of(service), {str(s.id) for s in service.team}
    if request.method == "POST":
        bring = [f"bring_{lang}" for lang in LANGUAGES]
        amounts = [name for rule in RULES for name in (rule.field, rule.unit_field)]
        form = Form.read(*amounts, *bring, multiline=bring)
        team_ids = set(request.form.getlist("team"))
        values = _read(form, service, team_ids)
        if values is not None:
            before = {name: getattr(service, name) for name in values}
            before["team"] = list(service.team)
            changed = common.apply_changes(service, values)
            if changed:
                get_session().flush()
                common.audit("service_updated", _audit_details(service, before, changed))
            flash(_("Saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("staff.admin_services"))
    return render_template(
        "staff/admin/service_edit.html",
        service=service,
        name=service.name(language()),
        form=form,
        rules=RULES,
        unit_names=UNIT_NAMES,
        languages=LANGUAGE_NAMES,
        team_ids=team_ids,
        team_options=[(str(s.id), s.name) for s in _team_candidates(service)]
        if service.served_by is ServedBy.TEAM
        else [],
    )
