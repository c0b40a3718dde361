"""The forms of a weighted scoring (`core.scoring`): its criteria, edited as
a formset of rows, and one judge's score sheet."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import BootstrapMixin
from .scoring import Criterion

C = TypeVar("C", bound=Criterion)
CRITERION_FIELDS = ["name", "description", "weight", "max_points"]


class CriterionForm(BootstrapMixin, forms.ModelForm):
    """One criterion's row; `criterion_formset` names its model."""


def criterion_formset(model: type[Criterion]) -> type[forms.BaseFormSet]:
    """A formset of `model`'s criteria: name, description, weight and full
    marks, two blank rows to add more, each row deletable."""
    form = forms.modelform_factory(model, form=CriterionForm, fields=CRITERION_FIELDS)
    return forms.formset_factory(form, extra=2, can_delete=True)


def criteria_from(formset: forms.BaseFormSet, model: type[C]) -> list[C]:
    """The formset's rows, blank and deleted ones left out, as unsaved criteria."""
    return [
        model(
            name=data["name"],
            description=data.get("description", ""),
            weight=data["weight"],
            max_points=data["max_points"],
        )
        for data in (form.cleaned_data for form in formset.forms)
        if data and not data.get("DELETE")
    ]


def criteria_initial(criteria: Sequence[Criterion]) -> list[dict[str, Any]]:
    """The formset's rows for `criteria` (saved or offered)."""
    return [
        {
            "name": c.name,
            "description": c.description,
            "weight": c.weight,
            "max_points": c.max_points,
        }
        for c in criteria
    ]


class SheetForm(BootstrapMixin, forms.Form):
    """Points per criterion (0 to its full marks) and a comment; every
    criterion required unless the sheet may be saved half done (`complete=False`)."""

    comment = forms.CharField(
        label=_("comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(
        self,
        *args: Any,
        criteria: Sequence[Criterion],
        points: Mapping[int, Any],
        complete: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[self.key(criterion)] = forms.DecimalField(
                label=f"{criterion.name}（{criterion.weight}%）",
                help_text=criterion.description,
                required=complete,
                min_value=0,
                max_value=criterion.max_points,
                max_digits=5,
                decimal_places=1,
                initial=points.get(criterion.pk),
                widget=forms.NumberInput(
                    attrs={"class": "form-control", "step": "0.5", "inputmode": "decimal"}
                ),
            )
        self.order_fields([self.key(criterion) for criterion in self.criteria])

    @staticmethod
    def key(criterion: Criterion) -> str:
        return f"criterion_{criterion.pk}"

    def point_fields(self) -> list[forms.BoundField]:
        return [self[self.key(criterion)] for criterion in self.criteria]

    def points(self) -> dict[int, Decimal]:
        """The points given, by the criterion's pk; a blank criterion left out."""
        given = {
            criterion.pk: self.cleaned_data[self.key(criterion)] for criterion in self.criteria
        }
        return {pk: value for pk, value in given.items() if value is not None}
