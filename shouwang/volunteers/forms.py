from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms import BootstrapMixin, RadioList, datetime_widget
from shouwang.core.uploads import IMAGES, AllowedUpload
from shouwang.lib import clock, divisions
from shouwang.lib.text import clean_number
from shouwang.people.models import Person

from .models import PHOTO_MAX_BYTES, DutyDay

MAX_SHIFT = dt.timedelta(hours=24)
# Reports reach back over a long lockdown, not further.
OLDEST_REPORT = dt.timedelta(days=120)


class ShiftForm(BootstrapMixin, forms.Form):
    title = forms.CharField(
        label=_("title"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "核酸检测秩序维护"}),
        error_messages={"required": _("Say what the shift is for.")},
    )
    place = forms.CharField(
        label=_("place"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "体育馆"}),
        error_messages={"required": _("Say where the shift is.")},
    )
    starts_at = forms.DateTimeField(
        label=_("starts at"),
        widget=datetime_widget(),
        error_messages={
            "required": _("Give the time the shift starts."),
            "invalid": _("Give a date and time, such as 2022-04-16 08:00."),
        },
    )
    ends_at = forms.DateTimeField(
        label=_("ends at"),
        widget=datetime_widget(),
        error_messages={
            "required": _("Give the time the shift ends."),
            "invalid": _("Give a date and time, such as 2022-04-16 11:00."),
        },
    )
    places = forms.IntegerField(
        label=_("places needed"),
        min_value=1,
        max_value=500,
        error_messages={
            "required": _("Say how many people the shift needs."),
            "invalid": _("Give a whole number of people."),
            "min_value": _("A shift needs at least one person."),
            "max_value": _("At most 500 people on one shift; split a bigger one."),
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and starts <= clock.now():
            self.add_error("starts_at", _("A new shift must start in the future."))
        if starts and ends:
            if ends <= starts:
                self.add_error("ends_at", _("The shift must end after it starts."))
            elif ends - starts > MAX_SHIFT:
                self.add_error("ends_at", _("A shift lasts at most 24 hours."))
        return data


class StaffNumberField(forms.ModelChoiceField):
    """A member of staff given by their number: a university's staff are
    thousands, too many for a list to choose from (and to send with the page)."""

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Person.objects.none(), to_field_name="number", **kwargs)

    def to_python(self, value: Any) -> Any:
        return super().to_python(clean_number(value) if isinstance(value, str) else value)


class DutyForm(BootstrapMixin, forms.Form):
    person = StaffNumberField(
        label=_("staff number"),
        error_messages={
            "required": _("Give the number of who is on the roster."),
            "invalid_choice": _(
                "No member of staff numbered %(value)s among those whose days you keep."
            ),
        },
    )
    mode = forms.ChoiceField(
        label=_("where"),
        choices=DutyDay.Mode.choices,
        widget=RadioList,
        error_messages={
            "required": _("Choose on site or working remotely."),
            "invalid_choice": _("Choose on site or working remotely."),
        },
    )
    role = forms.CharField(
        label=_("role that day"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "值班 / 宿舍管理 / 心理疏导 / 联络员"}),
        error_messages={"max_length": _("Keep the role to %(limit_value)d characters.")},
    )

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class DayForm(forms.Form):
    """The roster page's day (?date=); a wrong one counts as today. ?mode=
    shows one mode only (on site: those the leaders' cockpit counts)."""

    date = forms.DateField(required=False)
    mode = forms.ChoiceField(choices=DutyDay.Mode.choices, required=False)

    def day(self) -> dt.date:
        if self.is_valid() and self.cleaned_data["date"]:
            return self.cleaned_data["date"]
        return clock.today()

    def chosen_mode(self) -> str:
        return self.cleaned_data.get("mode", "") if self.is_valid() else ""


class ServiceReportForm(BootstrapMixin, forms.Form):
    date = forms.DateField(
        label=_("date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Give the day you served."),
            "invalid": _("Give a date, such as 2022-04-10."),
        },
    )
    province = forms.ChoiceField(
        label=_("province"),
        choices=lambda: [("", _("Choose a province")), *divisions.province_choices()],
        error_messages={
            "required": _("Choose the province of your home community."),
            "invalid_choice": _("Choose a province from the list."),
        },
    )
    city = forms.CharField(
        label=_("city (code or name, optional)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "太原市"}),
    )
    place = forms.CharField(
        label=_("community"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "小店区坞城街道XX社区"}),
        error_messages={"required": _("Name the community where you served.")},
    )
    activity = forms.CharField(
        label=_("what you did"),
        max_length=1000,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "协助社区开展核酸检测，维持现场秩序"}
        ),
        error_messages={
            "required": _("Say what you did."),
            "max_length": _("Keep it to %(limit_value)d characters (it has %(show_value)d)."),
        },
    )
    hours = forms.DecimalField(
        label=_("hours"),
        min_value=Decimal("0.5"),
        max_value=Decimal("24"),
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
        error_messages={
            "required": _("Say how many hours you served."),
            "invalid": _("Give hours as a number, such as 3 or 2.5."),
            "min_value": _("Give at least half an hour."),
            "max_value": _("A day has at most 24 hours."),
            "max_decimal_places": _("Give hours to one decimal place at most, such as 2.5."),
            "max_digits": _("Give hours as a number, such as 3 or 2.5."),
            "max_whole_digits": _("Give hours as a number, such as 3 or 2.5."),
        },
    )
    photo = forms.FileField(
        label=_("photo (optional)"),
        required=False,
        validators=[AllowedUpload(IMAGES, PHOTO_MAX_BYTES)],
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
        help_text=_("A photo's location and other metadata are removed when it is saved."),
    )

    def clean_date(self) -> dt.date:
        day = self.cleaned_data["date"]
        today = clock.today()
        if day > today:
            self.add_error("date", _("Report service you have done, not service to come."))
        elif day < today - OLDEST_REPORT:
            self.add_error("date", _("That is too long ago to report."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        province, city = data.get("province"), (data.get("city") or "").strip()
        data["city"] = ""
        if province and city:
            # A city may be typed by name ("太原" or "太原市") or chosen by code.
            for code, name in divisions.city_choices(province):
                if city in (code, name, name.removesuffix("市")):
                    data["city"] = code
                    break
            else:
                self.add_error(
                    "city",
                    _("That city is not in %(province)s: check its name, or leave it empty.")
                    % {"province": divisions.label(province)},
                )
        return data


class ReviewForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("approve", _("approve")), ("return", _("return"))],
        widget=RadioList,
        error_messages={
            "required": _("Choose approve or return."),
            "invalid_choice": _("Choose approve or return."),
        },
    )
    note = forms.CharField(
        label=_("reason (needed to return it)"),
        max_length=200,
        required=False,
        error_messages={"max_length": _("Keep the reason to %(limit_value)d characters.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if data.get("decision") == "return" and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why it is returned, so the student can put it right."))
        return data
