"""Screening pages: the abnormal list (open flags), a flag with what was done
about it, the leaders' risky regions, and a person's timeline."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from shouwang.core import audit
from shouwang.core.forms import BootstrapMixin
from shouwang.incidents.access import require_incident_manager
from shouwang.incidents.models import Incident
from shouwang.lib import clock, divisions
from shouwang.people.access import classes_for_user, get_person_for_user, units_for_user
from shouwang.people.models import AdminClass, Unit

from .. import compliance, screening
from ..access import flags_for_user, get_flag_for_user, require_compliance_viewer
from ..audit import ScreeningEvent
from ..models import CheckIn, Flag, FlagAction, RiskRegion
from .compliance import DayForm, chosen

FLAGS_PER_PAGE = 50
RECENT_CHECKINS = 14


class FlagFilterForm(BootstrapMixin, forms.Form):
    incident = forms.ModelChoiceField(
        label=_("incident"), queryset=Incident.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("open", _("open")), ("resolved", _("resolved")), ("all", _("all"))],
    )
    reason = forms.ChoiceField(
        label=_("reason"), required=False, choices=[("", _("any reason")), *Flag.Reason.choices]
    )
    admin_class = forms.ModelChoiceField(
        label=_("class"), queryset=AdminClass.objects.none(), required=False
    )
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none(), required=False)
    date = forms.DateField(
        label=_("date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data, *, user, **kwargs):
        # Query parameters are short: ?class=12, not ?admin_class=12.
        if data is not None and "class" in data:
            data = data.copy()
            data["admin_class"] = data.pop("class")[-1]
        super().__init__(data, **kwargs)
        incident = cast(forms.ModelChoiceField, self.fields["incident"])
        incident.queryset = compliance.incident_choices(user)
        incident.empty_label = None
        admin_class = cast(forms.ModelChoiceField, self.fields["admin_class"])
        admin_class.queryset = classes_for_user(user)
        admin_class.empty_label = _("all classes")
        if user.oversees:
            # A university has thousands of classes: leaders pick a unit; a
            # class still comes by link (?class=).
            admin_class.widget = forms.HiddenInput()
            cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units_for_user(user)
        else:
            del self.fields["unit"]


class FlagActionForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("What was done"),
        choices=FlagAction.Outcome.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        min_length=2,
        max_length=2000,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "placeholder": _("e.g. called, temperature 36.8 now, will check again tomorrow"),
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Radio buttons, not a text box: undo the mixin's form-control.
        self.fields["outcome"].widget.attrs["class"] = "form-check-input"


def region_choices() -> list:
    """Every province, as a whole and city by city, grouped by province."""
    choices: list = [("", "---------")]
    for province in divisions.provinces():
        whole = gettext("%(province)s (whole province)") % {"province": province["name"]}
        options = [(province["code"], whole)]
        options += [(city["code"], city["name"]) for city in province["cities"]]
        choices.append((province["name"], options))
    return choices


class MarkRegionForm(BootstrapMixin, forms.Form):
    region = forms.ChoiceField(label=_("Province or city"), choices=region_choices)

    def clean_region(self) -> tuple[str, str]:
        code = self.cleaned_data["region"]
        if len(code) == 2:
            return code, ""
        return code[:2], code


class UnmarkRegionForm(forms.Form):
    unmark = forms.ModelChoiceField(queryset=RiskRegion.objects.none())

    def __init__(self, data, *, incident: Incident, **kwargs):
        super().__init__(data, **kwargs)
        unmark = cast(forms.ModelChoiceField, self.fields["unmark"])
        unmark.queryset = RiskRegion.objects.filter(incident=incident)


@login_required
@require_GET
def flag_list(request):
    require_compliance_viewer(request)
    form = FlagFilterForm(request.GET, user=request.user)
    form.is_valid()
    if any(name in form.errors for name in ("incident", "admin_class", "unit")):
        raise Http404
    data = form.cleaned_data
    incident = data.get("incident") or compliance.default_incident(request.user)
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
    template = "checkins/flags.html#flags" if request.htmx else "checkins/flags.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def flag_detail(request, pk: int):
    require_compliance_viewer(request)
    flag = get_flag_for_user(request, pk)
    form = FlagActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        screening.record_flag_action(
            flag,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
            acting_user=request.user,
            request=request,
        )
        messages.success(request, gettext("Recorded what was done."))
        return redirect("checkins:flag_detail", pk=flag.pk)
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
        "form": form,
        "checkins": [
            (checkin, screening.symptom_labels(checkin))
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
    return render(request, "checkins/flag_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def risk_regions(request):
    require_incident_manager(request)
    form, incident, _day = chosen(request, DayForm)
    if incident is None:
        return render(request, "checkins/risk_regions.html", {"incident": None})
    if request.method == "POST":
        # A region marked for an incident screens everyone it covers.
        require_incident_manager(request, incident)
    mark_form = MarkRegionForm(None)
    unmark_form = UnmarkRegionForm(None, incident=incident)
    if request.method == "POST":
        if "unmark" in request.POST:
            unmark_form = UnmarkRegionForm(request.POST, incident=incident)
            if unmark_form.is_valid():
                screening.unmark_risk_region(
                    unmark_form.cleaned_data["unmark"], acting_user=request.user, request=request
                )
                return redirect(f"{reverse('checkins:risk_regions')}?incident={incident.pk}")
        else:
            mark_form = MarkRegionForm(request.POST)
            if mark_form.is_valid():
                province, city = mark_form.cleaned_data["region"]
                screening.mark_risk_region(
                    incident, province, city, acting_user=request.user, request=request
                )
                return redirect(f"{reverse('checkins:risk_regions')}?incident={incident.pk}")
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
    return render(request, "checkins/risk_regions.html", context)


@login_required
@require_GET
def timeline(request, pk: int):
    require_compliance_viewer(request)
    person = get_person_for_user(request, pk)
    audit.record(ScreeningEvent.TIMELINE_VIEWED, person, acting_user=request.user, request=request)
    events = screening.timeline(person)
    return render(request, "checkins/timeline.html", {"person": person, "events": events})
