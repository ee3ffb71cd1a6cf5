"""``/staff/earlier``: an officer sees who waits for their appointments and what was offered
(with its deadline), not other officers' nor any phone number; other roles get the 403."""

from datetime import date, timedelta

from freezegun import freeze_time

from app import commands
from app.earlier import offers
from app.earlier.wishes import Wish
from scheduling.enums import Role
from tests.app.earlier.zone import WEB, at, book
from tests.factories import NOW, make_credential
from tests.staff_login import sign_in, sign_in_as

A, B, C = "+32470000001", "+32470000002", "+32470000003"


@freeze_time(NOW)
def test_the_officer_sees_who_waits_and_the_open_offer(app, client, session, officer):
    config = app.config["BLAUWLIJN"]
    start = at(date(2026, 12, 1), 9)
    with app.app_context():
        a = book(
            session, officer, config, at(date(2026, 12, 16), 10), phone=A, now=start, earlier=Wish()
        )
        book(
            session, officer, config, at(date(2026, 12, 16), 11), phone=B, now=start, earlier=Wish()
        )
        c = book(session, officer, config, at(date(2026, 12, 9), 9), phone=C, now=start)
        commands.cancel(session, c, actor=WEB, now=start)
        assert offers.run(session, start + timedelta(minutes=1), config).offered == 1
    make_credential(session, officer)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(client, officer)
    page = client.get("/staff/earlier")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert a.reference in html
    assert html.count("website") == 2  # both wishes, asked on the web
    assert "waiting for an answer" in html
    assert "09:31" in html
    for phone in (A, B, C, "0470"):
        assert phone not in html


@freeze_time(NOW)
def test_another_officer_sees_none_of_it_and_a_call_taker_is_refused(app, client, session, officer):
    config = app.config["BLAUWLIJN"]
    with app.app_context():
        a = book(
            session,
            officer,
            config,
            at(date(2026, 12, 16), 10),
            phone=A,
            now=at(date(2026, 12, 1), 9),
            earlier=Wish(),
        )
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in_as(client, session, Role.DISTRICT_OFFICER)
    html = client.get("/staff/earlier").get_data(as_text=True)
    assert (a.reference not in html and "Nobody waits" in html) or "Niemand" in html
    other = app.test_client()
    sign_in_as(other, session, Role.CALL_TAKER)
    assert other.get("/staff/earlier").status_code == 403
