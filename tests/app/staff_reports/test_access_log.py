"""The access log of sensitive reports: every opening, change and photo view of one written,
ordinary cases not; readable by the restricted team's lead and the zone chief only. And the
photo route: only to who may see the case, never cached, never sniffed."""

from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy import select

from app.reports import photos
from app.reports.enums import AccessAction
from app.reports.models import ReportPhoto, SensitiveAccess
from scheduling.enums import Role
from tests.app.reports.factories import NOW, submit
from tests.factories import make_staff
from tests.staff_login import csrf_of, sign_in_as


def add_photo(session, app, report) -> ReportPhoto:
    raw = BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(raw, "JPEG")
    accepted = photos.accept(raw.getvalue(), "sluikstort.jpg")
    assert isinstance(accepted, photos.AcceptedPhoto)
    name = photos.store(accepted, app.config["BLAUWLIJN"].report_uploads_dir)
    photo = ReportPhoto(
        report_id=report.id,
        stored_name=name,
        content_type="image/jpeg",
        size_bytes=len(accepted.jpeg),
        width=accepted.width,
        height=accepted.height,
        created_at=NOW,
    )
    session.add(photo)
    session.flush()
    return photo


def log(session) -> list[tuple[int, int, AccessAction]]:
    rows = session.scalars(select(SensitiveAccess).order_by(SensitiveAccess.id))
    return [(r.staff_id, r.report_id, r.action) for r in rows]


def test_opening_changing_and_viewing_a_photo_of_a_sensitive_report_are_logged(
    frozen, session, english, categories, app
):
    me = sign_in_as(english, session, Role.RESTRICTED_TEAM)
    secret = submit(session, categories.sensitive)
    ordinary = submit(session, categories.dumping)
    commands_before = log(session)
    photo = add_photo(session, app, secret)
    page = f"/staff/reports/{secret.id}"
    assert english.get(page).status_code == 200
    assert english.get(f"{page}/photos/{photo.id}").status_code == 200
    answer = english.post(
        f"{page}/note", data={"csrf_token": csrf_of(english, page), "note": "Gebeld"}
    )
    assert answer.status_code == 302
    session.expire_all()
    new = log(session)[len(commands_before) :]
    assert new == [
        (me.id, secret.id, AccessAction.OPEN),  # the page
        (me.id, secret.id, AccessAction.OPEN),  # the photo
        (me.id, secret.id, AccessAction.OPEN),  # the page, for the form's token
        (me.id, secret.id, AccessAction.CHANGE),  # the note
    ]
    # An ordinary case leaves no trace here.
    desk = app.test_client()
    sign_in_as(desk, session, Role.INTAKE)
    assert desk.get(f"/staff/reports/{ordinary.id}").status_code == 200
    session.expire_all()
    assert [r for r in log(session) if r[1] == ordinary.id] == []


def test_the_photo_is_served_privately_with_its_type(frozen, session, english, categories, app):
    sign_in_as(english, session, Role.INTAKE)
    report = submit(session, categories.dumping)
    photo = add_photo(session, app, report)
    answer = english.get(f"/staff/reports/{report.id}/photos/{photo.id}")
    assert answer.status_code == 200
    assert answer.mimetype == "image/jpeg"
    assert answer.headers["Cache-Control"] == "private, no-store"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.data.startswith(b"\xff\xd8")
    html = english.get(f"/staff/reports/{report.id}").get_data(as_text=True)
    assert f'src="/staff/reports/{report.id}/photos/{photo.id}"' in html  # the thumbnail
    # Another case's photo id under this case: not found.
    other = submit(session, categories.dumping)
    assert english.get(f"/staff/reports/{other.id}/photos/{photo.id}").status_code == 404


@pytest.mark.parametrize("role", [Role.INTAKE, Role.SUPERVISOR, Role.ADMIN, Role.DISTRICT_OFFICER])
def test_who_may_not_see_the_case_gets_no_photo(frozen, session, english, categories, app, role):
    secret = submit(session, categories.sensitive)
    photo = add_photo(session, app, secret)
    sign_in_as(english, session, role)
    assert english.get(f"/staff/reports/{secret.id}/photos/{photo.id}").status_code == 403
    assert english.get(f"/staff/reports/{secret.id}").status_code == 403
    assert log(session) == []


@pytest.mark.parametrize(
    ("role", "reads"),
    [
        (Role.RESTRICTED_LEAD, True),
        (Role.ZONE_CHIEF, True),
        (Role.RESTRICTED_TEAM, False),
        (Role.INTAKE, False),
        (Role.SUPERVISOR, False),
        (Role.ADMIN, False),
    ],
)
def test_the_lead_and_the_zone_chief_read_the_log_newest_first_by_number(
    frozen, session, english, categories, role, reads
):
    colleague = make_staff(session, roles=(Role.RESTRICTED_TEAM,), name="Sara Speciaal")
    first = submit(session, categories.sensitive)
    second = submit(session, categories.sensitive_other)
    for report, at in ((first, NOW), (second, NOW.replace(hour=10))):
        session.add(
            SensitiveAccess(
                staff_id=colleague.id, report_id=report.id, action=AccessAction.OPEN, at=at
            )
        )
    session.flush()
    sign_in_as(english, session, role)
    answer = english.get("/staff/reports/access-log")
    assert answer.status_code == (200 if reads else 403)
    if not reads:
        return
    html = answer.get_data(as_text=True)
    assert "Sara Speciaal" in html
    assert html.index(second.number) < html.index(first.number)  # newest first
    only = english.get("/staff/reports/access-log", query_string={"number": first.number.lower()})
    assert first.number in only.get_data(as_text=True)
    assert second.number not in only.get_data(as_text=True)
    bad = english.get("/staff/reports/access-log", query_string={"number": "x"})
    assert "Type a report number as M-2026-000123." in bad.get_data(as_text=True)
