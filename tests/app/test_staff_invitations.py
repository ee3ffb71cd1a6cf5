"""The invitations pages over HTTP: who may open them, the form's errors next to each field, the
link a citizen then books with through the citizen pages, the list, and withdrawing."""

import html as html_text
import re
from datetime import UTC, datetime, time, timedelta

import pytest
from flask.testing import FlaskClient
from freezegun import freeze_time
from sqlalchemy import select

from app.notify.models import OutboxMessage
from scheduling.enums import BookingStatus, MessageKind, OutboxStatus, Role, ServedBy
from scheduling.models import AuditEntry, Booking, Invitation
from tests.factories import make_invitation, make_service, make_staff, make_weekly
from tests.staff_login import csrf_of, sign_in_as

NOW = "2026-12-01T08:00:00Z"  # Tuesday 1 December 2026, 09:00 in Brussels
NOW_UTC = datetime(2026, 12, 1, 8, tzinfo=UTC)
LIST = "/staff/invitations"
NEW = "/staff/invitations/new"
MANAGERS = (Role.SUPERVISOR, Role.ADMIN)


@pytest.fixture
def dossier(session):
    return make_service(
        session,
        code="dossier",
        name_nl="Afspraak met je dossierbeheerder",
        name_fr="Rendez-vous avec votre gestionnaire de dossier",
        name_en="Appointment with your case handler",
        served_by=ServedBy.INVITED_STAFF,
        locations=["office"],
        duration_minutes=45,
    )


def _signed_in(client: FlaskClient, session, *roles: Role, **kw):
    """Signed in, reading the pages in English (the texts these tests look for)."""
    staff = sign_in_as(client, session, *roles, **kw)
    client.get("/staff/?lang=en")
    return staff


def _handler(client: FlaskClient, session, **kw):
    """A case handler, signed in, with office hours every weekday morning."""
    staff = _signed_in(client, session, Role.CASE_HANDLER, **kw)
    for weekday in range(5):
        make_weekly(session, staff, weekday=weekday, starts=time(9), ends=time(12))
    return staff


def _form(**kw: str) -> dict[str, str]:
    return {
        "phone": "0470 12 34 56",
        "dossier_code": "PV 2026/1234",
        "service": "dossier",
        "valid_from": "2026-12-01",
        "valid_until": "2026-12-15",
        "language": "fr",
        **kw,
    }


def _post_new(client: FlaskClient, **kw: str):
    return client.post(NEW, data={"csrf_token": csrf_of(client, NEW), **_form(**kw)})


def _page(client: FlaskClient, path: str) -> str:
    answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code)
    return answer.get_data(as_text=True)


def _error_next_to(html: str, field: str) -> str:
    """The error text in the field's own block (with the field); the summary links to it."""
    blocks = [b for b in html.split('class="field') if f'id="{field}-error"' in b]
    assert len(blocks) == 1, f"no error next to {field!r}"
    assert blocks[0].startswith(" field-error")
    assert f'id="{field}"' in blocks[0]
    assert f'href="#{field}"' in html
    text = re.search(rf'id="{field}-error">(.*?)</p>', blocks[0], re.S).group(1)
    text = re.sub(r'<span class="visually-hidden">.*?</span>', "", text)  # "Error:"
    return html_text.unescape(re.sub(r"<[^>]+>", "", text)).strip()


# --- Who may open what -------------------------------------------------------------------


@freeze_time(NOW)
def test_a_case_handler_opens_the_pages_and_the_home_page_links_them(client, session, dossier):
    _handler(client, session)
    home = _page(client, "/staff/")
    assert f'href="{LIST}"' in home
    assert 'href="/staff/calendar"' in home
    assert f'href="{NEW}"' in _page(client, LIST)
    form = _page(client, NEW)
    assert 'value="2026-12-01"' in form  # the next 14 days, unless changed
    assert 'value="2026-12-15"' in form


