"""The facts of the demo zone, PZ Pajottenland (5405), as plain data (no database code).

Public facts: the six municipalities, the two wijk sectors, the central office on the
Edingsesteenweg in Kester and the six wijkposten. Street names are real streets of these
villages; how they are grouped into districts, the people and their hours are invented.
Streets that Gooik, Galmaarden and Herne renamed when they merged into Pajottegem (2025)
are left out. ``seed.py`` turns this into rows.
"""

from dataclasses import dataclass, field
from datetime import time

from scheduling.enums import Audience, LocationKind, Role, ServedBy

ZONE_NAME = "PZ Pajottenland (5405)"
BLUE_NUMBER = "054 31 35 01"
CENTRAL_SITE = "kester-central"

MON, TUE, WED, THU, FRI, SAT = range(6)
OFFICE, HOME, ON_SITE = LocationKind.OFFICE, LocationKind.HOME, LocationKind.ON_SITE
SECTOR_WEST = "Gooik/Lennik/Pepingen"
SECTOR_SOUTH = "Galmaarden/Herne/Bever"


@dataclass(frozen=True)
class SiteSpec:
    code: str
    name: str
    street: str
    number: str
    postcode: str
    municipality: str
    description: dict[str, str]  # language → text
    hours: tuple[tuple[int, time, time], ...] = ()  # walk in: weekday, opens, closes
    is_central: bool = False


@dataclass(frozen=True)
class StaffSpec:
    number: str  # GALOP personnel number
    name: str
    roles: tuple[Role, ...]
    site: str  # home site code


@dataclass(frozen=True)
class StreetSpec:
    postcode: str
    street: str
    number_from: int | None = None  # a house-number range, when a street is split
    number_to: int | None = None


@dataclass(frozen=True)
class DistrictSpec:
    name: str
    municipality: str
    sector: str
    officer: str  # personnel numbers
    standin: str
    site: str
    streets: tuple[StreetSpec, ...]


@dataclass(frozen=True)
class ServiceSpec:
    code: str
    names: tuple[str, str, str]  # nl, fr, en
    duration_minutes: int
    locations: tuple[LocationKind, ...]
    audience: Audience
    served_by: ServedBy
    what_to_bring: dict[str, str]
    min_notice_minutes: int = 120
    horizon_days: int = 60
    travel_minutes: int = 0
    cancel_cutoff_minutes: int = 120
    staff_max: int = 1  # beyond staff_required, what a booker may ask (bailiff assistance)
    duration_max_minutes: int | None = None
    reminder_lead_minutes: int = 24 * 60
    staff_required: int = 1
    team: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class WindowSpec:
    """A weekly bookable window in local wall time."""

    staff: str
    weekday: int
    starts: time
    ends: time
    location: LocationKind
    site: str | None


@dataclass(frozen=True)
class InvitationSpec:
    handler: str
    citizen: str
    language: str


def _streets(postcode: str, *names: str) -> tuple[StreetSpec, ...]:
    return tuple(StreetSpec(postcode, name) for name in names)


# --- Sites ------------------------------------------------------------------------------
# Walk-in hours only where people may walk in; when a wijkpost receives by appointment is
# not written here: the pages derive it from the officers' weekly windows (WINDOWS, below).
# The descriptions are invented, in the zone's three languages.

