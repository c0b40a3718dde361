"""The forms of a measure's page and of a progress report."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms import BootstrapMixin
from shouwang.core.uploads import MultipleFileField
from shouwang.lib import clock

from .models import OWNER_STATUSES, Evidence, Expenditure, Milestone, ReportFile


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StatusForm(BootstrapMixin, forms.Form):
    """What the owner says of the work: not started, in progress or paused."""

    status = forms.ChoiceField(
        label=_("status"), choices=[(status.value, status.label) for status in OWNER_STATUSES]
    )


class MilestoneForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on"]
        widgets = {"due_on": _date_widget()}


class MilestoneDoneForm(BootstrapMixin, forms.Form):
    """The day a milestone was reached (today if left empty)."""

    done_on = forms.DateField(label=_("done on"), required=False, widget=_date_widget())

    def clean_done_on(self) -> dt.date:
        return self.cleaned_data.get("done_on") or clock.today()


class ExpenditureForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Expenditure
        fields = ["amount", "spent_on", "purpose"]
        widgets = {"spent_on": _date_widget()}


class CompletionForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("what was achieved"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecideCompletionForm(BootstrapMixin, forms.Form):
    ACCEPT, RETURN = "accept", "return"

    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[(ACCEPT, _("accept: the measure is done")), (RETURN, _("return it to the owner"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    @property
    def accepts(self) -> bool:
        return self.cleaned_data["decision"] == self.ACCEPT


class BreakthroughForm(BootstrapMixin, forms.Form):
    """A leader marks the breakthrough (突破性进展); an empty text takes the mark away."""

    text = forms.CharField(
        label=_("breakthrough"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Leave empty to take the mark away."),
    )
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("evidence"), required=False, validators=[Evidence.allowed()]
    )


class ReportForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label=_("what was done"), widget=forms.Textarea(attrs={"rows": 6}))
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("evidence files"), required=False, validators=[ReportFile.allowed()]
    )


class ScoreForm(BootstrapMixin, forms.Form):
    score = forms.TypedChoiceField(
        label=_("score"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