@pytest.mark.parametrize("role", [Role.DISTRICT_OFFICER, Role.WEAPONS_SERVICE, Role.CALL_TAKER])
@freeze_time(NOW)
def test_other_staff_are_refused(client, session, dossier, role):
    sign_in_as(client, session, role)
    handler = make_staff(session, roles=(Role.CASE_HANDLER,))
    invitation = make_invitation(
        session, handler, dossier, valid_from=NOW_UTC, valid_until=NOW_UTC + timedelta(days=3)
    )
    assert 'href="/staff/invitations"' not in _page(client, "/staff/")
    for path in (LIST, NEW, f"{LIST}/{invitation.id}"):
        assert client.get(path).status_code == 403, path
    withdraw = f"{LIST}/{invitation.id}/withdraw"
    token = csrf_of(client, "/staff/")
    assert client.post(withdraw, data={"csrf_token": token}).status_code == 403
    assert client.post(NEW, data={"csrf_token": token, **_form()}).status_code == 403
    assert session.scalars(select(Invitation)).all() == [invitation]


@freeze_time(NOW)
def test_signed_out_goes_to_the_sign_in_page(client, session, dossier):
    answer = client.get(LIST)
    assert answer.status_code == 302
    assert answer.location.startswith("/staff/login")


@freeze_time(NOW)
def test_a_case_handler_sees_only_their_own_invitations(client, session, dossier):
    me = _handler(client, session)
    colleague = make_staff(session, roles=(Role.CASE_HANDLER,), name="Jeroen De Clercq")
    window = {"valid_from": NOW_UTC, "valid_until": NOW_UTC + timedelta(days=3)}
    mine = make_invitation(session, me, dossier, code="INV-MINE2345", dossier_code="PV 1", **window)
    theirs = make_invitation(
        session, colleague, dossier, code="INV-THRS2345", dossier_code="PV 2", **window
    )
    listed = _page(client, LIST)
    assert "INV-MINE2345" in listed
    assert "INV-THRS2345" not in listed
    assert "Jeroen De Clercq" not in listed  # no handler column for one's own list
    assert client.get(f"{LIST}/{theirs.id}").status_code == 403
    assert client.get(f"{LIST}/{theirs.id + 1000}").status_code == 403  # none: the same
    assert client.get(f"{LIST}/{mine.id}").status_code == 200


@pytest.mark.parametrize("role", MANAGERS)
@freeze_time(NOW)
def test_a_manager_sees_every_invitation_but_invites_nobody(client, session, dossier, role):
    _signed_in(client, session, role)
    window = {"valid_from": NOW_UTC, "valid_until": NOW_UTC + timedelta(days=3)}
    for n, name in enumerate(("Nathalie Vermeulen", "Jeroen De Clercq")):
        handler = make_staff(session, roles=(Role.CASE_HANDLER,), name=name)
        make_invitation(session, handler, dossier, code=f"INV-ALL{n}2345", **window)
    assert f'href="{LIST}"' in _page(client, "/staff/")
    listed = _page(client, LIST)
    for text in ("INV-ALL02345", "INV-ALL12345", "Nathalie Vermeulen", "Jeroen De Clercq"):
        assert text in listed
    assert f'href="{NEW}"' not in listed
    assert client.get(NEW).status_code == 403


# --- Making one -----------------------------------------------------------------------------