_RECEPTION = tuple((day, time(8), time(16, 30)) for day in (MON, TUE, WED, THU, FRI))
_CENTRAL = {
    "nl": "Het hoofdcommissariaat van de zone. Het onthaal helpt u zonder afspraak tijdens "
    "de openingsuren; voor een dossierbehandelaar of de wapendienst maakt u een afspraak. "
    "Dringend: 101 of 112.",
    "fr": "Le commissariat central de la zone. L’accueil vous reçoit sans rendez-vous "
    "pendant les heures d’ouverture\u00a0; pour un gestionnaire de dossier ou le service "
    "des armes, prenez rendez-vous. Urgent\u00a0: 101 ou 112.",
    "en": "The zone's main police station. The front desk helps you without an appointment "
    "during opening hours; to see a case handler or the weapons service, book an "
    "appointment. Urgent: 101 or 112.",
}
_POST = {
    "nl": "Wijkpost: enkel op afspraak met uw wijkagent. Bel aan bij de ingang op het uur van "
    "uw afspraak. Zonder afspraak kunt u terecht in het Politiehuis in Kester. "
    "Dringend: 101 of 112.",
    "fr": "Poste de quartier\u00a0: uniquement sur rendez-vous avec votre agent de quartier. "
    "Sonnez à l’entrée à l’heure de votre rendez-vous. Sans rendez-vous, "
    "adressez-vous à la Maison de police à Kester. Urgent\u00a0: 101 ou 112.",
    "en": "Local police post: by appointment with your neighbourhood officer only. Ring at "
    "the entrance at the time of your appointment. Without an appointment, go to the "
    "police house in Kester. Urgent: 101 or 112.",
}
# Bever (Biévène) is a municipality with language facilities for French speakers.
_POST_BEVER = {
    "nl": _POST["nl"] + " Inwoners van Bever kunnen hier ook in het Frans terecht.",
    "fr": "Poste de quartier de Biévène\u00a0: uniquement sur rendez-vous avec votre agent "
    "de quartier, qui vous reçoit en français. Sonnez à l’entrée à l’heure de "
    "votre rendez-vous. Sans rendez-vous, adressez-vous à la Maison de police à Kester. "
    "Urgent\u00a0: 101 ou 112.",
    "en": _POST["en"] + " Residents of Bever may also be received in French.",
}

SITES = (
    SiteSpec(
        CENTRAL_SITE,
        "Politiehuis Pajottenland",
        "Edingsesteenweg",
        "308",
        "1755",
        "Gooik",
        _CENTRAL,
        hours=_RECEPTION,
        is_central=True,
    ),
    SiteSpec(
        "wp-kester",
        "Wijkpost Gooik (Kester)",
        "Bruneaustraat",
        "101",
        "1755",
        "Gooik",
        _POST,
    ),
    SiteSpec(
        "wp-lennik",
        "Wijkpost Lennik",
        "Alfred Algoetstraat",
        "31",
        "1750",
        "Lennik",
        _POST,
    ),
    SiteSpec(
        "wp-pepingen",
        "Wijkpost Pepingen",
        "Ninoofsesteenweg",
        "114",
        "1670",
        "Pepingen",
        _POST,
    ),
    SiteSpec(
        "wp-galmaarden",
        "Wijkpost Galmaarden",
        "Kammeersweg",
        "8",
        "1570",
        "Galmaarden",
        _POST,
    ),
    SiteSpec(
        "wp-herne",
        "Wijkpost Herne",
        "Centrum",
        "15",
        "1540",
        "Herne",
        _POST,
    ),
    SiteSpec(
        "wp-bever",
        "Wijkpost Bever",
        "Plaats",
        "10",
        "1547",
        "Bever",
        _POST_BEVER,
    ),
)

# --- Staff ------------------------------------------------------------------------------

_WIJK = (Role.DISTRICT_OFFICER,)

