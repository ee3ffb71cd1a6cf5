"""The bailiffs' portal once signed in: request assistance, the first moments, book one; the
office's bookings and one booking's page; move and cancel; every refusal next to its field
in the user's language; never another office's booking, never a citizen's data."""

import html as html_text
import re
from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.assistance.models import AssistanceDetails
from scheduling.enums import ActorKind, BookingStatus
from scheduling.models import AuditEntry, Booking
from tests.app.bailiff_portal import (
    THURSDAY_8,
    make_kinds,
    open_session,
    post_request,
    signed_in_office,
)
from tests.factories import NOW
from tests.staff_login import csrf_of

MOMENT = THURSDAY_8.isoformat()


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time(NOW):
        yield


@pytest.fixture
def portal(client, session, bailiff_service):
    make_kinds(session)
    return signed_in_office(client, session)


def _text(answer) -> str:
    return " ".join(html_text.unescape(answer.get_data(as_text=True)).split())


def _error_of(answer, field: str) -> str:
    page = html_text.unescape(answer.get_data(as_text=True))
    found = re.search(
        rf'id="{field}-error"><span class="visually-hidden">[^<]*</span>([^<]+)<', page
    )
    assert found, f"no error next to {field}"
    return found.group(1).strip()


def _book(client, **overrides: str):
    return post_request(client, start=MOMENT, **overrides)


def _office_bookings(session, office_id: int) -> list[Booking]:
    session.expire_all()
    return list(session.scalars(select(Booking).where(Booking.bailiff_account_id == office_id)))


# --- Request and book ---------------------------------------------------------------------


def test_the_form_offers_the_services_officers_and_quarter_hours(client, portal):
    page = _text(client.get("/deurwaarder/aanvraag"))
    assert '<option value="2" selected>2</option>' in page  # staff_required
    assert '<option value="4">4</option>' in page
    assert '<option value="5">' not in page
    assert '<option value="480">8 h</option>' in page
    assert 'value="495"' not in page
    assert '<option value="135">2 h 15 min</option>' in page
    assert "Uithuiszetting" in page
    assert 'value="2026-12-01"' in page  # the notice (an hour) leaves today


def test_searching_shows_the_first_moments_with_day_and_end(client, session, portal):
    page = _text(post_request(client))
    assert "Eerste vrije momenten" in page
    assert "donderdag 3 december 2026, 08:00 tot 10:00" in page
    assert _office_bookings(session, portal.office_id) == []  # searching books nothing


def test_choosing_a_moment_books_it_with_the_user_in_the_history(client, session, portal):
    answer = _book(client)
    assert answer.status_code == 302
    (booking,) = _office_bookings(session, portal.office_id)
    assert answer.location.endswith(f"/deurwaarder/boekingen/{booking.reference}")
    assert booking.start_at == THURSDAY_8
    assert booking.officers == 2
    assert booking.end_at - booking.start_at == timedelta(hours=2)
    details = session.get(AssistanceDetails, booking.id)
    assert details.file_reference == "DOS-2026-0042"
    assert details.known_aggression
    assert details.dogs
    assert not details.weapons
    assert details.booked_by == portal.id
    entry = session.scalar(select(AuditEntry).where(AuditEntry.booking_id == booking.id))
    assert entry.actor_kind is ActorKind.BAILIFF
    assert entry.details["office_user_id"] == portal.id


def test_a_double_submit_books_once(client, session, portal):
    from datetime import time

    from app.assistance.commands import assistance_service
    from scheduling.enums import LocationKind
    from tests.factories import make_staff, make_weekly

    service = assistance_service(session)
    for name in ("Inspecteur Drie", "Inspecteur Vier"):  # a second team could go at once
        extra = make_staff(session, name=name)
        make_weekly(
            session, extra, weekday=3, starts=time(8), ends=time(12), location=LocationKind.ON_SITE
        )
        service.team.append(extra)
    session.commit()
    first, second = _book(client), _book(client)
    assert first.location == second.location
    assert len(_office_bookings(session, portal.office_id)) == 1


def test_a_moment_taken_meanwhile_keeps_everything_typed(client, session, portal):
    _book(client)  # the capacity holds more, but both officers now go to the first
    answer = _book(client, file_reference="DOS-ANDER")
    page = _text(answer)
    assert answer.status_code == 200
    assert "Een andere boeking heeft dit moment net ingenomen" in page
    assert 'value="DOS-ANDER"' in page
    assert "Achterdeur via de tuin." in page
    assert len(_office_bookings(session, portal.office_id)) == 1


