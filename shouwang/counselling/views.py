from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, When
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouwang.accounts.actions import removed_grants, role_holders
from shouwang.accounts.http import AuthedRequest
from shouwang.accounts.models import REFERRAL_ROLES
from shouwang.core import audit
from shouwang.lib import clock

from . import actions
from .access import (
    can_take,
    get_referable_student,
    get_referral_for_user,
    is_psych_support,
    referrals_for_user,
    require_referrals_user,
)
from .audit import CounsellingEvent
from .forms import ConsentForm, ListFilterForm, NoteForm, ReferralForm, StatusForm
from .models import Referral

REFUSALS = {
    actions.ReferralClosed: gettext_lazy(
        "This referral is closed: nothing more is recorded on it."
    ),
    actions.ConsentRequired: gettext_lazy("Record the student's consent first."),
    actions.ConsentAlreadyRecorded: gettext_lazy("The student's consent was already recorded."),
    actions.AlreadyTaken: gettext_lazy("Another support worker took this referral on first."),
}


@login_required
@require_GET
def referral_list(request: AuthedRequest) -> HttpResponse:
    """A counsellor's own referrals, a support worker's everyone's; the active
    ones unless a status is chosen. Each referral shown is an audited read."""
    require_referrals_user(request)
    form = ListFilterForm(request.GET)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    referrals = referrals_for_user(request.user).select_related(
        "student__admin_class", "referred_by__person", "supporter__person"
    )
    # The list shows no summary: it is not decrypted for a list.
    referrals = referrals.defer("summary")
    if status:
        referrals = referrals.filter(status=status)
    else:
        # The most urgent first: the list is where a support worker starts the day.
        referrals = referrals.exclude(status=Referral.Status.CLOSED).order_by(
            Case(
                When(urgency=Referral.Urgency.URGENT, then=0),
                When(urgency=Referral.Urgency.SOON, then=1),
                default=2,
            ),
            "-created_at",
            "-pk",
        )
    shown = list(referrals)
    for referral in shown:
        audit.record(
            CounsellingEvent.REFERRAL_LISTED, referral, acting_user=request.user, request=request
        )
    return render(
        request,
        "counselling/referral_list.html",
        {
            "referrals": shown,
            "form": form,
            "status": status,
            "is_support": is_psych_support(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request: AuthedRequest, pk: int) -> HttpResponse:
    student = get_referable_student(request, pk)
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = actions.refer(
                student, **form.cleaned_data, acting_user=request.user, request=request
            )
        except actions.AlreadyReferred:
            form.add_error(
                None, _("You have already referred this student; see the referral in your list.")
            )
        else:
            messages.success(
                request,
                _(
                    "The referral is made and the support workers are told. "
                    "Ask the student for their consent."
                ),
            )
            return redirect(referral)
    return render(request, "counselling/referral_new.html", {"student": student, "form": form})


def _detail(request: AuthedRequest, referral: Referral, **forms: Any) -> HttpResponse:
    notes = list(referral.notes.select_related("author__person"))
    audit.record(
        CounsellingEvent.REFERRAL_VIEWED,
        referral,
        acting_user=request.user,
        request=request,
        notes=len(notes),
    )
    if not referral.is_closed:
        if referral.has_consent:
            forms.setdefault("note_form", NoteForm())
        else:
            forms.setdefault(
                "consent_form",
                ConsentForm(referral=referral, initial={"consented_at": clock.now()}),
            )
    return render(
        request,
        "counselling/referral_detail.html",
        {
            "referral": referral,
            "notes": notes,
            "can_take": can_take(request.user, referral),
            **forms,
        },
    )


@login_required
@require_GET
def referral_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, get_referral_for_user(request, pk))


def _refused(request: AuthedRequest, referral: Referral, error: Exception) -> HttpResponse:
    messages.warning(request, REFUSALS[type(error)])
    return redirect(referral)


@login_required
@require_POST
def note_add(request: AuthedRequest, pk: int) -> HttpResponse:
    referral = get_referral_for_user(request, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _detail(request, referral, note_form=form)
    try:
        actions.add_note(
            referral, body=form.cleaned_data["body"], acting_user=request.user, request=request
        )
    except (actions.ReferralClosed, actions.ConsentRequired) as error:
        return _refused(request, referral, error)
    messages.success(request, _("The note is saved."))
    return redirect(referral)


@login_required
@require_POST
def consent_record(request: AuthedRequest, pk: int) -> HttpResponse:
    referral = get_referral_for_user(request, pk)
    if referral.has_consent:
        return _refused(request, referral, actions.ConsentAlreadyRecorded())
    form = ConsentForm(request.POST, referral=referral)
    if not form.is_valid():
        return _detail(request, referral, consent_form=form)
    try:
        actions.record_consent(
            referral,
            consented_at=form.cleaned_data["consented_at"],
            method=form.cleaned_data["method"],
            acting_user=request.user,
            request=request,
        )
    except (actions.ReferralClosed, actions.ConsentAlreadyRecorded) as error:
        return _refused(request, referral, error)
    messages.success(request, _("The student's consent is recorded."))
    return redirect(referral)


@login_required
@require_POST
def referral_status(request: AuthedRequest, pk: int) -> HttpResponse:
    """Take a referral on (a support worker) or close it (its counsellor or a support worker)."""
    referral = get_referral_for_user(request, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.warning(request, _("Choose what to do."))
        return redirect(referral)
    try:
        if form.cleaned_data["action"] == "take":
            if not is_psych_support(request.user):
                messages.warning(request, _("Only a support worker takes a referral on."))
                return redirect(referral)
            actions.take(referral, acting_user=request.user, request=request)
            messages.success(request, _("You have taken this referral on."))
        else:
            actions.close(referral, acting_user=request.user, request=request)
            messages.success(request, _("The referral is closed."))
    except (actions.ReferralClosed, actions.ConsentRequired, actions.AlreadyTaken) as error:
        return _refused(request, referral, error)
    return redirect(referral)


@login_required
@require_GET
def referral_access(request: AuthedRequest) -> HttpResponse:
    """Who can see referrals, since when and granted by whom: shown to the
    support workers, who would otherwise not know that someone joined them."""
    if not is_psych_support(request.user):
        raise Http404
    sections = [
        {"role": role, "holders": role_holders(role), "removed": removed_grants(role)}
        for role in REFERRAL_ROLES
    ]
    return render(request, "counselling/referral_access.html", {"sections": sections})
