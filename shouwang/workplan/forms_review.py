"""The year-end review's forms: the round, its criteria, its panel and an
assignment (the score sheet is the scoring's own, `core.scoring_forms`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms import BootstrapMixin, CheckboxList
from shouwang.core.scoring_forms import criterion_formset
from shouwang.people.models import Person

from .models import Measure, Review, ReviewCriterion


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class ReviewForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Review
        fields = ["title", "closes_on"]
        widgets = {"closes_on": DateInput()}


CriterionFormSet = criterion_formset(ReviewCriterion)


def staff() -> Any:
    return (
        Person.objects.exclude(kind=Person.Kind.STUDENT)
        .filter(status=Person.Status.PRESENT)
        .select_related("unit")
        .order_by("unit_id", "name")
    )


class PersonChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.unit or '—'}）"


class PanelForm(BootstrapMixin, forms.Form):
    members = PersonChoices(
        label=_("panel"), queryset=Person.objects.none(), required=False, widget=CheckboxList
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = staff()  # type: ignore[attr-defined]


class MeasureChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.key_point.area.label}{obj.key_point.label}{obj} · {obj.owner.name}"


class AssignForm(BootstrapMixin, forms.Form):
    reviewer = forms.ModelChoiceField(label=_("reviewer"), queryset=Person.objects.none())
    measure = MeasureChoice(label=_("measure"), queryset=Measure.objects.none())

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = review.panel.order_by("name")  # type: ignore[attr-defined]
        self.fields["measure"].queryset = Measure.objects.filter(  # type: ignore[attr-defined]
            key_point__area__plan=review.plan_id
        ).select_related("key_point__area", "owner")
