"""The meetings: the list, one meeting and its numbered decisions, and the
college's own meetings recorded without an incident (an incident's meetings
are recorded from its page: views.meeting_new)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shouwang.accounts.http import AuthedRequest

from .access import (
    can_manage_incidents,
    get_meeting_for_user,
    meetings_for_user,
    require_incident_manager,
    require_incident_viewer,
)
from .actions import record_meeting
from .forms import MeetingForm


@login_required
@require_GET
def meeting_list(request: AuthedRequest) -> HttpResponse:
    require_incident_viewer(request)
    meetings = (
        meetings_for_user(request.user)
        .select_related("incident")
        .annotate(decision_count=Count("decisions"))
        .order_by("-held_at", "-pk")
    )
    return render(
        request,
        "incidents/meeting_list.html",
        {"meetings": meetings, "can_record": can_manage_incidents(request.user)},
    )


@login_required
@require_GET
def meeting_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    return render(
        request,
        "incidents/meeting_detail.html",
        {"meeting": meeting, "decisions": list(meeting.decisions.all())},
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new_college(request: AuthedRequest) -> HttpResponse:
    """A meeting of the college's own, such as the work-promotion meeting: no incident."""
    require_incident_viewer(request)
    require_incident_manager(request)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = record_meeting(
            None, **form.cleaned_data, acting_user=request.user, request=request
        )
        messages.success(request, _("The meeting is recorded."))
        return redirect(meeting)
    return render(request, "incidents/meeting_form.html", {"form": form})
