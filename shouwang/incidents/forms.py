import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms import SEPARATORS, BootstrapMixin, CheckboxList, datetime_widget
from shouwang.lib import clock
from shouwang.people.models import Person, PersonQuerySet, Unit

from .models import (
    Incident,
    PlanTemplate,
    check_reminders_before,
    coverage_by_kind,
    decision_lines,
    parse_reminder_times,
)

# What a browser's time input sends and shows.
TIME_INPUT = "%H:%M"


def task_owners() -> PersonQuerySet:
    """Staff who are at school: a student could not see the incident to tick the task."""
    return Person.objects.filter(
        status=Person.Status.PRESENT, kind__in=[Person.Kind.TEACHER, Person.Kind.STAFF]
    )


class RegimeForm(BootstrapMixin, forms.Form):
    """The check-in regime: who reports, by when, when they are reminded, how long
    their detail is kept."""

    reporters = forms.ChoiceField(label=_("who must report"), choices=Incident.Reporters.choices)
    deadline = forms.TimeField(
        label=_("daily deadline"),
        widget=forms.TimeInput(attrs={"type": "time"}, format=TIME_INPUT),
        initial="10:00",
    )
    reminder_times = forms.CharField(
        label=_("reminder times"),
        required=False,
        help_text=_("Times before the deadline, e.g. 08:00, 09:30"),
        widget=forms.TextInput(attrs={"placeholder": "08:00, 09:30", "inputmode": "text"}),
    )
    retention_days = forms.IntegerField(
        label=_("days to keep check-in detail after closing"),
        min_value=1,
        max_value=365,
        initial=30,
        help_text=_("Counts per class and day are kept; names, places and symptoms are purged."),
    )
    leave_required = forms.BooleanField(
        label=_("off campus only with approved leave"),
        required=False,
        help_text=_(
            "A check-in from off campus without approved leave is flagged for the counsellor."
        ),
    )

    def clean_reminder_times(self) -> list[str]:
        text = self.cleaned_data["reminder_times"].replace("：", ":")
        return parse_reminder_times(part for part in SEPARATORS.split(text) if part)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        deadline, times = cleaned.get("deadline"), cleaned.get("reminder_times")
        if deadline is not None and times:
            try:
                check_reminders_before(times, deadline)
            except ValidationError as error:
                self.add_error("reminder_times", error)
        return cleaned

    @classmethod
    def initial_for(cls, incident: Incident) -> dict:
        return {
            "reporters": incident.reporters,
            "deadline": incident.deadline,
            "reminder_times": ", ".join(incident.reminder_times),
            "retention_days": incident.retention_days,
            "leave_required": incident.leave_required,
        }


class OpenIncidentForm(RegimeForm):
    title = forms.CharField(label=_("title"), max_length=200)
    level = forms.TypedChoiceField(
        label=_("level"), choices=Incident.Level.choices, coerce=int, initial=Incident.Level.III
    )
    started_at = forms.DateTimeField(label=_("started at"), widget=datetime_widget())
    units = forms.ModelMultipleChoiceField(
        label=_("units covered"),
        queryset=Unit.objects.all(),
        widget=CheckboxList,
        error_messages={"required": _("Choose at least one unit.")},
        help_text=_("A unit covers everything below it."),
    )
    template = forms.ModelChoiceField(
        label=_("response plan"),
        queryset=PlanTemplate.objects.all(),
        required=False,
        empty_label=_("no plan"),
        help_text=_("Its tasks are copied, due from the start; owners are chosen afterwards."),
    )

    # The coverage the user was shown (coverage_key): the incident opens only
    # once its coverage has been previewed as it is.
    previewed = forms.CharField(required=False, widget=forms.HiddenInput)

    field_order = ["title", "level", "started_at", "units", "template"]

    @staticmethod
    def coverage_key(units: Iterable[Unit], reporters: str) -> str:
        return f"{reporters}:{','.join(str(pk) for pk in sorted(unit.pk for unit in units))}"

    def coverage(self) -> dict:
        """Whom the chosen units and regime cover, by category, and the key of that preview."""
        units, reporters = self.cleaned_data["units"], self.cleaned_data["reporters"]
        counts = coverage_by_kind(Unit.subtree_ids(unit.pk for unit in units), reporters)
        return {
            "key": self.coverage_key(units, reporters),
            "counts": [(Person.Kind(kind).label, n) for kind, n in counts.items()],
            "total": sum(counts.values()),
            # Whom no incident can cover: no unit, and no class with one.
            "without_unit": Person.objects.filter(
                Q(admin_class__isnull=True) | Q(admin_class__unit__isnull=True),
                status=Person.Status.PRESENT,
                unit__isnull=True,
            ).count(),
        }

    @property
    def was_previewed(self) -> bool:
        data = self.cleaned_data
        return data["previewed"] == self.coverage_key(data["units"], data["reporters"])

    def opening(self) -> dict:
        """The open_incident arguments."""
        return {k: v for k, v in self.cleaned_data.items() if k != "previewed"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["started_at"].initial = clock.now().replace(second=0, microsecond=0)

    def clean_units(self) -> QuerySet[Unit]:
        units = self.cleaned_data["units"]
        # A person checks in once a day, for one incident: two open incidents
        # covering the same people would each count the other's check-ins as missing.
        covered = Unit.subtree_ids(unit.pk for unit in units)
        for other in Incident.objects.open().prefetch_related("units"):
            if other.unit_ids() & covered:
                raise ValidationError(
                    _(
                        "“%(title)s” is still open and covers some of these units. "
                        "Change its regime, or close it first."
                    )
                    % {"title": other.title}
                )
        return units

    def clean_started_at(self) -> dt.datetime:
        started_at = self.cleaned_data["started_at"]
        # An incident is opened when it begins (or recorded afterwards), never ahead.
        if started_at > clock.now():
            raise ValidationError(_("The start cannot be in the future."))
        return started_at


class TaskDoneForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("what was done"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TaskForm(BootstrapMixin, forms.Form):
    """A task's owner and due time (and its title when a manager adds one)."""

    title = forms.CharField(label=_("title"), max_length=200)
    owner = forms.ModelChoiceField(label=_("owner"), queryset=task_owners(), required=False)
    due_at = forms.DateTimeField(label=_("due at"), required=False, widget=datetime_widget())

    def __init__(self, *args: Any, with_title: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_title:
            del self.fields["title"]


class MeetingForm(BootstrapMixin, forms.Form):
    held_at = forms.DateTimeField(label=_("held at"), widget=datetime_widget())
    title = forms.CharField(
        label=_("title"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. special meeting on the lockdown")}),
    )
    attendees = forms.CharField(
        label=_("attendees"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_online = forms.BooleanField(label=_("held online"), required=False)
    decisions = forms.CharField(
        label=_("decisions"),
        help_text=_("One decision per line; each can then become work in the plan."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["held_at"].initial = clock.now().replace(second=0, microsecond=0)

    def clean_held_at(self) -> dt.datetime:
        held_at = self.cleaned_data["held_at"]
        if held_at > clock.now():
            raise ValidationError(_("A meeting is recorded after it is held."))
        return held_at

    def clean_decisions(self) -> list[str]:
        decisions = decision_lines(self.cleaned_data["decisions"])
        if not decisions:
            raise ValidationError(_("Write at least one decision."))
        return decisions