WIJKAGENTS = (
    StaffSpec("GALOP-1001", "Pieter Van Cutsem", _WIJK, "wp-kester"),
    StaffSpec("GALOP-1002", "Els De Bisschop", _WIJK, "wp-kester"),
    StaffSpec("GALOP-1003", "Bart Vanderstraeten", _WIJK, "wp-lennik"),
    StaffSpec("GALOP-1004", "Katrien Walravens", _WIJK, "wp-lennik"),
    StaffSpec("GALOP-1005", "Tom Vanderlinden", _WIJK, "wp-pepingen"),
    StaffSpec("GALOP-1006", "Annelies Cornelis", _WIJK, "wp-galmaarden"),
    StaffSpec("GALOP-1007", "Wim Van den Bossche", _WIJK, "wp-galmaarden"),
    StaffSpec("GALOP-1008", "Liesbeth Goossens", _WIJK, "wp-herne"),
    StaffSpec("GALOP-1009", "Geert Demol", _WIJK, "wp-bever"),
)
CASE_HANDLERS = (
    StaffSpec("GALOP-2001", "Nathalie Vermeulen", (Role.CASE_HANDLER,), CENTRAL_SITE),
    StaffSpec("GALOP-2002", "Jeroen De Clercq", (Role.CASE_HANDLER,), CENTRAL_SITE),
    StaffSpec("GALOP-2003", "Hilde Peeters", (Role.CASE_HANDLER,), CENTRAL_SITE),
)
WEAPONS_SERVICE = (
    StaffSpec("GALOP-3001", "Marc Verstraeten", (Role.WEAPONS_SERVICE,), CENTRAL_SITE),
    StaffSpec("GALOP-3002", "Ingrid Wauters", (Role.WEAPONS_SERVICE,), CENTRAL_SITE),
    StaffSpec("GALOP-3003", "Kristof Lemmens", (Role.WEAPONS_SERVICE,), CENTRAL_SITE),
)
CALL_TAKERS = (
    StaffSpec("GALOP-4001", "Sarah Maes", (Role.CALL_TAKER,), CENTRAL_SITE),
    StaffSpec("GALOP-4002", "Lotte Claes", (Role.CALL_TAKER,), CENTRAL_SITE),
    StaffSpec("GALOP-4003", "Yannick Dubois", (Role.CALL_TAKER,), CENTRAL_SITE),
    StaffSpec("GALOP-4004", "Femke Janssens", (Role.CALL_TAKER,), CENTRAL_SITE),
)
MANAGEMENT = (
    StaffSpec("GALOP-5001", "Ann Vandenbroucke", (Role.SUPERVISOR,), CENTRAL_SITE),
    StaffSpec("GALOP-5002", "Luc Michiels", (Role.ADMIN,), CENTRAL_SITE),
    StaffSpec("GALOP-5003", "Dirk Van Damme", (Role.ZONE_CHIEF,), CENTRAL_SITE),
)
# The reporting point: the intake desk, and the restricted team that alone reads sensitive
# reports (its lead also reads who opened them).
REPORTING_POINT = (
    StaffSpec("GALOP-6001", "Sofie Wouters", (Role.INTAKE,), CENTRAL_SITE),
    StaffSpec("GALOP-6101", "Karim El Amrani", (Role.RESTRICTED_TEAM,), CENTRAL_SITE),
    StaffSpec("GALOP-6102", "Inge Verhaegen", (Role.RESTRICTED_LEAD,), CENTRAL_SITE),
)
STAFF = WIJKAGENTS + CASE_HANDLERS + WEAPONS_SERVICE + CALL_TAKERS + MANAGEMENT + REPORTING_POINT

# Shown by ``seed-demo``: (what they are, personnel number).
DEMO_LOGINS = (
    ("wijkagent", "GALOP-1009"),  # the wijkagent of EXAMPLE_ADDRESS
    ("case handler", "GALOP-2001"),
    ("call-taker", "GALOP-4001"),
    ("supervisor", "GALOP-5001"),
    ("intake desk (reports, questions)", "GALOP-6001"),
    ("restricted team lead (sensitive reports)", "GALOP-6102"),
)

# --- Districts --------------------------------------------------------------------------

# The Edingsesteenweg (N285) crosses Gooik: up to number 249 it belongs to Gooik-Centrum
# en Leerbeek, from 250 on (the central office is number 308) to Kester.
EDINGSESTEENWEG_SPLIT = 250

