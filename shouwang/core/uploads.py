"""Uploaded files are checked by what they contain, not by what they are called.

A notice's attachment or an article's image goes out to thousands of phones:
an executable renamed `通知.pdf`, or a 300 MB video, must be refused with a
clear message at the form, not discovered by the readers. `AllowedUpload` is a
validator for a form's or a model's FileField: the name's extension must be one
of the allowed kinds and the content must be that kind (by its signature, or
for Office's zip formats, by the part every such file has).

What is stored of an upload goes through `clean_upload`: an image keeps its
pixels only, never where it was taken (an attachment's photo of a sick note
carries the dormitory's GPS position as much as a published photo does).
Each person's files together are bounded by `UPLOAD_QUOTA_MB`: `reserve`
refuses, before anything is written, files that would pass it.

A file sent with something (a notice, a help request, an article) is an
`Attachment`: each app subclasses it with a key to what the file belongs to,
and stores, counts and serves its files the same way.
"""

from __future__ import annotations

import mimetypes
import uuid
import zipfile
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import filetype
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.lib import clock
from shouwang.lib.images import clean_image

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

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


# Where people's files are kept: the model, the field holding each stored
# file's size, and the path from a row to the user who sent its file. Every
# Attachment belongs here.
STORED_FILES = (
    ("activities.EntryFile", "size", "uploaded_by"),
    ("bulletin.ArticleImage", "size", "uploaded_by"),
    ("bulletin.ArticleAttachment", "size", "uploaded_by"),
    ("careers.Evidence", "size", "uploaded_by"),
    ("helpdesk.HelpRequestAttachment", "size", "uploaded_by"),
    ("leave.LeaveAttachment", "size", "uploaded_by"),
    ("notices.NoticeAttachment", "size", "uploaded_by"),
    ("supplies.DonationPhoto", "size", "uploaded_by"),
    ("volunteers.ServiceReport", "photo_size", "person__user"),
    ("workplan.Evidence", "size", "uploaded_by"),
    ("workplan.ReportFile", "size", "uploaded_by"),
)
MB = 1024 * 1024


def clean_upload(file: UploadedFile) -> File:
    """What is stored of an upload: an image re-encoded without its metadata
    (at its own size), any other file as it is. Raises ValidationError for an
    image that cannot be read."""
    if extension(file.name or "") in IMAGES:
        return clean_image(file, max_side=None)
    return file


def stored_bytes(user: AbstractBaseUser) -> int:
    """The size of every file `user` has sent and the site still keeps, in one query."""
    totals = {}
    for index, (label, size, path) in enumerate(STORED_FILES):
        rows = (
            apps.get_model(label)
            .objects.filter(**{path: OuterRef("pk")})
            .order_by()
            .values(path)
            .annotate(total=Sum(size))
            .values("total")
        )
        totals[f"t{index}"] = Coalesce(Subquery(rows), 0)
    row = get_user_model().objects.filter(pk=user.pk).values(**totals).first()
    return sum(row.values()) if row else 0


def reserve(user: AbstractBaseUser, files: Iterable) -> None:
    """Refuse `files` (cleaned, about to be stored) if they would take `user`
    past UPLOAD_QUOTA_MB, with a message for the form.

    Call it in the transaction that stores them, before writing anything: the
    user's row stays locked until it commits, so two uploads sent at once
    are counted one after the other, not both against the same total.
    """
    limit = settings.UPLOAD_QUOTA_MB * MB
    adding = sum(file.size or 0 for file in files)
    if not limit or not adding or user is None or user.pk is None:
        return
    with transaction.atomic():
        list(get_user_model().objects.select_for_update().filter(pk=user.pk).values("pk"))
        used = stored_bytes(user)
        if used + adding > limit:
            raise ValidationError(
                _(
                    "These files (%(adding)s) would take you past the %(limit)s each person "
                    "may keep: you keep %(used)s already. Send smaller or fewer files, or ask "
                    "your counsellor or the administrator to remove ones no longer needed."
                )
                % {
                    "adding": filesizeformat(adding),
                    "limit": filesizeformat(limit),
                    "used": filesizeformat(used),
                },
                code="upload_quota",
            )


def serve(file: FieldFile, *, name: str = "", download: bool = False) -> FileResponse:
    """A stored file as a response, typed by its name (`name`, or the stored
    one's); to be saved under `name` if `download`. 404 if the file is gone."""
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(name or file.name or "")[0] or "application/octet-stream"
    return FileResponse(handle, as_attachment=download, filename=name, content_type=content_type)


# How many files one form may send at once.
MAX_FILES = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, each validated on its own (Django's recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_FILES:
            raise ValidationError(
                _("At most %(count)d files may be attached.") % {"count": MAX_FILES}
            )
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


def attachment_path(attachment: Attachment, filename: str) -> str:
    # A random name under the month: the name the sender gave is kept in
    # `name`, and has no business in a path.
    ext = extension(filename)[:10]
    suffix = f".{ext}" if ext else ""
    return f"{attachment.folder}/{clock.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


A = TypeVar("A", bound="Attachment")
NAME_LENGTH = 255


def uploaded_by_field() -> models.ForeignKey:
    """Who sent a file: each person's files together are bounded (`reserve`)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("uploaded by"),
    )


class Attachment(models.Model):
    """A file someone sent with something: a subclass adds the key to what it
    belongs to and the `folder` its files are kept in.

    Stored cleaned (`store`), counted towards its sender's quota (list the
    subclass in STORED_FILES), downloaded under the name it was sent with
    (`download`), by whoever may see what it belongs to."""

    folder: ClassVar[str]
    # What a form may accept for it (`allowed`).
    kinds: ClassVar[frozenset[str]] = DOCUMENTS
    max_bytes: ClassVar[int] = 20 * MB

    file = models.FileField(gettext_lazy("file"), upload_to=attachment_path)
    name = models.CharField(gettext_lazy("file name"), max_length=NAME_LENGTH)
    size = models.PositiveBigIntegerField(gettext_lazy("size"), default=0)
    # Who sent the file: each person's files together are bounded.
    uploaded_by = uploaded_by_field()

    class Meta:
        abstract = True
        ordering = ["pk"]
        verbose_name = gettext_lazy("attachment")
        verbose_name_plural = gettext_lazy("attachments")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def allowed(cls) -> AllowedUpload:
        """The validator for a form's field of these files."""
        return AllowedUpload(cls.kinds, cls.max_bytes)

    @classmethod
    def store(
        cls: type[A], files: Iterable, *, uploaded_by: AbstractBaseUser, **owner: Any
    ) -> list[A]:
        """Store `files` for `owner` (e.g. `notice=notice`), an image without
        its metadata. Raises ValidationError, storing no file, for an
        unreadable image or files that would take the sender past their quota;
        call it in the transaction that writes the owner, which then rolls back."""
        cleaned = [clean_upload(file) for file in files]
        reserve(uploaded_by, cleaned)
        return [
            cls._default_manager.create(
                file=file,
                name=(file.name or "")[:NAME_LENGTH],
                size=file.size or 0,
                uploaded_by=uploaded_by,
                **owner,
            )
            for file in cleaned
        ]

    def download(self) -> FileResponse:
        """The file, to be saved under the name it was sent with."""
        return serve(self.file, name=self.name, download=True)
