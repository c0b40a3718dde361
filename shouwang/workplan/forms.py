"""The plan's forms: the plan, its areas and key points, a measure, and the
outline's import. People are picked by their number or their name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.core.forms import BootstrapMixin, SpreadsheetField
from shouwang.people.forms import PeopleField, PersonField
from shouwang.people.models import Branch, Unit
from shouwang.volunteers.models import Team

from .models import Area, KeyPoint, Measure, Plan


def date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(BootstrapMixin, forms.ModelForm):
    """A plan of one of the units the leader reaches."""

    class Meta:
        model = Plan
        fields = ["title", "year", "unit", "report_every", "report_day", "remind_days"]

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        field.queryset = units  # type: ignore[attr-defined]
        field.empty_label = None  # type: ignore[attr-defined]
        self.fields["title"].widget.attrs["placeholder"] = "2022年学院工作要点"


class AreaForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Area
        fields = ["title"]
        widgets = {"title": forms.TextInput(attrs={"placeholder": "党建团学"})}

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.plan = plan

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        taken = Area.objects.filter(plan=self.instance.plan, title=title)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("The plan has an area of this title already."))
        return title


class KeyPointForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = KeyPoint
        fields = ["title"]
        widgets = {"title": forms.TextInput(attrs={"placeholder": "加强专业内涵建设"})}

    def __init__(self, *args: Any, area: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.area = area

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        taken = KeyPoint.objects.filter(area=self.instance.area, title=title)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("The area has a key point of this title already."))
        return title


# What only a leader of the plan sets: who answers for the measure, and its money.
LEADER_FIELDS = ("owner_unit", "owner", "budget")


class MeasureForm(BootstrapMixin, forms.ModelForm):
    """A measure of a key point. Its owners change what they run; the owner,
    owner unit and budget are a leader's to set."""

    owner = PersonField(
        label=gettext_lazy("owner"),
        help_text=gettext_lazy("Staff number (工号) or name."),
    )
    co_owners = PeopleField(
        label=gettext_lazy("co-owners"),
        required=False,
        help_text=gettext_lazy("Staff numbers or names, separated by 、 or commas."),
    )

    class Meta:
        model = Measure
        fields = [
            "title",
            "description",
            "owner_unit",
            "owner",
            "co_owners",
            "branch",
            "post",
            "starts_on",
            "due_on",
            "budget",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "starts_on": date_widget(),
            "due_on": date_widget(),
        }

    def __init__(
        self, *args: Any, key_point: KeyPoint, leads: bool, units: QuerySet[Unit], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance.key_point = key_point
        if self.instance.pk:
            self.initial["co_owners"] = list(self.instance.co_owners.all())
        self.fields["owner_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["branch"].queryset = Branch.objects.filter(  # type: ignore[attr-defined]
            kind=Branch.Kind.PARTY
        )
        self.fields["post"].queryset = Team.objects.filter(  # type: ignore[attr-defined]
            kind=Team.Kind.TEACHER_VANGUARD_POST
        )
        if not leads:
            for name in LEADER_FIELDS:
                del self.fields[name]

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        taken = Measure.objects.filter(key_point=self.instance.key_point, title=title)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("The key point has a measure of this title already."))
        return title


class PlanImportForm(BootstrapMixin, forms.Form):
    file = SpreadsheetField(
        label=gettext_lazy("File"), max_bytes=lambda: settings.ROSTER_MAX_UPLOAD_BYTES
    )
