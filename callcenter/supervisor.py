"""The supervisor's view of the call centre: live (callers waiting, the longest wait,
call-takers by status; kept up to date over Server-Sent Events) and the figures per day for
a period, as charts (drawn by static/js/supervisor.js from the page's JSON), a table and
CSV."""

import csv
import io
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from flask import Response, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import current
from app.config import Config
from app.db import get_session
from app.i18n import date_label
from app.staff.access import MANAGERS, staff_required
from app.values import parse_iso_date
from callcenter.blueprint import bp
from callcenter.events import Snapshot, Snapshotter, event_stream, stream
from callcenter.live import EXTENSION as LIVE
from callcenter.models import CallTakerPresence
from callcenter.statistics import SERVICE_LEVELS, Figures, open_callbacks, period_figures
from callcenter.status import STATUS_LABELS
from callcenter.waiting import Waiting, waiting_callers
from scheduling.enums import PresenceStatus
from scheduling.models import Staff

DEFAULT_DAYS = 7
MAX_DAYS = 366


def _asked_day(name: str) -> date | None:
    """``?<name>=`` as an ISO date, None when not given; the staff 400 page for anything
    that is not a calendar day (``0001-01-01`` would overflow the default period)."""
    asked = request.args.get(name, "")
    if not asked:
        return None
    return parse_iso_date(asked) or abort(400)


def _period(today: date) -> tuple[date, date]:
    """From ``?from=`` to ``?to=`` (ISO dates), by default the last seven days."""
    last = _asked_day("to") or today
    first = _asked_day("from") or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        first, last = last, first
    return max(first, last - timedelta(days=MAX_DAYS - 1)), last


def _config() -> Config:
    config: Config = current.config()
    return config


def call_takers(session: Session) -> list[tuple[str, PresenceStatus]]:
    """Active staff with a status other than offline, by name."""
    rows = session.execute(
        select(Staff.name, CallTakerPresence.status)
        .join(Staff, Staff.id == CallTakerPresence.staff_id)
        .where(Staff.active, CallTakerPresence.status != PresenceStatus.OFFLINE)
        .order_by(Staff.name)
    )
    return [(name, status) for name, status in rows]


def longest_wait(waiting: list[Waiting], now: datetime) -> int | None:
    """Seconds the caller first in line has waited; None when nobody waits."""
    return max((max(0, int((now - w.started_at).total_seconds())) for w in waiting), default=None)


def live_snapshot(labels: Mapping[PresenceStatus, str]) -> Snapshotter:
    """The supervisor's ``live`` event: callers waiting, the longest wait, call-takers by
    status (``labels``: the statuses in the supervisor's language, read in the request)."""

    def snapshot(session: Session, now: datetime) -> Snapshot:
        waiting = waiting_callers(session)
        takers = [
            {"name": name, "status": status.value, "label": labels[status]}
            for name, status in call_takers(session)
        ]
        data = {"waiting": len(waiting), "longest": longest_wait(waiting, now), "takers": takers}
        # The longest wait grows every tick (the page counts on); who waits decides.
        return Snapshot(data, ([w.call_id for w in waiting], takers))

    return snapshot


def chart_data(days: list[Figures]) -> dict[str, Any]:
    """The period's three charts, per day, for supervisor.js (labels translated here)."""
    charts = [
        {
            "key": "calls",
            "title": _("Calls offered, answered and abandoned per day"),
            "type": "bar",
            "axis": _("Calls"),
            "datasets": [
                {"label": _("Offered"), "data": [f.offered for f in days]},
                {"label": _("Answered"), "data": [f.answered for f in days]},
                {"label": _("Abandoned"), "data": [f.abandoned for f in days]},
            ],
        },
        {
            "key": "service",
            "title": _("Service level per day"),
            "type": "line",
            "axis": _("Percent of the offered calls"),
            "max": 100,
            "datasets": [
                {
                    "label": _("Answered within %(seconds)s s", seconds=level),
                    "data": [f.service_level(level) for f in days],
                }
                for level in SERVICE_LEVELS
            ],
        },
        {
            "key": "times",
            "title": _("Average wait and handling time per day"),
            "type": "bar",
            "axis": _("Seconds"),
            "datasets": [
                {"label": _("Average wait"), "data": [f.average_wait for f in days]},
                {"label": _("Average handling time"), "data": [f.average_handling for f in days]},
            ],
        },
    ]
    return {"days": [date_label(f.day, "EEE d MMM") for f in days if f.day], "charts": charts}


@bp.get("/supervisor")
@staff_required(*MANAGERS)
def supervisor(me: Staff) -> str:
    session, now, zone = get_session(), current.now(), _config().zone
    first, last = _period(now.astimezone(zone).date())
    days, total = period_figures(session, first=first, last=last, zone=zone)
    waiting = waiting_callers(session)
    return render_template(
        "callcenter/supervisor.html",
        waiting=waiting,
        longest=longest_wait(waiting, now),
        presence=call_takers(session),
        statuses=STATUS_LABELS,
        days=days,
        total=total,
        levels=SERVICE_LEVELS,
        callbacks=open_callbacks(session, now),
        first=first,
        last=last,
        charts=chart_data(days),
        events_url=url_for("console.supervisor_events"),
    )


@bp.get("/supervisor/events")
@staff_required(*MANAGERS)
def supervisor_events(me: Staff) -> Response:
    """The live block as Server-Sent Events. No presence: watching is not taking calls."""
    maker = current_app.extensions["db_sessionmaker"]
    labels = {status: str(label) for status, label in STATUS_LABELS.items()}
    snapshot = live_snapshot(labels)
    seconds, live = _config().console_stream_seconds, current_app.extensions.get(LIVE)
    return event_stream(stream(maker, seconds, "live", snapshot, live=live))


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
def supervisor_csv(me: Staff) -> Response:
    now, zone = current.now(), _config().zone
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
