"""A phone's photo with all a phone writes into it, and the check that none of it was kept."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

# Each of these would tell a reader where, when or with what the photo was taken.
MAKE = "PhoneMaker"
COMMENT = b"dorm 3-445, taken at night"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
    b'exif:GPSLatitude="37,52.0N" exif:GPSLongitude="112,33.0E"/></rdf:RDF></x:xmpmeta>'
)
GPS = {1: "N", 2: (37.0, 52.0, 0.0), 3: "E", 4: (112.0, 33.0, 0.0)}
# 40 wide and 30 high as stored, turned a quarter by its EXIF orientation.
STORED_SIZE, UPRIGHT_SIZE = (40, 30), (30, 40)


def phone_photo(name: str = "照片.jpg") -> SimpleUploadedFile:
    """A JPEG with GPS EXIF, a camera make, an orientation, an XMP packet and a comment."""
    exif = Image.Exif()
    exif[0x010F] = MAKE
    exif[0x0112] = 6  # Orientation: turn 90° clockwise to show it upright
    exif[0x8825] = GPS
    out = io.BytesIO()
    Image.new("RGB", STORED_SIZE, (200, 40, 40)).save(
        out, "JPEG", exif=exif, xmp=XMP, comment=COMMENT
    )
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def damaged_jpeg(name: str = "照片.jpg") -> SimpleUploadedFile:
    """A JPEG cut off after its first kilobyte: its signature passes, its pixels cannot be read."""
    out = io.BytesIO()
    Image.effect_noise((200, 200), 80).convert("RGB").save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue()[:1024], content_type="image/jpeg")


class MetadataAssertions:
    def assertNoMetadata(self, data: bytes) -> None:
        """The stored image is upright and keeps nothing of the photo but its pixels."""
        for secret in (MAKE.encode(), COMMENT, b"GPSLatitude", b"xmpmeta"):
            self.assertNotIn(secret, data)  # type: ignore[attr-defined]
        with Image.open(io.BytesIO(data)) as image:
            self.assertEqual(dict(image.getexif()), {})  # type: ignore[attr-defined]
            self.assertEqual(image.getexif().get_ifd(0x8825), {})  # type: ignore[attr-defined]
            for key in ("exif", "xmp", "comment", "XML:com.adobe.xmp"):
                self.assertNotIn(key, image.info)  # type: ignore[attr-defined]
            self.assertEqual(image.size, UPRIGHT_SIZE)  # type: ignore[attr-defined]
