"""The invitation code step: any way people type the real code works, a used or unknown
code is refused right there in the page's language (a used one with a link to the
appointment), and the moments open on the first week that has one."""

import re
from datetime import UTC, date, datetime, time

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app import commands
from scheduling.booking import BookingRequest, Citizen
from scheduling.enums import Channel, LocationKind, Role, ServedBy
from scheduling.models import Booking
from scheduling.trail import Actor
from tests.factories import make_invitation, make_service, make_site, make_staff, make_weekly

NOW = "2026-12-01T08:00:00Z"  # Tuesday 09:00 in Brussels
CODE = "INV-7KQ2MX9P"


@pytest.fixture
def invited(session):
    handler = make_staff(session, name="Inspecteur Claes", roles=(Role.CASE_HANDLER,))
    dossier = make_service(
        session, code="dossier", served_by=ServedBy.INVITED_STAFF, locations=["office"]
    )
    site = make_site(session, name="Politiehuis Halle")
    # Moments on Wednesdays, from the 14th (back from leave, say): the first two weeks are empty.
    make_weekly(
        session,
        handler,
        weekday=2,
        starts=time(9),
        ends=time(12),
        site=site,
        valid_from=date(2026, 12, 14),
    )
    invitation = make_invitation(
        session,
        handler,
        dossier,
        code=CODE,
        valid_from=datetime(2026, 11, 30, tzinfo=UTC),
        valid_until=datetime(2026, 12, 31, tzinfo=UTC),
    )
    session.commit()
    return invitation


def _csrf(client) -> str:
    page = client.get("/invitation").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


@freeze_time(NOW)
@pytest.mark.parametrize(
    "typed", [CODE, "inv 7kq2 mx9p", "7KQ2MX9P", "7kq2-mx9p", " Inv-7KQ2MX9P "]
)
def test_the_code_as_people_type_it_opens_the_moments(client, invited, typed):
    answer = client.post("/invitation", data={"csrf_token": _csrf(client), "code": typed})
    assert answer.status_code == 302
    assert answer.location.endswith("/book/moment")


@freeze_time(NOW)
def test_the_hint_shows_the_real_format_and_a_wrong_code_is_refused_in_the_pages_language(
    client, invited
):
    client.get("/?lang=fr")
    page = client.get("/invitation").get_data(as_text=True)
    assert "Par exemple INV-7KQ2MX9P" in page
    wrong = client.post("/invitation", data={"csrf_token": _csrf(client), "code": "INV-7KQ2MX9Q"})
    text = wrong.get_data(as_text=True)
    assert wrong.status_code == 200
    assert 'id="code-error"' in text
    assert "INV-7KQ2MX9Q" in text  # what was typed stays


@freeze_time(NOW)
def test_a_used_code_is_refused_at_the_code_step_with_a_link_to_the_appointment(
    app, client, invited, session
):
    commands.book(
        session,
        BookingRequest(
            service_code="dossier",
            start=datetime(2026, 12, 16, 8, 0, tzinfo=UTC),
            staff_id=invited.staff_id,
            location=LocationKind.OFFICE,
            citizen=Citizen(name="Jan Peeters", phone="+32470123456"),
            invitation_code=CODE,
        ),
        actor=Actor.citizen(Channel.WEB),
        now=datetime.now(UTC),
        config=app.config["BLAUWLIJN"],
    )
    session.commit()
    client.get("/?lang=nl")
    answer = client.post("/invitation", data={"csrf_token": _csrf(client), "code": CODE})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Je maakte met deze uitnodiging al een afspraak." in page
    link = re.search(r'<a href="(/appointment/[^"]+)">Je afspraak bekijken of wijzigen</a>', page)
    assert link is not None
    booking = session.scalars(select(Booking)).one()
    assert booking.reference in client.get(link.group(1)).get_data(as_text=True)


@freeze_time(NOW)
def test_the_moments_open_on_the_first_week_with_a_free_moment(client, invited):
    client.post("/invitation", data={"csrf_token": _csrf(client), "code": CODE})
    page = client.get("/book/moment").get_data(as_text=True)
    assert 'name="slot"' in page  # not the empty week of today
    first = re.findall(r'name="slot" class="slot" value="([^"|]+)', page)[0]
    assert first.startswith("2026-12-16")  # the first Wednesday inside the invitation
    week_zero = client.get("/book/moment?week=0").get_data(as_text=True)
    assert 'name="slot"' not in week_zero  # paging back still shows today's (empty) week


@freeze_time(NOW)
def test_guessing_codes_stops_after_twenty_wrong_ones_from_one_address(client, invited):
    token = _csrf(client)
    for _ in range(3):  # right codes do not count
        assert (
            client.post("/invitation", data={"csrf_token": token, "code": CODE}).status_code == 302
        )
    for n in range(20):
        wrong = client.post("/invitation", data={"csrf_token": token, "code": f"INV-{n:08d}"})
        assert wrong.status_code == 200
    assert (
        client.post("/invitation", data={"csrf_token": token, "code": "INV-23456789"}).status_code
        == 429
    )
    assert client.post("/invitation", data={"csrf_token": token, "code": CODE}).status_code == 429
    other = client.application.test_client()  # another address is not held up
    answer = other.post(
        "/invitation",
        data={"csrf_token": _csrf(other), "code": CODE},
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
    )
    assert answer.status_code == 302
