"""Who sees which notice. A recipient sees a published notice sent to them; its
author, and leaders and admins, see it with its counts and named lists.
Anyone else gets 404: a notice's existence is not revealed.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from .audience import can_write_notices, reaches_everyone
from .models import Attachment, Notice, Receipt


def notices_for_user(user) -> QuerySet[Notice]:
    seen = Q(author_id=user.pk)
    if reaches_everyone(user):
        seen |= Q(status=Notice.Status.PUBLISHED)
    if user.person_id:
        received = Receipt.objects.filter(notice_id=OuterRef("pk"), person_id=user.person_id)
        seen |= Q(Exists(received), status=Notice.Status.PUBLISHED)
    return Notice.objects.filter(seen)


def get_notice_for_user(request, pk: int) -> Notice:
    return get_object_or_404(notices_for_user(request.user).select_related("author__person"), pk=pk)


def can_manage_notice(user, notice: Notice) -> bool:
    """The author and leaders and admins see the counts and named lists and remind."""
    return notice.author_id == user.pk or reaches_everyone(user)


def require_notice_manager(request, notice: Notice) -> None:
    if not can_manage_notice(request.user, notice):
        raise PermissionDenied


def require_notice_author(request, notice: Notice) -> None:
    """Only the author publishes or deletes their draft."""
    if notice.author_id != request.user.pk:
        raise PermissionDenied


def require_notice_writer(request) -> None:
    if not can_write_notices(request.user):
        raise PermissionDenied


def receipt_of(user, notice: Notice) -> Receipt | None:
    if not user.person_id or not notice.is_published:
        return None
    receipt = Receipt.objects.filter(notice=notice, person_id=user.person_id).first()
    if receipt is not None:
        receipt.notice = notice
    return receipt


def get_attachment_for_user(request, notice_pk: int, pk: int) -> Attachment:
    notice = get_notice_for_user(request, notice_pk)
    return get_object_or_404(notice.attachments, pk=pk)