DISTRICTS = (
    DistrictSpec(
        "Gooik-Centrum en Leerbeek",
        "Gooik",
        SECTOR_WEST,
        "GALOP-1001",
        "GALOP-1002",
        "wp-kester",
        (
            *_streets(
                "1755",
                "Koekoekstraat",
                "Wijngaardstraat",
                "Dopsstraat",
                "Terlostraat",
                "Stuivenbergstraat",
                "Monseigneur Abbeloosstraat",
                "Dorpstraat",
                "Bronnenweg",
                "Brusselstraat",
                "Kattestraat",
                "Ninoofsesteenweg",
            ),
            StreetSpec("1755", "Edingsesteenweg", 1, EDINGSESTEENWEG_SPLIT - 1),
        ),
    ),
    DistrictSpec(
        "Kester, Oetingen en Strijland",
        "Gooik",
        SECTOR_WEST,
        "GALOP-1002",
        "GALOP-1001",
        "wp-kester",
        (
            *_streets(
                "1755",
                "Bruneaustraat",
                "Langestraat",
                "Kesterweg",
                "Vollezelstraat",
                "Frankrijkstraat",
                "Peverstraat",
                "Drie Egyptenbaan",
                "Monsebeekweg",
                "Terhagenstraat",
            ),
            StreetSpec("1755", "Edingsesteenweg", EDINGSESTEENWEG_SPLIT, None),
        ),
    ),
    DistrictSpec(
        "Sint-Kwintens-Lennik",
        "Lennik",
        SECTOR_WEST,
        "GALOP-1003",
        "GALOP-1004",
        "wp-lennik",
        _streets(
            "1750",
            "Alfred Algoetstraat",
            "Markt",
            "Gustaaf Van der Steenstraat",
            "Frans Van der Steenstraat",
            "Kroonstraat",
            "Zavelstraat",
            "Winkelstraat",
            "Brusselsestraat",
            "Donkerstraat",
            "Luitenant Jacopsstraat",
            "Molenstraat",
            "Bagattenstraat",
            "Kapellestraat",
            "Karenbergstraat",
            "Galgestraat",
        ),
    ),
    DistrictSpec(
        "Gaasbeek, Sint-Martens-Lennik en Eizeringen",
        "Lennik",
        SECTOR_WEST,
        "GALOP-1004",
        "GALOP-1003",
        "wp-lennik",
        _streets(
            "1750",
            "Kasteelstraat",
            "Gaasbeeksestraat",
            "Schapenstraat",
            "Baasbergstraat",
            "Oude Brusselstraat",
            "Lombeeksesteenweg",
            "Negenbunderstraat",
            "Joseph Van den Bosschestraat",
            "Assesteenweg",
            "Ninoofsesteenweg",
            "Frans Baetensstraat",
            "Postweg",
        ),
    ),
    DistrictSpec(
        "Pepingen en Heikruis",
        "Pepingen",
        SECTOR_WEST,
        "GALOP-1005",
        "GALOP-1002",
        "wp-pepingen",
        _streets(
            "1670",
            "Ninoofsesteenweg",
            "Kerkstraat",
            "Palokenstraat",
            "Teleweidestraat",
            "Molenstraat",
            "Kestersesteenweg",
            "Eeckhoudtstraat",
            "Molenhofstraat",
            "Montagnestraat",
        ),
    ),
    DistrictSpec(
        "Galmaarden-Centrum",
        "Galmaarden",
        SECTOR_SOUTH,
        "GALOP-1006",
        "GALOP-1007",
        "wp-galmaarden",
        _streets(
            "1570",
            "Kammeersweg",
            "Marktplein",
            "Hoogstraat",
            "Watermolenstraat",
            "Molenwijk",
            "Bergstraat",
            "Bolwerkstraat",
            "Dorekensstraat",
            "Heirbaan",
            "Stationsstraat",
            "Geraardsbergsestraat",
            "Hollebeekstraat",
            "Tasseniersstraat",
            "Damstraat",
            "Cardoenlaan",
        ),
    ),
    DistrictSpec(
        "Tollembeek en Vollezele",
        "Galmaarden",
        SECTOR_SOUTH,
        "GALOP-1007",
        "GALOP-1006",
        "wp-galmaarden",
        _streets(
            "1570",
            "Statiestraat",
            "Muylebeekstraat",
            "Zwaanstraat",
            "Plaatsstraat",
            "Tollembeekstraat",
            "Plaats",
            "Vianebaan",
            "Congobergstraat",
            "Oudstrijdersplein",
            "Bakkerstraat",
            "Langestraat",
            "Waterschaapstraat",
            "Bruinsbroekstraat",
            "Veldstraat",
        ),
    ),
    DistrictSpec(
        "Herne en Herfelingen",
        "Herne",
        SECTOR_SOUTH,
        "GALOP-1008",
        "GALOP-1009",
        "wp-herne",
        _streets(
            "1540",
            "Centrum",
            "Lindestraat",
            "Van Cauwenberghelaan",
            "Broekstraat",
            "Hondsbergstraat",
            "Ekkelenbergstraat",
            "Scheibeekstraat",
            "Leenstraat",
            "Kapellestraat",
            "Breemstraat",
            "Scherpstraat",
            "Hogekeerstraat",
            "Kouterstraat",
            "Lorengstraat",
            "Weverstraat",
        ),
    ),
    DistrictSpec(
        "Bever",
        "Bever",
        SECTOR_SOUTH,
        "GALOP-1009",
        "GALOP-1008",
        "wp-bever",
        _streets("1547", "Plaats", "Muydt", "Kerkhove", "Burght", "Akrenbos", "Molenketse"),
    ),
)

