"""A case's photo (/staff/reports/<id>/photos/<photo_id>): the stored file, only to who may
see the case; for a sensitive case, viewing it is an opening in the access log. Never kept
by a browser or proxy, and never sniffed into another type."""

from flask import Response, abort

from app import current
from app.db import get_session
from app.reports import photos
from app.reports.models import ReportPhoto
from app.staff import bp
from app.staff.access import staff_required
from app.staff.reports.case import opened, visible_report
from app.staff.reports.queue import QUEUE_ROLES
from scheduling.models import Staff


@bp.get("/reports/<int:ident>/photos/<int:photo_id>")
@staff_required(*QUEUE_ROLES)
def report_photo(me: Staff, ident: int, photo_id: int) -> Response:
    report = visible_report(me, ident)
    photo = get_session().get(ReportPhoto, photo_id)
    if photo is None or photo.report_id != report.id:
        abort(404)
    try:
        data = photos.read(photo.stored_name, current.config().report_uploads_dir)
    except photos.PhotoNotFound:
        abort(404)
    opened(me, report)
    answer = Response(data, mimetype=photo.content_type)
    answer.headers["Cache-Control"] = "private, no-store"
    answer.headers["X-Content-Type-Options"] = "nosniff"
    return answer
