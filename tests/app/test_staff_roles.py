"""Every staff page, for every role: open (200) or the 403 page, as the table below says.

The table is written out by hand, not derived from the code, so a page that opens to the
wrong role fails here. A new staff page must be added (the last test sees to it); pages of
one object (an appointment, an invitation...) are checked per owner in their own tests.
"""

import pytest

from scheduling.enums import Role
from tests.app.test_report_staff_roles import ROUTES as REPORT_ROUTES
from tests.staff_login import sign_in_as

OFFICERS = {Role.DISTRICT_OFFICER, Role.CASE_HANDLER, Role.WEAPONS_SERVICE}
MANAGERS = {Role.SUPERVISOR, Role.ADMIN}
EVERYONE = set(Role)

PAGES = {
    "/staff/": EVERYONE,
    "/staff/agenda": OFFICERS | MANAGERS,
    "/staff/agenda?view=week": OFFICERS | MANAGERS,
    "/staff/agenda/day-sheet": OFFICERS | MANAGERS,
    "/staff/moments": OFFICERS | MANAGERS,
    "/staff/earlier": OFFICERS | MANAGERS,
    "/staff/calendar": OFFICERS,
    "/staff/invitations": {Role.CASE_HANDLER} | MANAGERS,
    "/staff/invitations/new": {Role.CASE_HANDLER},
    "/staff/admin/staff": MANAGERS,
    "/staff/admin/districts": MANAGERS,
    "/staff/admin/sites": MANAGERS,
    "/staff/admin/villages": MANAGERS,
    "/staff/admin/services": MANAGERS,
    "/staff/admin/absences": MANAGERS,
    "/staff/admin/galop": MANAGERS,
    "/staff/admin/messages": MANAGERS,
    "/staff/admin/open311-clients": {Role.ADMIN},  # a key writes reports into the queue
    "/staff/admin/answer-templates": MANAGERS,
    "/staff/admin/answer-templates/new": MANAGERS,
    "/staff/reports/overview": {Role.SUPERVISOR, Role.ZONE_CHIEF},
    "/staff/reports/overview.csv": {Role.SUPERVISOR, Role.ZONE_CHIEF},
    "/staff/admin/bailiff-offices": MANAGERS,
    "/staff/admin/bailiff-offices/new": MANAGERS,
    "/staff/admin/execution-kinds": MANAGERS,
    "/staff/admin/assistance-capacity": MANAGERS,
    "/staff/bailiff-assistance/figures": MANAGERS,
    "/staff/bailiff-assistance/figures.csv": MANAGERS,
}
# Checked per object (own, someone else's, missing) in the page's own tests.
ONE_OBJECT = {
    "/staff/appointments/<int:booking_id>": "test_staff_agenda.py",
    "/staff/invitations/<int:ident>": "test_staff_invitations.py",
    "/staff/admin/staff/<int:ident>": "test_staff_admin.py",
    "/staff/admin/districts/<int:ident>": "test_staff_admin.py",
    "/staff/admin/sites/<int:ident>": "test_staff_admin.py",
    "/staff/admin/villages/<int:ident>": "rounds/test_admin_villages.py",
    "/staff/admin/services/<int:ident>": "test_staff_admin.py",
    "/staff/admin/answer-templates/<int:ident>": "test_answer_templates.py",
    "/staff/admin/bailiff-offices/<int:ident>": "zone_assistance/test_offices_admin.py",
    "/staff/admin/execution-kinds/<int:ident>": "zone_assistance/test_execution_kinds.py",
    # One officer's day (their own, ?staff= for managers, who have none of their own).
    "/staff/today": "test_today.py",
    "/staff/today/sheet": "test_today.py",
}
OPEN_TO_ALL = {
    "/staff/login",
    "/staff/login/code",
    "/staff/calendar/<token>.ics",
    "/staff/today/sw.js",  # the today page's service worker: code, nothing personal
}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_page_opens_to_its_roles_and_refuses_the_rest(client, session, role):
    sign_in_as(client, session, role)
    for path, allowed in PAGES.items():
        answer = client.get(path)
        expected = 200 if role in allowed else 403
        assert answer.status_code == expected, (path, role)
        if expected == 403:
            assert "staff-bar" in answer.get_data(as_text=True)  # the one 403 page, signed in


@pytest.mark.parametrize("path", list(PAGES))
def test_signed_out_every_page_goes_to_the_sign_in_page(client, path):
    answer = client.get(path)
    assert answer.status_code == 302
    assert answer.location.startswith("/staff/login?next=")


def test_every_staff_page_is_in_the_table(app):
    routes = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/staff") and "GET" in (rule.methods or ())
    }
    listed = {path.split("?")[0] for path in PAGES} | set(ONE_OBJECT) | OPEN_TO_ALL
    listed |= REPORT_ROUTES  # the reporting point's pages: tests/app/test_report_staff_roles.py
    assert routes == listed
