"""The photos question: up to MAX_PHOTOS photos, each checked and cleaned by
app.reports.photos the moment it arrives and kept under a random name in the uploads
folder; the draft holds their names. A refused file gets a field error that names it and
says why; the photos already added and every other answer stay."""

from typing import Any

from flask import current_app, redirect, render_template, request
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from app import current, ratelimit
from app.forms import Form
from app.limits import REPORT_PHOTOS_MAX_BODY_BYTES
from app.meldpunt import bp, draft
from app.meldpunt.flow import Flow, ViewAnswer, answered, question, resolve
from app.reports import photos as photo_files
from app.values import parse_id

MAX_PHOTOS = 3  # app.limits lets this step's body hold as many at their largest


@bp.route("/melden/<slug>/photos", methods=["GET", "POST"], endpoint="photos")
@question("photos")
def photos_step(flow: Flow) -> ViewAnswer:
    form = Form()
    if request.method == "POST":
        chosen = [f for f in request.files.getlist("photos") if f.filename]
        for upload in chosen:
            _add(flow, upload, form)
        draft.save(flow.draft)  # the photos accepted, whatever happened to the others
        if form.ok and request.form.get("action") == "continue":
            return answered(flow, "photos")
        if form.ok:  # added: this page again, listing them
            return redirect(flow.url("photos"))
    return _page(flow, form)


def _add(flow: Flow, upload: FileStorage, form: Form) -> None:
    ratelimit.hit_or_refuse("report-photo-ip", request.remote_addr or "?")
    if len(flow.draft.photos) >= MAX_PHOTOS:
        _refuse(form, _("You can add at most %(count)d photos.", count=MAX_PHOTOS))
        return
    data = upload.stream.read(photo_files.MAX_BYTES + 1)
    result = photo_files.accept(data, upload.filename or "")
    if isinstance(result, photo_files.PhotoRefused):
        _refuse(form, _("%(file)s: %(reason)s", file=result.filename, reason=result.message))
        return
    name = photo_files.store(result, current.config().report_uploads_dir)
    # Not the file's own name: it often holds a date, a place or a person's name.
    flow.draft.photos.append(
        {"name": name, "size": len(result.jpeg), "width": result.width, "height": result.height}
    )


def _refuse(form: Form, message: str) -> None:
    form.errors["photos"] = (
        f"{form.errors['photos']} {message}" if "photos" in form.errors else message
    )


@bp.route("/melden/<slug>/photos/remove", methods=["POST"])
@question("photos")
def remove_photo(flow: Flow) -> ViewAnswer:
    index = parse_id(request.form.get("photo", ""))
    if index is not None and index <= len(flow.draft.photos):
        removed = flow.draft.photos.pop(index - 1)
        photo_files.remove(str(removed["name"]), current.config().report_uploads_dir)
        draft.save(flow.draft)
    return redirect(flow.url("photos"))


def _page(flow: Flow, form: Form, status: int = 200) -> tuple[str, int]:
    photos: list[dict[str, Any]] = flow.draft.photos
    return (
        render_template(
            "meldpunt/photos.html",
            flow=flow,
            form=form,
            photos=photos,
            room=MAX_PHOTOS - len(photos),
            accept=photo_files.ACCEPT,
            back=flow.back("photos"),
        ),
        status,
    )


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: HTTPException) -> Any:
    """A body too large for the photos page: the page again with the reason next to the
    field (nothing of it was read, every answer kept). Elsewhere: the site's own page."""
    slug = (request.view_args or {}).get("slug")
    if request.endpoint == "meldpunt.photos" and isinstance(slug, str):
        flow = resolve(slug, "photos")
        if isinstance(flow, Flow):
            form = Form()
            _refuse(
                form,
                _(
                    "These photos are together larger than %(megabytes)d MB. Add them one "
                    "at a time, or choose smaller photos.",
                    megabytes=REPORT_PHOTOS_MAX_BODY_BYTES // (1024 * 1024),
                ),
            )
            return _page(flow, form, 413)
    site_page = current_app._find_error_handler(error, [])  # the app's, as without this one
    return site_page(error) if site_page else error
