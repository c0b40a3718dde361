"""Supply requests: ask, decide, issue on a slip, and confirm received (by the
slip's QR code, by a button, or with a meal); a help request for supplies
turned into a supply request."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouwang.accounts.http import AuthedRequest
from shouwang.core.forms import first_error
from shouwang.helpdesk.access import get_request_for_user as get_help_request_for_user
from shouwang.lib.signed_codes import CodeError
from shouwang.people.models import Person
from shouwang.volunteers.models import Membership

from . import actions
from .access import (
    decides,
    get_request_for_user,
    get_slip_for_user,
    requests_decided_by,
    requests_for_user,
    require_decider,
    sees_help_request,
    turns_into_supply_request,
)
from .forms_requests import (
    ConfirmForm,
    DecideForm,
    HelpRequestForm,
    IssueForm,
    RequestForm,
    line_formset,
)
from .models import IssueSlip, SupplyRequest
from .slips import (
    meal_label,
    request_rows,
    slip_lines,
    slip_pdf,
    slip_pk_from,
    token_for,
)

LISTED = ("requester", "for_unit", "for_team", "for_person")


def _person(request: AuthedRequest) -> Person:
    if not request.user.person_id:
        raise PermissionDenied
    return request.user.person  # type: ignore[return-value]  # person_id is set


@login_required
@require_GET
def request_list(request: AuthedRequest) -> HttpResponse:
    """The user's own requests (made by them, for them or their teams) and those they decide."""
    person_id = request.user.person_id
    mine = (
        requests_for_user(request.user).filter(
            Q(requester=person_id)
            | Q(for_person=person_id)
            | Q(for_team__in=Membership.objects.filter(person=person_id).values("team"))
        )
        if person_id
        else SupplyRequest.objects.none()
    )
    decided = requests_decided_by(request.user).select_related(*LISTED)
    waiting = [SupplyRequest.Status.SUBMITTED, SupplyRequest.Status.APPROVED]
    context = {
        "mine": mine.select_related(*LISTED)[:100],
        "to_decide": decided.filter(status__in=waiting).order_by("created_at", "pk")[:200],
        "decided": decided.exclude(status__in=waiting)[:50],
    }
    return render(request, "supplies/request_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: AuthedRequest) -> HttpResponse:
    person = _person(request)
    isolated = actions.is_isolated(person)
    form = RequestForm(request.POST or None, user=request.user, isolated=isolated)
    lines = line_formset(request.POST or None)
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        try:
            supply_request = actions.submit_request(
                person,
                lines.asked,
                purpose=form.cleaned_data["purpose"],
                with_meals=form.cleaned_data.get("with_meals", False),
                acting_user=request.user,
                **form.recipient(person),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your request is sent to be decided."))
            return redirect(supply_request)
    return render(request, "supplies/request_form.html", {"form": form, "lines": lines})


def _slip_rows(slips: list[IssueSlip]) -> list[dict]:
    lines = slip_lines(slips)
    return [{"slip": slip, "lines": lines[slip.pk], "meal": meal_label(slip)} for slip in slips]


@login_required
@require_GET
def request_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    supply_request = get_request_for_user(request.user, pk)
    slips = list(
        supply_request.slips.select_related(
            "store", "received_by", "meal_delivery__slot", "issued_by__person"
        )
    )
    help_request = supply_request.help_request
    context = {
        "r": supply_request,
        "lines": request_rows(supply_request),
        "slips": _slip_rows(slips),
        "decides": decides(request.user, supply_request),
        "mine": supply_request.requester_id == request.user.person_id,
        "help_request": help_request
        if help_request and sees_help_request(request.user, help_request)
        else None,
    }
    return render(request, "supplies/request_detail.html", context)


@login_required
@require_POST
def request_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    supply_request = get_request_for_user(request.user, pk)
    if supply_request.requester_id != request.user.person_id:
        raise PermissionDenied
    try:
        actions.cancel_request(supply_request, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The request is cancelled."))
    return redirect(supply_request)


@login_required
@require_http_methods(["GET", "POST"])
def request_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    """Approve each line whole or in part, or refuse with a reason."""
    supply_request = get_request_for_user(request.user, pk)
    require_decider(request.user, supply_request)
    if supply_request.status != SupplyRequest.Status.SUBMITTED:
        messages.info(request, _("This request has been decided already."))
        return redirect(supply_request)
    form = DecideForm(request.POST or None, request=supply_request)
    if request.method == "POST" and form.is_valid():
        try:
            actions.decide_request(
                supply_request,
                form.cleaned_data["approved"],
                note=form.cleaned_data["note"],
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Decided: the requester is told."))
            return redirect(supply_request)
    return render(request, "supplies/request_decide.html", {"r": supply_request, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def request_issue(request: AuthedRequest, pk: int) -> HttpResponse:
    """Issue an approved request from a store the user runs, on a slip."""
    supply_request = get_request_for_user(request.user, pk)
    require_decider(request.user, supply_request)
    if supply_request.status != SupplyRequest.Status.APPROVED:
        messages.info(request, _("Only an approved request can be issued."))
        return redirect(supply_request)
    form = IssueForm(request.POST or None, request=supply_request, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            slip = actions.issue(
                supply_request,
                form.cleaned_data["store"],
                batches=form.cleaned_data["batches"],
                acting_user=request.user,
            )
        except ValidationError as error:
            # OutOfStock names the item and what is left.
            form.add_error(None, error)
        else:
            messages.success(request, _("Issued: print the slip or show its code."))
            return redirect(slip)
    context = {"r": supply_request, "form": form, "with_meals": supply_request.with_meals}
    return render(request, "supplies/request_issue.html", context)


def _slip_page(
    request: AuthedRequest, slip: IssueSlip, token: str = "", status: int = 200
) -> HttpResponse:
    lines = slip_lines([slip])[slip.pk]
    context = {
        "slip": slip,
        "r": slip.request,
        "lines": lines,
        "meal": meal_label(slip),
        "token": token,
    }
    return render(request, "supplies/slip_detail.html", context, status=status)


@login_required
@require_GET
def slip_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _slip_page(request, get_slip_for_user(request.user, pk))


@login_required
@require_GET
def slip_pdf_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The printable slip, its QR code opening the scan page."""
    slip = get_slip_for_user(request.user, pk)
    url = request.build_absolute_uri(reverse("supplies:slip_scan", args=[token_for(slip)]))
    response = HttpResponse(
        slip_pdf(slip, slip_lines([slip])[slip.pk], url), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="slip-{slip.pk}.pdf"'
    return response


@login_required
@require_GET
def slip_scan(request: AuthedRequest, token: str) -> HttpResponse:
    """A slip's QR code opens it for its receiver, ready to confirm with one tap;
    anyone else gets 404 (not their slip)."""
    try:
        pk = slip_pk_from(token)
    except CodeError as error:
        return render(request, "supplies/slip_refused.html", {"error": str(error)}, status=400)
    return _slip_page(request, get_slip_for_user(request.user, pk), token=token)


@login_required
@require_POST
def slip_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    """The receiver confirms: by the scanned code (its token) or by the button."""
    slip = get_slip_for_user(request.user, pk)
    form = ConfirmForm(request.POST, slip=slip)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(slip)
    try:
        actions.confirm_receipt(
            slip, via=form.via, person=request.user.person, acting_user=request.user
        )
    except ValidationError:
        messages.info(request, _("This slip was confirmed already."))
    else:
        messages.success(request, _("Received: thank you."))
    return redirect(slip)


@login_required
@require_http_methods(["GET", "POST"])
def request_from_help(request: AuthedRequest, pk: int) -> HttpResponse:
    """A help request for supplies turned into a supply request for its requester, in one form."""
    help_request = get_help_request_for_user(request, pk)
    if not turns_into_supply_request(request.user, help_request):
        raise PermissionDenied
    isolated = actions.is_isolated(help_request.requester)
    form = HelpRequestForm(
        request.POST or None,
        isolated=isolated,
        initial={"purpose": actions.purpose_of(help_request)},
    )
    lines = line_formset(request.POST or None)
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        try:
            supply_request = actions.request_from_help(
                help_request,
                lines.asked,
                purpose=form.cleaned_data["purpose"],
                with_meals=form.cleaned_data.get("with_meals", False),
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The supply request is made: decide it now."))
            return redirect(supply_request)
    context = {"help_request": help_request, "form": form, "lines": lines}
    return render(request, "supplies/request_from_help.html", context)
