"""Who sees what on the bulletin.

The public pages show public articles only (`Article.objects.public()`), to
everyone alike. The writers' desk is for leaders, admins and counsellors
(counsellors run the League's news): it does not exist for anyone else (404).
Writers share one desk: each may edit any article, and each change is audited.
A letter is for the person its mailbox routes to and for admins; anyone else
gets 404, like any row outside their scope.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from shouwang.accounts.http import AuthedRequest
from shouwang.accounts.models import Role

from .models import Article, ArticleAttachment, ArticleImage, Letter, Mailbox

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from shouwang.accounts.models import User


def can_write_articles(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.has_role(Role.COUNSELLOR, Role.LEADER, Role.ADMIN)


def require_writer(request: AuthedRequest) -> None:
    if not can_write_articles(request.user):
        raise Http404


def get_public_article(pk: int) -> Article:
    return get_object_or_404(Article.objects.public().select_related("section"), pk=pk)


def get_article_for_user(request: AuthedRequest, pk: int) -> Article:
    """Any article, drafts included, for a writer; 404 for everyone else."""
    require_writer(request)
    return get_object_or_404(Article.objects.select_related("section", "author__person"), pk=pk)


def _file_visible(request: HttpRequest, article_id: int) -> bool:
    if Article.objects.public().filter(pk=article_id).exists():
        return True
    # A writer previews a draft's images before publishing it.
    return can_write_articles(request.user)


def get_image_for_user(request: HttpRequest, pk: int) -> ArticleImage:
    image = get_object_or_404(ArticleImage, pk=pk)
    if not _file_visible(request, image.article_id):
        raise Http404
    return image


def get_cover_for_user(request: HttpRequest, pk: int) -> Article:
    article = get_object_or_404(Article.objects.exclude(cover=""), pk=pk)
    if not _file_visible(request, article.pk):
        raise Http404
    return article


def get_attachment_for_user(request: HttpRequest, pk: int) -> ArticleAttachment:
    attachment = get_object_or_404(ArticleAttachment, pk=pk)
    if not _file_visible(request, attachment.article_id):
        raise Http404
    return attachment


def letters_for_user(user: User) -> QuerySet[Letter]:
    if not user.is_authenticated:
        return Letter.objects.none()
    if user.has_role(Role.ADMIN):
        return Letter.objects.all()
    if user.person_id is None:
        return Letter.objects.none()
    return Letter.objects.filter(mailbox__person_id=user.person_id)


def mailboxes_for_user(user: User) -> QuerySet[Mailbox]:
    if user.has_role(Role.ADMIN):
        return Mailbox.objects.all()
    return (
        Mailbox.objects.filter(person_id=user.person_id)
        if user.person_id
        else Mailbox.objects.none()
    )


def require_letter_reader(request: AuthedRequest) -> None:
    """The letters page exists for admins and for people a mailbox routes to."""
    if not mailboxes_for_user(request.user).exists():
        raise Http404


def get_letter_for_user(request: AuthedRequest, pk: int) -> Letter:
    return get_object_or_404(
        letters_for_user(request.user).select_related("mailbox__person", "answered_by__person"),
        pk=pk,
    )


def get_letter_by_code(code: str) -> Letter:
    """The letter whose query code this is: the code is the visitor's only key."""
    return get_object_or_404(Letter.objects.select_related("mailbox"), code=code.strip().upper())
