from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouwang.accounts.http import AuthedRequest
from shouwang.bulletin.access import get_letter_for_user
from shouwang.core import audit
from shouwang.core.forms import first_error
from shouwang.lib import clock
from shouwang.people.models import Person

from . import actions
from .access import (
    get_request_for_user,
    get_task_for_user,
    handled_for_user,
    is_handling_side,
    requests_for_user,
    require_handling_side,
    require_overview,
    require_requester,
    tasks_for_user,
)
from .audit import HelpdeskEvent
from .forms import (
    HandledFilterForm,
    LetterForm,
    ReassignForm,
    ReopenForm,
    ReplyForm,
    RequestForm,
    StatusForm,
    TaskForm,
)
from .models import HelpRequest
from .queries import overdue_q
from .queries import overview as compute_overview

# The requests one handles, open or overdue (?state=), a page at a time.
HANDLED_PER_PAGE = 100


def _person(request: AuthedRequest) -> Person:
    if not request.user.person_id:
        raise PermissionDenied
    return request.user.person  # type: ignore[return-value]  # person_id is set


@login_required
@require_GET
def request_list(request: AuthedRequest) -> HttpResponse:
    person_id = request.user.person_id
    mine = HelpRequest.objects.filter(requester_id=person_id).order_by("-created_at")
    handled = handled_for_user(request.user).select_related("requester__admin_class", "handler")
    form = HandledFilterForm(request.GET)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    if state:
        # Only the requests in that state, every one of them: the list a count leads to.
        now = clock.now()
        in_state = overdue_q(now) if state == "overdue" else Q(status__in=HelpRequest.OPEN)
        chosen = handled.filter(in_state)
        page = Paginator(chosen.order_by("created_at", "pk"), HANDLED_PER_PAGE).get_page(
            request.GET.get("page")
        )
        context = {"state": state, "page": page, "now": now}
        return render(request, "helpdesk/request_list.html", context)
    context = {
        "mine": mine if person_id else [],
        "open": handled.filter(status__in=HelpRequest.OPEN).order_by("created_at")[:100],
        "recent": handled.exclude(status__in=HelpRequest.OPEN).order_by("-created_at")[:30],
        "tasks": tasks_for_user(request.user).filter(done_at__isnull=True),
        "now": clock.now(),
    }
    return render(request, "helpdesk/request_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: AuthedRequest) -> HttpResponse:
    person = _person(request)
    form = RequestForm(request.POST or None, request.FILES or None)
    similar = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        similar = actions.similar_open(person, data["category"])
        if not similar or data["still_submit"]:
            try:
                help_request = actions.submit(
                    requester=person,
                    category=data["category"],
                    urgency=data["urgency"],
                    description=data["description"],
                    files=data["attachments"],
                    acting_user=request.user,
                )
            except ValidationError as exc:
                form.add_error("attachments", exc)
            else:
                messages.success(request, _("Your request is submitted."))
                return redirect("helpdesk:request_detail", help_request.pk)
    context = {"form": form, "similar": similar, "open_mine": _open_mine(person)}
    return render(request, "helpdesk/request_form.html", context)


def _open_mine(person: Person) -> QuerySet[HelpRequest]:
    return HelpRequest.objects.filter(requester=person, status__in=HelpRequest.OPEN).order_by(
        "-created_at"
    )


@login_required
@require_GET
def request_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    help_request = get_request_for_user(request, pk)
    staff = is_handling_side(request.user, help_request)
    if help_request.is_sensitive and staff:
        audit.record(
            HelpdeskEvent.REQUEST_VIEWED, help_request, acting_user=request.user, request=request
        )
    events = help_request.events.select_related("actor")
    if not staff:
        events = events.filter(internal=False)
    context = {
        "help_request": help_request,
        "staff": staff,
        "events": events,
        "attachments": help_request.attachments.all(),
        "tasks": help_request.tasks.select_related("assignee") if staff else [],
        "reply_form": ReplyForm(),
        "status_form": StatusForm(),
        "reopen_form": ReopenForm(),
        "reassign_form": ReassignForm(),
        "task_form": TaskForm(),
        "overdue": help_request.is_overdue(),
    }
    return render(request, "helpdesk/request_detail.html", context)


def _may_move(request: AuthedRequest, help_request: HelpRequest) -> None:
    require_handling_side(request, help_request)
    # The request is in the user's scope already: a leader moves their units' requests.
    if not (request.user.oversees or help_request.handler_id == request.user.person_id):
        raise PermissionDenied


@login_required
@require_POST
def request_claim(request: AuthedRequest, pk: int) -> HttpResponse:
    help_request = get_request_for_user(request, pk)
    require_handling_side(request, help_request)
    _person(request)
    try:
        actions.claim(help_request, acting_user=request.user)
        messages.success(request, _("The request is yours."))
    except actions.AlreadyTaken:
        messages.error(request, _("Someone has already taken this request."))
    return redirect("helpdesk:request_detail", pk)


@login_required
@require_POST
def request_reply(request: AuthedRequest, pk: int) -> HttpResponse:
    help_request = get_request_for_user(request, pk)
    _person(request)
    form = ReplyForm(request.POST)
    if form.is_valid():
        internal = form.cleaned_data["internal"] and is_handling_side(request.user, help_request)
        actions.reply(
            help_request, form.cleaned_data["text"], internal=internal, acting_user=request.user
        )
    else:
        messages.error(request, first_error(form))
    return redirect("helpdesk:request_detail", pk)


@login_required
@require_POST
def request_status(request: AuthedRequest, pk: int) -> HttpResponse:
    help_request = get_request_for_user(request, pk)
    _may_move(request, help_request)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("helpdesk:request_detail", pk)
    try:
        actions.change_status(
            help_request,
            form.cleaned_data["status"],
            form.cleaned_data["text"],
            acting_user=request.user,
        )
    except actions.WrongStatus:
        messages.error(request, _("The request cannot move to that status now."))
    return redirect("helpdesk:request_detail", pk)


@login_required
@require_POST
def request_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    help_request = get_request_for_user(request, pk)
    require_requester(request, help_request)
    try:
        actions.confirm(help_request, acting_user=request.user)
        messages.success(request, _("Thank you: the request is closed as solved."))
    except actions.WrongStatus:
        messages.error(request, _("There is no resolution to confirm."))
    return redirect("helpdesk:request_detail", pk)


@login_required
@require_POST
def request_reopen(request: AuthedRequest, pk: int) -> HttpResponse:
    help_request = get_request_for_user(request, pk)
    require_requester(request, help_request)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("helpdesk:request_detail", pk)
    try:
        actions.reopen(help_request, form.cleaned_data["text"], acting_user=request.user)
        messages.success(request, _("The request is reopened and back with its handler."))
    except actions.WrongStatus:
        messages.error(request, _("There is no resolution to reopen."))
    return redirect("helpdesk:request_detail", pk)


@login_required
@require_POST
def request_reassign(request: AuthedRequest, pk: int) -> HttpResponse:
    help_request = get_request_for_user(request, pk)
    _may_move(request, help_request)
    form = ReassignForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("helpdesk:request_detail", pk)
    try:
        actions.reassign(
            help_request,
            form.cleaned_data["number"],
            form.cleaned_data["text"],
            acting_user=request.user,
        )
        messages.success(request, _("The request has a new handler."))
    except actions.WrongStatus:
        messages.error(request, _("Only an open request can be passed on."))
    return redirect("helpdesk:request_detail", pk)


@login_required
@require_POST
def task_new(request: AuthedRequest, pk: int) -> HttpResponse:
    help_request = get_request_for_user(request, pk)
    _may_move(request, help_request)
    form = TaskForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        actions.add_task(
            help_request,
            assignee=data["number"],
            what=data["what"],
            where=data["where"],
            acting_user=request.user,
        )
        messages.success(request, _("The task is sent."))
    else:
        messages.error(request, first_error(form))
    return redirect("helpdesk:request_detail", pk)


@login_required
@require_GET
def task_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    task = get_task_for_user(request, pk)
    return render(request, "helpdesk/task_detail.html", {"task": task})


@login_required
@require_POST
def task_done(request: AuthedRequest, pk: int) -> HttpResponse:
    task = get_task_for_user(request, pk)
    try:
        actions.finish_task(task, acting_user=request.user)
        messages.success(request, _("Thank you: the task is done."))
    except actions.WrongStatus:
        messages.info(request, _("This task was already done."))
    return redirect("helpdesk:task_detail", pk)


@login_required
@require_GET
def overview(request: AuthedRequest) -> HttpResponse:
    require_overview(request)
    scope = requests_for_user(request.user)
    figures = compute_overview(scope, clock.now())
    return render(request, "helpdesk/overview.html", {"o": figures})


@login_required
@require_GET
def attachment(request: AuthedRequest, pk: int, file_pk: int) -> FileResponse:
    """Attachments are served to those who may see the request, never from a public URL."""
    help_request = get_request_for_user(request, pk)
    file = get_object_or_404(help_request.attachments, pk=file_pk)
    if help_request.is_sensitive and is_handling_side(request.user, help_request):
        audit.record(
            HelpdeskEvent.ATTACHMENT_DOWNLOADED,
            help_request,
            acting_user=request.user,
            request=request,
        )
    return file.download()


@login_required
@require_POST
def from_letter(request: AuthedRequest, pk: int) -> HttpResponse:
    letter = get_letter_for_user(request, pk)
    _person(request)
    form = LetterForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(letter)
    data = form.cleaned_data
    help_request = actions.from_letter(
        letter,
        category=data["category"],
        urgency=data["urgency"],
        requester=data["number"],
        acting_user=request.user,
    )
    messages.success(request, _("The letter is now a help request."))
    return redirect("helpdesk:request_detail", help_request.pk)
