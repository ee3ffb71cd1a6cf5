"""Every SMS text, in every language, fits two GSM-7 segments with the longest real values."""

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.support import Translations

from app.notify.messages import (
    CALLBACK_CONFIRMATION,
    CONFIRMATION_WITHOUT_LINK,
    INVITATION,
    SYSTEM_REASONS,
    TEMPLATES,
    compose,
    compose_invitation,
    render,
)
from scheduling.enums import LocationKind, MessageKind
from scheduling.notices import fits, is_gsm7, segments

CATALOGS = Path(__file__).parents[2] / "app" / "translations"

LANGUAGES = ("en", "nl", "fr")


def _translated(msgid: str, language: str) -> str:
    """``msgid`` as the committed catalog of ``language`` has it (English: the msgid)."""
    if language == "en":
        return msgid
    return Translations.load(CATALOGS, [language]).gettext(msgid)


LONGEST = {
    "zone": "Pajottenland",
    "day": "woensdag 30/12",  # the longest weekday name of the three languages
    "time": "14:30",
    "place": "Wijkpost Galmaarden, Alfred Algoetstraat 131, Sint-Pieters-Leeuw",
    "bring": " Apportez : Votre carte d'identité ; votre autorisation de détention, permis de "
    "chasse ou licence de tireur sportif ; le formulaire médical récent. N'apportez pas d'arme.",
    "bring_elsewhere": "Ce qu'il faut apporter : voir le lien.",
    "reference": "123456782",
    "blue": "054 31 35 01",
    "officer": "Hoofdinspecteur Marie-Christine Vandenbroucke-Verhaeghe",
    "service": "Afspraak met de dienst wapens (vergunning, verlenging)",
    "citizen": "Jean-Baptiste Françoise de Ghellinck d'Elseghem Vaernewyck",
    "reason": "De wijkagent is onverwacht afwezig door een dringende opdracht in de zone; "
    "excuses voor het ongemak, we bellen je graag terug.",
    "link": "https://afspraak.politie-pajottenland.be/appointment/" + "x" * 32,
    "dossier": "PV 2026/" + "9" * 32,  # the dossier code's full 40 characters
    "until": "31/12",
    # CALLTAKER_HOURS with a Saturday morning too, in French (the longest of the three).
    "hours": "du lundi au vendredi de 7 à 21 heures, le samedi de 9 à 12 heures",
}


def _all_templates():
    msgids = {kind.value: msgid._args[0] for kind, msgid in TEMPLATES.items()}
    msgids["without_link"] = CONFIRMATION_WITHOUT_LINK._args[0]
    msgids["invitation"] = INVITATION._args[0]
    msgids["callback"] = CALLBACK_CONFIRMATION._args[0]
    for language in LANGUAGES:
        for name, msgid in msgids.items():
            yield f"{language}-{name}", _translated(msgid, language)


@pytest.mark.parametrize(("name", "template"), list(_all_templates()))
def test_every_template_fits_two_gsm7_segments(name, template):
    assert is_gsm7(template.replace("%(", "").replace(")s", "")), name
    body = render(template, dict(LONGEST))
    assert fits(body), (name, segments(body), body)
    assert LONGEST["link"] in body or "%(link)s" not in template  # the link is never cut
    assert LONGEST["time"] in body or "%(time)s" not in template
    assert LONGEST["reference"] in body or "%(reference)s" not in template


