"""Report photos (app.reports.photos): only real JPEG and PNG photos are taken, cleaned of
every trace of where and with what they were taken; bad files get the citizen's reason;
stored ones are reached by their random name only.

No database, no binary fixtures: every image is drawn here with Pillow.
"""

import secrets
import stat
import struct
import time
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from flask import Flask
from PIL import ExifTags, Image
from PIL.JpegImagePlugin import JpegImageFile

from app import i18n
from app.config import STATIC_DIR, Config
from app.reports import photos
from app.reports.photos import AcceptedPhoto, PhotoNotFound, PhotoRefused, Refusal

KEY = secrets.token_hex(32)
RED = (220, 20, 20)
BLUE = (20, 20, 220)


def _jpeg(image: Image.Image, **params: object) -> bytes:
    out = BytesIO()
    image.save(out, format="JPEG", quality=95, **params)
    return out.getvalue()


def _png(image: Image.Image) -> bytes:
    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _two_halves(size: tuple[int, int] = (40, 20)) -> Image.Image:
    """Red on the left, blue on the right: which way up it comes back shows."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    return image


def _noisy(size: tuple[int, int]) -> Image.Image:
    """Pixels a JPEG cannot compress to nothing, so a cut file misses real image data."""
    return Image.effect_noise(size, 64).convert("RGB")


def _gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phonemaker"
    exif[ExifTags.Base.Model] = "Phone 12"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (50.0, 44.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (4.0, 14.0, 3.25)
    return exif


def _declared_png(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of ``width`` x ``height`` white pixels, all zeros compressed: a few
    kB for a size that decodes to gigabytes in RGB (a decompression bomb)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit, grey
    compressor = zlib.compressobj(9)
    row = bytes(1 + (width + 7) // 8)  # filter byte, then the row's bits
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def _accepted(data: bytes, filename: str = "photo.jpg") -> AcceptedPhoto:
    result = photos.accept(data, filename)
    assert isinstance(result, AcceptedPhoto), result
    return result


def _refusal(data: bytes, filename: str = "photo.jpg") -> Refusal:
    result = photos.accept(data, filename)
    assert isinstance(result, PhotoRefused), result
    return result.reason


def _opened(photo: AcceptedPhoto) -> Image.Image:
    image = Image.open(BytesIO(photo.jpeg))
    assert image.format == "JPEG"
    assert image.size == (photo.width, photo.height)
    return image


# What is kept


def test_gps_and_all_exif_are_gone() -> None:
    original = _jpeg(_noisy((64, 48)), exif=_gps_exif())
    # The test's own photo does carry the position, so its absence below means something.
    assert Image.open(BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    photo = _accepted(original)

    image = _opened(photo)
    assert not image.getexif()
    assert "exif" not in image.info
    assert b"Exif" not in photo.jpeg
    assert b"Phonemaker" not in photo.jpeg


def test_comment_xmp_and_colour_profile_are_gone() -> None:
    source = _noisy((64, 48))
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">exif:GPSLatitude 50,44.2N</x:xmpmeta>'
    profile = b"made-up profile naming the phone"
    original = _jpeg(source, comment=b"taken at Markt 1", xmp=xmp, icc_profile=profile)
    assert {"comment", "xmp", "icc_profile"} <= set(Image.open(BytesIO(original)).info)

    photo = _accepted(original)

    assert not {"comment", "xmp", "icc_profile", "exif"} & set(_opened(photo).info)
    for trace in (b"Markt", b"GPSLatitude", b"naming the phone"):
        assert trace not in photo.jpeg


def test_orientation_6_is_applied_before_the_exif_goes() -> None:
    """Orientation 6: the camera was held upright, the sensor wrote it lying down; shown
    turned a quarter clockwise, the left (red) half comes on top."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    photo = _accepted(_jpeg(_two_halves((40, 20)), exif=exif))

    image = _opened(photo).convert("RGB")
    assert (photo.width, photo.height) == (20, 40)
    top, bottom = image.getpixel((10, 5)), image.getpixel((10, 35))
    assert isinstance(top, tuple)
    assert isinstance(bottom, tuple)
    assert top[0] > 150 > top[2], top
    assert bottom[2] > 150 > bottom[0], bottom


