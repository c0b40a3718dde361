"""Bulletin workflows: write, publish and unpublish articles, their images
and attachments; send and answer letters.

Each is atomic and audited. Whatever changes what the public sees bumps the
`Edition`, in the same transaction: the cached public pages are keyed by it
(`bulletin.pages` says why that is enough).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from shouwang.core import audit, uploads
from shouwang.lib import clock
from shouwang.lib.client import client_network
from shouwang.lib.images import clean_image
from shouwang.notify import actions as notify

from .audit import BulletinEvent
from .message_kinds import LETTER
from .models import Article, ArticleAttachment, ArticleImage, Edition, Letter, Mailbox, Section

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from shouwang.accounts.models import User

ARTICLE_FIELDS = ("section", "title", "body", "source")


class Throttled(Exception):
    """Too many letters: from this client in the last hour, or from everyone in the last minute."""


def _touched(article: Article, was_public: bool) -> None:
    if was_public or article.is_public or article.is_scheduled:
        Edition.bump()


def section(slug: str, name: str, *, position: int = 0) -> Section:
    """The site's section `slug` (or the one called `name`), made if the site
    has none yet: where an app puts what it publishes (通知公告, 评选公示)."""
    found = Section.objects.filter(slug=slug).first() or Section.objects.filter(name=name).first()
    if found is None:
        found = Section.objects.create(name=name, slug=slug, position=position)
    return found


@transaction.atomic
def save_article(
    article: Article | None,
    *,
    cover: UploadedFile | None = None,
    acting_user: User,
    request: HttpRequest | None = None,
    **fields: Any,
) -> Article:
    """Create an article (a draft) or change one; `cover` replaces its cover image."""
    creating = article is None
    if article is None:
        article = Article(author=acting_user)
    was_public = not creating and article.is_public
    for name in ARTICLE_FIELDS:
        if name in fields:
            setattr(article, name, fields[name])
    if cover is not None:
        article.cover.save(cover.name, clean_image(cover), save=False)
    article.changed_at = clock.now()
    article.save()
    audit.record(
        BulletinEvent.ARTICLE_CREATED if creating else BulletinEvent.ARTICLE_CHANGED,
        article,
        acting_user=acting_user,
        request=request,
        cover=cover is not None,
    )
    _touched(article, was_public)
    return article


@transaction.atomic
def publish_article(
    article: Article,
    *,
    published_at: dt.datetime | None = None,
    acting_user: User,
    request: HttpRequest | None = None,
) -> Article:
    """Publish now, or at `published_at` (a future time schedules it)."""
    article.status = Article.Status.PUBLISHED
    article.published_at = published_at or clock.now()
    article.changed_at = clock.now()
    article.save(update_fields=["status", "published_at", "changed_at"])
    audit.record(
        BulletinEvent.ARTICLE_PUBLISHED,
        article,
        acting_user=acting_user,
        request=request,
        at=article.published_at.isoformat(),
    )
    Edition.bump()
    return article


@transaction.atomic
def unpublish_article(
    article: Article, *, acting_user: User, request: HttpRequest | None = None
) -> Article:
    """Take an article off the public site: it is a draft again."""
    article.status = Article.Status.DRAFT
    article.published_at = None
    article.changed_at = clock.now()
    article.save(update_fields=["status", "published_at", "changed_at"])
    audit.record(
        BulletinEvent.ARTICLE_UNPUBLISHED, article, acting_user=acting_user, request=request
    )
    Edition.bump()
    return article


@transaction.atomic
def add_image(
    article: Article,
    *,
    file: UploadedFile,
    caption: str = "",
    acting_user: User,
    request: HttpRequest | None = None,
) -> ArticleImage:
    """Attach a photo, stripped of its metadata and scaled down.

    Raises ValidationError for an unreadable image or one past the sender's quota."""
    clean = clean_image(file)
    uploads.reserve(acting_user, [clean])
    position = article.images.count() + 1
    image = ArticleImage(
        article=article,
        caption=caption,
        position=position,
        size=clean.size,
        uploaded_by=acting_user,
    )
    image.file.save(clean.name, clean, save=False)
    image.save()
    audit.record(
        BulletinEvent.IMAGE_ADDED, article, acting_user=acting_user, request=request, image=image.pk
    )
    _touched(article, article.is_public)
    return image


