"""The pass and the return: the holder's pass with its QR code, the gate
keeper's scan of it, the return reported and confirmed where no gate scans,
and those not back in time."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shouwang.accounts.http import AuthedRequest
from shouwang.core import audit
from shouwang.lib import clock

from . import actions
from .access import follows_leave, get_request_for_user, keeps_gate, may_confirm_back
from .audit import LeaveEvent
from .forms_pass import PassageForm
from .models import LeaveRequest
from .overdue import overdue_for_user
from .pass_codes import CodeError, leave_pk_from, qr_of, scan_url, scanned_pk
from .templatetags.leave_tags import passage_of


@login_required
@require_GET
def pass_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """The holder's pass, large, with a QR code it renews before it expires."""
    leave = get_request_for_user(request, pk)
    passage = passage_of(leave, request.user)
    context = {
        "leave": leave,
        "passage": passage,
        # Renewed at half its age: a code shown is never about to expire.
        "renew_every": max(settings.LEAVE_PASS_MAX_AGE // 2, 5),
        "qr": qr_of(scan_url(request, leave)) if passage.shows_code else "",
    }
    if request.htmx:
        return render(request, "leave/pass.html#code", context)
    return render(request, "leave/pass.html", context)


def require_gate_keeper(request: AuthedRequest) -> None:
    if not keeps_gate(request.user):
        raise PermissionDenied


def _scan_answer(request: AuthedRequest, token: str) -> tuple[dict[str, object], int]:
    """What the gate keeper is shown of a scanned code, audited: the holder's
    name and kind of leave, valid or not and why, and what a scan records."""
    try:
        pk: int | None = leave_pk_from(token)
        code_error = ""
    except CodeError as error:
        pk, code_error = scanned_pk(token), str(error)
    leave = (
        LeaveRequest.objects.select_related("person", "kind").filter(pk=pk).first()
        if pk is not None
        else None
    )
    if leave is None:
        code_error = code_error or _("This pass is not valid: its leave no longer exists.")
        refusal = code_error
    else:
        refusal = code_error or actions.gate_refusal(leave, clock.now())
    audit.record(
        LeaveEvent.PASS_SCANNED,
        leave if leave is not None else request.user,
        acting_user=request.user,
        valid=not refusal,
        reason=refusal,
    )
    context: dict[str, object] = {
        "leave": leave,
        "token": token,
        "refusal": refusal,
        "passage": passage_of(leave, request.user) if leave is not None else None,
    }
    if not refusal and leave is not None:
        context["form"] = PassageForm(initial={"event": actions.gate_event(leave)})
    return context, 400 if code_error else 200


@login_required
@require_GET
def scan(request: AuthedRequest, token: str) -> HttpResponse:
    require_gate_keeper(request)
    context, status = _scan_answer(request, token)
    return render(request, "leave/scan.html", context, status=status)


@login_required
@require_POST
def scan_record(request: AuthedRequest, token: str) -> HttpResponse:
    """Record the exit or the return the scan showed. The answer is rendered,
    not redirected to: sent twice (a double tap, a reload), the form's
    expected passage makes the second refused rather than a return recorded
    a second after the exit."""
    require_gate_keeper(request)
    form = PassageForm(request.POST)
    try:
        pk = leave_pk_from(token)
    except CodeError as error:
        return render(request, "leave/scan.html", {"refusal": str(error)}, status=400)
    leave = LeaveRequest.objects.select_related("person", "kind").filter(pk=pk).first()
    if leave is None or not form.is_valid():
        return redirect("leave:scan", token)
    try:
        event = actions.pass_gate(
            leave, acting_user=request.user, expected=form.cleaned_data["event"]
        )
    except ValidationError as error:
        return render(
            request, "leave/scan.html", {"leave": leave, "refusal": error.messages[0]}, status=409
        )
    leave.refresh_from_db()
    context = {"leave": leave, "recorded": event, "passage": passage_of(leave, request.user)}
    return render(request, "leave/scan.html", context)


@login_required
@require_POST
def report_back(request: AuthedRequest, pk: int) -> HttpResponse:
    """销假: the holder says they are back where no gate scanned them."""
    leave = get_request_for_user(request, pk)
    if leave.person_id != request.user.person_id:
        raise PermissionDenied
    try:
        actions.report_back(leave, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Reported back. Your counsellor will confirm it."))
    return redirect(leave)


@login_required
@require_POST
def confirm_back(request: AuthedRequest, pk: int) -> HttpResponse:
    leave = get_request_for_user(request, pk)
    if not may_confirm_back(request.user, leave):
        raise PermissionDenied
    try:
        actions.confirm_back(leave, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Return confirmed: %(name)s.") % {"name": leave.person.name})
    return redirect(leave)


@login_required
@require_GET
def overdue(request: AuthedRequest) -> HttpResponse:
    """Those not back from leave in time, whom the user follows (audited: it
    names where people are)."""
    if not follows_leave(request.user):
        raise PermissionDenied
    now = clock.now()
    leaves = list(
        overdue_for_user(request.user, now)
        .select_related("person__admin_class", "kind")
        .order_by("ends_at", "pk")
    )
    if leaves:
        audit.record_many(
            LeaveEvent.OVERDUE_LISTED, [(leave, {}) for leave in leaves], acting_user=request.user
        )
    return render(
        request,
        "leave/overdue.html",
        {"leaves": leaves, "now": now},
    )
