"""Judging's forms: the criteria, the judges, an assignment, the awards'
counts, the publication, an objection and its answer (the score sheet is the
scoring's own, `core.scoring_forms`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms import BootstrapMixin
from shouwang.core.scoring_forms import criterion_formset
from shouwang.people.forms import PeopleField
from shouwang.people.models import Person

from .models import Activity, Entry, JudgingCriterion, Prize

CriterionFormSet = criterion_formset(JudgingCriterion)


class JudgesForm(BootstrapMixin, forms.Form):
    judges = PeopleField(
        label=_("judges"),
        required=False,
        people=Person.objects.filter(status=Person.Status.PRESENT),
        help_text=_(
            "Numbers or names, separated by 、 or spaces. Teachers and staff; "
            "a student only if they take no part."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EntryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} · {obj.team.name if obj.team else obj.person.name}"


class AssignForm(BootstrapMixin, forms.Form):
    judge = forms.ModelChoiceField(label=_("judge"), queryset=Person.objects.none())
    entry = EntryChoice(label=_("entry"), queryset=Entry.objects.none())

    def __init__(self, *args: Any, activity: Activity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["judge"].queryset = activity.judges.order_by("name")  # type: ignore[attr-defined]
        self.fields["entry"].queryset = Entry.objects.filter(  # type: ignore[attr-defined]
            activity=activity
        ).select_related("team", "person")


class AwardsForm(BootstrapMixin, forms.Form):
    """How many entries each prize goes to, down the ranking."""

    first = forms.IntegerField(label=Prize.FIRST.label, min_value=0, max_value=999)
    second = forms.IntegerField(label=Prize.SECOND.label, min_value=0, max_value=999)
    third = forms.IntegerField(label=Prize.THIRD.label, min_value=0, max_value=999)
    merit = forms.IntegerField(
        label=Prize.MERIT.label,
        min_value=0,
        max_value=999,
        required=False,
        help_text=_("Blank: every scored entry left."),
    )

    def counts(self) -> dict[Prize, int | None]:
        return {prize: self.cleaned_data[prize.value] for prize in Prize}

    @staticmethod
    def suggested(scored: int) -> dict[Prize, int | None]:
        """A tenth first prizes, a fifth second, three tenths third, the rest a mention."""
        return {
            Prize.FIRST: max(1, round(scored / 10)),
            Prize.SECOND: max(1, round(scored / 5)) if scored > 1 else 0,
            Prize.THIRD: round(scored * 3 / 10),
            Prize.MERIT: None,
        }


class PublishForm(BootstrapMixin, forms.Form):
    objection_days = forms.IntegerField(
        label=_("objection period (days)"), min_value=1, max_value=30
    )


class ObjectionForm(BootstrapMixin, forms.Form):
    text = forms.CharField(
        label=_("Your objection"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Name the entry and say what is wrong. Objections are raised under your name."),
    )


class AnswerForm(BootstrapMixin, forms.Form):
    answer = forms.CharField(
        label=_("answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
