from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from shouwang.accounts.http import AuthedRequest

from .access import (
    get_message_for_user,
    messages_for_user,
    require_delivery_watcher,
    undelivered_deliveries,
)
from .actions import mark_all_read as mark_all_read_action

PAGE_SIZE = 30
NEWEST_FAILURES = 20


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
    context = {"counts": sorted(counts.items()), "failures": failures}
    return render(request, "notify/undelivered.html", context)
