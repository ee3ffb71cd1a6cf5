"""What a staff member reads after cancelling or moving an appointment: one sentence, wholly
in their own language, that says who is told and how (an SMS to a mobile number, a call
they must make to a landline, an e-mail with the reason to a bailiff office)."""

import html as html_text
import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen, book
from scheduling.enums import ActorKind, Channel, LocationKind, Role
from scheduling.models import Booking, Staff
from scheduling.trail import Actor
from tests.factories import (
    NOW,
    make_assistance_service,
    make_bailiff,
    make_district,
    make_service,
    make_weekly,
)
from tests.staff_login import csrf_of, sign_in_as

BXL = ZoneInfo("Europe/Brussels")
NOW_UTC = datetime.fromisoformat(NOW)
WEDNESDAY = date(2026, 12, 2)
MOBILE, LANDLINE = "+32470123456", "+3225550000"


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time(NOW):
        yield


def _at(hour: int) -> datetime:
    return datetime.combine(WEDNESDAY, time(hour), tzinfo=BXL).astimezone(UTC)


def _officer(client, session, language: str) -> Staff:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    me = sign_in_as(client, session, Role.DISTRICT_OFFICER, name="Geert Demol")
    make_service(session, code="wijkagent", horizon_days=400)
    make_district(session, me, streets=(("1547", "Plaats"),))
    for weekday in range(7):
        make_weekly(
            session, me, weekday=weekday, starts=time(9), ends=time(17), location=LocationKind.HOME
        )
    return me


def _book(session, me: Staff, phone: str, hour: int = 10) -> Booking:
    request = BookingRequest(
        "wijkagent",
        _at(hour),
        me.id,
        LocationKind.HOME,
        Citizen("Jan Peeters", phone),
        address=Address("1547", "Plaats", "3"),
    )
    booking = book(
        session, request=request, actor=Actor.citizen(Channel.WEB), now=NOW_UTC, zone=BXL
    ).booking
    session.flush()
    return booking


def _bailiff_booking(session, me: Staff) -> Booking:
    make_district(session, me, streets=(("1547", "Kerkstraat"),))
    make_weekly(session, me, weekday=2, starts=time(7), ends=time(9), location=LocationKind.ON_SITE)
    make_assistance_service(session, team=(me,), staff_required=1)
    request = BookingRequest(
        "deurwaarder",
        _at(7),
        me.id,
        LocationKind.ON_SITE,
        Citizen("Deurwaarders NV", LANDLINE),
        address=Address("1547", "Kerkstraat", "1"),
    )
    booking = book(
        session,
        request=request,
        actor=Actor(ActorKind.BAILIFF, Channel.API, 1),
        now=NOW_UTC,
        zone=BXL,
        bailiff_account_id=make_bailiff(session).id,
    ).booking
    session.flush()
    return booking


def _flash_after(client, booking: Booking, action: str, **data: str) -> str:
    token = csrf_of(client, "/staff/")
    answer = client.post(
        f"/staff/appointments/{booking.id}/{action}", data={"csrf_token": token, **data}
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    page = html_text.unescape(client.get(answer.location).get_data(as_text=True))
    (message,) = re.findall(r'class="notice notice-success"[^>]*>([^<]+)</div>', page)
    return " ".join(message.split())


CANCELLED = {
    "nl": {
        MOBILE: "De afspraak is geannuleerd. De burger krijgt een sms met je reden.",
        LANDLINE: "De afspraak is geannuleerd. Het nummer van de burger kan geen sms ontvangen: "
        "bel hem of haar op 02 555 00 00 om het te laten weten.",
        "bailiff": "De bijstand is geannuleerd. Het gerechtsdeurwaarderskantoor krijgt een "
        "e-mail met uw reden.",
    },
    "fr": {
        MOBILE: "Le rendez-vous est annulé. Le citoyen reçoit un SMS avec votre motif.",
        LANDLINE: "Le rendez-vous est annulé. Le numéro du citoyen ne reçoit pas de SMS : "
        "appelez-le au 02 555 00 00 pour le prévenir.",
        "bailiff": "L'assistance est annulée. L'étude de l'huissier reçoit un e-mail avec "
        "votre motif.",
    },
}
MOVED = {
    "nl": {
        MOBILE: "De afspraak is verplaatst naar woensdag 2 december 15:00. De burger krijgt "
        "een sms.",
        LANDLINE: "De afspraak is verplaatst naar woensdag 2 december 15:00. Het nummer van de "
        "burger kan geen sms ontvangen: bel hem of haar op 02 555 00 00 om het te laten weten.",
    },
    "fr": {
        MOBILE: "Le rendez-vous est déplacé au mercredi 2 décembre 15:00. Le citoyen reçoit "
        "un SMS.",
        LANDLINE: "Le rendez-vous est déplacé au mercredi 2 décembre 15:00. Le numéro du "
        "citoyen ne reçoit pas de SMS : appelez-le au 02 555 00 00 pour le prévenir.",
    },
}


@pytest.mark.parametrize("language", ["nl", "fr"])
@pytest.mark.parametrize("phone", [MOBILE, LANDLINE])
def test_the_cancel_message_is_one_sentence_in_the_staff_members_language(
    client, session, language, phone
):
    me = _officer(client, session, language)
    booking = _book(session, me, phone)
    message = _flash_after(client, booking, "cancel", cancel_reason="Opleiding")
    assert message == CANCELLED[language][phone]


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_the_bailiff_office_is_told_by_e_mail(client, session, language):
    me = _officer(client, session, language)
    booking = _bailiff_booking(session, me)
    message = _flash_after(client, booking, "cancel", cancel_reason="Niet meer nodig")
    assert message == CANCELLED[language]["bailiff"]


@pytest.mark.parametrize("language", ["nl", "fr"])
@pytest.mark.parametrize("phone", [MOBILE, LANDLINE])
def test_the_move_message_is_one_sentence_in_the_staff_members_language(
    client, session, language, phone
):
    me = _officer(client, session, language)
    booking = _book(session, me, phone)
    message = _flash_after(
        client, booking, "move", start=_at(15).isoformat(), move_reason="Opleiding"
    )
    assert message == MOVED[language][phone]


def test_the_form_says_a_landline_citizen_must_be_called(client, session):
    me = _officer(client, session, "nl")
    booking = _book(session, me, LANDLINE)
    page = html_text.unescape(client.get(f"/staff/appointments/{booking.id}").get_data(True))
    assert "bel hem of haar op 02 555 00 00" in page
    assert "krijgt die per sms" not in page
