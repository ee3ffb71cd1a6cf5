"""The sections of the staff pages and who sees them on the staff home page.

A section whose page is built gets its ``endpoint`` here; until then the home page lists it
as coming. The roles only decide what the home page offers: each page checks access itself
(``app.staff.access.staff_required``).
"""

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from app.reports.access import ACCESS_LOG_READERS, OVERVIEW_READERS, QUEUE_READERS
from app.staff.access import AGENDA_ROLES, MANAGERS
from scheduling.enums import Role
from scheduling.models import Staff

# The reporting point's queue: the desk, the restricted team, and officers for their own cases.
REPORT_ROLES = (*sorted(QUEUE_READERS), *AGENDA_ROLES)
ACCESS_LOG_ROLES = tuple(sorted(ACCESS_LOG_READERS))

ROLE_LABELS: dict[Role, LazyString] = {
    Role.DISTRICT_OFFICER: _l("Neighbourhood officer"),
    Role.CASE_HANDLER: _l("Case handler"),
    Role.WEAPONS_SERVICE: _l("Weapons service"),
    Role.CALL_TAKER: _l("Call-taker"),
    Role.SUPERVISOR: _l("Supervisor"),
    Role.ADMIN: _l("Administrator"),
    Role.INTAKE: _l("Reporting point intake"),
    Role.RESTRICTED_TEAM: _l("Restricted team (sensitive reports)"),
    Role.RESTRICTED_LEAD: _l("Restricted team lead"),
    Role.ZONE_CHIEF: _l("Zone chief"),
}


@dataclass(frozen=True)
class Section:
    title: LazyString
    description: LazyString
    roles: tuple[Role, ...]
    endpoint: str | None = None  # None: not built yet, listed as coming


SECTIONS = (
    Section(
        _l("Reports and questions"),
        _l("The reporting point's queue: triage, answer, merge, forward; your own cases."),
        REPORT_ROLES,
        "staff.reports_queue",
    ),
    Section(
        _l("Access log of sensitive reports"),
        _l("Who opened, changed or exported which sensitive report, and when."),
        ACCESS_LOG_ROLES,
        "staff.reports_access_log",
    ),
    Section(
        _l("My agenda"),
        _l("Your appointments by day and week, and the day sheet for home visits."),
        AGENDA_ROLES,
        "staff.agenda",
    ),
    Section(
        _l("Today"),
        _l("Your day's round on your phone: addresses, numbers, done and no-show, notes."),
        (Role.DISTRICT_OFFICER,),
        "staff.today_page",
    ),
    Section(
        _l("My bookable moments"),
        _l("When and where citizens can book an appointment with you."),
        AGENDA_ROLES,
        "staff.moments",
    ),
    Section(
        _l("Earlier moments"),
        _l("Who waits for an earlier moment, what was offered to them and the answers."),
        (*AGENDA_ROLES, *MANAGERS),
        "staff.earlier",
    ),
    Section(
        _l("Invitations"),
        _l("Invite a citizen to book an appointment about a dossier."),
        (Role.CASE_HANDLER, *MANAGERS),  # managers see (and may withdraw) every invitation
        "staff.invitations",
    ),
    Section(
        _l("Calendar subscription"),
        _l("Your appointments in the calendar app on your phone or computer."),
        AGENDA_ROLES,
        "staff.calendar_page",
    ),
    Section(
        _l("Call-taker console"),
        _l("Take calls on the blue number and work the call-back list."),
        (Role.CALL_TAKER,),
        "console.page",
    ),
    Section(
        _l("Call centre figures"),
        _l("The blue number now and per day: calls offered, answered, abandoned, waits."),
        MANAGERS,
        "console.supervisor",
    ),
    Section(
        _l("Reports overview"),
        _l("Reports per category, municipality and week, busiest streets, answer times."),
        tuple(sorted(OVERVIEW_READERS)),
        "staff.reports_overview",
    ),
    Section(
        _l("Bailiff assistance figures"),
        _l("Assistance hours, cancellations and late cancellations per office and month."),
        MANAGERS,
        "staff.bailiff_figures",
    ),
    Section(
        _l("Bailiff assistance"),
        _l("Bailiff offices and their users, kinds of execution, the capacity rule."),
        MANAGERS,
        "staff.admin_bailiff_offices",
    ),
    Section(
        _l("Answer templates"),
        _l("Ready answers to questions, in Dutch, French and English."),
        MANAGERS,
        "staff.admin_answer_templates",
    ),
    Section(
        _l("All agendas"), _l("The appointments of every staff member."), MANAGERS, "staff.agenda"
    ),
    Section(
        _l("Everyone's bookable moments"),
        _l("When and where citizens can book each staff member; change them for someone."),
        MANAGERS,
        "staff.moments",
    ),
    Section(
        _l("Staff and districts"),
        _l("Who works here, which streets each neighbourhood officer serves, stand-ins."),
        MANAGERS,
        "staff.admin_staff",
    ),
    Section(
        _l("Absences"),
        _l("Absences and the appointments they affect."),
        MANAGERS,
        "staff.admin_absences",
    ),
    Section(
        _l("Sites and services"),
        _l("Offices, services and their booking rules."),
        MANAGERS,
        "staff.admin_sites",
    ),
    Section(
        _l("GALOP imports"),
        _l("Imports of the personnel roster and absences."),
        MANAGERS,
        "staff.admin_galop",
    ),
)


