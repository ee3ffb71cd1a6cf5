"""The e-mail that forwards a report to its municipality: what was reported, where and when,
and the reporter only when they agreed. Written in Dutch, the language of the zone's
municipalities' administration, and kept within the outbox's 1600 characters (the
description is shortened, never the number)."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask_babel import force_locale, gettext

from app.reports.models import Report

LANGUAGE = "nl"
LIMIT = 1600  # the outbox's body column
ELLIPSIS = " […]"


@dataclass(frozen=True)
class ForwardMail:
    subject: str
    body: str


def compose(report: Report, *, with_identity: bool, zone_name: str, zone: ZoneInfo) -> ForwardMail:
    with force_locale(LANGUAGE):
        subject = gettext(
            "Police %(zone)s: report %(number)s for the municipality",
            zone=zone_name,
            number=report.number,
        )
        lines = [
            gettext(
                "Police zone %(zone)s forwards this report to the municipality of "
                "%(municipality)s for follow-up.",
                zone=zone_name,
                municipality=report.municipality or "",
            ),
            "",
            gettext(
                "Report: %(number)s (%(category)s)",
                number=report.number,
                category=report.category.name(LANGUAGE),
            ),
            gettext("Received: %(moment)s", moment=_at(report.created_at, zone)),
            gettext("Where: %(place)s", place=_place(report)),
        ]
        if report.occurred_at is not None:
            lines.append(gettext("When: %(moment)s", moment=_at(report.occurred_at, zone)))
        if report.recurring:
            lines.append(gettext("When: %(moment)s", moment=report.recurring))
        lines.append("")
        lines.append(_identity(report, with_identity))
        lines.append(
            gettext("Photos stay with the police: ask us for them, quoting the report's number.")
        )
        head = "\n".join(lines[:-2])
        tail = "\n\n" + "\n".join(lines[-2:])
        what = gettext("What:") + " "
    room = LIMIT - len(head) - len(tail) - len(what) - 1
    description = report.description
    if len(description) > room:
        description = description[: max(room - len(ELLIPSIS), 0)].rstrip() + ELLIPSIS
    return ForwardMail(subject, f"{head}\n{what}{description}{tail}")


def _identity(report: Report, with_identity: bool) -> str:
    if not with_identity:
        return gettext("The reporter's identity is not passed on.")
    parts = [p for p in (report.reporter_name, report.reporter_phone, report.reporter_email) if p]
    return gettext(
        "The reporter agreed to be contacted by the municipality: %(who)s", who=", ".join(parts)
    )


def _place(report: Report) -> str:
    street = " ".join(p for p in (report.street_name, report.house_number) if p)
    town = " ".join(p for p in (report.postcode, report.municipality) if p)
    parts = [p for p in (street, town, report.landmark) if p]
    if report.lat is not None and report.lon is not None:
        parts.append(f"{report.lat:.5f}, {report.lon:.5f}")
    return ", ".join(parts) or "–"


def _at(instant: datetime, zone: ZoneInfo) -> str:
    return format_datetime(instant, "d MMMM y, HH:mm", tzinfo=zone, locale="nl_BE")