# An address to try (postcode, street, number): the wijkagent is GALOP-1009.
EXAMPLE_ADDRESS = ("1547", "Plaats", "1")

# --- Services ---------------------------------------------------------------------------

WHAT_TO_BRING_WIJKAGENT = {
    "nl": "Je identiteitskaart (eID). Gaat het over een bepaald voorval, breng dan ook de "
    "documenten mee die erbij horen (brieven, foto's, een pv-nummer).",
    "fr": "Votre carte d'identité (eID). S'il s'agit d'un fait précis, apportez aussi les "
    "documents utiles (courriers, photos, numéro de procès-verbal).",
    "en": "Your identity card (eID). If it is about a specific incident, also bring the "
    "documents that go with it (letters, photos, a police report number).",
}
WHAT_TO_BRING_DOSSIER = {
    "nl": "Je identiteitskaart, de uitnodiging met je dossiernummer (pv-nummer) en alle "
    "documenten over het dossier.",
    "fr": "Votre carte d'identité, l'invitation avec votre numéro de dossier (numéro de PV) "
    "et tous les documents liés au dossier.",
    "en": "Your identity card, the invitation with your case number (police report number) "
    "and every document about the case.",
}
WHAT_TO_BRING_WAPENS = {
    "nl": "Je identiteitskaart; je wapenvergunning, jachtverlof of sportschutterslicentie; het "
    "ingevulde model 4 (aanvraag van een vergunning) of model 9 (registratie); een recent "
    "medisch attest. Breng geen wapen mee, tenzij de dienst wapens daarom vroeg.",
    "fr": "Votre carte d'identité ; votre autorisation de détention, permis de chasse ou "
    "licence de tireur sportif ; le modèle 4 (demande d'autorisation) ou le modèle 9 "
    "(enregistrement) complété ; un certificat médical récent. N'apportez pas d'arme, sauf "
    "si le service armes vous l'a demandé.",
    "en": "Your identity card; your firearms licence, hunting permit or sport shooter "
    "licence; the completed model 4 (licence application) or model 9 (registration); a "
    "recent medical certificate. Do not bring a weapon unless the weapons service asked.",
}
WHAT_TO_BRING_DEURWAARDER = {
    "nl": "Het vonnis of de uitvoerbare titel, het dossiernummer van je kantoor en een "
    "telefoonnummer voor de dag zelf. Meld bijzondere risico's (honden, wapens, agressie) "
    "vooraf.",
    "fr": "Le jugement ou le titre exécutoire, la référence du dossier de votre étude et un "
    "numéro de téléphone pour le jour même. Signalez à l'avance les risques particuliers "
    "(chiens, armes, agressivité).",
    "en": "The judgment or enforceable title, your office's file reference and a phone "
    "number for the day itself. Report particular risks (dogs, weapons, aggression) in "
    "advance.",
}

# Wijkagents who also assist bailiffs (two of them at once).
DEURWAARDER_TEAM = ("GALOP-1001", "GALOP-1003", "GALOP-1006", "GALOP-1008")

