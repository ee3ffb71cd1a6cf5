"""The demo zone's reporting point: what citizens can report or ask, in three languages.

Sensitive phenomena go to the restricted team (``RESTRICTED_TEAM``), never to the wijkagent
of an address; everything else with an address to its wijkagent. Retention: a year after
closing for reports and questions, half a year for lost and found objects, two years for
sensitive reports (a pattern of radicalisation or abuse shows over time).
"""

from typing import Any

from app.reports.access import RESTRICTED_TEAM
from app.reports.enums import CategoryKind

YEAR, HALF_YEAR, TWO_YEARS = 365, 182, 730


def _names(nl: str, fr: str, en: str) -> dict[str, str]:
    return {"nl": nl, "fr": fr, "en": en}


_NUISANCE_KIND = {
    "code": "nuisance_kind",
    "names": _names("Wat voor overlast?", "Quel type de nuisance ?", "What kind of nuisance?"),
    "type": "choice",
    "options": [
        {"code": "noise", "names": _names("Lawaai", "Bruit", "Noise")},
        {
            "code": "neighbours",
            "names": _names("Burenhinder", "Conflit de voisinage", "Neighbours"),
        },
        {"code": "loitering", "names": _names("Rondhangen", "Rassemblements", "Loitering")},
    ],
}

# code, names, kind, sensitive, anonymous allowed, handled by, retention days, questions
CATEGORIES: tuple[dict[str, Any], ...] = (
    {
        "code": "nuisance",
        "names": _names("Overlast", "Nuisances", "Nuisance"),
        "questions": [_NUISANCE_KIND],
    },
    {
        "code": "traffic_danger",
        "names": _names(
            "Gevaarlijke verkeerssituatie",
            "Situation de circulation dangereuse",
            "Dangerous traffic situation",
        ),
    },
    {
        "code": "illegal_dumping",
        "names": _names("Sluikstort", "Dépôt clandestin", "Illegal dumping"),
    },
    {
        "code": "found_object",
        "kind": CategoryKind.FOUND,
        "retention_days": HALF_YEAR,
        "names": _names("Gevonden voorwerp", "Objet trouvé", "Found object"),
    },
    {
        "code": "lost_object",
        "kind": CategoryKind.LOST,
        "retention_days": HALF_YEAR,
        "names": _names("Verloren voorwerp", "Objet perdu", "Lost object"),
    },
    {"code": "other", "names": _names("Iets anders", "Autre chose", "Something else")},
    {
        "code": "question",
        "kind": CategoryKind.QUESTION,
        "anonymous_allowed": False,
        "names": _names("Algemene vraag", "Question générale", "General question"),
    },
    {
        "code": "radicalisation",
        "sensitive": True,
        "names": _names("Radicalisering", "Radicalisation", "Radicalisation"),
    },
    {
        "code": "extremism",
        "sensitive": True,
        "names": _names("Extremisme", "Extrémisme", "Extremism"),
    },
    {
        "code": "discrimination",
        "sensitive": True,
        "names": _names(
            "Racisme en discriminatie", "Racisme et discrimination", "Racism and discrimination"
        ),
    },
    {
        "code": "transgressive_behaviour",
        "sensitive": True,
        "names": _names(
            "Grensoverschrijdend gedrag", "Comportement transgressif", "Transgressive behaviour"
        ),
    },
)


def category_rows() -> list[dict[str, Any]]:
    """Each category with every field set (defaults: a public report, anonymous allowed,
    routed by address, kept a year; sensitive ones to the restricted team for two years)."""
    rows = []
    for spec in CATEGORIES:
        sensitive = bool(spec.get("sensitive", False))
        rows.append(
            {
                "kind": CategoryKind.REPORT,
                "sensitive": sensitive,
                "anonymous_allowed": True,
                "handled_by": RESTRICTED_TEAM if sensitive else None,
                "retention_days": TWO_YEARS if sensitive else YEAR,
                "questions": [],
                "active": True,
                **spec,
            }
        )
    return rows
