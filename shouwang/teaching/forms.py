"""The forms of teaching's pages: terms and their calendar days, imports, going
online, a class's platform, marking a lesson, the teaching office's decision,
the week shown."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms import BootstrapMixin, CheckboxList, SpreadsheetField
from shouwang.core.models import CalendarDay
from shouwang.incidents.models import Incident
from shouwang.people.models import Unit

from .access import overseen_unit_ids
from .models import Platform, Term, is_link

if TYPE_CHECKING:
    from shouwang.accounts.models import User

# A day's periods (节次) run up to this number.
MAX_PERIOD = 20


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TermForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Term
        fields = ["name", "first_monday", "weeks"]
        widgets = {"first_monday": DateInput()}
        help_texts = {
            "name": _("As the academic-affairs system names it, e.g. 2021-2022-2."),
            "weeks": _("Teaching weeks, counted from the first Monday."),
        }


class CalendarDayForm(BootstrapMixin, forms.ModelForm):
    """A holiday or a swapped working day (调休) within one term."""

    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name"]
        widgets = {"date": DateInput()}
        help_texts = {"name": _("As the school calendar prints it: 清明节, 劳动节调休.")}

    def __init__(self, *args: Any, term: Term, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.term = term

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        date, kind = data.get("date"), data.get("kind")
        if date is None:
            return data
        if not self.term.first_monday <= date <= self.term.last_day:
            self.add_error(
                "date",
                _("The day is not in the term (%(first)s to %(last)s).")
                % {"first": self.term.first_monday, "last": self.term.last_day},
            )
        if kind == CalendarDay.Kind.WORKING_DAY and date.weekday() < 5:
            self.add_error("kind", _("A swapped working day (调休) falls on a weekend."))
        return data


class ImportUploadForm(BootstrapMixin, forms.Form):
    """A timetable or an enrolment file, for one term."""

    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.all(), empty_label=None)
    file = SpreadsheetField(label=_("File"), max_bytes=lambda: settings.ROSTER_MAX_UPLOAD_BYTES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = Term.current()
        if current is not None:
            self.fields["term"].initial = current.pk


def date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def period_field(label: Any, *, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=1, max_value=MAX_PERIOD, required=required)


class GoOnlineForm(BootstrapMixin, forms.Form):
    """The units (of those the user oversees) whose teaching goes online from a day."""

    term = forms.ModelChoiceField(label=_("term"), queryset=Term.objects.all())
    units = forms.ModelMultipleChoiceField(
        label=_("units"), queryset=Unit.objects.none(), widget=CheckboxList
    )
    starts_on = forms.DateField(label=_("online from"), widget=date_widget())
    incident = forms.ModelChoiceField(
        label=_("incident"),
        queryset=Incident.objects.none(),
        required=False,
        help_text=_("The incident that moves teaching online, if there is one."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = overseen_unit_ids(user)
        fields: Any = self.fields
        fields["units"].queryset = (
            Unit.objects.all() if units is None else Unit.objects.filter(pk__in=units)
        ).order_by("pk")
        incidents = Incident.objects.open()
        if units is not None:
            incidents = incidents.filter(units__in=units).distinct()
        fields["incident"].queryset = incidents
        if not self.is_bound:
            self.initial.setdefault("term", Term.current())


class JoinField(forms.CharField):
    """A meeting link (https://…) or a meeting number with its password."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("link or meeting number"))
        kwargs.setdefault(
            "help_text",
            _("A link (https://meeting.tencent.com/…) or a meeting number and password."),
        )
        super().__init__(max_length=300, **kwargs)

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        lowered = text.lower()
        if ("://" in lowered or lowered.startswith("www.")) and not is_link(text):
            raise ValidationError(_("A link starts with https:// and has no spaces."))
        return text


class PlatformForm(BootstrapMixin, forms.Form):
    """A class's platform and the link every lesson uses unless it has its own."""

    platform = forms.ChoiceField(label=_("platform"), choices=Platform.choices)
    join_link = JoinField(required=False)


class LessonLinkForm(BootstrapMixin, forms.Form):
    """One lesson's own platform and link; empty: the class's."""

    platform = forms.ChoiceField(
        label=_("platform"),
        choices=[("", _("the class's platform")), *Platform.choices],
        required=False,
    )
    join_link = JoinField(required=False)


class HeldForm(BootstrapMixin, forms.Form):
    platform = forms.ChoiceField(
        label=_("held on"),
        choices=[("", _("the class's platform")), *Platform.choices],
        required=False,
    )


class PeriodsMixin:
    cleaned_data: dict[str, Any]

    def check_periods(self, first: str, last: str) -> None:
        data = self.cleaned_data
        if data.get(first) and data.get(last) and data[last] < data[first]:
            raise ValidationError(_("The last period comes before the first."))


class MoveForm(PeriodsMixin, BootstrapMixin, forms.Form):
    date = forms.DateField(label=_("new date"), widget=date_widget())
    first_period = period_field(_("first period"))
    last_period = period_field(_("last period"))
    reason = forms.CharField(label=_("reason"), max_length=200)

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.check_periods("first_period", "last_period")
        return self.cleaned_data


class CancelForm(PeriodsMixin, BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=200)
    makeup_date = forms.DateField(
        label=_("make-up date"),
        required=False,
        widget=date_widget(),
        help_text=_("Leave empty to schedule the make-up later."),
    )
    makeup_first = period_field(_("make-up first period"), required=False)
    makeup_last = period_field(_("make-up last period"), required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        given = [data.get(name) for name in ("makeup_date", "makeup_first", "makeup_last")]
        if any(given) and not all(given):
            raise ValidationError(_("Give the make-up's date and both periods, or none of them."))
        self.check_periods("makeup_first", "makeup_last")
        return data

    def makeup(self) -> tuple[dt.date | None, tuple[int, int] | None]:
        data = self.cleaned_data
        if not data.get("makeup_date"):
            return None, None
        return data["makeup_date"], (data["makeup_first"], data["makeup_last"])


class MakeupForm(PeriodsMixin, BootstrapMixin, forms.Form):
    date = forms.DateField(label=_("make-up date"), widget=date_widget())
    first_period = period_field(_("first period"))
    last_period = period_field(_("last period"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.check_periods("first_period", "last_period")
        return self.cleaned_data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("approve")), ("reject", _("reject"))])

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class WeekForm(forms.Form):
    """Which week to show: a teaching week of the current term, or the week of a date."""

    week = forms.IntegerField(min_value=1, max_value=30, required=False)
    date = forms.DateField(required=False)
