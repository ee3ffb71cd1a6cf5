"""The staff menu: on every staff page the same entries, those the person's roles open, and
the page they are on marked aria-current="page"."""

import re

import pytest
from freezegun import freeze_time

from scheduling.enums import Role
from tests.factories import NOW
from tests.staff_login import sign_in_as

OFFICER_MENU = [
    "Agenda",
    "Today",
    "Bookable moments",
    "Earlier moments",
    "Calendar subscription",
    "Reports and questions",
]
MANAGER_MENU = [
    "Agenda",
    "Bookable moments",
    "Earlier moments",
    "Invitations",
    "Reports and questions",
    "Call centre figures",
    "Reports overview",
    "Assistance figures",
    "Management",
]


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time(NOW):
        yield


def _menu(client, path: str) -> list[tuple[str, bool]]:
    """(title, current) of each menu entry on the page at ``path``."""
    answer = client.get(path)
    assert answer.status_code == 200, path
    html = answer.get_data(as_text=True)
    (nav,) = re.findall(r'<nav class="staff-menu" aria-label="Staff menu">(.*?)</nav>', html, re.S)
    return [
        (title, 'aria-current="page"' in attributes)
        for attributes, title in re.findall(r"<a ([^>]*)>([^<]+)</a>", nav)
    ]


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/staff/", None),
        ("/staff/agenda", "Agenda"),
        ("/staff/agenda/day-sheet", "Agenda"),
        ("/staff/moments", "Bookable moments"),
        ("/staff/earlier", "Earlier moments"),
        ("/staff/calendar", "Calendar subscription"),
    ],
)
def test_an_officer_has_the_same_menu_on_every_page(client, session, path, current):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in_as(client, session, Role.DISTRICT_OFFICER)
    menu = _menu(client, path)
    assert [title for title, _ in menu] == OFFICER_MENU
    assert [title for title, is_current in menu if is_current] == ([current] if current else [])


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/staff/agenda", "Agenda"),
        ("/staff/invitations", "Invitations"),
        ("/staff/admin/districts", "Management"),
        ("/staff/admin/services", "Management"),
        ("/console/supervisor", "Call centre figures"),
        ("/staff/reports/overview", "Reports overview"),
        ("/staff/admin/answer-templates", "Management"),
        ("/staff/admin/bailiff-offices", "Management"),
        ("/staff/admin/assistance-capacity", "Management"),
        ("/staff/bailiff-assistance/figures", "Assistance figures"),
    ],
)
def test_a_supervisor_sees_the_management_entries(client, session, path, current):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in_as(client, session, Role.SUPERVISOR)
    menu = _menu(client, path)
    assert [title for title, _ in menu] == MANAGER_MENU
    assert [title for title, is_current in menu if is_current] == [current]


def test_a_call_taker_sees_only_the_console(client, session):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in_as(client, session, Role.CALL_TAKER)
    assert _menu(client, "/staff/") == [("Call-taker console", False)]


@pytest.mark.parametrize(
    ("role", "path", "menu", "current"),
    [
        (Role.INTAKE, "/staff/reports", ["Reports and questions"], "Reports and questions"),
        (
            Role.RESTRICTED_LEAD,
            "/staff/reports/access-log",
            ["Reports and questions", "Access log"],
            "Access log",
        ),
        (Role.RESTRICTED_TEAM, "/staff/", ["Reports and questions"], None),
    ],
)
def test_the_reporting_point_roles_see_its_pages(client, session, role, path, menu, current):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in_as(client, session, role)
    shown = _menu(client, path)
    assert [title for title, _ in shown] == menu
    assert [title for title, is_current in shown if is_current] == ([current] if current else [])


def test_the_zone_chief_sees_the_reports_overview(client, session):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in_as(client, session, Role.ZONE_CHIEF)
    assert ("Reports overview", True) in _menu(client, "/staff/reports/overview")