SERVICES = (
    ServiceSpec(
        "wijkagent",
        (
            "Afspraak met je wijkagent",
            "Rendez-vous avec votre agent de quartier",
            "Appointment with your neighbourhood officer",
        ),
        30,
        (OFFICE, HOME),
        Audience.CITIZEN,
        ServedBy.DISTRICT_OFFICER,
        WHAT_TO_BRING_WIJKAGENT,
        travel_minutes=15,
    ),
    ServiceSpec(
        "dossier",
        (
            "Afspraak met je dossierbeheerder (op uitnodiging)",
            "Rendez-vous avec votre gestionnaire de dossier (sur invitation)",
            "Appointment with your case handler (by invitation)",
        ),
        45,
        (OFFICE,),
        Audience.CITIZEN,
        ServedBy.INVITED_STAFF,
        WHAT_TO_BRING_DOSSIER,
        horizon_days=30,
    ),
    ServiceSpec(
        "wapens",
        (
            "Afspraak met de dienst wapens",
            "Rendez-vous avec le service armes",
            "Appointment with the weapons service",
        ),
        30,
        (OFFICE,),
        Audience.CITIZEN,
        ServedBy.TEAM,
        WHAT_TO_BRING_WAPENS,
        reminder_lead_minutes=2 * 24 * 60,  # time to gather the papers the visit needs
        team=tuple(s.number for s in WEAPONS_SERVICE),
    ),
    ServiceSpec(
        "deurwaarder",
        (
            "Politiebijstand voor gerechtsdeurwaarders",
            "Assistance policière aux huissiers",
            "Police assistance for bailiffs",
        ),
        120,
        (ON_SITE,),
        Audience.BAILIFF,
        ServedBy.TEAM,
        WHAT_TO_BRING_DEURWAARDER,
        min_notice_minutes=2 * 24 * 60,
        horizon_days=90,
        cancel_cutoff_minutes=24 * 60,
        staff_required=2,
        staff_max=4,
        duration_max_minutes=8 * 60,
        travel_minutes=15,  # there and back, from the wijkpost
        team=DEURWAARDER_TEAM,
    ),
)

# --- Weekly availability ----------------------------------------------------------------


def _wijk_hours(officer: str, site: str, assists_bailiffs: bool) -> tuple[WindowSpec, ...]:
    """Office hours at the wijkpost and home-visit windows, in one of two weekly patterns.

    A district's wijkagent and stand-in follow different patterns, but both make home visits
    on Thursday morning: there a stand-in can take over an absent colleague's visits."""
    hours: tuple[tuple[int, int, int, LocationKind], ...]
    if assists_bailiffs:  # Monday, Wednesday and Friday mornings stay free for bailiffs
        hours = (
            (TUE, 9, 12, OFFICE),
            (THU, 14, 19, OFFICE),
            (WED, 13, 17, HOME),
            (SAT, 9, 12, HOME),
        )
    else:
        hours = (
            (MON, 15, 19, OFFICE),
            (WED, 9, 12, OFFICE),
            (TUE, 13, 17, HOME),
            (FRI, 9, 12, HOME),
        )
    hours += ((THU, 9, 12, HOME),)
    return tuple(
        WindowSpec(officer, day, time(start), time(end), where, site if where is OFFICE else None)
        for day, start, end, where in hours
    )


def _central(staff: str, *hours: tuple[int, time, time]) -> tuple[WindowSpec, ...]:
    return tuple(WindowSpec(staff, day, s, e, OFFICE, CENTRAL_SITE) for day, s, e in hours)


_MORNING = (time(9), time(12))
_AFTERNOON = (time(13, 30), time(16, 30))

