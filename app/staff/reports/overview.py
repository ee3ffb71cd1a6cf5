"""The information-led overview (/staff/reports/overview and its CSV): reports per
category × municipality × ISO week over the last twelve weeks with their trend charts
(static/js/overview.js draws them from the page's JSON; the table is the same figures in
text), the streets with most reports in the last 30 days, and how fast questions are answered.

Supervisors and the zone chief read it (``OVERVIEW_READERS``). Sensitive reports show only
as counts per phenomenon for the whole zone: no street, no municipality (a village's count
of a rare phenomenon would point at a person). No case is opened here, so nothing is
written to the access log. The figures are app.reports.figures (one query per block).
"""

import csv
import io
from typing import Any

from flask import Response, render_template
from flask_babel import gettext as _

from app import current, ratelimit
from app.db import get_session
from app.i18n import language
from app.reports import figures
from app.reports.access import OVERVIEW_READERS
from app.staff import bp
from app.staff.access import staff_required
from scheduling.models import Staff

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHART_SERIES = 8  # more lines than this are one "other" line: a chart stays readable


def safe_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: text that would start a formula gets a ' in
    front (numbers stay numbers)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _name(row: figures.WeeklyRow, lang: str) -> str:
    return row.category_names.get(lang) or row.category_names.get("nl") or row.category_code


def _series(sums: dict[str, list[int]], names: dict[str, str]) -> list[dict[str, Any]]:
    """Chart lines, the largest first; beyond ``CHART_SERIES`` summed into "Other"."""
    ranked = sorted(sums.items(), key=lambda item: (-sum(item[1]), item[0]))
    lines = [{"label": names.get(k, k), "data": v} for k, v in ranked[: CHART_SERIES - 1]]
    rest = ranked[CHART_SERIES - 1 :]
    if len(rest) == 1:
        lines.append({"label": names.get(rest[0][0], rest[0][0]), "data": rest[0][1]})
    elif rest:
        lines.append(
            {
                "label": _("Other"),
                "data": [sum(col) for col in zip(*(v for _k, v in rest), strict=True)],
            }
        )
    return lines


def chart_data(weeks: figures.Weeks, rows: list[figures.WeeklyRow]) -> dict[str, Any]:
    lang = language()
    category_names = {row.category_code: _name(row, lang) for row in rows}
    municipalities = {row.municipality: row.municipality for row in rows if row.municipality}
    return {
        "weeks": weeks.labels,
        "charts": [
            {
                "key": "categories",
                "title": _("Reports per week by category"),
                "axis": _("Reports"),
                "datasets": _series(figures.per_week(rows, "category_code"), category_names),
            },
            {
                "key": "municipalities",
                "title": _("Reports per week by municipality (not sensitive)"),
                "axis": _("Reports"),
                "datasets": _series(figures.per_week(rows, "municipality"), municipalities),
            },
        ],
    }


def _weekly() -> tuple[figures.Weeks, list[figures.WeeklyRow]]:
    weeks = figures.weeks_until(current.now(), current.zone())
    return weeks, figures.weekly_counts(get_session(), weeks)


@bp.get("/reports/overview")
@staff_required(*OVERVIEW_READERS)
def reports_overview(me: Staff) -> str:
    ratelimit.hit_or_refuse("overview-staff", str(me.id))
    config, now = current.config(), current.now()
    weeks, rows = _weekly()
    answers = figures.answer_figures(
        get_session(), weeks, now=now, hours=config.answer_hours, zone=config.zone
    )
    return render_template(
        "staff/reports/overview.html",
        weeks=weeks,
        rows=rows,
        names={row.category_code: _name(row, language()) for row in rows},
        charts=chart_data(weeks, rows),
        streets=figures.top_streets(get_session(), now=now),
        street_days=figures.STREET_DAYS,
        answers=answers,
    )


@bp.get("/reports/overview.csv")
@staff_required(*OVERVIEW_READERS)
def reports_overview_csv(me: Staff) -> Response:
    ratelimit.hit_or_refuse("overview-staff", str(me.id))
    weeks, rows = _weekly()
    out = io.StringIO()
    writer = csv.writer(out)
    # Column names in English, for spreadsheets and scripts; a sensitive row's municipality
    # is "(whole zone)".
    writer.writerow(
        ["category", "category_name", "sensitive", "municipality", *weeks.labels, "total"]
    )
    lang = language()
    for row in rows:
        place = "(whole zone)" if row.sensitive else (row.municipality or "")
        sensitive = "yes" if row.sensitive else "no"
        cells = [row.category_code, _name(row, lang), sensitive, place, *row.counts]
        writer.writerow([safe_cell(cell) for cell in [*cells, row.total]])
    first = weeks.mondays[0].isoformat()
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="reports-{first}-12-weeks.csv"'},
    )
