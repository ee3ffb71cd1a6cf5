"""Walking the citizen booking pages with a test client, question by question."""

import re

from flask.testing import FlaskClient


def booking_csrf(client: FlaskClient, path: str = "/book") -> str:
    """The CSRF token of the form on ``path`` (this client's session)."""
    html = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    return found.group(1)  # type: ignore[union-attr]


def walk_to_check(
    client: FlaskClient, *, location: str = "office", slot_index: int = 0, topic: str = ""
) -> tuple[str, str]:
    """Answer every question up to the check page (service, address, location, the
    ``slot_index``-th moment, details); the form's CSRF token and the moment chosen."""
    token = booking_csrf(client)
    client.post("/book", data={"csrf_token": token, "service": "wijkagent"})
    client.post(
        "/book/address",
        data={"csrf_token": token, "postcode": "1547", "street": "plaats", "number": "3"},
    )
    client.post("/book/location", data={"csrf_token": token, "location": location})
    page = client.get("/book/moment").get_data(as_text=True)
    slots = re.findall(r'name="slot" class="slot" value="([^"]+)"', page)
    slot = slots[slot_index].replace("&#43;", "+")
    client.post("/book/moment", data={"csrf_token": token, "slot": slot})
    client.post(
        "/book/details",
        data={
            "csrf_token": token,
            "name": "Jan Peeters",
            "phone": "0470 12 34 56",
            "email": "",
            "topic": topic,
            "website": "",
        },
    )
    return token, slot
