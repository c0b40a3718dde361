"""The chronicle's forms: what to draft it of, and its prose."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms import BootstrapMixin
from shouwang.incidents.models import Incident
from shouwang.people.models import Unit

from . import chronicle as drafting
from .models import Chronicle, ChronicleSection

if TYPE_CHECKING:
    from django.db.models import QuerySet


class DraftForm(BootstrapMixin, forms.Form):
    """A college, and an incident or a range of days."""

    unit = forms.ModelChoiceField(Unit.objects.none(), label=_("College"), empty_label=None)
    incident = forms.ModelChoiceField(
        Incident.objects.none(),
        label=_("Incident"),
        required=False,
        empty_label=_("None: a range of days"),
    )
    first = forms.DateField(
        label=_("First day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    last = forms.DateField(
        label=_("Last day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For an incident: empty counts up to its close (or today while it runs)."),
    )

    def __init__(
        self, *args: Any, units: QuerySet[Unit], incidents: QuerySet[Incident], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.order_by("kind", "name")  # type: ignore[attr-defined]
        self.fields["incident"].queryset = incidents.order_by("-started_at")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first"), data.get("last")
        if data.get("incident") is None and not (first and last):
            raise ValidationError(_("Choose an incident, or give the first and the last day."))
        if first and last and last < first:
            raise ValidationError(_("The last day comes before the first."))
        incident, unit = data.get("incident"), data.get("unit")
        if incident is not None and unit is not None and not covers(incident, unit):
            raise ValidationError(_("The incident covers neither this unit nor a unit in it."))
        return data


def covers(incident: Incident, unit: Unit) -> bool:
    """Whether the incident covers the unit (or a unit above it), or a unit below it."""
    covered = set(incident.units.values_list("pk", flat=True))
    return unit.pk in incident.unit_ids() or bool(covered & unit.descendant_ids())


def _marked(value: str) -> str:
    problems = drafting.problems(value)
    if problems:
        raise ValidationError(problems)
    return value


class ChronicleForm(BootstrapMixin, forms.ModelForm):
    """The title, the byline, the opening paragraph and each section's heading
    and prose; the figures stay markers (`reports.chronicle`)."""

    class Meta:
        model = Chronicle
        fields = ["title", "byline", "lead"]
        widgets = {"lead": forms.Textarea(attrs={"rows": 4, "data-prose": ""})}

    def __init__(self, *args: Any, sections: list[ChronicleSection], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections
        for section in sections:
            self.fields[f"{section.topic}-heading"] = forms.CharField(
                label=_("Heading before it"),
                required=False,
                max_length=60,
                initial=section.heading,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )
            self.fields[f"{section.topic}-text"] = forms.CharField(
                label=section.get_topic_display(),
                required=False,
                initial=section.text,
                widget=forms.Textarea(attrs={"rows": 6, "class": "form-control", "data-prose": ""}),
            )

    def clean_lead(self) -> str:
        return _marked(self.cleaned_data["lead"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for section in self.sections:
            name = f"{section.topic}-text"
            if name in data:
                try:
                    _marked(data[name])
                except ValidationError as error:
                    self.add_error(name, error)
        return data

    def section_fields(self) -> list[tuple[ChronicleSection, forms.BoundField, forms.BoundField]]:
        return [
            (section, self[f"{section.topic}-heading"], self[f"{section.topic}-text"])
            for section in self.sections
        ]

    def section_texts(self) -> dict[str, tuple[str, str]]:
        return {
            section.topic: (
                self.cleaned_data[f"{section.topic}-heading"].strip(),
                self.cleaned_data[f"{section.topic}-text"].strip(),
            )
            for section in self.sections
        }
