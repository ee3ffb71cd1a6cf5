"""The demo zone's answer templates: three ready answers the intake desk starts from, in
Dutch, French and English (the zone writes its own on the answer templates page)."""

from typing import Any

ANSWER_TEMPLATES: tuple[dict[str, Any], ...] = (
    {
        "code": "forwarded-to-the-municipality",
        "titles": {
            "nl": "Doorgestuurd naar de gemeente",
            "fr": "Transmis à la commune",
            "en": "Forwarded to the municipality",
        },
        "texts": {
            "nl": "Bedankt voor uw bericht. Dit behoort tot de bevoegdheid van de gemeente: "
            "wij hebben het aan de gemeentelijke diensten bezorgd, die u verder informeren.",
            "fr": "Merci pour votre message. Ceci relève de la compétence de la commune : "
            "nous l'avons transmis aux services communaux, qui vous tiendront informé.",
            "en": "Thank you for your message. This is a matter for the municipality: we have "
            "passed it on to the municipal services, who will keep you informed.",
        },
    },
    {
        "code": "not-a-police-matter",
        "titles": {
            "nl": "Geen taak van de politie",
            "fr": "Pas une mission de la police",
            "en": "Not a police matter",
        },
        "texts": {
            "nl": "Bedankt voor uw vraag. De politie kan hierin niet optreden. U kunt terecht "
            "bij uw gemeente of bij de bevoegde dienst.",
            "fr": "Merci pour votre question. La police ne peut pas intervenir dans ce cas. "
            "Vous pouvez vous adresser à votre commune ou au service compétent.",
            "en": "Thank you for your question. The police cannot act on this. Your "
            "municipality or the competent service can help you.",
        },
    },
    {
        "code": "general-answer-with-opening-hours",
        "titles": {
            "nl": "Algemeen antwoord met openingsuren",
            "fr": "Réponse générale avec les heures d'ouverture",
            "en": "General answer with opening hours",
        },
        "texts": {
            "nl": "Bedankt voor uw vraag. U bent welkom in ons politiehuis op weekdagen van "
            "8 tot 17 uur, of maak een afspraak met uw wijkagent op onze website. "
            "Bij nood belt u 112, voor dringende politiehulp 101.",
            "fr": "Merci pour votre question. Vous êtes le bienvenu à notre commissariat en "
            "semaine de 8 à 17 heures, ou prenez rendez-vous avec votre agent de quartier sur "
            "notre site. En cas d'urgence, appelez le 112 ; pour une aide policière urgente, "
            "le 101.",
            "en": "Thank you for your question. You are welcome at our police station on "
            "weekdays from 8:00 to 17:00, or book an appointment with your neighbourhood "
            "officer on our website. In an emergency call 112, for urgent police help 101.",
        },
    },
)
