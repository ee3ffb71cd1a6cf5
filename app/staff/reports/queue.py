"""The intake queue (/staff/reports): one list of reports and questions, the most urgent
first — questions by the date the zone promised to answer, then the oldest new reports —
with filters by category, municipality, status and overdue (a GET form: links and the back
button keep them), 50 to a page.

Who sees which rows is app.reports.access, as a WHERE clause here: the desk (intake,
supervisors, zone chief) every ordinary case, an officer what is assigned to them, the
restricted team its sensitive cases and its own. A sensitive report reaches someone who may
not read it only as "A sensitive report arrived" with its number, while it is new and only
in the unfiltered list: a category or municipality filter would tell what it is or where.

Cost: one query for the page (the category joined, the assignee's name joined) and one
count. ``ix_reports_status_due`` (status, due_at) serves the status filter and the open
cases' due dates; the page is then sorted from the open cases alone (docs/reports.md)."""

from dataclasses import dataclass
from datetime import datetime

from flask import render_template, request
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, false, func, or_, select, true
from sqlalchemy.orm import contains_eager, load_only

from app import current
from app.db import get_session
from app.forms import Form
from app.i18n import language
from app.reports.access import DESK, QUEUE_READERS, SENSITIVE_READERS, TEAMS, may_see
from app.reports.enums import FINISHED, ReportStatus
from app.reports.models import Report, ReportCategory
from app.staff import bp
from app.staff.access import AGENDA_ROLES, staff_required
from app.staff.reports.labels import KINDS, STATUSES, team_label
from app.values import parse_id
from scheduling.enums import Role
from scheduling.models import Staff, Street

PAGE_SIZE = 50
OPEN = tuple(s for s in ReportStatus if s not in FINISHED)
# Who opens the queue: the desk and the restricted team, and officers for their own cases.
QUEUE_ROLES: tuple[Role, ...] = (*sorted(QUEUE_READERS), *AGENDA_ROLES)
FILTERS = ("category", "municipality", "status", "overdue", "page")
# What a row shows and may_see reads: not the description, answers or reporter (wide, and
# not for this page), so the sort of the open cases moves narrow rows.
ROW_COLUMNS = (
    Report.id,
    Report.number,
    Report.category_id,
    Report.status,
    Report.street_name,
    Report.municipality,
    Report.landmark,
    Report.created_at,
    Report.due_at,
    Report.assigned_staff_id,
    Report.assigned_team,
)


@dataclass(frozen=True)
class Row:
    id: int
    number: str
    hidden: bool  # a sensitive report this staff member may not read: its number only
    kind: str
    category: str
    place: str
    status: str
    created_at: datetime
    due_at: datetime | None
    overdue: bool
    assignee: str


@dataclass(frozen=True)
class Filters:
    category: str | None
    municipality: str | None
    status: str  # "open", "all" or a ReportStatus value
    overdue: bool
    page: int

    @property
    def narrowed(self) -> bool:
        """A filter that would tell a hidden report's category or place."""
        return bool(self.category or self.municipality)


def my_teams(roles: frozenset[Role]) -> list[str]:
    return [code for code, members in TEAMS.items() if members & roles]


def visible(me: Staff, *, narrowed: bool = False) -> ColumnElement[bool]:
    """The reports ``me`` finds in the queue (app.reports.access.may_see as SQL, plus the
    placeholders of sensitive reports the desk may not read); the query joins the category."""
    roles = me.role_set
    sensitive = ReportCategory.sensitive
    own = or_(Report.assigned_staff_id == me.id, Report.assigned_team.in_(my_teams(roles)))
    ordinary = and_(sensitive.is_(False), true() if roles & DESK else own)
    if roles & SENSITIVE_READERS:
        secret: ColumnElement[bool] = sensitive.is_(True)
    elif roles & DESK and not narrowed:
        secret = and_(sensitive.is_(True), Report.status == ReportStatus.NEW)
    else:
        secret = false()
    return or_(ordinary, secret)


def _filters(me: Staff) -> tuple[Filters, Form]:
    form = Form.read(*FILTERS, source=request.args)
    values = {k: ("" if k in form.errors else v) for k, v in form.values.items()}
    form.errors.clear()  # a filter that cannot be used is left out, not argued about
    status = values["status"] if values["status"] in {"all", *ReportStatus} else "open"
    page = parse_id(values["page"]) or 1
    form.values["status"] = status
    return (
        Filters(
            category=values["category"] or None,
            municipality=values["municipality"] or None,
            status=status,
            overdue=values["overdue"] == "1",
            page=min(page, 10_000),
        ),
        form,
    )


