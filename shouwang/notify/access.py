"""Whose messages a user sees: their own person's, and nobody else's. Not even
leaders or admins read someone else's inbox through the app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from shouwang.accounts.http import AuthedRequest
from shouwang.people.access import overseen_q

from .models import Message, MessageDelivery

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from shouwang.accounts.models import User


def messages_for_user(user: User | AnonymousUser) -> QuerySet[Message]:
    """A person's own inbox, and nobody else's."""
    if not user.is_authenticated or not user.person_id:
        return Message.objects.none()
    return Message.objects.filter(recipient_id=user.person_id)


def get_message_for_user(request: AuthedRequest, pk: int) -> Message:
    return get_object_or_404(messages_for_user(request.user), pk=pk)


def unread_count(user: User | AnonymousUser) -> int:
    """How many of the user's messages are unread (one indexed count)."""
    return messages_for_user(user).filter(read_at__isnull=True).count()


def require_delivery_watcher(request: AuthedRequest) -> None:
    """The outbox shows whom messages were for: leaders (their units') and admins only."""
    if not request.user.oversees:
        raise PermissionDenied


def watched_deliveries(user: User) -> QuerySet[MessageDelivery]:
    """Deliveries on any channel to the people the user oversees."""
    scope = overseen_q(user, "message__recipient__")
    deliveries = MessageDelivery.objects.all()
    return deliveries if scope is None else deliveries.filter(scope)


def undelivered_deliveries(user: User) -> QuerySet[MessageDelivery]:
    """Deliveries not (yet) sent, on any channel, to the people the user oversees."""
    return watched_deliveries(user).exclude(status=MessageDelivery.Status.SENT)


def get_watched_delivery(request: AuthedRequest, pk: int) -> MessageDelivery:
    """A delivery the user may decide on; 404 outside their scope."""
    require_delivery_watcher(request)
    return get_object_or_404(watched_deliveries(request.user), pk=pk)
