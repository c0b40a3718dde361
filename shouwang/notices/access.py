"""Who sees which notice. A recipient sees a published notice sent to them; its
author, admins, and the leaders of the author's unit (and the units above it)
see it with its counts and named lists. Anyone else gets 404: a notice's
existence is not revealed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from shouwang.accounts.http import AuthedRequest
from shouwang.accounts.models import Role
from shouwang.people.models import in_units_q

from .audience import can_write_notices
from .models import Notice, NoticeAttachment, Receipt

if TYPE_CHECKING:
    from shouwang.accounts.models import User


def overseen_notices_q(user: User) -> Q | None:
    """The published notices a user oversees: every one for an admin (None),
    those written by the people of a leader's units, none for anyone else."""
    units = user.reach_unit_ids
    if units is None:
        return None
    if not units or not user.has_role(Role.LEADER):
        return Q(pk__in=[])
    return Q(in_units_q(units, "author__person__"), status=Notice.Status.PUBLISHED)


def notices_for_user(user: User) -> QuerySet[Notice]:
    seen = Q(author_id=user.pk)
    overseen = overseen_notices_q(user)
    seen |= Q(status=Notice.Status.PUBLISHED) if overseen is None else overseen
    if user.person_id:
        received = Receipt.objects.filter(notice_id=OuterRef("pk"), person_id=user.person_id)
        seen |= Q(Exists(received), status=Notice.Status.PUBLISHED)
    return Notice.objects.filter(seen)


def get_notice_for_user(request: AuthedRequest, pk: int) -> Notice:
    return get_object_or_404(notices_for_user(request.user).select_related("author__person"), pk=pk)


def can_manage_notice(user: User, notice: Notice) -> bool:
    """The author, admins and the leaders of the author's units see the counts
    and named lists and remind."""
    if notice.author_id == user.pk:
        return True
    overseen = overseen_notices_q(user)
    return overseen is None or Notice.objects.filter(overseen, pk=notice.pk).exists()


def require_notice_manager(request: AuthedRequest, notice: Notice) -> None:
    if not can_manage_notice(request.user, notice):
        raise PermissionDenied


def require_notice_author(request: AuthedRequest, notice: Notice) -> None:
    """Only the author publishes or deletes their draft."""
    if notice.author_id != request.user.pk:
        raise PermissionDenied


def require_notice_writer(request: AuthedRequest) -> None:
    if not can_write_notices(request.user):
        raise PermissionDenied


def receipt_of(user: User, notice: Notice) -> Receipt | None:
    if not user.person_id or not notice.is_published:
        return None
    receipt = Receipt.objects.filter(notice=notice, person_id=user.person_id).first()
    if receipt is not None:
        receipt.notice = notice
    return receipt


def get_attachment_for_user(request: AuthedRequest, notice_pk: int, pk: int) -> NoticeAttachment:
    notice = get_notice_for_user(request, notice_pk)
    return get_object_or_404(notice.attachments, pk=pk)
