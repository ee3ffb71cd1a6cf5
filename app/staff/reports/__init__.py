"""The reporting point's staff pages under /staff/reports (one module each): the overview
and its CSV (``overview``)."""

from app.staff.reports import overview  # noqa: F401  (adds routes to app.staff.bp)