# Pillow warns about the broken tag and goes on; outside the test suite a warning is no error.
@pytest.mark.filterwarnings("ignore:Tag data larger than file:UserWarning")
def test_a_photo_with_a_damaged_exif_block_is_still_taken_upright() -> None:
    """Edited photos often carry a damaged EXIF block: the pixels are what counts."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Phonemaker"
    raw = exif.tobytes()
    make = raw.index(b"\x01\x0f\x00\x02")  # tag 271 (Make), ASCII, big-endian
    damaged = raw[: make + 4] + (0xFFFF).to_bytes(4, "big") + raw[make + 8 :]

    photo = _accepted(_jpeg(_two_halves((40, 20)), exif=damaged))

    assert (photo.width, photo.height) == (20, 40)
    assert b"Exif" not in photo.jpeg


def test_a_photo_with_an_exif_tag_of_the_wrong_type_is_still_taken_upright() -> None:
    """Tag 321 (a number by the standard) holding text: Pillow cannot write such a block
    back, which ImageOps.exif_transpose tries to; only the turn is needed."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "X"
    raw = exif.tobytes().replace(b"\x01\x0f\x00\x02", b"\x01\x41\x00\x02", 1)

    photo = _accepted(_jpeg(_two_halves((40, 20)), exif=raw))

    assert (photo.width, photo.height) == (20, 40)


def test_a_png_with_transparency_becomes_a_jpeg_on_white() -> None:
    image = Image.new("RGBA", (30, 20), (0, 0, 0, 0))
    image.paste((*RED, 255), (0, 0, 10, 20))
    photo = _accepted(_png(image), "screenshot.png")

    shown = _opened(photo).convert("RGB")
    assert shown.mode == "RGB"
    white = shown.getpixel((25, 10))
    assert isinstance(white, tuple)
    assert min(white) > 245, white
    red = shown.getpixel((3, 10))
    assert isinstance(red, tuple)
    assert red[0] > 150 > red[1]


