"""How staff name things, in one place: an appointment's kind as staff say it ("Wijkagent –
huisbezoek", not the citizen's "Afspraak met je wijkagent"), and a language by its own name.

A kind is the service (by its code) and, where the service is offered at several kinds of
place, the place. A service the zone adds without a staff label here shows its citizen name.
"""

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from app.i18n import language
from scheduling.enums import LocationKind
from scheduling.models import Service

KINDS: dict[tuple[str, LocationKind | None], LazyString] = {
    ("wijkagent", None): _l("Neighbourhood officer"),
    ("wijkagent", LocationKind.OFFICE): _l("Neighbourhood officer – at the office"),
    ("wijkagent", LocationKind.HOME): _l("Neighbourhood officer – home visit"),
    ("dossier", None): _l("Case handler"),
    ("wapens", None): _l("Weapons service"),
    ("deurwaarder", None): _l("Bailiff – police assistance"),
}
# Each language in its own words: what a citizen speaks, what an SMS or a text is written in.
LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français", "en": "English"}


def kind_label(service: Service, location: LocationKind | None = None) -> str:
    """The kind as staff say it, in the staff member's language; ``location`` None: the
    service as a whole (a preview of its moments)."""
    label = KINDS.get((service.code, location)) or KINDS.get((service.code, None))
    return str(label) if label is not None else service.name(language())


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)
