"""Forms of graduates' destinations: the report, the counsellor's decision,
difficulty and follow-ups, the lists' filters and the cohort."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.core.forms import BootstrapMixin
from shouwang.core.uploads import MultipleFileField
from shouwang.lib import clock
from shouwang.people.models import DegreeLevel

from .models import GROUPS, NEEDS_EVIDENCE, Destination, Difficulty, Evidence, Group


def destination_label(code: str) -> str:
    """A destination as the Ministry's tables say it: its code, then its name."""
    return f"{code} · {Destination(code).label}"


def destination_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The destinations under their groups, each with its code."""
    return [
        (str(Group(group).label), [(code, destination_label(code)) for code in codes])
        for group, codes in GROUPS.items()
    ]


class DestinationForm(BootstrapMixin, forms.Form):
    destination = forms.ChoiceField(label=_("destination"), choices=destination_choices)
    organisation = forms.CharField(
        label=_("employer or school"),
        max_length=200,
        required=False,
        help_text=_("The employer, the school admitting you, or the project."),
    )
    city = forms.CharField(label=_("city"), max_length=50, required=False)
    evidence = MultipleFileField(
        label=_("evidence"),
        required=False,
        validators=[Evidence.allowed()],
        help_text=_(
            "The agreement, contract, offer or admission letter: PDF, Office files or "
            "photos, up to 10 MB each."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("destination") in NEEDS_EVIDENCE:
            if not (data.get("organisation") or "").strip():
                self.add_error("organisation", _("Name the employer or school."))
            if not data.get("evidence") and "evidence" not in self.errors:
                self.add_error(
                    "evidence",
                    _("This destination needs its evidence: the agreement, contract or letter."),
                )
        return data


class ReturnForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("why it goes back"),
        max_length=300,
        error_messages={"required": _("Say why the report goes back.")},
    )


class DifficultyForm(BootstrapMixin, forms.Form):
    difficulty = forms.ChoiceField(
        label=_("employment difficulty"),
        required=False,
        choices=[("", _("not in difficulty")), *Difficulty.choices],
    )


class FollowUpForm(BootstrapMixin, forms.Form):
    on = forms.DateField(
        label=_("date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(
        label=pgettext_lazy("follow-up", "what was done"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what was done.")},
    )
    next_step = forms.CharField(label=_("next step"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": clock.today()})
        super().__init__(*args, **kwargs)

    def clean_on(self) -> dt.date:
        on = self.cleaned_data["on"]
        if on > clock.today():
            raise forms.ValidationError(_("A follow-up is recorded once it has happened."))
        return on


def _choices(values: list[str], everything: Any) -> list[tuple[str, Any]]:
    return [("", everything), *((value, value) for value in values)]


class GraduateFilterForm(BootstrapMixin, forms.Form):
    """The list's filters; the classes and majors offered are those of the
    user's graduates."""

    cohort = forms.TypedChoiceField(label=_("cohort"), required=False, coerce=int)
    admin_class = forms.ChoiceField(label=_("class"), required=False)
    major = forms.ChoiceField(label=_("major"), required=False)
    level = forms.ChoiceField(
        label=_("degree level"),
        required=False,
        choices=[("", _("every level")), *DegreeLevel.choices],
    )
    group = forms.ChoiceField(
        label=_("destination"),
        required=False,
        choices=[("", _("every destination")), *Group.choices],
    )
    difficulty = forms.ChoiceField(
        label=_("employment difficulty"),
        required=False,
        choices=[("", _("all")), ("yes", _("in difficulty")), *Difficulty.choices],
    )
    pending = forms.BooleanField(label=_("waiting for confirmation"), required=False)

    def __init__(
        self,
        *args: Any,
        cohorts: list[int],
        classes: list[str],
        majors: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, values, everything in (
            ("cohort", [str(cohort) for cohort in cohorts], _("every cohort")),
            ("admin_class", classes, _("every class")),
            ("major", majors, _("every major")),
        ):
            cast(forms.ChoiceField, self.fields[name]).choices = _choices(values, everything)


class CohortForm(BootstrapMixin, forms.Form):
    cohort = forms.IntegerField(
        label=_("cohort (届)"),
        min_value=2000,
        max_value=2100,
        help_text=_("The year they graduate: the roster's graduating students join it."),
    )