@freeze_time(NOW)
def test_an_invitation_is_made_and_its_sms_queued_in_the_same_transaction(client, session, dossier):
    me = _handler(client, session)
    answer = _post_new(client, phone="+32 (0)470 12.34.56", dossier_code="PV 2026/0042")
    assert answer.status_code == 302

    invitation = session.scalars(select(Invitation)).one()
    assert (invitation.staff_id, invitation.phone) == (me.id, "+32470123456")
    assert invitation.dossier_code == "PV 2026/0042"
    assert answer.location == f"{LIST}/{invitation.id}"
    page = _page(client, answer.location)
    link = f"http://127.0.0.1:5000/invitation?code={invitation.code}&amp;lang=fr"
    assert link in page
    assert "0470 12 34 56" in page
    queued = session.scalars(select(OutboxMessage)).one()
    assert (queued.kind, queued.recipient, queued.language) == (
        MessageKind.INVITATION,
        "+32470123456",
        "fr",
    )
    assert queued.status is OutboxStatus.PENDING
    assert queued.booking_id is None
    assert "Waiting to be sent" in page  # not yet claimed to be sent
    sms = re.search(r'<blockquote class="sms-text" lang="fr">(.*?)</blockquote>', page, re.S)
    assert sms, "no SMS text"
    assert "PV 2026/0042" in sms.group(1)
    assert link in sms.group(1)
    assert "15/12" in sms.group(1)
    assert "Open" in _page(client, LIST)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "", "Enter the citizen's mobile number."),
        ("phone", "12", "Enter a mobile number like 0470 12 34 56."),
        ("phone", "02 555 12 12", "This is not a mobile number"),  # a landline gets no SMS
        ("dossier_code", "", "Enter the dossier code."),
        ("dossier_code", "x" * 41, "Keep the dossier code to 40 characters."),
        ("valid_from", "", "Enter the first day the citizen can book."),
        ("valid_from", "gisteren", "Enter a date like 31/12/2026."),
        ("valid_from", "30/11/2026", "The first day cannot lie in the past."),
        ("valid_until", "31/11/2026", "Enter a date like 31/12/2026."),
        ("valid_until", "2026-11-30", "The last day cannot come before the first day."),
        ("valid_until", "2027-03-02", "Keep the window to at most 90 days."),
        ("service", "wijkagent", "Choose what the appointment is for."),
        ("language", "de", "Choose the language of the SMS."),
        ("dossier_code", "PV 2026/\u202e4321", "Remove the special characters"),
        ("dossier_code", "PV 2026/1234\x00", "Remove the special characters"),
    ],
)
@freeze_time(NOW)
def test_a_wrong_answer_is_told_next_to_its_field(client, session, dossier, field, value, message):
    _handler(client, session)
    answer = _post_new(client, **{field: value})
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert message in _error_next_to(html, field)
    if field not in ("service", "language"):
        assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', html)
    if field != "phone":
        assert 'value="0470 12 34 56"' in html  # what was typed is kept
    assert session.scalars(select(Invitation)).all() == []


@freeze_time(NOW)
def test_a_window_beyond_the_calendar_is_told_not_a_crash(client, session, dossier):
    _handler(client, session)
    answer = _post_new(client, valid_from="30/12/9999", valid_until="31/12/9999")
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert "Enter a date like 31/12/2026." in _error_next_to(html, "valid_until")
    assert session.scalars(select(Invitation)).all() == []


@freeze_time(NOW)
def test_dates_are_read_as_typed_in_belgium_too(client, session, dossier):
    _handler(client, session)
    assert _post_new(client, valid_from="2/12/2026", valid_until="16.12.2026").status_code == 302
    invitation = session.scalars(select(Invitation)).one()
    assert invitation.valid_from == datetime(2026, 12, 1, 23, tzinfo=UTC)
    assert invitation.valid_until == datetime(2026, 12, 16, 22, 59, 59, tzinfo=UTC)


@freeze_time(NOW)
def test_the_errors_speak_the_staff_members_language(client, session, dossier):
    _handler(client, session)
    client.get("/staff/?lang=fr")
    html = _post_new(client, phone="12").get_data(as_text=True)
    assert '<html lang="fr">' in html
    assert _error_next_to(html, "phone") == "Indiquez un numéro de GSM, comme 0470 12 34 56."


# --- The citizen books with it; withdrawing ---------------------------------------------------


