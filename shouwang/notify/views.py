from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shouwang.accounts.http import AuthedRequest

from .access import (
    get_message_for_user,
    get_watched_delivery,
    messages_for_user,
    require_delivery_watcher,
    undelivered_deliveries,
)
from .actions import mark_all_read as mark_all_read_action
from .actions import mark_delivered, resend_unknown
from .models import MessageDelivery

PAGE_SIZE = 30
NEWEST_FAILURES = 20
# Deliveries of unknown outcome listed, newest first, each with its actions.
UNKNOWN_SHOWN = 100


@login_required
@require_GET
def inbox(request: AuthedRequest) -> HttpResponse:
    # Newest first, unread ones marked: a reminder matters on its day, and a
    # list that reorders itself as things are read loses the reader's place.
    messages = messages_for_user(request.user).only(
        "pk", "kind", "title", "link", "created_at", "read_at"
    )
    page = Paginator(messages, PAGE_SIZE).get_page(request.GET.get("page"))
    unread = messages_for_user(request.user).filter(read_at__isnull=True).exists()
    return render(request, "notify/inbox.html", {"page": page, "has_unread": unread})


@login_required
@require_GET
def message_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    message = get_message_for_user(request, pk)
    message.mark_read()
    return render(request, "notify/message_detail.html", {"message": message})


@login_required
@require_POST
def mark_all_read(request: AuthedRequest) -> HttpResponse:
    mark_all_read_action(request.user.person_id)
    return redirect("notify:inbox")


@login_required
@require_GET
def undelivered(request: AuthedRequest) -> HttpResponse:
    require_delivery_watcher(request)
    undelivered = undelivered_deliveries(request.user)
    counts: dict[str, dict[str, int]] = {}
    for row in undelivered.values("channel", "status").annotate(n=Count("pk")).order_by():
        counts.setdefault(row["channel"], {})[row["status"]] = row["n"]
    failures = (
        undelivered.exclude(last_error="")
        .select_related("message__recipient")
        .order_by("-last_attempt_at", "-pk")[:NEWEST_FAILURES]
    )
    unknown = MessageDelivery.Status.UNKNOWN
    if any(unknown in by_status for by_status in counts.values()):
        undecided = (
            undelivered.filter(status=unknown)
            .select_related("message__recipient")
            .order_by("-last_attempt_at", "-pk")[:UNKNOWN_SHOWN]
        )
    else:
        undecided = MessageDelivery.objects.none()
    context = {"counts": sorted(counts.items()), "failures": failures, "unknown": undecided}
    return render(request, "notify/undelivered.html", context)


@login_required
@require_POST
def undelivered_resend(request: AuthedRequest, pk: int) -> HttpResponse:
    delivery = get_watched_delivery(request, pk)
    if resend_unknown(delivery, acting_user=request.user, request=request):
        messages.success(request, _("The message will be sent again."))
    else:
        messages.info(request, _("Someone has already decided about this delivery."))
    return redirect("notify:undelivered")


@login_required
@require_POST
def undelivered_mark_delivered(request: AuthedRequest, pk: int) -> HttpResponse:
    delivery = get_watched_delivery(request, pk)
    if mark_delivered(delivery, acting_user=request.user, request=request):
        messages.success(request, _("The delivery is recorded as delivered."))
    else:
        messages.info(request, _("Someone has already decided about this delivery."))
    return redirect("notify:undelivered")
