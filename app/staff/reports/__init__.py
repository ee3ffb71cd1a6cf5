"""The reporting point's staff pages (docs/reports.md, "Who handles what"): the intake queue
(``queue``), a case with its history (``case``, ``history``) and what staff do with it
(``actions``), its photos (``photos``), the access log of sensitive reports
(``access_log``), and the overview with its CSV (``overview``). Who sees what is
app.reports.access; every write goes through app.reports.commands."""

from app.staff.reports import (  # noqa: F401  (they add routes to app.staff.bp)
    access_log,
    actions,
    case,
    overview,
    photos,
    queue,
)
