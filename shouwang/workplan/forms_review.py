"""The year-end review's forms: the round, its criteria, its panel, an
assignment and a reviewer's score sheet."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms import BootstrapMixin, CheckboxList
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


class CriterionForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ReviewCriterion
        fields = ["name", "description", "weight", "max_points"]


CriterionFormSet = forms.formset_factory(CriterionForm, extra=2, can_delete=True)


def criteria_from(formset: Any) -> list[ReviewCriterion]:
    """The formset's rows, blank and deleted ones left out, as unsaved criteria."""
    return [
        ReviewCriterion(
            name=data["name"],
            description=data.get("description", ""),
            weight=data["weight"],
            max_points=data["max_points"],
        )
        for data in (form.cleaned_data for form in formset.forms)
        if data and not data.get("DELETE")
    ]


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


class SheetForm(BootstrapMixin, forms.Form):
    """Points per criterion (0 to its full marks) and a comment."""

    comment = forms.CharField(
        label=_("comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(
        self, *args: Any, criteria: list[ReviewCriterion], points: dict[int, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[self.key(criterion)] = forms.DecimalField(
                label=f"{criterion.name}（{criterion.weight}%）",
                help_text=criterion.description,
                min_value=0,
                max_value=criterion.max_points,
                max_digits=5,
                decimal_places=1,
                initial=points.get(criterion.pk),
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.5"}),
            )
        self.order_fields([self.key(criterion) for criterion in criteria])

    @staticmethod
    def key(criterion: ReviewCriterion) -> str:
        return f"criterion_{criterion.pk}"

    def point_fields(self) -> list[forms.BoundField]:
        return [self[self.key(criterion)] for criterion in self.criteria]

    def points(self) -> dict[int, Any]:
        return {criterion.pk: self.cleaned_data[self.key(criterion)] for criterion in self.criteria}
