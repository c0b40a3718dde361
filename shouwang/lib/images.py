"""Uploaded photos made safe to publish: no metadata, bounded size.

A phone's photo carries EXIF: where it was taken (GPS), when, on which
device. Re-encoding the pixels alone drops all of it. The photo is turned
upright first (the EXIF orientation would be lost with the rest) and scaled
down to at most MAX_SIDE pixels a side: the site shows it in a column.
"""

from __future__ import annotations

import io
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SIDE = 1600
# Refuse images larger than this many pixels before decoding them (a "zip bomb").
MAX_PIXELS = 40_000_000


def clean_image(upload, max_side: int = MAX_SIDE) -> ContentFile:
    """The upload's pixels as a new JPEG (PNG when it has transparency)."""
    upload.seek(0)
    try:
        with Image.open(upload) as opened:
            if opened.width * opened.height > MAX_PIXELS:
                raise ValidationError(_("This image is too large."), code="image_pixels")
            image = ImageOps.exif_transpose(opened) or opened
            image.thumbnail((max_side, max_side))
            transparent = image.mode in ("RGBA", "LA") or (
                image.mode == "P" and "transparency" in image.info
            )
            out = io.BytesIO()
            if transparent:
                image.convert("RGBA").save(out, "PNG", optimize=True)
                suffix = ".png"
            else:
                image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
                suffix = ".jpg"
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("This image cannot be read."), code="image_unreadable") from exc
    stem = PurePosixPath(upload.name or "image").stem or "image"
    return ContentFile(out.getvalue(), name=f"{stem}{suffix}")
