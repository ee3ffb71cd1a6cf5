"""The portal's menu: the admin's pages only for the office's admin, and every entry a page
that exists (the portal's pages come from several modules)."""

from app.bailiffs import menu
from tests.factories import make_bailiff
from tests.office_login import make_office_user


def test_admins_see_users_and_keys_others_do_not(app, session):
    office = make_bailiff(session)
    admin = make_office_user(session, office, office_admin=True)
    plain = make_office_user(session, office)
    with app.test_request_context("/deurwaarder/gebruikers"):
        for_admin = [e.endpoint for e in menu.menu_for(admin, "bailiffs.users")]
        for_plain = [e.endpoint for e in menu.menu_for(plain, "bailiffs.home")]
        current = [e.endpoint for e in menu.menu_for(admin, "bailiffs.users") if e.current]
    assert {"bailiffs.home", "bailiffs.users", "bailiffs.tokens"} <= set(for_admin)
    assert "bailiffs.users" not in for_plain
    assert "bailiffs.tokens" not in for_plain
    assert "bailiffs.home" in for_plain
    assert current == ["bailiffs.users"]


def test_every_menu_entry_is_a_registered_page(app):
    assert [e.endpoint for e in menu.MENU if e.endpoint not in app.view_functions] == []
