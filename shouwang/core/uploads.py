"""Uploaded files are checked by what they contain, not by what they are called.

A notice's attachment or an article's image goes out to thousands of phones:
an executable renamed `通知.pdf`, or a 300 MB video, must be refused with a
clear message at the form, not discovered by the readers. `AllowedUpload` is a
validator for a form's or a model's FileField: the name's extension must be one
of the allowed kinds and the content must be that kind (by its signature, or
for Office's zip formats, by the part every such file has).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

IMAGES = frozenset({"jpg", "jpeg", "png", "gif", "webp"})
OFFICE = frozenset({"doc", "docx", "xls", "xlsx", "ppt", "pptx"})
DOCUMENTS = frozenset({"pdf"}) | OFFICE | IMAGES

# Office's zip formats: the part that makes a zip a document of that kind.
_OOXML_PART = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
# What the content's signature may say for each extension: the old Office
# formats share one container, and filetype cannot always tell them apart.
_SIGNATURES = {
    "jpeg": {"jpg"},
    "doc": {"doc", "xls", "ppt"},
    "xls": {"doc", "xls", "ppt"},
    "ppt": {"doc", "xls", "ppt"},
}


def extension(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def content_is(file: UploadedFile, ext: str) -> bool:
    """Whether the file's bytes are what its extension says."""
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        if ext in _OOXML_PART:
            try:
                with zipfile.ZipFile(file) as archive:
                    return _OOXML_PART[ext] in archive.namelist()
            except zipfile.BadZipFile:
                return False
        file.seek(0)
        kind = filetype.guess(file.read(8192))
    finally:
        file.seek(position)
    return kind is not None and kind.extension in _SIGNATURES.get(ext, {ext})


@deconstructible
class AllowedUpload:
    """Refuse a file whose name or content is not one of `kinds`, or that is
    larger than `max_bytes`."""

    def __init__(self, kinds: Iterable[str], max_bytes: int):
        self.kinds = frozenset(kinds)
        self.max_bytes = max_bytes

    def __call__(self, file: UploadedFile) -> None:
        ext = extension(file.name or "")
        allowed = "、".join(sorted(self.kinds))
        if ext not in self.kinds:
            raise ValidationError(
                _("“%(name)s” is not an allowed kind of file. Allowed: %(allowed)s.")
                % {"name": file.name, "allowed": allowed},
                code="file_type",
            )
        if file.size is not None and file.size > self.max_bytes:
            raise ValidationError(
                _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
                % {
                    "name": file.name,
                    "size": filesizeformat(file.size),
                    "limit": filesizeformat(self.max_bytes),
                },
                code="file_size",
            )
        if not content_is(file, ext):
            raise ValidationError(
                _("“%(name)s” is not really a .%(ext)s file; it may be damaged or renamed.")
                % {"name": file.name, "ext": ext},
                code="file_content",
            )

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, AllowedUpload)
            and self.kinds == other.kinds
            and self.max_bytes == other.max_bytes
        )

    def __hash__(self) -> int:
        return hash((self.kinds, self.max_bytes))
