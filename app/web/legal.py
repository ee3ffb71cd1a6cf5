"""The privacy page and the legal notice. The periods shown are the ones the purge applies
(app.retention reads the same configuration; drafts and rate limits their owners' own
constants), so page and purge cannot drift."""

from collections import defaultdict
from datetime import timedelta

from flask import render_template
from sqlalchemy import select

from app import current, ratelimit, retention
from app.db import get_session
from app.i18n import language
from app.reports.models import ReportCategory
from app.web import bp

# The supervisory body for police data (COC), in the page's language.
COC_SITE = {
    "nl": "https://www.controleorgaan.be",
    "fr": "https://www.organedecontrole.be",
    "en": "https://www.controleorgaan.be",
}


def _hours(period: timedelta) -> int:
    return int(period.total_seconds() // 3600)


@bp.get("/privacy")
def privacy() -> str:
    config = current.config()
    return render_template(
        "web/privacy.html",
        appointment_days=config.retention_appointment_days,
        contact_days=config.retention_contact_days,
        draft_hours=_hours(retention.DRAFT_LIFETIME),
        report_periods=_report_periods(language()),
        replay_hours=_hours(retention.API_REPLAY_WINDOW),
        rate_limit_hours=_hours(ratelimit.WINDOW),
        publisher=config.zone_publisher,
        dpo_name=config.dpo_name,
        dpo_email=config.dpo_email,
        coc_site=COC_SITE[language()],
    )


def _report_periods(lang: str) -> list[tuple[int, list[str]]]:
    """How long each active category of the reporting point keeps a closed case's personal
    data (the purge reads the same column, app.reports.retention): days, category names."""
    by_days: dict[int, list[str]] = defaultdict(list)
    categories = get_session().scalars(
        select(ReportCategory).where(ReportCategory.active).order_by(ReportCategory.id)
    )
    for category in categories:
        by_days[category.retention_days].append(category.names.get(lang) or category.code)
    return sorted(by_days.items())


@bp.get("/legal")
def legal() -> str:
    config = current.config()
    return render_template(
        "web/legal.html",
        publisher=config.zone_publisher,
        address=config.zone_address,
        enterprise_number=config.zone_enterprise_number,
    )
