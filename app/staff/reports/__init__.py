"""The reporting point's staff pages (docs/reports.md, "Who handles what"): the intake queue
(``queue``), a case with its history (``case``, ``history``) and what staff do with it
(``actions``), its photos (``photos``) and the access log of sensitive reports
(``access_log``). Who sees what is app.reports.access; every write goes through
app.reports.commands."""

from app.staff.reports import access_log, actions, case, photos, queue  # noqa: F401  (routes)
