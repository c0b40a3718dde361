from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouwang.accounts.http import AuthedRequest
from shouwang.lib import clock
from shouwang.people.models import AdminClass

from . import actions
from .access import (
    can_manage_notice,
    get_attachment_for_user,
    get_notice_for_user,
    receipt_of,
    require_notice_author,
    require_notice_manager,
    require_notice_writer,
)
from .audience import Audience, can_write_notices
from .forms import NoticeForm
from .models import Notice, Receipt
from .queries import progress_by_class

PAGE_SIZE = 30
OUTSTANDING_PAGE_SIZE = 100


@login_required
@require_GET
def notice_list(request: AuthedRequest) -> HttpResponse:
    """The notices a person received, newest first, those waiting for them marked;
    for writers, the notices they wrote with their counts."""
    received = Receipt.objects.none()
    if request.user.person_id:
        received = (
            Receipt.objects.filter(
                person_id=request.user.person_id, notice__status=Notice.Status.PUBLISHED
            )
            .select_related("notice")
            .order_by("-notice__published_at", "-notice_id")
        )
    page = Paginator(received, PAGE_SIZE).get_page(request.GET.get("page"))
    written = None
    if can_write_notices(request.user):
        written = Notice.objects.filter(author=request.user).annotate(
            recipients=Count("receipts"),
            acknowledged=Count("receipts", filter=Q(receipts__acknowledged_at__isnull=False)),
            read=Count("receipts", filter=Q(receipts__read_at__isnull=False)),
        )[:PAGE_SIZE]
    return render(request, "notices/notice_list.html", {"page": page, "written": written})


@login_required
@require_http_methods(["GET", "POST"])
def notice_new(request: AuthedRequest) -> HttpResponse:
    require_notice_writer(request)
    form = NoticeForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = actions.write_notice(
                title=data["title"],
                body=data["body"],
                audience=form.audience(),
                requires_acknowledgement=data["requires_acknowledgement"],
                deadline=data["deadline"],
                files=data["attachments"],
                acting_user=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error("attachments", exc)
        else:
            messages.info(request, _("The draft is saved. Check who it reaches, then publish it."))
            return redirect(notice)
    return render(request, "notices/notice_form.html", {"form": form})


@login_required
@require_GET
def notice_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    notice = get_notice_for_user(request, pk)
    receipt = receipt_of(request.user, notice)
    if receipt is not None and receipt.read_at is None:
        actions.read(notice, receipt.person_id)
        receipt.read_at = clock.now()
    context: dict = {
        "notice": notice,
        "receipt": receipt,
        "attachments": notice.attachments.all(),
        "can_manage": can_manage_notice(request.user, notice),
    }
    if context["can_manage"]:
        context["audience"] = Audience.from_json(notice.audience).describe()
        if notice.is_published:
            context.update(_progress(notice))
        else:
            context["would_reach"] = actions.recipients_of(notice).count()
    return render(request, "notices/notice_detail.html", context)


def _progress(notice: Notice) -> dict:
    return {
        "tallies": notice.tallies(),
        "by_class": progress_by_class(notice),
        "reminders": notice.reminders.select_related("sent_by__person")[:10],
    }


@login_required
@require_GET
def notice_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    """The counts alone, for the page to refresh in place."""
    notice = get_notice_for_user(request, pk)
    require_notice_manager(request, notice)
    if not notice.is_published:
        raise Http404
    context = {"notice": notice, **_progress(notice)}
    return render(request, "notices/notice_detail.html#progress", context)


@login_required
@require_POST
def notice_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    notice = get_notice_for_user(request, pk)
    require_notice_author(request, notice)
    try:
        count = actions.publish(notice, acting_user=request.user, request=request)
    except actions.AlreadyPublished:
        messages.info(request, _("This notice was already published."))
    except actions.NobodyInAudience:
        messages.error(request, _("Nobody is in this audience: the notice was not published."))
    else:
        messages.success(
            request,
            ngettext("Published to %(count)d person.", "Published to %(count)d people.", count)
            % {"count": count},
        )
    return redirect(notice)


@login_required
@require_POST
def notice_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    notice = get_notice_for_user(request, pk)
    require_notice_author(request, notice)
    if notice.is_published:
        messages.warning(request, _("A published notice cannot be deleted."))
        return redirect(notice)
    notice.delete()
    messages.success(request, _("The draft is deleted."))
    return redirect("notices:notice_list")


@login_required
@require_POST
def notice_acknowledge(request: AuthedRequest, pk: int) -> HttpResponse:
    notice = get_notice_for_user(request, pk)
    if receipt_of(request.user, notice) is None:
        raise Http404
    receipt = actions.acknowledge(notice, request.user.person_id)  # type: ignore[arg-type]  # a receipt is a person's
    if request.htmx:
        return render(request, "notices/notice_detail.html#acknowledgement", {"receipt": receipt})
    return redirect(notice)


@login_required
@require_GET
def notice_outstanding(request: AuthedRequest, pk: int) -> HttpResponse:
    """The named list of recipients who have not acknowledged (or not read), by class."""
    notice = get_notice_for_user(request, pk)
    require_notice_manager(request, notice)
    rows = actions.outstanding(notice).select_related("person__admin_class", "person__unit")
    admin_class = None
    if request.GET.get("class"):
        admin_class = get_object_or_404(AdminClass, pk=request.GET["class"])
        rows = rows.filter(person__admin_class=admin_class)
    rows = rows.order_by("person__admin_class__name", "person__number")
    page = Paginator(rows, OUTSTANDING_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"notice": notice, "page": page, "admin_class": admin_class}
    return render(request, "notices/notice_outstanding.html", context)


@login_required
@require_POST
def notice_remind(request: AuthedRequest, pk: int) -> HttpResponse:
    notice = get_notice_for_user(request, pk)
    require_notice_manager(request, notice)
    if not notice.is_published:
        raise Http404
    if not actions.outstanding(notice).exists():
        messages.info(request, _("Nobody is outstanding: there is nobody to remind."))
        return redirect(notice)
    try:
        reminder = actions.remind(notice, acting_user=request.user, request=request)
    except actions.RemindedRecently as error:
        messages.warning(
            request,
            _("A reminder already went out at %(time)s; wait a few minutes before the next.")
            % {"time": time_format(timezone.localtime(error.reminder.sent_at), "H:i")},
        )
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d person is being reminded.",
                "%(count)d people are being reminded.",
                reminder.recipients,
            )
            % {"count": reminder.recipients},
        )
    return redirect(notice)


@login_required
@require_GET
def attachment(request: AuthedRequest, pk: int, file_pk: int) -> FileResponse:
    """Attachments are served to those who may see the notice, never from a public URL."""
    return get_attachment_for_user(request, pk, file_pk).download()
