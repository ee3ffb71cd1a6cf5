"""Links to the reporting point's staff pages (app.staff.reports) from other staff pages.

The queue and the case page are built beside these pages; until their endpoints are
registered, the links are their planned addresses (``/staff/reports``, ``/staff/reports/<id>``),
so a page that links to them never fails to render."""

from typing import Any

from flask import current_app, url_for

QUEUE = "staff.reports_queue"
CASE = "staff.report"


def _url(endpoint: str, fallback: str, **values: Any) -> str:
    if endpoint in current_app.view_functions:
        return url_for(endpoint, **values)
    query = "&".join(f"{k}={v}" for k, v in values.items() if k != "ident")
    return fallback + (f"?{query}" if query else "")


def case_url(ident: int) -> str:
    return _url(CASE, f"/staff/reports/{ident}", ident=ident)


def overdue_queue_url() -> str:
    """The intake queue filtered to open questions past their date."""
    return _url(QUEUE, "/staff/reports", overdue="1")
