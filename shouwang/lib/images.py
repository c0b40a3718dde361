"""Uploaded photos made safe to publish: no metadata, bounded size.

A phone's photo carries EXIF: where it was taken (GPS), when, on which
device; an edited one may carry XMP or a comment too. Re-encoding the pixels
alone, with none of the file's other information, drops all of it. The photo
is turned upright first (the EXIF orientation would be lost with the rest)
and, where the site shows it in a column, scaled down to at most `max_side`
pixels a side.
"""

from __future__ import annotations

import io
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SIDE = 1600
# Refuse images larger than this many pixels before decoding them (a "zip bomb").
MAX_PIXELS = 40_000_000


class CleanImage(ContentFile):
    """A re-encoded image: cleaning it again changes nothing unless it must shrink."""

    def __init__(self, content: bytes, name: str, size: tuple[int, int]):
        super().__init__(content, name=name)
        self.dimensions = size


def clean_image(upload: File, max_side: int | None = MAX_SIDE) -> ContentFile:
    """The upload's pixels as a new JPEG (PNG when it has transparency), and
    nothing else of the file. `max_side=None` keeps the size.

    An unreadable image (not an image, truncated, too large) is a
    ValidationError with a message for the person who sent it.
    """
    if isinstance(upload, CleanImage) and (max_side is None or max(upload.dimensions) <= max_side):
        return upload
    upload.seek(0)
    try:
        with Image.open(upload) as opened:
            if opened.width * opened.height > MAX_PIXELS:
                raise ValidationError(_("This image is too large."), code="image_pixels")
            image = ImageOps.exif_transpose(opened) or opened
            if max_side is not None:
                image.thumbnail((max_side, max_side))
            transparent = image.mode in ("RGBA", "LA") or (
                image.mode == "P" and "transparency" in image.info
            )
            bare = image.convert("RGBA" if transparent else "RGB")
            # convert() copies the file's info (a JPEG's comment, XMP, ICC
            # profile…), and some encoders write what they find there.
            bare.info = {}
            out = io.BytesIO()
            if transparent:
                bare.save(out, "PNG", optimize=True)
                suffix = ".png"
            else:
                bare.save(out, "JPEG", quality=85, optimize=True)
                suffix = ".jpg"
            size = bare.size
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("“%(name)s” cannot be read as an image; it may be damaged. Choose another file.")
            % {"name": upload.name or _("The image")},
            code="image_unreadable",
        ) from exc
    stem = PurePosixPath(upload.name or "image").stem or "image"
    return CleanImage(out.getvalue(), name=f"{stem}{suffix}", size=size)


def is_readable(file: File) -> bool:
    """Whether a stored image can be decoded (a damaged one is not shown)."""
    try:
        with file.open("rb") as handle, Image.open(handle) as image:
            if image.width * image.height > MAX_PIXELS:
                return False
            image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return False
    return True
