"""Photos a citizen adds to a report: checked, cleaned and kept where the web cannot reach.

``accept`` decides from the bytes alone (Pillow), never from the file name or the type the
browser claims: only a real JPEG or PNG is a photo. What it keeps is a new JPEG drawn from
the pixels, upright, at most ``MAX_SIDE`` pixels long, with nothing else of the original —
no EXIF (a phone writes where the photo was taken), no XMP, comment or colour profile.

``store`` writes it under a random name in the uploads folder (``REPORT_UPLOADS_DIR``,
outside the web root), ``read`` and ``remove`` accept only such a name: a name from a form
or URL can never point elsewhere on the disk.
"""

import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from io import BytesIO
from pathlib import Path

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from PIL import ExifTags, Image, UnidentifiedImageError

from app.text import plain

# A phone photo is 2-8 MB; the form's body limit is set from this (three photos).
MAX_BYTES = 10 * 1024 * 1024
# Decoded size is what a decompression bomb inflates: a PNG of a few kB can declare
# 30000 x 30000 pixels (2.7 GB in memory). 50 megapixels lets a 48/50-megapixel phone photo
# through; a PNG that large is still about 200 MB while it is being converted.
MAX_PIXELS = 50_000_000
MAX_SIDE = 2048  # enough to read a number plate or a label, about 0.5 MB as JPEG
JPEG_QUALITY = 85
# What a phone may send: iOS turns its HEIC photos into JPEG when the form asks for these.
ACCEPT = "image/jpeg,image/png"

# The only parsers Pillow lets near the bytes (a multi-picture JPEG, which many phones
# write, comes back named "MPO": it is a JPEG too). Everything else is not a photo.
_OPEN_FORMATS = ("JPEG", "PNG")
_WHITE = (255, 255, 255)
# EXIF orientation (2-8) -> the turn that shows the photo upright (1: as stored).
_TURNS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
MAX_FILENAME_LENGTH = 80
# 32 URL-safe characters (192 random bits) and our extension: the only names read() opens.
_NAME_BYTES = 24
_NAME = re.compile(r"[A-Za-z0-9_-]{32}\.jpg")


class Refusal(StrEnum):
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    NOT_A_PHOTO = "not_a_photo"
    TOO_MANY_PIXELS = "too_many_pixels"
    UNREADABLE = "unreadable"


# What the citizen reads next to the upload field, in their language when shown.
MESSAGES: dict[Refusal, LazyString] = {
    Refusal.EMPTY: _l("This file is empty. Choose a JPEG or PNG photo."),
    Refusal.TOO_LARGE: _l(
        "This photo is larger than %(megabytes)d MB. Choose a smaller photo, or take a "
        "screenshot of it.",
        megabytes=MAX_BYTES // (1024 * 1024),
    ),
    Refusal.NOT_A_PHOTO: _l("This file is not a photo. Choose a JPEG or PNG photo."),
    Refusal.TOO_MANY_PIXELS: _l(
        "This photo has too many pixels (more than %(megapixels)d megapixels). Choose a "
        "smaller photo, or take a screenshot of it.",
        megapixels=MAX_PIXELS // 1_000_000,
    ),
    Refusal.UNREADABLE: _l(
        "This photo could not be read completely. It may be damaged or still downloading: "
        "choose it again, or choose another photo."
    ),
}


@dataclass(frozen=True)
class AcceptedPhoto:
    """The photo as we keep it: a JPEG without metadata, and its size in pixels."""

    jpeg: bytes
    width: int
    height: int


@dataclass(frozen=True)
class PhotoRefused:
    """Why a file is not taken; ``filename`` names it back to the citizen (one of three)."""

    reason: Refusal
    filename: str

    @property
    def message(self) -> LazyString:
        return MESSAGES[self.reason]


class PhotoNotFound(LookupError):
    """No stored photo by that name (or a name that is not one of ours)."""