def _book_as_citizen(client: FlaskClient, link: str) -> str:
    """Open the SMS link and book the first free moment; the appointment page's address."""
    opened = client.get(link)
    assert opened.status_code == 302, opened.get_data(as_text=True)
    assert opened.location.endswith("/book/moment")
    page = client.get("/book/moment").get_data(as_text=True)
    slot = re.findall(r'name="slot" class="slot" value="([^"]+)"', page)[0].replace("&#43;", "+")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post("/book/moment", data={"csrf_token": token, "slot": slot}).status_code == 302
    details = {
        "csrf_token": token,
        "name": "Wouter Van Eeckhout",
        "phone": "0470 12 34 56",
        "email": "",
        "topic": "",
        "website": "",
    }
    assert client.post("/book/details", data=details).status_code == 302
    done = client.post("/book/check", data={"csrf_token": token})
    assert done.status_code == 302, done.get_data(as_text=True)
    return done.location


@freeze_time(NOW)
def test_the_citizen_books_with_the_link_and_the_list_shows_the_appointment(
    app, client, session, dossier
):
    me = _handler(client, session)
    made = _post_new(client, language="nl")
    invitation = session.scalars(select(Invitation)).one()
    page = _page(client, made.location)
    link = re.search(r'<dd class="invitation-link">([^<]+)</dd>', page).group(1)
    path = link.replace("http://127.0.0.1:5000", "").replace("&amp;", "&")

    citizen = app.test_client()
    appointment = _book_as_citizen(citizen, path)
    assert "/appointment/" in appointment

    booking = session.scalars(select(Booking)).one()
    assert (booking.invitation_id, booking.staff_id) == (invitation.id, me.id)
    assert booking.status is BookingStatus.CONFIRMED
    listed = _page(client, LIST)
    assert "Booked" in listed
    # The first free moment: 09:00 and 09:45 lie within the hour's notice.
    assert "Tuesday 1 December 10:30" in listed
    detail = _page(client, made.location)
    assert booking.reference in detail
    assert "withdraw" not in detail.lower().split("</h1>", 1)[1]  # and nothing to withdraw


@freeze_time(NOW)
def test_withdrawing_ends_the_code_for_the_citizen(app, client, session, dossier):
    me = _handler(client, session)
    made = _post_new(client)
    invitation = session.scalars(select(Invitation)).one()
    withdraw = f"{made.location}/withdraw"
    answer = client.post(withdraw, data={"csrf_token": csrf_of(client, made.location)})
    assert answer.status_code == 302
    assert answer.location == made.location
    page = _page(client, made.location)
    assert "Withdrawn" in page
    queued = session.scalars(select(OutboxMessage)).one()
    assert (queued.status, queued.last_error_code) == (OutboxStatus.FINAL, "withdrawn")
    assert "Not sent" in page
    assert "Withdrawn" in _page(client, LIST)
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "invitation_withdrawn")
    ).one()
    assert (entry.actor_id, entry.details["invitation_id"]) == (me.id, invitation.id)

    refused = app.test_client().get(f"/invitation?code={invitation.code}")
    assert refused.status_code == 200  # the citizen page, with the code's error
    assert 'id="code-error"' in refused.get_data(as_text=True)

    again = client.post(withdraw, data={"csrf_token": csrf_of(client, made.location)})
    assert again.status_code == 302
    assert "no longer open" in _page(client, made.location)


@freeze_time(NOW)
def test_a_supervisor_withdraws_a_case_handlers_invitation(client, session, dossier):
    supervisor = _signed_in(client, session, Role.SUPERVISOR)
    handler = make_staff(session, roles=(Role.CASE_HANDLER,))
    invitation = make_invitation(
        session, handler, dossier, valid_from=NOW_UTC, valid_until=NOW_UTC + timedelta(days=3)
    )
    path = f"{LIST}/{invitation.id}"
    assert "Withdraw" in _page(client, path)
    assert (
        client.post(f"{path}/withdraw", data={"csrf_token": csrf_of(client, path)}).status_code
        == 302
    )
    session.refresh(invitation)
    assert invitation.valid_until < NOW_UTC
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "invitation_withdrawn")
    ).one()
    assert entry.actor_id == supervisor.id
    assert client.get(f"{LIST}/{invitation.id + 1000}").status_code == 404  # managers: plain