def _where(me: Staff, filters: Filters) -> list[ColumnElement[bool]]:
    now = current.now()
    where = [visible(me, narrowed=filters.narrowed)]
    if filters.status == "open":
        where.append(Report.status.in_(OPEN))
    elif filters.status != "all":
        where.append(Report.status == ReportStatus(filters.status))
    if filters.category:
        where.append(ReportCategory.code == filters.category)
    if filters.municipality:
        where.append(func.lower(Report.municipality) == filters.municipality.lower())
    if filters.overdue:
        where.extend([Report.status.in_(OPEN), Report.due_at < now])
    return where


def _rows(me: Staff, filters: Filters) -> tuple[list[Row], int]:
    session = get_session()
    where = _where(me, filters)
    total = session.scalar(
        select(func.count())
        .select_from(Report)
        .join(ReportCategory, Report.category_id == ReportCategory.id)
        .where(*where)
    )
    found = session.execute(
        select(Report, Staff.name)
        .join(ReportCategory, Report.category_id == ReportCategory.id)
        .outerjoin(Staff, Staff.id == Report.assigned_staff_id)
        .options(contains_eager(Report.category), load_only(*ROW_COLUMNS))
        .where(*where)
        .order_by(Report.due_at.asc().nulls_last(), Report.created_at, Report.id)
        .limit(PAGE_SIZE)
        .offset((filters.page - 1) * PAGE_SIZE)
    ).tuples()
    now, roles, lang = current.now(), me.role_set, language()
    rows = [_row(report, name, may_see(roles, me.id, report), now, lang) for report, name in found]
    return rows, total or 0


def _row(report: Report, assignee: str | None, readable: bool, now: datetime, lang: str) -> Row:
    if not readable:
        return Row(
            report.id, report.number, True, "", "", "", "", report.created_at, None, False, ""
        )
    place = ", ".join(p for p in (report.street_name, report.municipality) if p) or (
        report.landmark or "–"
    )
    overdue = report.due_at is not None and report.status in OPEN and report.due_at < now
    return Row(
        id=report.id,
        number=report.number,
        hidden=False,
        kind=str(KINDS[report.category.kind]),
        category=report.category.name(lang),
        place=place,
        status=str(STATUSES[report.status]),
        created_at=report.created_at,
        due_at=report.due_at,
        overdue=overdue,
        assignee=assignee or team_label(report.assigned_team) or _("Intake queue"),
    )


def _choices(me: Staff) -> tuple[list[tuple[str, str]], list[str]]:
    """The categories to filter by (no sensitive ones for who may not read them) and the
    municipalities of the address register."""
    session = get_session()
    query = select(ReportCategory).order_by(ReportCategory.code)
    if not me.role_set & SENSITIVE_READERS:
        query = query.where(ReportCategory.sensitive.is_(False))
    lang = language()
    categories = sorted(
        ((c.code, c.name(lang)) for c in session.scalars(query)), key=lambda c: c[1].casefold()
    )
    municipalities = list(
        session.scalars(
            select(Street.municipality_nl)
            .where(Street.municipality_nl != "")
            .distinct()
            .order_by(Street.municipality_nl)
        )
    )
    return categories, municipalities


@bp.get("/reports")
@staff_required(*QUEUE_ROLES)
def reports_queue(me: Staff) -> str:
    filters, form = _filters(me)
    rows, total = _rows(me, filters)
    categories, municipalities = _choices(me)
    pages = max(1, -(-total // PAGE_SIZE))
    kept = {
        "category": filters.category,
        "municipality": filters.municipality,
        "status": filters.status if filters.status != "open" else None,
        "overdue": "1" if filters.overdue else None,
    }
    return render_template(
        "staff/reports/queue.html",
        rows=rows,
        total=total,
        page=filters.page,
        pages=pages,
        kept={k: v for k, v in kept.items() if v},
        form=form,
        categories=categories,
        municipalities=[(m, m) for m in municipalities],
        statuses=[(s.value, str(label)) for s, label in STATUSES.items()],
    )