def test_a_large_photo_is_scaled_down_to_the_longest_side() -> None:
    photo = _accepted(_jpeg(_two_halves((4100, 1025))))
    assert (photo.width, photo.height) == (photos.MAX_SIDE, photos.MAX_SIDE // 4)
    _opened(photo)


def test_a_very_large_jpeg_is_decoded_at_a_reduced_scale(monkeypatch: pytest.MonkeyPatch) -> None:
    """A JPEG at least twice MAX_SIDE both ways is decoded straight at half size (or less):
    a 48-megapixel photo does not have to sit whole in memory."""
    decoded: list[tuple[int, int]] = []
    load = JpegImageFile.load

    def measured(self: JpegImageFile) -> object:
        decoded.append(self.size)
        return load(self)

    monkeypatch.setattr(JpegImageFile, "load", measured)
    side = 2 * photos.MAX_SIDE + 4
    photo = _accepted(_jpeg(Image.new("RGB", (side, side), RED)))

    assert decoded
    assert max(decoded) == (side // 2, side // 2)
    assert (photo.width, photo.height) == (photos.MAX_SIDE, photos.MAX_SIDE)


def test_a_small_photo_keeps_its_size() -> None:
    photo = _accepted(_jpeg(_two_halves((640, 480))))
    assert (photo.width, photo.height) == (640, 480)


def test_a_multi_picture_jpeg_from_a_phone_is_a_photo() -> None:
    """Many phones write MPO (a JPEG with a second picture appended); Pillow names it so."""
    out = BytesIO()
    first = _two_halves((64, 48))
    first.save(out, format="MPO", save_all=True, append_images=[first.resize((16, 12))])
    assert Image.open(BytesIO(out.getvalue())).format == "MPO"
    photo = _accepted(out.getvalue())
    assert (photo.width, photo.height) == (64, 48)


def test_a_cmyk_jpeg_and_a_16_bit_grey_png_come_back_as_rgb() -> None:
    cmyk = _accepted(_jpeg(Image.new("CMYK", (8, 8), (0, 255, 255, 0))))
    assert _opened(cmyk).mode == "RGB"
    grey = _accepted(_png(Image.new("I;16", (8, 8), 32768)), "scan.png")
    value = _opened(grey).getpixel((4, 4))
    assert isinstance(value, tuple)
    assert 120 < value[0] < 136, value  # half grey, not clipped to white


# What is refused


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        pytest.param(
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "drawing.svg",
            id="svg",
        ),
        pytest.param(
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
            "photo.jpg",
            id="svg-named-jpg",
        ),
        pytest.param(b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n", "report.pdf", id="pdf"),
        pytest.param(b"just some text, not a photo\n", "photo.jpg", id="text-named-jpg"),
        pytest.param(
            b"<!doctype html><html><body><img src=x onerror=alert(1)></body></html>",
            "photo.png",
            id="html",
        ),
        pytest.param(b"\xff\xd8\xff", "photo.jpg", id="three-jpeg-bytes"),
    ],
)
def test_what_is_not_a_photo_is_refused(data: bytes, filename: str) -> None:
    assert _refusal(data, filename) is Refusal.NOT_A_PHOTO


@pytest.mark.parametrize("format_", ["GIF", "BMP", "TIFF", "WEBP"])
def test_other_image_formats_are_refused(format_: str) -> None:
    """Real images, just not ours: a GIF, a BMP, a TIFF, a WebP (even when named .jpg)."""
    out = BytesIO()
    _two_halves().save(out, format=format_)
    assert _refusal(out.getvalue(), "photo.jpg") is Refusal.NOT_A_PHOTO


def test_empty_bytes_are_refused() -> None:
    assert _refusal(b"") is Refusal.EMPTY


def test_a_50_mb_file_is_refused_before_anything_decodes_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def never(*args: object, **kwargs: object) -> Image.Image:
        raise AssertionError("a file over the size limit was opened")

    monkeypatch.setattr(Image, "open", never)
    data = b"\xff\xd8\xff\xe0" + bytes(50 * 1024 * 1024)
    started = time.perf_counter()

    assert _refusal(data) is Refusal.TOO_LARGE
    assert time.perf_counter() - started < 0.1


def test_a_photo_of_exactly_the_limit_is_taken_one_byte_more_is_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = _jpeg(_noisy((64, 64)))
    monkeypatch.setattr(photos, "MAX_BYTES", len(data))
    _accepted(data)
    monkeypatch.setattr(photos, "MAX_BYTES", len(data) - 1)
    assert _refusal(data) is Refusal.TOO_LARGE


def test_a_decompression_bomb_is_refused() -> None:
    """A small PNG declaring 30000 x 30000 pixels (900 megapixels, 2.7 GB as RGB)."""
    bomb = _declared_png(30_000, 30_000)
    assert len(bomb) < photos.MAX_BYTES // 10
    assert _refusal(bomb, "bomb.png") is Refusal.TOO_MANY_PIXELS


@pytest.mark.parametrize(
    ("width", "height"),
    [
        pytest.param(10_000, 10_000, id="over-pillows-warning"),
        pytest.param(8_000, 7_000, id="over-our-limit-only"),
    ],
)
def test_more_pixels_than_the_limit_are_refused_before_decoding(
    width: int, height: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between our limit and Pillow's own (which only warns below twice its size): our
    check, on the header, before a pixel is decoded."""
    assert width * height > photos.MAX_PIXELS
    monkeypatch.setattr(Image.Image, "load", _never_decoded)
    assert _refusal(_declared_png(width, height), "large.png") is Refusal.TOO_MANY_PIXELS


def _never_decoded(self: Image.Image) -> None:
    raise AssertionError("an image over the pixel limit was decoded")


def test_a_truncated_jpeg_is_refused() -> None:
    whole = _jpeg(_noisy((320, 240)))
    for cut in (len(whole) // 2, len(whole) - 100):
        assert _refusal(whole[:cut]) is Refusal.UNREADABLE, cut


def test_a_truncated_png_is_refused() -> None:
    whole = _png(_noisy((64, 64)))
    assert _refusal(whole[: len(whole) // 2], "photo.png") is Refusal.UNREADABLE


def test_the_refusal_names_the_file_back_harmlessly() -> None:
    """Only the file's own name, without a path or a right-to-left override, shortened."""
    refused = photos.accept(b"text", "C:\\Users\\an\\Desktop\\holiday\u202egpj.exe")
    assert isinstance(refused, PhotoRefused)
    assert refused.filename == "holidaygpj.exe"
    long = photos.accept(b"text", "x" * 500 + ".jpg")
    assert isinstance(long, PhotoRefused)
    assert len(long.filename) == photos.MAX_FILENAME_LENGTH


@pytest.fixture(scope="module")
def babel_app() -> Flask:
    app = Flask("app")
    app.secret_key = "test"
    i18n.init_app(app)
    return app


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "This file is not a photo. Choose a JPEG or PNG photo."),
        ("nl", "Dit bestand is geen foto. Kies een foto in JPEG of PNG."),
        ("fr", "Ce fichier n'est pas une photo. Choisissez une photo JPEG ou PNG."),
    ],
)
def test_the_message_is_in_the_citizens_language(
    babel_app: Flask, language: str, expected: str
) -> None:
    refused = photos.accept(b"text", "a.jpg")
    assert isinstance(refused, PhotoRefused)
    with babel_app.test_request_context(f"/?lang={language}"):
        assert str(refused.message) == expected


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_every_refusal_has_its_own_translated_message(babel_app: Flask, language: str) -> None:
    with babel_app.test_request_context(f"/?lang={language}"):
        shown = {reason: str(photos.MESSAGES[reason]) for reason in Refusal}
    with babel_app.test_request_context("/?lang=en"):
        english = {reason: str(photos.MESSAGES[reason]) for reason in Refusal}
    assert len(set(shown.values())) == len(Refusal)
    for reason in Refusal:
        assert shown[reason] != english[reason], reason
    assert "10 MB" in english[Refusal.TOO_LARGE]
    assert "10 MB" in shown[Refusal.TOO_LARGE] or "10 Mo" in shown[Refusal.TOO_LARGE]