REPLY_MSGIDS = [
    "You will no longer get reminders. Send START to get them again.",
    "You will get reminders again.",
    "We found no coming appointment for this number. Please call %(blue)s.",
    "Your appointment is too close to cancel by SMS: please call %(blue)s.",
    "Your appointment of %(day)s at %(time)s is cancelled. Questions: %(blue)s",
    "This appointment was cancelled. To book again, call %(blue)s.",
    "Thank you: we expect you on %(day)s at %(time)s.",
    "Thank you, a call-taker will read your message. Questions: %(blue)s. "
    "Emergency: 112, police: 101.",
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("msgid", REPLY_MSGIDS, ids=lambda t: t[:30])
def test_every_reply_is_one_gsm7_segment(msgid, language):
    body = render(
        _translated(msgid, language), {"blue": "054 31 35 01", "day": "30/12", "time": "14:30"}
    )
    assert is_gsm7(body)
    assert segments(body) == 1


def test_compose_in_the_bookings_language(app):
    site = SimpleNamespace(
        name="Wijkpost Bever", street="Plaats", number="10", municipality="Bever"
    )
    service = SimpleNamespace(what_to_bring={"fr": LONGEST["bring"]}, name=lambda lang: "RDV")
    booking = SimpleNamespace(
        location=LocationKind.OFFICE,
        site=site,
        start_at=datetime(2026, 8, 5, 12, 30, tzinfo=UTC),
        service=service,
        reference="123456782",
        staff=SimpleNamespace(name="Agent Lefèvre"),
        citizen_name="Jan",
        cancel_reason=None,
    )
    with app.app_context():
        text = compose(
            MessageKind.CONFIRMATION,
            booking,
            app.config["BLAUWLIJN"],
            language="fr",
            manage_token="t" * 32,
        )
    assert text.language == "fr"
    assert "mercredi 05/08" in text.body
    assert "14:30" in text.body
    assert "/appointment/" + "t" * 32 in text.body
    assert fits(text.body)
    assert is_gsm7(text.body)


def _confirmation(app, *, location, bring, language, manage_token="t" * 32):
    site = SimpleNamespace(
        name="Wijkpost Galmaarden",
        street="Alfred Algoetstraat",
        number="131",
        municipality="Sint-Pieters-Leeuw",
    )
    booking = SimpleNamespace(
        location=location,
        site=site,
        start_at=datetime(2026, 12, 30, 13, 30, tzinfo=UTC),
        service=SimpleNamespace(
            what_to_bring={language: bring},
            name=lambda lang: "Afspraak met de dienst wapens (vergunning, verlenging)",
        ),
        reference="123456782",
        staff=SimpleNamespace(name="Hoofdinspecteur Marie-Christine Vandenbroucke"),
        citizen_name="Jan",
        cancel_reason=None,
    )
    with app.app_context():
        return compose(
            MessageKind.CONFIRMATION,
            booking,
            app.config["BLAUWLIJN"],
            language=language,
            manage_token=manage_token,
        ).body


def test_what_to_bring_is_shortened_by_whole_items_never_mid_sentence(app):
    items = [f"item nummer {n} met een lange uitleg over wat het is" for n in range(1, 9)]
    body = _confirmation(
        app, location=LocationKind.OFFICE, bring="; ".join(items) + ".", language="nl"
    )
    assert fits(body)
    assert "..." not in body
    said = body.split("Meebrengen: ")[1].split(" Wijzigen of annuleren:")[0]
    assert said.endswith(".")
    assert said.removesuffix(".").split("; ") == items[: said.count(";") + 1]


def test_when_no_item_fits_the_sms_says_where_the_list_is(app):
    long_item = "een " + "zeer " * 60 + "lang document."
    with_link = _confirmation(app, location=LocationKind.OFFICE, bring=long_item, language="nl")
    without = _confirmation(
        app, location=LocationKind.OFFICE, bring=long_item, language="nl", manage_token=None
    )
    assert "Wat je meebrengt: zie de link." in with_link
    assert "Vraag ons wat je meebrengt." in without
    assert "zeer" not in with_link + without


def test_a_home_visit_says_have_ready_and_no_list_says_nothing(app):
    home = _confirmation(
        app, location=LocationKind.HOME, bring="Je identiteitskaart.", language="nl"
    )
    assert "Leg klaar: Je identiteitskaart." in home
    assert "Meebrengen" not in home
    nothing = _confirmation(app, location=LocationKind.OFFICE, bring="", language="nl")
    assert "Meebrengen" not in nothing
    assert " - " not in nothing
    assert ".  " not in nothing  # no gap where the list would have been


def test_invitation_in_its_language_with_the_link_whole(app):
    invitation = SimpleNamespace(
        dossier_code=LONGEST["dossier"], valid_until=datetime(2026, 12, 31, 22, 59, tzinfo=UTC)
    )
    with app.app_context():
        text = compose_invitation(
            invitation, app.config["BLAUWLIJN"], language="en", link=LONGEST["link"]
        )
    assert text.language == "en"
    assert LONGEST["dossier"] in text.body
    assert text.body.endswith(LONGEST["link"])
    assert "until 31/12" in text.body  # 23:59 in Brussels is still the 31st
    assert fits(text.body)
    assert is_gsm7(text.body)


@pytest.mark.parametrize("reason", list(SYSTEM_REASONS))
def test_the_engines_own_reasons_reach_the_citizen_in_their_language(app, reason):
    assert SYSTEM_REASONS[reason]._args[0] == reason  # the msgid is the engine's text
    booking = SimpleNamespace(
        location=LocationKind.HOME,
        start_at=datetime(2026, 12, 3, 9, 30, tzinfo=UTC),
        service=SimpleNamespace(what_to_bring={}, name=lambda lang: "Wijkagent"),
        reference="123456782",
        staff=SimpleNamespace(name="Agent Peeters"),
        citizen_name="Jan",
        cancel_reason=reason,
    )
    config = app.config["BLAUWLIJN"]
    with app.app_context():
        english = compose(MessageKind.CANCELLED_BY_STAFF, booking, config, language="en")
        dutch = compose(MessageKind.CANCELLED_BY_STAFF, booking, config, language="nl")
    assert reason in english.body
    assert reason not in dutch.body