WINDOWS = (
    *(
        w
        for d in DISTRICTS
        for w in _wijk_hours(d.officer, d.site, assists_bailiffs=d.officer in DEURWAARDER_TEAM)
    ),
    # Case handlers and the weapons service receive at the central office.
    *_central("GALOP-2001", (MON, *_MORNING), (MON, *_AFTERNOON), (WED, *_MORNING)),
    *_central("GALOP-2002", (TUE, *_MORNING), (THU, *_AFTERNOON), (THU, time(17), time(19))),
    *_central("GALOP-2003", (WED, *_AFTERNOON), (FRI, *_MORNING)),
    *_central("GALOP-3001", (TUE, *_MORNING), (TUE, *_AFTERNOON)),
    *_central("GALOP-3002", (THU, *_MORNING), (THU, *_AFTERNOON)),
    *_central("GALOP-3003", (FRI, *_AFTERNOON), (SAT, *_MORNING)),
    # Bailiff assistance: weekday mornings, at the address the bailiff gives (08:00, 10:30).
    *(
        WindowSpec(n, day, time(8), time(13), ON_SITE, None)
        for n in DEURWAARDER_TEAM
        for day in (MON, WED, FRI)
    ),
)

# --- Absences (placed relative to the day the demo is loaded) ---------------------------

ON_LEAVE = "GALOP-1008"  # a week of leave, starting LEAVE_IN_DAYS from the loading day
LEAVE_IN_DAYS = 10
IN_TRAINING = "GALOP-2001"  # a training day, on one of her working days next week

# --- Bailiff office, invitations, citizens ----------------------------------------------

BAILIFF_OFFICE = "Gerechtsdeurwaarders Van Damme & De Smet"
BAILIFF_PHONE = "+3254334455"
# Demo data only: a fixed, documented token, so `seed-demo` can show it on every run.
DEMO_BAILIFF_TOKEN = "demo-deurwaarder-5405"  # noqa: S105

BAILIFF_ENTERPRISE_NUMBER = "0456.789.133"  # a valid KBO number: its last two digits check
BAILIFF_ADDRESS = "Basiliekstraat 40, 1500 Halle"
BAILIFF_EMAIL = "kantoor@vandamme-desmet.example.be"
# (e-mail, name, language, office admin): they sign in to /deurwaarder.
OFFICE_USERS = (
    ("griet@vandamme-desmet.example.be", "Griet Van Damme", "nl", True),
    ("luc@vandamme-desmet.example.be", "Luc De Smet", "fr", False),
)
# (code, nl, fr, en): the kinds of execution the zone lists for bailiffs.
EXECUTION_KINDS = (
    ("eviction", "Uithuiszetting", "Expulsion", "Eviction"),
    ("seizure", "Beslag", "Saisie", "Seizure"),
    ("other", "Andere uitvoering", "Autre exécution", "Other execution"),
)
# The capacity rule: on weekdays 07:00–17:00 at most two officers on bailiff assistance at
# once (a 08:00 assistance with its travel starts at 07:45); none in the weekend.
CAPACITY_RULE = tuple((day, time(7), time(17), 2) for day in (MON, TUE, WED, THU, FRI))

# The first stays open (shown by seed-demo), the second gets an appointment.
INVITATIONS = (
    InvitationSpec("GALOP-2001", "Wouter Van Eeckhout", "nl"),
    InvitationSpec("GALOP-2002", "Chantal Lenoir", "fr"),
)

# (name, language) of the citizens in the existing appointments, used in this order.
CITIZENS = (
    ("Jan Peeters", "nl"),
    ("Marleen Vandenbergh", "nl"),
    ("Dirk Van Ransbeeck", "nl"),
    ("Sophie Lambert", "fr"),
    ("Kevin De Bruyn", "nl"),
    ("Rita Van der Haegen", "nl"),
    ("Johan Schepens", "nl"),
    ("Isabelle Delcourt", "fr"),
    ("Bram Coppens", "nl"),
    ("Hanne Verhulst", "nl"),
    ("Emma Wouters", "en"),
    ("Raf Timmermans", "nl"),
    ("Nicole Van Roy", "nl"),
    ("Ludo Van Nieuwenhove", "nl"),
    ("Julie Moens", "nl"),
    ("François Leclercq", "fr"),
    ("Griet De Pauw", "nl"),
    ("Stefaan Meert", "nl"),
    ("Ilse Cosyns", "nl"),
    ("Paul Vanderelst", "nl"),
    ("Lien Deneve", "nl"),
    ("Patrick Walschaerts", "nl"),
    ("Nadia El Amrani", "fr"),
    ("Guido Verbeeck", "nl"),
)