# Where it is kept


@pytest.fixture
def photo() -> AcceptedPhoto:
    return _accepted(_jpeg(_two_halves()))


def test_store_and_read_give_back_the_same_photo(tmp_path: Path, photo: AcceptedPhoto) -> None:
    uploads = tmp_path / "uploads"
    name = photos.store(photo, uploads)

    assert photos.read(name, uploads) == photo.jpeg
    assert [p.name for p in uploads.iterdir()] == [name]  # no temporary file left behind


def test_stored_names_are_random_and_of_one_form(tmp_path: Path, photo: AcceptedPhoto) -> None:
    names = {photos.store(photo, tmp_path) for _ in range(20)}
    assert len(names) == 20
    for name in names:
        assert len(name) == 36
        assert name.endswith(".jpg")
        assert name[:-4].replace("-", "").replace("_", "").isalnum()


def test_only_the_server_account_can_read_them(tmp_path: Path, photo: AcceptedPhoto) -> None:
    uploads = tmp_path / "uploads"
    name = photos.store(photo, uploads)

    assert stat.S_IMODE((uploads / name).stat().st_mode) == 0o600
    assert stat.S_IMODE(uploads.stat().st_mode) == 0o700


def test_a_failed_write_leaves_nothing_behind(
    tmp_path: Path, photo: AcceptedPhoto, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(photos.os, "replace", full_disk)
    with pytest.raises(OSError, match="No space"):
        photos.store(photo, tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "name",
    [
        "../secret_key",
        "../../etc/passwd",
        "/etc/passwd",
        "..",
        "",
        "photo.jpg",
        ".upload-abc.tmp",
        "A" * 32 + ".jpg/../../secret_key",
        "A" * 32 + ".jpg\x00",
        "A" * 32 + ".png",
        "A" * 31 + "/.jpg",
        "A" * 31 + "\\.jpg",
        "A" * 31 + "..jpg",
    ],
)
def test_a_name_that_is_not_one_of_ours_is_refused(tmp_path: Path, name: str) -> None:
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    (tmp_path / "secret_key").write_text("do not show")
    (uploads / "photo.jpg").write_bytes(b"not stored by us")
    with pytest.raises(PhotoNotFound):
        photos.read(name, uploads)
    with pytest.raises(PhotoNotFound):
        photos.remove(name, uploads)
    assert (tmp_path / "secret_key").exists()


def test_a_well_formed_name_that_was_never_stored_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(PhotoNotFound):
        photos.read("A" * 32 + ".jpg", tmp_path)


def test_remove_erases_the_photo(tmp_path: Path, photo: AcceptedPhoto) -> None:
    name = photos.store(photo, tmp_path)
    photos.remove(name, tmp_path)
    photos.remove(name, tmp_path)  # gone already: no error
    with pytest.raises(PhotoNotFound):
        photos.read(name, tmp_path)


# Where the folder is


def test_uploads_are_kept_in_the_instance_folder_by_default(tmp_path: Path) -> None:
    config = Config.from_env(tmp_path, {"SECRET_KEY": KEY})
    assert config.report_uploads_dir == (tmp_path / "uploads").resolve()


def test_the_uploads_folder_can_be_set(tmp_path: Path) -> None:
    env = {"SECRET_KEY": KEY, "REPORT_UPLOADS_DIR": str(tmp_path / "photos")}
    assert Config.from_env(tmp_path, env).report_uploads_dir == (tmp_path / "photos").resolve()


def test_the_uploads_folder_cannot_be_in_the_web_root(tmp_path: Path) -> None:
    env = {"SECRET_KEY": KEY, "REPORT_UPLOADS_DIR": str(STATIC_DIR / "uploads")}
    with pytest.raises(ValueError, match="outside the web root"):
        Config.from_env(tmp_path, env)
