"""Walking the report pages with a test client, question by question."""

import re
from io import BytesIO

from flask.testing import FlaskClient
from PIL import Image

PLAATS_3 = {"postcode": "1547", "street": "Plaats", "number": "3"}


def csrf(client: FlaskClient, path: str = "/melden") -> str:
    """The CSRF token of this client's session (any page with a form carries it)."""
    html = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    if found is None:  # a page without a form: the token is made by the first form page
        html = client.get("/melden/discreet").get_data(as_text=True)
        found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def jpeg(size: tuple[int, int] = (320, 240)) -> bytes:
    out = BytesIO()
    Image.effect_noise(size, 64).convert("RGB").save(out, format="JPEG", quality=90)
    return out.getvalue()


def post(client: FlaskClient, path: str, token: str, **data: object):
    return client.post(path, data={"csrf_token": token, **data})


def walk_to_photos(
    client: FlaskClient,
    slug: str,
    token: str,
    *,
    where: dict[str, str] | None = None,
    description: str = "Een hoop afval naast de glasbol",
    **what: str,
) -> None:
    """Answer where (an address by default), when (now) and what."""
    answered = post(client, f"/melden/{slug}/where", token, **(where or PLAATS_3))
    assert answered.status_code == 302, answered.get_data(as_text=True)
    assert post(client, f"/melden/{slug}/when", token, when="now").status_code == 302
    answered = post(client, f"/melden/{slug}/what", token, description=description, **what)
    assert answered.status_code == 302, answered.get_data(as_text=True)


def walk_to_check(client: FlaskClient, slug: str, token: str, **who: str) -> None:
    """Every question up to the check page, without photos; ``who`` the contact fields."""
    walk_to_photos(client, slug, token)
    assert post(client, f"/melden/{slug}/photos", token, action="continue").status_code == 302
    answered = post(client, f"/melden/{slug}/who", token, website="", **who)
    assert answered.status_code == 302, answered.get_data(as_text=True)
