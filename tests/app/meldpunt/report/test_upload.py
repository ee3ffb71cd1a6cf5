"""The photos question through the page: a non-image, an SVG, a 50 MB body, a truncated
JPEG and a fourth photo each get a clear error next to the field, and every other answer
(and the photos already added) stays; a removed photo's file is erased."""

from io import BytesIO

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app import ratelimit
from app.limits import REPORT_PHOTOS_MAX_BODY_BYTES
from app.meldpunt.models import ReportDraft
from tests.app.meldpunt.report.walk import csrf, jpeg, post, walk_to_photos
from tests.app.test_limits import Body

NOW = "2026-12-01T09:00:00Z"
PHOTOS = "/melden/illegal_dumping/photos"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.fixture
def token(client, zone) -> str:
    with freeze_time(NOW):
        client.get("/melden?lang=en")
        token = csrf(client)
        walk_to_photos(client, "illegal_dumping", token, description="Bags by the bottle bank")
    return token


def upload(client, token, *files: tuple[bytes, str]):
    return client.post(
        PHOTOS,
        data={
            "csrf_token": token,
            "action": "add",
            "photos": [(BytesIO(data), name) for data, name in files],
        },
        content_type="multipart/form-data",
    )


def stored(session) -> list[dict]:
    [row] = session.scalars(select(ReportDraft)).all()
    return row.answers["photos"]


def assert_kept(client) -> None:
    """The other answers are still there."""
    what = client.get("/melden/illegal_dumping/what").get_data(as_text=True)
    assert "Bags by the bottle bank" in what


@freeze_time(NOW)
@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"%PDF-1.7 not a photo", "invoice.pdf", "This file is not a photo."),
        (SVG, "drawing.svg", "This file is not a photo."),
        (jpeg()[:2000], "half.jpg", "This photo could not be read completely."),
        (b"", "empty.jpg", "This file is empty."),
    ],
    ids=["non-image", "svg", "truncated-jpeg", "empty"],
)
def test_a_refused_file_is_named_with_its_reason_and_the_rest_kept(
    client, session, token, data, name, reason
):
    upload(client, token, (jpeg(), "first.jpg"))
    answer = upload(client, token, (data, name))
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert 'id="photos-error"' in page
    assert f"{name}: {reason}" in page
    assert "<script>" not in page
    assert len(stored(session)) == 1  # the photo already added stays
    assert_kept(client)


@freeze_time(NOW)
def test_a_good_photo_beside_a_bad_one_is_kept(client, session, token):
    answer = upload(client, token, (jpeg(), "good.jpg"), (SVG, "bad.svg"))
    assert "bad.svg: This file is not a photo." in answer.get_data(as_text=True)
    assert len(stored(session)) == 1


@freeze_time(NOW)
def test_a_50_mb_body_is_refused_on_the_photos_page_before_it_is_read(client, session, token):
    body = Body(50 * 1024 * 1024)
    answer = client.post(PHOTOS, input_stream=body, content_type="multipart/form-data; boundary=x")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 413
    assert body.read_bytes <= REPORT_PHOTOS_MAX_BODY_BYTES
    assert 'id="photos-error"' in page
    assert "These photos are together larger than 30 MB" in page
    assert stored(session) == []
    assert_kept(client)


@freeze_time(NOW)
def test_a_large_body_elsewhere_still_gets_the_sites_own_page(client, token):
    answer = post(client, "/melden/illegal_dumping/what", token, description="x" * 70_000)
    assert answer.status_code == 413
    assert "What you sent is too long" in answer.get_data(as_text=True)


@freeze_time(NOW)
def test_at_most_three_photos_and_a_removed_one_is_erased(client, session, app, token):
    upload(client, token, (jpeg(), "1.jpg"), (jpeg(), "2.jpg"), (jpeg(), "3.jpg"))
    names = [p["name"] for p in stored(session)]
    assert len(names) == 3
    uploads = app.config["BLAUWLIJN"].report_uploads_dir
    assert all((uploads / name).is_file() for name in names)
    fourth = upload(client, token, (jpeg(), "4.jpg"))
    assert "You can add at most 3 photos." in fourth.get_data(as_text=True)
    removed = post(client, f"{PHOTOS}/remove", token, photo="2")
    assert removed.location == PHOTOS
    assert [p["name"] for p in stored(session)] == [names[0], names[2]]
    assert not (uploads / names[1]).exists()


@freeze_time(NOW)
def test_uploads_are_rate_limited_per_address(client, session, token, monkeypatch):
    monkeypatch.setitem(ratelimit.LIMITS, "report-photo-ip", 2)
    upload(client, token, (jpeg(), "1.jpg"), (jpeg(), "2.jpg"))
    assert upload(client, token, (jpeg(), "3.jpg")).status_code == 429
    assert len(stored(session)) == 2
