"""The supervisor's view of the call centre: live (callers waiting, the longest wait,
call-takers by status) and the figures per day for a period, also as CSV."""

import csv
import io
from datetime import date, timedelta

from flask import Response, current_app, render_template, request
from sqlalchemy import select

from app.config import Config
from app.db import get_session
from app.staff import sessions
from app.staff.access import MANAGERS, staff_required
from callcenter.blueprint import bp
from callcenter.statistics import SERVICE_LEVELS, Figures, open_callbacks, period_figures
from callcenter.status import STATUS_LABELS
from callcenter.waiting import waiting_callers
from scheduling.enums import PresenceStatus
from scheduling.models import CallTakerPresence, Staff

DEFAULT_DAYS = 7
MAX_DAYS = 366


def _period(today: date) -> tuple[date, date]:
    """From ``?from=`` to ``?to=`` (ISO dates), by default the last seven days."""
    try:
        last = date.fromisoformat(request.args.get("to", "")) if "to" in request.args else today
        first = (
            date.fromisoformat(request.args.get("from", ""))
            if "from" in request.args
            else last - timedelta(days=DEFAULT_DAYS - 1)
        )
    except ValueError:
        last, first = today, today - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        first, last = last, first
    return max(first, last - timedelta(days=MAX_DAYS - 1)), last


def _config() -> Config:
    config: Config = current_app.config["BLAUWLIJN"]
    return config


@bp.get("/supervisor")
@staff_required(*MANAGERS)
def supervisor() -> str:
    session, now, zone = get_session(), sessions.now(), _config().zone
    first, last = _period(now.astimezone(zone).date())
    days, total = period_figures(session, first=first, last=last, zone=zone)
    waiting = waiting_callers(session)
    presence = session.execute(
        select(Staff.name, CallTakerPresence.status)
        .join(Staff, Staff.id == CallTakerPresence.staff_id)
        .where(Staff.active, CallTakerPresence.status != PresenceStatus.OFFLINE)
        .order_by(Staff.name)
    ).all()
    return render_template(
        "callcenter/supervisor.html",
        waiting=waiting,
        longest=max(((now - w.started_at).total_seconds() for w in waiting), default=None),
        presence=presence,
        statuses=STATUS_LABELS,
        days=days,
        total=total,
        levels=SERVICE_LEVELS,
        callbacks=open_callbacks(session, now),
        first=first,
        last=last,
    )


CSV_COLUMNS = [
    "day",
    "offered",
    "answered",
    "abandoned",
    *(f"service_level_{s}s_percent" for s in SERVICE_LEVELS),
    "average_wait_seconds",
    "average_handling_seconds",
    "sms_failed",
]


def _row(figures: Figures, label: str) -> list[object]:
    return [
        label,
        figures.offered,
        figures.answered,
        figures.abandoned,
        *("" if (v := figures.service_level(s)) is None else v for s in SERVICE_LEVELS),
        "" if figures.average_wait is None else figures.average_wait,
        "" if figures.average_handling is None else figures.average_handling,
        figures.sms_failed,
    ]


@bp.get("/supervisor.csv")
@staff_required(*MANAGERS)
def supervisor_csv() -> Response:
    now, zone = sessions.now(), _config().zone
    first, last = _period(now.astimezone(zone).date())
    days, total = period_figures(get_session(), first=first, last=last, zone=zone)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)  # column names in English, for spreadsheets and scripts
    for figures in days:
        assert figures.day is not None
        writer.writerow(_row(figures, figures.day.isoformat()))
    writer.writerow(_row(total, "total"))
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="calls-{first}-{last}.csv"',
        },
    )