@pytest.mark.parametrize(
    ("field", "overrides", "nl"),
    [
        ("street", {"street": "Onbestaandestraat"}, "Dit adres ligt niet in onze zone"),
        ("duration_minutes", {"duration_minutes": "495"}, "Kies een duur in kwartieren"),
        ("duration_minutes", {"duration_minutes": "50"}, "Kies een duur in kwartieren"),
        ("officers", {"officers": "5"}, "Kies tussen 1 en 4 agenten"),
        ("first_day", {"first_day": "2026-11-30"}, "Het venster kan niet in het verleden"),
        ("last_day", {"last_day": "2026-12-02"}, "Het venster eindigt voor het begint"),
        ("file_reference", {"file_reference": ""}, "Geef het dossiernummer van uw kantoor"),
        ("execution_kind", {"execution_kind": "ontvoering"}, "Kies de soort uitvoering"),
        ("weapons", {"weapons": ""}, "Antwoord ja of nee"),
    ],
)
def test_each_refusal_is_next_to_its_field_with_the_rest_kept(
    client, session, portal, field, overrides, nl
):
    for answer in (post_request(client, **overrides), _book(client, **overrides)):
        assert answer.status_code == 200
        assert _error_of(answer, field).startswith(nl)
        assert "Achterdeur via de tuin." in _text(answer)
    assert _office_bookings(session, portal.office_id) == []


def test_the_refusal_is_in_french_for_a_french_user(client, session, portal):
    client.get("/deurwaarder/aanvraag?lang=fr")
    answer = post_request(client, street="Onbestaandestraat")
    assert _error_of(answer, "street").startswith("Cette adresse ne se trouve pas dans notre zone")


def test_no_moment_in_the_window_says_so_and_offers_a_later_one(client, portal):
    page = _text(post_request(client, first_day="2026-12-04", last_day="2026-12-09"))
    assert "Er is in dit venster geen moment vrij voor zoveel agenten." in page
    later = _text(post_request(client, first_day="2026-12-04", last_day="2026-12-09", later="1"))
    assert 'value="2026-12-10"' in later
    assert 'value="2026-12-15"' in later
    assert "donderdag 10 december 2026, 08:00 tot 10:00" in later


def test_searching_and_booking_are_rate_limited_per_office_user(client, portal, monkeypatch):
    monkeypatch.setitem(__import__("app.ratelimit").ratelimit.LIMITS, "assistance-search-user", 1)
    assert post_request(client).status_code == 200
    assert post_request(client).status_code == 429
    monkeypatch.setitem(__import__("app.ratelimit").ratelimit.LIMITS, "assistance-book-user", 0)
    assert _book(client).status_code == 429


# --- The office's bookings ------------------------------------------------------------------


def test_the_list_shows_the_offices_bookings_and_no_one_elses(client, session, portal):
    _book(client)
    other_client = client.application.test_client()
    other = signed_in_office(other_client, session, token="other-token", name="Ander Kantoor")
    post_request(other_client, start=MOMENT.replace("07:00", "09:00"), file_reference="ANDER-1")
    page = _text(client.get("/deurwaarder/"))
    assert "DOS-2026-0042" in page
    assert "Uithuiszetting" in page
    assert "Bevestigd" in page
    assert "ANDER-1" not in page
    (theirs,) = _office_bookings(session, other.office_id)
    assert client.get(f"/deurwaarder/boekingen/{theirs.reference}").status_code == 404
    data = {"csrf_token": csrf_of(client, "/deurwaarder/aanvraag")}
    for action in ("annuleren", "verplaatsen"):
        url = f"/deurwaarder/boekingen/{theirs.reference}/{action}"
        assert client.post(url, data=data).status_code == 404
    assert client.get(f"/deurwaarder/boekingen/{theirs.reference}/agenda.ics").status_code == 404


def test_no_officer_names_unless_the_zone_allows_them(client, session, portal, app, monkeypatch):
    answer = _book(client)
    page = _text(client.get(answer.location))
    assert "Inspecteur" not in page  # the bailiff_service's officers
    config = app.config["BLAUWLIJN"]
    import dataclasses

    monkeypatch.setitem(
        app.config, "BLAUWLIJN", dataclasses.replace(config, bailiff_show_officer_names=True)
    )
    assert "Inspecteur Twee" in _text(client.get(answer.location))


def test_the_booking_page_shows_risks_notes_history_and_ics(client, session, portal):
    answer = _book(client)
    page = _text(client.get(answer.location))
    assert "Gekende agressie Ja" in page.replace("</dt><dd>", " ")
    assert "Achterdeur via de tuin." in page
    assert "Geboekt – Griet Van Damme" in page
    ics = client.get(answer.location + "/agenda.ics")
    assert ics.mimetype == "text/calendar"
    body = ics.get_data(as_text=True)
    assert "DOS-2026-0042" in body
    assert "STATUS:CONFIRMED" in body


# --- Move and cancel -------------------------------------------------------------------------


def _post(client, url: str, **data: str):
    return client.post(url, data={"csrf_token": csrf_of(client, "/deurwaarder/aanvraag"), **data})


def test_moving_searches_the_same_request_and_moves(client, session, portal):
    url = _book(client).location
    search = _text(
        _post(client, url + "/verplaatsen", first_day="2026-12-03", last_day="2026-12-10")
    )
    assert "Verplaatsen naar donderdag 10 december 2026, 08:00 tot 10:00" in search
    later = datetime(2026, 12, 10, 7, tzinfo=UTC).isoformat()
    answer = _post(client, url + "/verplaatsen", start=later)
    assert answer.status_code == 302
    (booking,) = _office_bookings(session, portal.office_id)
    assert booking.start_at == datetime(2026, 12, 10, 7, tzinfo=UTC)
    page = _text(client.get(url))
    assert "Verplaatst door uw kantoor" in page
    assert "Verplaatst – Griet Van Damme" in page