def sections_for(staff: Staff) -> list[Section]:
    """The sections the staff member's roles give access to, in the order above."""
    roles = staff.role_set
    return [s for s in SECTIONS if roles & frozenset(s.roles)]


def role_labels(staff: Staff) -> list[str]:
    return [str(label) for role, label in ROLE_LABELS.items() if role in staff.role_set]


# --- The staff menu on every page ---------------------------------------------------------


@dataclass(frozen=True)
class MenuItem:
    title: LazyString
    endpoint: str
    roles: tuple[Role, ...]
    covers: tuple[str, ...]  # endpoint prefixes of the pages it is the current item for


MENU = (
    MenuItem(
        _l("Agenda"),
        "staff.agenda",
        (*AGENDA_ROLES, *MANAGERS),
        ("staff.agenda", "staff.day_sheet", "staff.appointment", "staff.move_", "staff.cancel_"),
    ),
    # The officer's day on a phone: for those who go out on rounds (supervisors reach anyone's
    # from the agenda).
    MenuItem(_l("Today"), "staff.today_page", (Role.DISTRICT_OFFICER,), ("staff.today",)),
    MenuItem(
        _l("Bookable moments"), "staff.moments", (*AGENDA_ROLES, *MANAGERS), ("staff.moments",)
    ),
    MenuItem(
        _l("Earlier moments"), "staff.earlier", (*AGENDA_ROLES, *MANAGERS), ("staff.earlier",)
    ),
    MenuItem(
        _l("Calendar subscription"),
        "staff.calendar_page",
        AGENDA_ROLES,
        ("staff.calendar_page", "staff.renew_calendar"),
    ),
    MenuItem(
        _l("Invitations"),
        "staff.invitations",
        (Role.CASE_HANDLER, *MANAGERS),
        ("staff.invitation", "staff.new_invitation", "staff.withdraw_invitation"),
    ),
    MenuItem(
        _l("Reports and questions"),
        "staff.reports_queue",
        REPORT_ROLES,
        (
            "staff.report",
            "staff.triage_report",
            "staff.merge_report",
            "staff.note_report",
            "staff.update_report",
            "staff.close_report",
            "staff.forward_report",
        ),
    ),
    MenuItem(
        _l("Access log"),
        "staff.reports_access_log",
        ACCESS_LOG_ROLES,
        ("staff.reports_access_log",),
    ),
    MenuItem(_l("Call-taker console"), "console.page", (Role.CALL_TAKER,), ("console.",)),
    MenuItem(_l("Call centre figures"), "console.supervisor", MANAGERS, ("console.supervisor",)),
    MenuItem(
        _l("Reports overview"),
        "staff.reports_overview",
        tuple(sorted(OVERVIEW_READERS)),
        ("staff.reports_overview",),
    ),
    MenuItem(
        _l("Assistance figures"),
        "staff.bailiff_figures",
        MANAGERS,
        ("staff.bailiff_figures",),
    ),
    MenuItem(_l("Management"), "staff.admin_staff", MANAGERS, ("staff.admin_",)),
)


@dataclass(frozen=True)
class MenuEntry:
    title: str
    endpoint: str
    current: bool


def menu_for(staff: Staff, endpoint: str | None) -> list[MenuEntry]:
    """The menu items ``staff``'s roles open; the one of the page at ``endpoint`` current
    (the most specific: the console's figures, not the console)."""
    roles = staff.role_set
    items = [item for item in MENU if roles & frozenset(item.roles)]
    matches = [
        (len(prefix), item.endpoint)
        for item in items
        for prefix in item.covers
        if endpoint and endpoint.startswith(prefix)
    ]
    current = max(matches)[1] if matches else None
    return [MenuEntry(str(item.title), item.endpoint, item.endpoint == current) for item in items]
