"""The person's own daily check-in: the privacy notice first, then the form,
then the receipt, which is what the page shows for the rest of the day."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shouwang.accounts.http import AuthedRequest
from shouwang.incidents.models import Incident
from shouwang.people.models import Person

from .actions import (
    CheckInRefused,
    NoticeNotAccepted,
    accept_privacy_notice,
    may_check_in,
    submit_checkin,
)
from .answers import answer_rows, same_as_yesterday
from .forms import CheckInForm, PageForm, PrivacyForm
from .models import CheckIn, PrivacyAcceptance
from .privacy import notice_for, notice_version
from .status import CheckInStatus, checkin_status

# A POST carries these as lists; everything else is one value.
LIST_FIELDS = ("symptoms",)


@login_required
@require_http_methods(["GET", "POST"])
def today(request: AuthedRequest) -> HttpResponse:
    page = PageForm(request.GET)
    if request.method == "GET" and request.htmx and "province" in request.GET:
        # A province's city list, for any form that asks for a place (a
        # request for leave too), whether or not its reader checks in today.
        form = CheckInForm(initial={"province": page.value("province")})
        return render(request, "checkins/checkin.html#city", {"form": form})
    status = checkin_status(request.user.person)
    try:
        may_check_in(status)
    except CheckInRefused as refused:
        return _refused(request, status, refused)
    if request.method == "POST":
        return _submit(request, status)

    show = page.value("show")
    if status.checkin is not None and show != PageForm.CHANGE:
        context = {"status": status, "answers": answer_rows(status.checkin)}
        return render(request, "checkins/checkin_receipt.html", context)
    yesterday = status.yesterday
    initial: dict = {"key": uuid.uuid4()}
    same = same_as_yesterday(status) if show == PageForm.SAME else None
    if same is not None:
        # Yesterday's answers are shown and confirmed, never copied unseen.
        context = {
            "status": status,
            "form": same.form,
            "yesterday": same.yesterday,
            "answers": same.answers,
        }
        return render(request, "checkins/checkin_same.html", context)
    if show == PageForm.CHANGE and status.checkin is not None:
        initial.update(CheckInForm.initial_from(status.checkin))
    elif show in (PageForm.YESTERDAY, PageForm.SAME) and yesterday is not None:
        # Yesterday's answers that today's form would not take as they stand
        # are shown in the form, to be completed.
        initial.update(CheckInForm.initial_from(yesterday), temperature=None)
    return _form_page(request, status, CheckInForm(initial=initial), yesterday)


def _submit(request: AuthedRequest, status: CheckInStatus) -> HttpResponse:
    if request.POST.get("action") == "cities":
        # Without JavaScript the city list follows the province by a round
        # trip: the form comes back as it was, with that province's cities.
        initial = {
            name: request.POST.getlist(name) if name in LIST_FIELDS else request.POST.get(name)
            for name in request.POST
        }
        form = CheckInForm(initial=initial)
        return _form_page(request, status, form, status.yesterday)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return _form_page(request, status, form, status.yesterday)
    submit_checkin(
        status,
        form.answers(),
        form.cleaned_data["key"],
        acting_user=request.user,
        same_as_yesterday=form.cleaned_data["same_as_yesterday"],
    )
    # Post/redirect/get: a reload shows the receipt and never posts again. The
    # page is this one; its path is known without reversing a URL name.
    return HttpResponseRedirect(request.path)


@login_required
@require_http_methods(["GET", "POST"])
def privacy(request: AuthedRequest) -> HttpResponse:
    status = checkin_status(request.user.person)
    person, incident = status.person, status.incident
    if person is None or incident is None:
        return _none(request, status)
    if request.method == "POST":
        form = PrivacyForm(request.POST)
        if form.is_valid() and form.cleaned_data["version"] == notice_version(incident):
            accept_privacy_notice(person, incident, acting_user=request.user)
            return redirect("checkins:today")
        messages.warning(request, _("The notice has changed since you opened it: read it again."))
    return _privacy_page(request, status, person, incident)


def _refused(
    request: AuthedRequest, status: CheckInStatus, refused: CheckInRefused
) -> HttpResponse:
    """The page for someone who may not check in: the privacy notice first, or
    (outside every check-in regime) that nothing is asked of them."""
    if isinstance(refused, NoticeNotAccepted) and status.person and status.incident:
        return _privacy_page(request, status, status.person, status.incident)
    return _none(request, status)


def _none(request: AuthedRequest, status: CheckInStatus) -> HttpResponse:
    # Nobody outside a check-in regime checks in: a GET is told so, a POST refused.
    code = 403 if request.method == "POST" else 200
    return render(request, "checkins/checkin_none.html", {"status": status}, status=code)


def _privacy_page(
    request: AuthedRequest, status: CheckInStatus, person: Person, incident: Incident
) -> HttpResponse:
    notice = notice_for(person, incident)
    context = {
        "status": status,
        "notice": notice,
        "accepted": PrivacyAcceptance.objects.filter(person=person, version=notice.version).first(),
        "form": PrivacyForm(initial={"version": notice.version}),
    }
    return render(request, "checkins/privacy.html", context)


def _form_page(
    request: AuthedRequest, status: CheckInStatus, form: CheckInForm, yesterday: CheckIn | None
) -> HttpResponse:
    context = {"status": status, "form": form, "yesterday": yesterday}
    return render(request, "checkins/checkin.html", context)
