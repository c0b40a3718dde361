"""Screening pages: the abnormal list (open flags), a flag with what was done
about it, the leaders' risky regions, and a person's timeline."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from shouwang.accounts.http import AuthedRequest
from shouwang.checkins.access import require_checkins_reader
from shouwang.checkins.forms import DayForm
from shouwang.checkins.models import CheckIn
from shouwang.checkins.queries import default_incident
from shouwang.core import audit
from shouwang.incidents.access import require_incident_manager
from shouwang.leave.queries import leaves_covering
from shouwang.lib import clock
from shouwang.people.access import get_person_for_user

from . import actions
from .access import flags_for_user, get_flag_for_user
from .audit import ScreeningEvent
from .forms import FlagActionForm, FlagFilterForm, MarkRegionForm, UnmarkRegionForm
from .models import Flag, FlagAction, RiskRegion
from .timeline import symptom_labels
from .timeline import timeline as person_timeline

FLAGS_PER_PAGE = 50
RECENT_CHECKINS = 14


@login_required
@require_GET
def flag_list(request: AuthedRequest) -> HttpResponse:
    require_checkins_reader(request)
    form = FlagFilterForm(request.GET, user=request.user)
    form.is_valid()
    if any(name in form.errors for name in ("incident", "admin_class", "unit")):
        raise Http404
    data = form.cleaned_data
    incident = data.get("incident") or default_incident(request.user)
    flags = flags_for_user(request.user).filter(incident=incident)
    status = data.get("status") or "open"
    if status != "all":
        flags = flags.filter(resolved_at__isnull=status == "open")
    if data.get("reason"):
        flags = flags.filter(reason=data["reason"])
    if data.get("admin_class"):
        flags = flags.filter(person__admin_class=data["admin_class"])
    if data.get("unit"):
        flags = flags.filter(person__unit=data["unit"])
    if data.get("date"):
        flags = flags.filter(date=data["date"])
    last = FlagAction.objects.filter(flag_id=OuterRef("pk")).order_by("-at", "-pk")
    flags = (
        flags.select_related("person__admin_class")
        .annotate(last_outcome=Subquery(last.values("outcome")[:1]))
        .order_by("-date", "person__admin_class__name", "person__number", "reason")
    )
    page = Paginator(flags, FLAGS_PER_PAGE).get_page(request.GET.get("page"))
    outcomes = dict(FlagAction.Outcome.choices)
    rows = [(flag, outcomes.get(flag.last_outcome, "")) for flag in page]
    context = {"form": form, "incident": incident, "page": page, "rows": rows, "status": status}
    template = "screening/flags.html#flags" if request.htmx else "screening/flags.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def flag_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    require_checkins_reader(request)
    flag = get_flag_for_user(request, pk)
    form = FlagActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.record_flag_action(
            flag,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
            acting_user=request.user,
            request=request,
        )
        messages.success(request, gettext("Recorded what was done."))
        return redirect("screening:flag_detail", pk=flag.pk)
    # The page shows the person's health reports: a sensitive read.
    audit.record(
        ScreeningEvent.FLAG_VIEWED,
        flag.person,
        acting_user=request.user,
        request=request,
        flag=flag.pk,
    )
    person = flag.person
    context = {
        "flag": flag,
        "person": person,
        # The leave the check-in differs from, read only for such flags.
        "leaves": (
            leaves_covering([person.pk], flag.date).get(person.pk, [])
            if flag.reason == Flag.Reason.LEAVE
            else []
        ),
        "form": form,
        "checkins": [
            (checkin, symptom_labels(checkin))
            for checkin in CheckIn.objects.filter(
                person=person, incident_id=flag.incident_id
            ).order_by("-date")[:RECENT_CHECKINS]
        ],
        "actions": flag.actions.select_related("by__person"),
        "other_flags": flags_for_user(request.user)
        .filter(person=person, resolved_at__isnull=True)
        .exclude(pk=flag.pk)
        .order_by("-date"),
    }
    return render(request, "screening/flag_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def risk_regions(request: AuthedRequest) -> HttpResponse:
    require_incident_manager(request)
    form, incident, _day = DayForm.chosen(request)
    if incident is None:
        return render(request, "screening/risk_regions.html", {"incident": None})
    if request.method == "POST":
        # A region marked for an incident screens everyone it covers.
        require_incident_manager(request, incident)
    mark_form = MarkRegionForm(None)
    unmark_form = UnmarkRegionForm(None, incident=incident)
    if request.method == "POST":
        if "unmark" in request.POST:
            unmark_form = UnmarkRegionForm(request.POST, incident=incident)
            if unmark_form.is_valid():
                actions.unmark_risk_region(
                    unmark_form.cleaned_data["unmark"], acting_user=request.user, request=request
                )
                return redirect(f"{reverse('screening:risk_regions')}?incident={incident.pk}")
        else:
            mark_form = MarkRegionForm(request.POST)
            if mark_form.is_valid():
                province, city = mark_form.cleaned_data["region"]
                actions.mark_risk_region(
                    incident, province, city, acting_user=request.user, request=request
                )
                return redirect(f"{reverse('screening:risk_regions')}?incident={incident.pk}")
    context = {
        "form": form,
        "incident": incident,
        "mark_form": mark_form,
        "unmark_form": unmark_form,
        "regions": RiskRegion.objects.filter(incident=incident)
        .select_related("marked_by__person")
        .order_by("province", "city"),
        "today": clock.today(),
    }
    return render(request, "screening/risk_regions.html", context)


@login_required
@require_GET
def timeline(request: AuthedRequest, pk: int) -> HttpResponse:
    require_checkins_reader(request)
    person = get_person_for_user(request, pk)
    audit.record(ScreeningEvent.TIMELINE_VIEWED, person, acting_user=request.user, request=request)
    events = person_timeline(person)
    return render(request, "screening/timeline.html", {"person": person, "events": events})
