"""The portal's menu: the admin's pages only for the office's admin, and an entry only once
its page exists (the portal's pages come from several modules)."""

from flask_babel import lazy_gettext as _l

from app.bailiffs import menu
from tests.factories import make_bailiff
from tests.office_login import make_office_user


def test_admins_see_users_and_keys_others_do_not(app, session, monkeypatch):
    office = make_bailiff(session)
    admin = make_office_user(session, office, office_admin=True)
    plain = make_office_user(session, office)
    monkeypatch.setattr(menu, "MENU", (*menu.MENU, menu.Entry("bailiffs.not_there", _l("Users"))))
    with app.test_request_context("/deurwaarder/gebruikers"):
        for_admin = [e.endpoint for e in menu.menu_for(admin, "bailiffs.users")]
        for_plain = [e.endpoint for e in menu.menu_for(plain, "bailiffs.home")]
        current = [e.endpoint for e in menu.menu_for(admin, "bailiffs.users") if e.current]
    assert {"bailiffs.home", "bailiffs.users", "bailiffs.tokens"} <= set(for_admin)
    assert "bailiffs.users" not in for_plain
    assert "bailiffs.tokens" not in for_plain
    assert "bailiffs.home" in for_plain
    assert "bailiffs.not_there" not in for_admin  # not registered: not shown
    assert current == ["bailiffs.users"]
