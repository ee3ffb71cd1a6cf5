"""The kinds of object a lost or found report names: codes kept in Report.object_type, so a
lost wallet and a found one match (app.reports.matching) whatever language each was
reported in; the labels are shown in the reader's language."""

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

OTHER = "other"
OBJECT_TYPES: dict[str, LazyString] = {
    "wallet": _l("Wallet or purse"),
    "keys": _l("Keys"),
    "phone": _l("Mobile phone"),
    "bag": _l("Bag or backpack"),
    "cards": _l("Identity card, driving licence or bank card"),
    "bicycle": _l("Bicycle or scooter"),
    "jewellery": _l("Jewellery or watch"),
    "glasses": _l("Glasses"),
    "clothing": _l("Clothing"),
    OTHER: _l("Something else"),
}


def object_label(code: str | None) -> str:
    """The object type in the reader's language; a code not in the list (an older report,
    another channel) as it was stored."""
    if not code:
        return ""
    label = OBJECT_TYPES.get(code)
    return str(label) if label is not None else code