@transaction.atomic
def add_attachment(
    article: Article, *, file: UploadedFile, acting_user: User, request: HttpRequest | None = None
) -> ArticleAttachment:
    """Attach a document; a photo among them loses its metadata.

    Raises ValidationError for an unreadable image or one past the sender's quota."""
    [attachment] = ArticleAttachment.store([file], uploaded_by=acting_user, article=article)
    audit.record(
        BulletinEvent.ATTACHMENT_ADDED,
        article,
        acting_user=acting_user,
        request=request,
        attachment=attachment.pk,
    )
    _touched(article, article.is_public)
    return attachment


@transaction.atomic
def remove_file(
    item: ArticleImage | ArticleAttachment, *, acting_user: User, request: HttpRequest | None = None
) -> None:
    """Remove an image or an attachment, and its file once the removal commits."""
    article = item.article
    storage, name = item.file.storage, item.file.name
    audit.record(
        BulletinEvent.FILE_REMOVED,
        article,
        acting_user=acting_user,
        request=request,
        name=str(item),
    )
    item.delete()
    transaction.on_commit(lambda: storage.delete(name))
    _touched(article, article.is_public)


def count_view(pk: int) -> int | None:
    """Add one to a public article's 阅读数 and return it; None if it is not public.

    One UPDATE with F(): two readers at once both count, whatever the cache
    served them."""
    if not Article.objects.public().filter(pk=pk).update(views=F("views") + 1):
        return None
    return Article.objects.filter(pk=pk).values_list("views", flat=True).first()


def client_key(ip: str | None) -> str:
    """A salted hash of a client's address: enough to count its letters, not to find it."""
    return salted_hmac("shouwang.bulletin.letter-client", ip or "unknown").hexdigest()


def network_key(ip: str | None) -> str:
    """A salted hash of the /24 or /64 network a client's address belongs to."""
    return salted_hmac("shouwang.bulletin.letter-network", client_network(ip)).hexdigest()


@transaction.atomic
def send_letter(
    mailbox: Mailbox,
    *,
    subject: str,
    body: str,
    name: str = "",
    contact: str = "",
    client: str,
    network: str = "",
) -> Letter:
    """Store a visitor's letter and tell the mailbox's person; `Throttled` in a flood.

    `client` and `network` are `client_key()` and `network_key()` of the
    sender's address. The minute's limit counts letters per network, not from
    everyone: a flood from addresses rotated within one network (a /24, a
    /64) fills its own network's share and leaves the mailboxes open to the
    rest. The limits are counted in the database, not the cache: the default
    cache is per process and would let each web worker take its own share.
    Locking the mailboxes' rows makes concurrent letters count one after
    another."""
    list(Mailbox.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    now = clock.now()
    recent = Letter.objects.filter(sent_at__gt=now - dt.timedelta(hours=1), client=client)
    if recent.count() >= settings.LETTERS_PER_CLIENT_PER_HOUR:
        raise Throttled
    if (
        Letter.objects.filter(sent_at__gt=now - dt.timedelta(minutes=1), network=network).count()
        >= settings.LETTERS_PER_MINUTE
    ):
        raise Throttled
    letter = Letter.objects.create(
        mailbox=mailbox,
        subject=subject,
        body=body,
        name=name,
        contact=contact,
        client=client,
        network=network,
        sent_at=now,
    )
    notify.send(
        [mailbox.person],
        LETTER,
        _("A new letter to %(mailbox)s: %(subject)s") % {"mailbox": mailbox, "subject": subject},
        link=reverse("bulletin:letter_detail", args=[letter.pk]),
    )
    return letter


def forget_letter_clients() -> int:
    """Blank the client hash of letters past the flood limit's hour: it has no
    other use, and kept it would tie a sender's letters together."""
    cutoff = clock.now() - dt.timedelta(hours=1)
    return (
        Letter.objects.filter(sent_at__lt=cutoff)
        .exclude(client="", network="")
        .update(client="", network="")
    )


@transaction.atomic
def answer_letter(
    letter: Letter, *, answer: str, acting_user: User, request: HttpRequest | None = None
) -> Letter:
    """Answer a letter (or change the answer): the visitor reads it with their code."""
    letter.answer = answer
    letter.answered_at = clock.now()
    letter.answered_by = acting_user
    letter.save(update_fields=["answer", "answered_at", "answered_by"])
    audit.record(BulletinEvent.LETTER_ANSWERED, letter, acting_user=acting_user, request=request)
    return letter
