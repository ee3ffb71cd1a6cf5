"""Every reporting point staff page (the queue, a case, its photo, its actions, the access log)
for every role: signed out → the sign-in page; a role that may not → the one 403 page; a role
that may → the page (or the action done). Written out by hand, like test_staff_roles.py, with
an ordinary case, one assigned to the signed-in staff member, and a sensitive one."""

from io import BytesIO

import pytest
from freezegun import freeze_time
from PIL import Image

from app.reports import commands, photos
from app.reports.models import ReportPhoto
from scheduling.enums import Role
from tests.app.reports.factories import NOW, make_category, submit
from tests.staff_login import csrf_of, sign_in_as

DESK = {Role.INTAKE, Role.SUPERVISOR, Role.ZONE_CHIEF}
SENSITIVE = {Role.RESTRICTED_TEAM, Role.RESTRICTED_LEAD, Role.ZONE_CHIEF}
OFFICERS = {Role.DISTRICT_OFFICER, Role.CASE_HANDLER, Role.WEAPONS_SERVICE}
QUEUE = DESK | SENSITIVE | OFFICERS  # officers: for the cases assigned to them
LOG = {Role.RESTRICTED_LEAD, Role.ZONE_CHIEF}

# The routes this file checks (test_staff_roles.py leaves them to it).
ROUTES = {
    "/staff/reports",
    "/staff/reports/access-log",
    "/staff/reports/<int:ident>",
    "/staff/reports/<int:ident>/photos/<int:photo_id>",
}
ACTIONS = ("triage", "merge", "note", "update", "close", "forward")


@pytest.fixture
def cases(session, app):
    """An ordinary case (nobody's yet), a sensitive one, each with a photo; the client
    signs in afterwards, and gets one of its own."""
    with freeze_time(NOW):
        ordinary = submit(session, make_category(session))
        secret = submit(session, make_category(session, sensitive=True, handled_by="restricted"))
        for report in (ordinary, secret):
            raw = BytesIO()
            Image.new("RGB", (20, 20)).save(raw, "JPEG")
            accepted = photos.accept(raw.getvalue(), "foto.jpg")
            assert isinstance(accepted, photos.AcceptedPhoto)
            name = photos.store(accepted, app.config["BLAUWLIJN"].report_uploads_dir)
            session.add(
                ReportPhoto(
                    report_id=report.id,
                    stored_name=name,
                    content_type="image/jpeg",
                    size_bytes=len(accepted.jpeg),
                    width=20,
                    height=20,
                    created_at=NOW,
                )
            )
        session.flush()
    return {"ordinary": ordinary, "sensitive": secret}


def _pages(cases) -> dict[str, set[Role]]:
    ordinary, secret = cases["ordinary"], cases["sensitive"]
    return {
        "/staff/reports": QUEUE,
        "/staff/reports?status=all&overdue=1": QUEUE,
        "/staff/reports/access-log": LOG,
        f"/staff/reports/{ordinary.id}": DESK,
        f"/staff/reports/{ordinary.id}/photos/{ordinary.photos[0].id}": DESK,
        f"/staff/reports/{secret.id}": SENSITIVE,
        f"/staff/reports/{secret.id}/photos/{secret.photos[0].id}": SENSITIVE,
    }


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_page_opens_to_its_roles_and_refuses_the_rest(client, session, cases, role):
    me = sign_in_as(client, session, role)
    for path, allowed in _pages(cases).items():
        answer = client.get(path)
        assert answer.status_code == (200 if role in allowed else 403), (path, role)
        if role not in allowed:
            assert "staff-bar" in answer.get_data(as_text=True)  # the one 403 page
    # A case assigned to them: every role that opens the queue may work on it, except a
    # sensitive one outside the team (which the commands never route to them anyway).
    with freeze_time(NOW):
        mine = submit(session, make_category(session))
        commands.triage(session, mine, actor=commands.SYSTEM, now=NOW, staff_id=me.id)
        session.flush()
    answer = client.get(f"/staff/reports/{mine.id}")
    assert answer.status_code == (200 if role in QUEUE else 403), role


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("which", ["ordinary", "sensitive"])
def test_each_action_is_done_only_by_who_may(client, session, cases, role, which):
    """A note (handling) and a triage (routing): 302 back to the case, or the 403 page."""
    report = cases[which]
    sign_in_as(client, session, role)
    token = csrf_of(client, "/staff/")
    may = SENSITIVE if which == "sensitive" else DESK
    note = client.post(
        f"/staff/reports/{report.id}/note", data={"csrf_token": token, "note": "Gezien"}
    )
    assert note.status_code == (302 if role in may else 403), (role, which)
    triage = client.post(
        f"/staff/reports/{report.id}/triage",
        data={"csrf_token": token, "category": report.category.code, "assignee": ""},
    )
    assert triage.status_code == (302 if role in may else 403), (role, which)


@pytest.mark.parametrize("path", sorted(ROUTES))
def test_signed_out_every_page_goes_to_the_sign_in_page(client, cases, path):
    path = path.replace("<int:ident>", str(cases["ordinary"].id)).replace(
        "<int:photo_id>", str(cases["ordinary"].photos[0].id)
    )
    answer = client.get(path)
    assert answer.status_code == 302
    assert answer.location.startswith("/staff/login?next=")


@pytest.mark.parametrize("action", ACTIONS)
def test_signed_out_no_action_is_done(client, cases, action):
    answer = client.post(f"/staff/reports/{cases['ordinary'].id}/{action}")
    assert answer.status_code in (302, 400)  # the sign-in page, or refused for want of CSRF
    assert "/staff/reports/" not in (answer.location or "")


def test_every_reporting_point_route_is_in_this_file(app):
    routes = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/staff/reports") and "overview" not in rule.rule
    }
    assert routes == ROUTES | {f"/staff/reports/<int:ident>/{a}" for a in ACTIONS}
