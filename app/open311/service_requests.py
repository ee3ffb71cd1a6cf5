"""GET requests and one request: the public fields of the zone's public reports.

Only what a passer-by could see on the street: the category, whether it is open or closed,
the zone's latest public update, the street and municipality (never the house number or
landmark), the point rounded to about 100 m, and the dates. Never the reporter, the
description or the answers (they may name people), never a sensitive category or a question
of the contact form, never a withdrawn or merged report (docs/open311.md)."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from flask import Response, request
from sqlalchemy import Row, Select, select

from app import current
from app.db import get_session
from app.open311 import answer_cache, bp, params
from app.open311.render import Failure, answer, check_format
from app.open311.services import PUBLIC_KINDS
from app.reports.enums import ReportEventKind, ReportStatus
from app.reports.models import Report, ReportCategory, ReportEvent

CLOSED = (ReportStatus.CLOSED, ReportStatus.ANSWERED)
OPEN = (ReportStatus.NEW, ReportStatus.TRIAGED, ReportStatus.IN_PROGRESS)
POINT_DECIMALS = 3  # about 110 m north–south, 70 m east–west here: a street, not a house


# The status note: each report's latest public update by the zone with its text (retention
# removes the texts of an old case's history). Not the closing message nor what the citizen
# added: those are written to or by one person and may name them.
_NOTE_TEXT = ReportEvent.details["text"].as_string()
_NOTE = (
    select(_NOTE_TEXT)
    .where(
        ReportEvent.report_id == Report.id,
        ReportEvent.kind == ReportEventKind.PUBLIC_UPDATE,
        ReportEvent.public.is_(True),
        _NOTE_TEXT != "",
    )
    .order_by(ReportEvent.id.desc())
    .limit(1)
    .correlate(Report)
    .scalar_subquery()
)
# One query per answer, of only the columns it shows: no description, answers or reporter
# is even read, nor a category's questions (the profile of bench/reports.py: loading whole
# reports and their categories, and two more queries, cost more than finding the rows).
_COLUMNS = (
    Report.id,
    Report.number,
    Report.status,
    Report.created_at,
    Report.updated_at,
    Report.closed_at,
    Report.street_name,
    Report.municipality,
    Report.postcode,
    Report.lat,
    Report.lon,
    ReportCategory.code,
    ReportCategory.names,
    _NOTE.label("note"),
)


def _public() -> Select[Any]:
    return (
        select(*_COLUMNS)
        .join(ReportCategory, Report.category_id == ReportCategory.id)
        .where(
            ReportCategory.sensitive.is_(False),
            ReportCategory.kind.in_(PUBLIC_KINDS),
            Report.status.in_(OPEN + CLOSED),
        )
    )


@bp.get("/requests.<response_format>")
def list_requests(response_format: str) -> Response:
    check_format(response_format)
    lang = params.language()
    number, size = params.page()
    query = _public()
    ids = params.request_ids()
    if ids is not None:  # the spec: a list of ids overrides every other filter
        query = query.where(Report.number.in_(ids))
    else:
        start, end = params.window(current.now(), current.zone())
        query = query.where(Report.created_at >= start, Report.created_at <= end)
        statuses = params.statuses()
        if statuses != {"open", "closed"}:
            query = query.where(Report.status.in_(OPEN if "open" in statuses else CLOSED))
        code = _service_code()
        if code is not None:
            query = query.where(ReportCategory.code == code)
    query = query.order_by(Report.created_at.desc(), Report.id.desc())
    reports = get_session().execute(query.offset((number - 1) * size).limit(size)).all()
    response = answer(
        _rows(reports, lang), response_format, root="service_requests", item="request"
    )
    answer_cache.remember(response)
    return response


@bp.get("/requests/<number>.<response_format>")
def one_request(number: str, response_format: str) -> Response:
    check_format(response_format)
    lang = params.language()
    report = get_session().execute(_public().where(Report.number == number)).first()
    if report is None:
        raise Failure(404, "No such service_request_id.")
    return answer(_rows([report], lang), response_format, root="service_requests", item="request")


def _service_code() -> str | None:
    code = request.args.get("service_code")
    if code is not None and not (0 < len(code) <= 40 and code.isprintable()):
        raise Failure(400, "service_code: not a service's code.")
    return code


def _rows(reports: Sequence[Row[Any]], lang: str) -> list[dict[str, Any]]:
    return [_row(report, lang) for report in reports]


def _row(report: Row[Any], lang: str) -> dict[str, Any]:
    closed = report.status in CLOSED
    updated = report.closed_at if closed and report.closed_at else report.updated_at
    names: dict[str, str] = report.names
    return {
        "service_request_id": report.number,
        "status": "closed" if closed else "open",
        "status_notes": report.note,
        "service_name": names.get(lang) or names.get("nl") or report.code,  # as .name()
        "service_code": report.code,
        "requested_datetime": _iso(report.created_at),
        "updated_datetime": _iso(updated),
        "address": ", ".join(p for p in (report.street_name, report.municipality) if p) or None,
        "zipcode": report.postcode,
        "lat": _rounded(report.lat),
        "long": _rounded(report.lon),
    }


def _iso(instant: datetime) -> str:
    return instant.astimezone(current.zone()).isoformat()


def _rounded(degrees: float | None) -> float | None:
    return None if degrees is None else round(degrees, POINT_DECIMALS)
