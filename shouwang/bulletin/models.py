"""The public site: sections of articles, and the public mailboxes.

An article is public once it is published and its publication time has
passed; everything else (drafts, scheduled articles) exists only for its
writers. A letter to a mailbox is private to the person the mailbox routes to
(and admins) and to whoever holds its query code.
"""

from __future__ import annotations

import re
import secrets
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.core.uploads import IMAGES, AllowedUpload, Attachment, uploaded_by_field
from shouwang.lib import clock

IMAGE_MAX_BYTES = 10 * 1024 * 1024
# Letters are read aloud or typed from a slip: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16  # 31**16, about 79 bits: not guessable by trying


def _stored_name(folder: str, filename: str) -> str:
    # A random name: an uploaded file's own name may say more than the article.
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"bulletin/{folder}/{uuid.uuid4().hex}{suffix}"


def image_path(instance: models.Model, filename: str) -> str:
    return _stored_name("images", filename)


class Section(models.Model):
    """A column of the site: 学院新闻, 通知公告, 党建动态, 下载专区."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("bulletin:section", args=[self.slug])

    @classmethod
    def find_or_make(cls, slug: str, name: str, *, position: int = 0) -> Section:
        """The site's section of this slug (or, on a site that named it
        otherwise, of this name), made if the site has none yet: where an app
        publishes what it writes for the site (a disclosure, a fair's news)."""
        section = cls.objects.filter(slug=slug).first() or cls.objects.filter(name=name).first()
        if section is None:
            section = cls.objects.create(name=name, slug=slug, position=position)
        return section


class ArticleQuerySet(models.QuerySet["Article"]):
    def public(self) -> ArticleQuerySet:
        """What a visitor may see: published, and its publication time has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=clock.now())

    def newest_first(self) -> ArticleQuerySet:
        return self.order_by(F("published_at").desc(nulls_first=True), "-pk")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    section = models.ForeignKey(
        Section, models.PROTECT, related_name="articles", verbose_name=_("section")
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(
        _("body"),
        blank=True,
        help_text=_(
            "Plain text; a blank line starts a new paragraph. "
            "A paragraph reading [图1] shows the article's first image there."
        ),
    )
    source = models.CharField(
        _("contributed by"), max_length=60, blank=True, help_text=_("For example 信息学院 付琳供稿")
    )
    cover = models.ImageField(_("cover image"), upload_to=image_path, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("publication time"), null=True, blank=True)
    views = models.PositiveIntegerField(_("views"), default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    changed_at = models.DateTimeField(_("changed at"), default=clock.now)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [models.Index(fields=["section", "status", "published_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("bulletin:article", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= clock.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.PUBLISHED and not self.is_public

    def blocks(self, images: list[ArticleImage]) -> list[tuple[str, object]]:
        """The body as ("text", paragraph) and ("image", image) blocks, in order.

        A paragraph that is only [图N] places the Nth image; images not placed
        follow the text."""
        placed: set[int] = set()
        blocks: list[tuple[str, object]] = []
        for paragraph in re.split(r"\n\s*\n|\r\n\s*\r\n", self.body.strip()):
            paragraph = paragraph.strip()
            if not paragraph:
                continue
            match = IMAGE_MARK.fullmatch(paragraph)
            if match and 0 < int(match[1]) <= len(images):
                index = int(match[1]) - 1
                placed.add(index)
                blocks.append(("image", images[index]))
            else:
                blocks.append(("text", paragraph))
        blocks.extend(("image", image) for i, image in enumerate(images) if i not in placed)
        return blocks


IMAGE_MARK = re.compile(r"\[(?:图|[Ii]mage ?)(\d{1,2})\]")


class ArticleImage(models.Model):
    article = models.ForeignKey(
        Article, models.CASCADE, related_name="images", verbose_name=_("article")
    )
    file = models.ImageField(
        _("image"),
        upload_to=image_path,
        validators=[AllowedUpload(IMAGES, IMAGE_MAX_BYTES)],
    )
    caption = models.CharField(_("caption"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    size = models.PositiveIntegerField(_("size"), default=0)
    # Who sent the file: each person's files together are bounded (core.uploads).
    uploaded_by = uploaded_by_field()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self) -> str:
        return self.caption or f"{self.article} #{self.position}"

    def get_absolute_url(self) -> str:
        return reverse("bulletin:image", args=[self.pk])


class ArticleAttachment(Attachment):
    """A document to download (下载专区's forms and notices' attachments)."""

    folder = "bulletin/files"

    article = models.ForeignKey(
        Article, models.CASCADE, related_name="attachments", verbose_name=_("article")
    )

    def get_absolute_url(self) -> str:
        return reverse("bulletin:attachment", args=[self.pk])


class Edition(models.Model):
    """One row: the number of the public site's current edition.

    Cached public pages are keyed by it; every change to what the public sees
    bumps it (to a new random number). It lives in the database, not the cache, because the default
    cache is local to each process: a bump in one gunicorn worker must reach
    the others."""

    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")

    def __str__(self) -> str:
        return str(self.number)

    @classmethod
    def current(cls) -> int:
        return cls.objects.filter(pk=1).values_list("number", flat=True).first() or 0

    @classmethod
    def bump(cls) -> None:
        # A random number, not number + 1: a database restored from a backup,
        # or a rolled-back test, must not meet its old pages again in Redis.
        number = secrets.randbits(62) + 1
        if not cls.objects.filter(pk=1).update(number=number):
            cls.objects.update_or_create(pk=1, defaults={"number": number})


class Mailbox(models.Model):
    """书记信箱, 院长信箱: a public mailbox whose letters go to one person."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    description = models.TextField(_("description"), blank=True)
    person = models.ForeignKey(
        "people.Person",
        models.PROTECT,
        related_name="mailboxes",
        verbose_name=_("routed to"),
        help_text=_("Who reads and answers this mailbox's letters."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("bulletin:write_letter", args=[self.slug])


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Letter(models.Model):
    """A visitor's letter to a mailbox, and its answer."""

    mailbox = models.ForeignKey(
        Mailbox, models.PROTECT, related_name="letters", verbose_name=_("mailbox")
    )
    code = models.CharField(_("query code"), max_length=CODE_LENGTH, unique=True, default=new_code)
    name = models.CharField(_("name"), max_length=30, blank=True)
    contact = models.CharField(_("contact"), max_length=60, blank=True)
    subject = models.CharField(_("subject"), max_length=80)
    body = models.TextField(_("letter"), max_length=3000)
    # A salted hash of the sender's address, for the flood limit only: the
    # address itself is never stored.
    client = models.CharField(_("client"), max_length=64, blank=True, db_index=True)
    # The same for the sender's network (/24 or /64): the minute's limit is
    # counted per network, so that one network cannot close the mailboxes.
    network = models.CharField(_("network"), max_length=64, blank=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), default=clock.now, db_index=True)
    answer = models.TextField(_("answer"), blank=True, max_length=3000)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("bulletin:letter_detail", args=[self.pk])

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