def test_cancelling_with_a_reason(client, session, portal):
    url = _book(client).location
    answer = _post(client, url + "/annuleren", reason="Schuldenaar heeft betaald")
    assert answer.status_code == 302
    (booking,) = _office_bookings(session, portal.office_id)
    assert booking.status is BookingStatus.CANCELLED
    assert booking.cancel_reason == "Schuldenaar heeft betaald"
    page = _text(client.get(url))
    assert "Geannuleerd door uw kantoor" in page
    assert "Verplaatsen" not in page


def test_inside_the_cut_off_the_page_says_whom_to_call(client, session, portal):
    url = _book(client).location
    with freeze_time(THURSDAY_8 - timedelta(hours=1)):
        open_session(client, portal, at=THURSDAY_8 - timedelta(hours=1))
        page = _text(client.get(url))
        assert 'href="tel:+3254313501"' in page
        assert "054 31 35 01" in page
        answer = _post(client, url + "/annuleren", reason="")
        told = _text(client.get(answer.location))
    assert "bel de politiezone op 054 31 35 01" in told
    (booking,) = _office_bookings(session, portal.office_id)
    assert booking.status is BookingStatus.CONFIRMED


def test_a_zone_cancellation_shows_the_zones_reason(client, session, portal):
    from app import commands
    from scheduling.trail import Actor
    from tests.factories import make_staff

    url = _book(client).location
    (booking,) = _office_bookings(session, portal.office_id)
    supervisor = make_staff(session, name="Commissaris Peeters")
    commands.cancel(
        session,
        booking,
        actor=Actor.staff(supervisor.id),
        now=datetime.fromisoformat(NOW),
        reason="Betoging in Bever",
    )
    session.commit()
    page = _text(client.get(url))
    assert "Geannuleerd door de politiezone – Reden: Betoging in Bever" in page
    assert "Commissaris" not in page
    assert "Peeters" not in page
    home = _text(client.get("/deurwaarder/"))
    assert "Geannuleerd door de politiezone" in home


def test_a_citizen_booking_never_shows(client, session, portal, officer):
    from tests.api_calls import book_by_api

    book_by_api(client, officer)
    _book(client)
    page = _text(client.get("/deurwaarder/"))
    assert "Jan Peeters" not in page
    assert "0470" not in page


def test_upcoming_first_then_past_paged(client, session, portal, monkeypatch):
    from app.bailiffs import bookings

    _book(client)
    post_request(client, start=MOMENT.replace("07:00", "09:00"), file_reference="DOS-TWEE")
    monkeypatch.setattr(bookings, "PAGE_SIZE", 1)
    first = _text(client.get("/deurwaarder/"))
    assert "DOS-2026-0042" in first
    assert "DOS-TWEE" not in first
    assert "Volgende pagina" in first
    assert "DOS-TWEE" in _text(client.get("/deurwaarder/?page=2"))
    with freeze_time(THURSDAY_8 + timedelta(hours=1)):  # the first has begun: past
        open_session(client, portal, at=THURSDAY_8 + timedelta(hours=1))
        now_first = _text(client.get("/deurwaarder/"))
        assert "DOS-TWEE" in now_first
        assert "Komend" in now_first
        later = _text(client.get("/deurwaarder/?page=2"))
        assert "DOS-2026-0042" in later
        assert "Voorbij" in later


def test_the_history_names_the_offices_case_software(client, session, portal):
    from app.assistance import commands
    from app.assistance.models import OfficeApiToken
    from scheduling.addresses import Address
    from scheduling.enums import Channel

    token = session.scalar(
        select(OfficeApiToken).where(OfficeApiToken.office_id == portal.office_id)
    )
    booked = commands.book(
        session,
        commands.AssistanceRequest(Address("1547", "Plaats", "3"), "API-1", "seizure", 2, 120),
        start=THURSDAY_8,
        who=commands.OfficeActor(portal.office, Channel.API, token_id=token.id),
        now=datetime.fromisoformat(NOW),
        config=client.application.config["BLAUWLIJN"],
    )
    session.commit()
    page = _text(client.get(f"/deurwaarder/boekingen/{booked.booking.reference}"))
    assert "Geboekt – Uw dossiersoftware (Dossiersoftware)" in page


def test_a_move_to_a_moment_no_longer_free_keeps_the_booking(client, session, portal):
    url = _book(client).location
    friday = datetime(2026, 12, 4, 7, tzinfo=UTC).isoformat()  # the team does not work then
    answer = _post(client, url + "/verplaatsen", start=friday)
    assert answer.status_code == 302
    assert "Zoek opnieuw en kies een ander moment" in _text(client.get(answer.location))
    (booking,) = _office_bookings(session, portal.office_id)
    assert booking.start_at == THURSDAY_8
    window = _post(client, url + "/verplaatsen", first_day="2026-11-01", last_day="2026-12-10")
    assert _error_of(window, "first_day").startswith("Het venster kan niet in het verleden")
