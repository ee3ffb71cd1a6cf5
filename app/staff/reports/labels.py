"""The words staff read for a report's status, channel, kind and team."""

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from app.reports.access import RESTRICTED_TEAM
from app.reports.enums import CategoryKind, ReportChannel, ReportStatus

STATUSES: dict[ReportStatus, LazyString] = {
    ReportStatus.NEW: _l("New"),
    ReportStatus.TRIAGED: _l("Triaged"),
    ReportStatus.IN_PROGRESS: _l("In progress"),
    ReportStatus.ANSWERED: _l("Answered"),
    ReportStatus.CLOSED: _l("Closed"),
    ReportStatus.WITHDRAWN: _l("Withdrawn"),
    ReportStatus.MERGED: _l("Merged"),
}
CHANNELS: dict[ReportChannel, LazyString] = {
    ReportChannel.WEB: _l("Website"),
    ReportChannel.PHONE: _l("Phone"),
    ReportChannel.API: _l("Open311"),
}
KINDS: dict[CategoryKind, LazyString] = {
    CategoryKind.REPORT: _l("Report"),
    CategoryKind.QUESTION: _l("Question"),
    CategoryKind.LOST: _l("Lost object"),
    CategoryKind.FOUND: _l("Found object"),
}
TEAMS: dict[str, LazyString] = {RESTRICTED_TEAM: _l("Restricted team")}


def team_label(code: str | None) -> str:
    return str(TEAMS.get(code or "", code or ""))
