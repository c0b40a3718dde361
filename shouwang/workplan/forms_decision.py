"""A meeting's decision made into work: a milestone of a measure, or a new measure."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms import BootstrapMixin
from shouwang.incidents.models import Decision
from shouwang.people.models import Person, Unit, in_units_q

from .models import KeyPoint, Measure, Plan


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeasureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Measure) -> str:
        key_point = obj.key_point
        return f"{key_point.area.label}{key_point.label}{obj}"


class KeyPointChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: KeyPoint) -> str:
        return f"{obj.area}　{obj}"


class DecisionMilestoneForm(BootstrapMixin, forms.Form):
    measure = MeasureChoiceField(label=_("measure"), queryset=Measure.objects.none())
    title = forms.CharField(label=_("milestone"), max_length=200)
    due_on = forms.DateField(label=_("due on"), widget=_date_widget())

    def __init__(self, *args: Any, plan: Plan, decision: Decision, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(MeasureChoiceField, self.fields["measure"]).queryset = Measure.objects.filter(
            key_point__area__plan=plan
        ).select_related("key_point__area")
        self.fields["title"].initial = decision.text[:200]


class DecisionMeasureForm(BootstrapMixin, forms.ModelForm):
    """A new measure under a key point of the plan, owned by someone of its units;
    it starts on the day of the meeting."""

    class Meta:
        model = Measure
        fields = ["key_point", "title", "owner_unit", "owner", "due_on", "budget"]
        field_classes = {"key_point": KeyPointChoiceField}
        widgets = {"due_on": _date_widget()}

    def __init__(self, *args: Any, plan: Plan, decision: Decision, **kwargs: Any) -> None:
        kwargs["instance"] = Measure(
            starts_on=timezone.localdate(decision.meeting.held_at), decision=decision
        )
        super().__init__(*args, **kwargs)
        units = Unit.subtree_ids([plan.unit_id])
        fields = self.fields
        cast(KeyPointChoiceField, fields["key_point"]).queryset = KeyPoint.objects.filter(
            area__plan=plan
        ).select_related("area")
        cast(forms.ModelChoiceField, fields["owner_unit"]).queryset = Unit.objects.filter(
            pk__in=units
        ).order_by("name")
        fields["owner_unit"].initial = plan.unit_id
        cast(forms.ModelChoiceField, fields["owner"]).queryset = (
            Person.objects.exclude(kind=Person.Kind.STUDENT)
            .filter(in_units_q(units))
            .order_by("name", "number")
        )
        fields["title"].initial = decision.text[:200]
        fields["due_on"].required = True
