"""Every SMS text, in every language, fits two GSM-7 segments with the longest real values."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from app.notify.messages import (
    CONFIRMATION_WITHOUT_LINK,
    INVITATION,
    TEMPLATES,
    compose,
    compose_invitation,
    render,
)
from scheduling.enums import LocationKind, MessageKind
from scheduling.notices import fits, is_gsm7, segments

# The nl and fr translations proposed for the catalogs (the lead merges them); checked here
# so that no translation breaks the budget.
PROPOSED = {
    "nl": {
        MessageKind.CONFIRMATION: "Politie %(zone)s: afspraak op %(day)s om %(time)s, %(place)s. "
        "Breng mee: %(bring)s Wijzigen of annuleren: %(link)s",
        MessageKind.REMINDER: "Politie %(zone)s: herinnering aan je afspraak op %(day)s om %(time)s, "
        "%(place)s. Kan je niet? Bel %(blue)s, code %(reference)s.",
        MessageKind.CANCELLED_BY_STAFF: "Politie %(zone)s: we moesten je afspraak van %(day)s om "
        "%(time)s annuleren. Reden: %(reason)s Opnieuw boeken: %(link)s of bel %(blue)s.",
        MessageKind.CHANGED: "Politie %(zone)s: je afspraak is gewijzigd. Nieuw: %(day)s om "
        "%(time)s met %(officer)s, %(place)s. Vragen: %(blue)s, code %(reference)s.",
        MessageKind.CANCELLED_BY_CITIZEN: "Blauwlijn: %(citizen)s annuleerde de afspraak van "
        "%(day)s om %(time)s (%(service)s, code %(reference)s).",
        "without_link": "Politie %(zone)s: afspraak op %(day)s om %(time)s, %(place)s. "
        "Breng mee: %(bring)s Code %(reference)s, vragen: %(blue)s",
    },
    "fr": {
        MessageKind.CONFIRMATION: "Police %(zone)s : rendez-vous le %(day)s à %(time)s, %(place)s. "
        "Apportez : %(bring)s Modifier ou annuler : %(link)s",
        MessageKind.REMINDER: "Police %(zone)s : rappel de votre rendez-vous le %(day)s à %(time)s, "
        "%(place)s. Pas disponible ? Appelez le %(blue)s, code %(reference)s.",
        MessageKind.CANCELLED_BY_STAFF: "Police %(zone)s : nous devons annuler votre rendez-vous "
        "du %(day)s à %(time)s. Motif : %(reason)s Reprendre rendez-vous : %(link)s ou appelez "
        "le %(blue)s.",
        MessageKind.CHANGED: "Police %(zone)s : votre rendez-vous a changé. Nouveau : %(day)s à "
        "%(time)s avec %(officer)s, %(place)s. Questions : %(blue)s, code %(reference)s.",
        MessageKind.CANCELLED_BY_CITIZEN: "Blauwlijn : %(citizen)s a annulé le rendez-vous du "
        "%(day)s à %(time)s (%(service)s, code %(reference)s).",
        "without_link": "Police %(zone)s : rendez-vous le %(day)s à %(time)s, %(place)s. "
        "Apportez : %(bring)s Code %(reference)s, questions : %(blue)s",
    },
}

LONGEST = {
    "zone": "Pajottenland",
    "day": "woensdag 30/12",  # the longest weekday name of the three languages
    "time": "14:30",
    "place": "Wijkpost Galmaarden, Alfred Algoetstraat 131, Sint-Pieters-Leeuw",
    "bring": "Votre carte d'identité ; votre autorisation de détention, permis de chasse ou "
    "licence de tireur sportif ; le formulaire médical récent. N'apportez pas d'arme.",
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
}


def _all_templates():
    for kind, msgid in TEMPLATES.items():
        yield f"en-{kind.value}", msgid._args[0]
    yield "en-without_link", CONFIRMATION_WITHOUT_LINK._args[0]
    yield "en-invitation", INVITATION._args[0]
    for language, texts in PROPOSED.items():
        for kind, text in texts.items():
            yield f"{language}-{getattr(kind, 'value', kind)}", text


@pytest.mark.parametrize(("name", "template"), list(_all_templates()))
def test_every_template_fits_two_gsm7_segments(name, template):
    assert is_gsm7(template.replace("%(", "").replace(")s", "")), name
    body = render(template, dict(LONGEST))
    assert fits(body), (name, segments(body), body)
    assert LONGEST["link"] in body or "%(link)s" not in template  # the link is never cut
    assert LONGEST["time"] in body or "%(time)s" not in template
    assert LONGEST["reference"] in body or "%(reference)s" not in template


REPLIES = {
    "en": [
        "You will no longer get reminders. Send START to get them again.",
        "You will get reminders again.",
        "We found no coming appointment for this number. Please call %(blue)s.",
        "Your appointment is too close to cancel by SMS: please call %(blue)s.",
        "Your appointment of %(day)s at %(time)s is cancelled. Questions: %(blue)s",
        "This appointment was cancelled. To book again, call %(blue)s.",
        "Thank you: we expect you on %(day)s at %(time)s.",
        "Thank you, a call-taker will read your message. Questions: %(blue)s. "
        "Emergency: 112, police: 101.",
    ],
    "nl": [
        "Je krijgt geen herinneringen meer. Stuur START om ze weer te krijgen.",
        "Je krijgt weer herinneringen.",
        "We vonden geen komende afspraak voor dit nummer. Bel %(blue)s.",
        "Je afspraak is te dichtbij om per sms te annuleren: bel %(blue)s.",
        "Je afspraak van %(day)s om %(time)s is geannuleerd. Vragen: %(blue)s",
        "Deze afspraak werd geannuleerd. Opnieuw boeken? Bel %(blue)s.",
        "Bedankt: we verwachten je op %(day)s om %(time)s.",
        "Bedankt, een medewerker leest je bericht. Vragen: %(blue)s. Noodgeval: 112, politie: 101.",
    ],
    "fr": [
        "Vous ne recevrez plus de rappels. Envoyez START pour les recevoir à nouveau.",
        "Vous recevrez à nouveau des rappels.",
        "Nous n'avons trouvé aucun rendez-vous à venir pour ce numéro. Appelez le %(blue)s.",
        "Votre rendez-vous est trop proche pour l'annuler par SMS : appelez le %(blue)s.",
        "Votre rendez-vous du %(day)s à %(time)s est annulé. Questions : %(blue)s",
        "Ce rendez-vous a été annulé. Pour en reprendre un, appelez le %(blue)s.",
        "Merci : nous vous attendons le %(day)s à %(time)s.",
        "Merci, un opérateur lira votre message. Questions : %(blue)s. "
        "Urgence : 112, police : 101.",
    ],
}


@pytest.mark.parametrize(
    "template", [t for texts in REPLIES.values() for t in texts], ids=lambda t: t[:30]
)
def test_every_reply_is_one_gsm7_segment(template):
    body = render(template, {"blue": "054 31 35 01", "day": "30/12", "time": "14:30"})
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