def accept(data: bytes, filename: str) -> AcceptedPhoto | PhotoRefused:
    """The photo in ``data`` made safe to keep, or why it is refused. ``filename`` is only
    what the browser claims: it decides nothing and is kept to name the file back."""
    filename = _shown_name(filename)
    if not data:
        return PhotoRefused(Refusal.EMPTY, filename)
    # Before Pillow sees a byte: a large upload costs no decoding.
    if len(data) > MAX_BYTES:
        return PhotoRefused(Refusal.TOO_LARGE, filename)
    try:
        image = Image.open(BytesIO(data), formats=_OPEN_FORMATS)
    except UnidentifiedImageError:
        return PhotoRefused(Refusal.NOT_A_PHOTO, filename)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own limit (above ours) trips while reading the header; its warning is
        # an error wherever warnings are (the test suite), and refused here either way.
        return PhotoRefused(Refusal.TOO_MANY_PIXELS, filename)
    except (OSError, ValueError, SyntaxError, EOFError):
        return PhotoRefused(Refusal.UNREADABLE, filename)
    with image:
        # The header's size, before decoding: a bomb is refused without inflating it.
        if image.width * image.height > MAX_PIXELS:
            return PhotoRefused(Refusal.TOO_MANY_PIXELS, filename)
        try:
            return _cleaned(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            return PhotoRefused(Refusal.TOO_MANY_PIXELS, filename)
        except (OSError, ValueError, SyntaxError, EOFError):
            # A truncated file among them: ImageFile.LOAD_TRUNCATED_IMAGES stays off, so a
            # half-downloaded photo is refused rather than kept with a grey lower half.
            return PhotoRefused(Refusal.UNREADABLE, filename)


def _shown_name(filename: str) -> str:
    """The file's own name, safe to show back: no folders (some browsers send a path), no
    control or direction characters (an override would turn "gpj.exe" around), not long."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return plain(base, multiline=False)[:MAX_FILENAME_LENGTH]


def _cleaned(image: Image.Image) -> AcceptedPhoto:
    """Decode, turn upright, flatten, shrink and re-encode from the pixels alone."""
    if image.format != "PNG":
        # A JPEG decodes straight at 1/2, 1/4 or 1/8 when that is still >= MAX_SIDE:
        # a 48-megapixel photo never sits whole in memory.
        image.draft("RGB", (MAX_SIDE, MAX_SIDE))
    image.load()
    upright = _upright(image)
    flat = _on_white(upright)
    flat.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    # A new image from the pixels: Pillow would write a comment or XMP kept in .info.
    clean = Image.frombytes("RGB", flat.size, flat.tobytes())
    out = BytesIO()
    clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return AcceptedPhoto(jpeg=out.getvalue(), width=clean.width, height=clean.height)


def _upright(image: Image.Image) -> Image.Image:
    """Turned the way the phone's EXIF says it was held; applied now, since the EXIF goes.

    ImageOps.exif_transpose does the same turns but also rewrites the EXIF it keeps, which
    fails on some damaged blocks (a tag of an unexpected type); we keep none of it."""
    orientation = image.getexif().get(ExifTags.Base.Orientation)
    turn = _TURNS.get(orientation) if isinstance(orientation, int) else None
    return image if turn is None else image.transpose(turn)


def _on_white(image: Image.Image) -> Image.Image:
    """RGB; a transparent PNG on white (JPEG has no transparency, black would hide it)."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, _WHITE)
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode.startswith("I"):
        # 16-bit grey (some PNGs): RGB would clip every value above 255 to white.
        return image.convert("I").point(lambda value: value / 256).convert("RGB")
    return image.convert("RGB")


def store(photo: AcceptedPhoto, directory: Path) -> str:
    """Write ``photo`` under a new random name in ``directory`` and return that name.

    Written to a temporary file first and renamed into place, so a reader never finds half
    a photo; the files are the server account's alone (0600), the folder too (0700)."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = f"{secrets.token_urlsafe(_NAME_BYTES)}.jpg"
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(photo.jpeg)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, directory / name)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return name


def read(name: str, directory: Path) -> bytes:
    """The stored photo called ``name``; PhotoNotFound for a name ``store`` never makes."""
    try:
        return _path(name, directory).read_bytes()
    except FileNotFoundError:
        raise PhotoNotFound(name) from None


def remove(name: str, directory: Path) -> None:
    """Erase a stored photo (retention); one already gone is no error."""
    _path(name, directory).unlink(missing_ok=True)


def _path(name: str, directory: Path) -> Path:
    # A fixed pattern, not a cleaned-up path: "../", "/etc/passwd", "x.jpg\0" never match.
    if not _NAME.fullmatch(name):
        raise PhotoNotFound(name)
    return directory / name
