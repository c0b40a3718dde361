from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db import models
from django.http import Http404, QueryDict
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from shouwang.accounts.http import AuthedRequest
from shouwang.core.forms import BootstrapMixin, SharedFieldsMixin
from shouwang.incidents.models import Incident
from shouwang.lib import clock, divisions

from .models import Location, Symptom
from .queries import default_day, default_incident, incident_choices

if TYPE_CHECKING:
    from shouwang.accounts.models import User

    from .models import CheckIn

MIN_TEMPERATURE = Decimal("35.0")
MAX_TEMPERATURE = Decimal("42.0")
# What phone keyboards add to a temperature: "36.5℃", "36.5度", "36,5".
_TEMPERATURE_NOISE = re.compile(r"\s|°c|°|℃|度|c$", re.IGNORECASE)

YES_NO = [("no", _("no")), ("yes", _("yes"))]


class Health(models.TextChoices):
    NORMAL = "normal", _("well")
    UNWELL = "unwell", _("not well")


def _yes(value: str) -> bool:
    return value == "yes"


class TemperatureField(forms.DecimalField):
    """Degrees Celsius to one decimal, as typed on a phone."""

    def __init__(self, **kwargs: Any) -> None:
        message = _("Enter a temperature between 35.0 and 42.0 °C, such as 36.5.")
        super().__init__(
            max_digits=3,
            decimal_places=1,
            min_value=MIN_TEMPERATURE,
            max_value=MAX_TEMPERATURE,
            error_messages={
                "invalid": message,
                "min_value": message,
                "max_value": message,
                "max_digits": message,
                "max_whole_digits": message,
                "max_decimal_places": _("Give one decimal place at most, such as 36.5."),
            },
            **kwargs,
        )
        self.widget = forms.TextInput(
            attrs={"inputmode": "decimal", "autocomplete": "off", "class": "form-control"}
        )

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            # Chinese keyboards type full-width digits and "．"; NFKC makes them ASCII.
            value = unicodedata.normalize("NFKC", value).replace(",", ".")
            value = _TEMPERATURE_NOISE.sub("", value)
        return super().to_python(value)


class Select(forms.Select):
    """A select whose options are written by its own template, not one template each."""

    template_name = "checkins/widgets/select.html"


# Toggle buttons as big as a thumb; they need no JavaScript.
TOGGLE = {"class": "btn-check", "autocomplete": "off"}


class CheckInForm(SharedFieldsMixin, forms.Form):
    """A day's answers. `key` comes with the page: a double tap or a retried
    request sends the same key, and the same key is the same submission.

    The whole college posts it within the hour: its forms share their fields
    but the city, whose list follows the chosen province."""

    copied_fields = ("city",)

    key = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("This form is out of date. Check your answers and submit again."),
            "invalid": _("This form is out of date. Check your answers and submit again."),
        },
    )
    # Set when the person confirmed yesterday's answers rather than filling the form.
    same_as_yesterday = forms.BooleanField(required=False, widget=forms.HiddenInput)
    location = forms.ChoiceField(
        label=_("Where are you today?"),
        choices=Location.choices,
        widget=forms.RadioSelect(attrs=TOGGLE),
        error_messages={
            "required": _("Choose where you are today."),
            "invalid_choice": _("Choose on campus, at home or elsewhere."),
        },
    )
    province = forms.ChoiceField(
        label=_("Province"),
        required=False,
        # Read from the divisions' file when first needed, not when imported.
        choices=lambda: [("", _("Choose a province")), *divisions.province_choices()],
        # With htmx, the city list follows the province without a round trip.
        widget=Select(
            attrs={
                "hx-get": reverse_lazy("checkins:today"),
                "hx-trigger": "change",
                "hx-target": "#city-field",
                "hx-swap": "outerHTML",
                "class": "form-select",
            }
        ),
        error_messages={"invalid_choice": _("Choose a province from the list.")},
    )
    city = forms.CharField(
        label=_("City"), required=False, widget=Select(attrs={"class": "form-select"})
    )
    health = forms.ChoiceField(
        label=_("How are you?"),
        choices=Health.choices,
        widget=forms.RadioSelect(attrs=TOGGLE),
        error_messages={
            "required": _("Say whether you are well."),
            "invalid_choice": _("Choose well or not well."),
        },
    )
    symptoms = forms.MultipleChoiceField(
        label=_("Symptoms (if not well)"),
        choices=Symptom.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs=TOGGLE),
        error_messages={"invalid_choice": _("Choose symptoms from the list.")},
    )
    temperature = TemperatureField(
        label=_("Temperature (°C, optional)"),
        required=False,
    )
    contact_with_case = forms.TypedChoiceField(
        label=_("Contact with a confirmed or suspected case in the last 14 days?"),
        choices=YES_NO,
        coerce=_yes,
        widget=forms.RadioSelect(attrs=TOGGLE),
        error_messages={
            "required": _("Answer yes or no."),
            "invalid_choice": _("Answer yes or no."),
        },
    )
    stayed_in_risk_area = forms.TypedChoiceField(
        label=_("Stayed in or passed through a risk area in the last 14 days?"),
        choices=YES_NO,
        coerce=_yes,
        widget=forms.RadioSelect(attrs=TOGGLE),
        error_messages={
            "required": _("Answer yes or no."),
            "invalid_choice": _("Answer yes or no."),
        },
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        error_messages={
            "max_length": _("Keep the note to %(limit_value)d characters (it has %(show_value)d)."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        city = cast(Select, self.fields["city"].widget)
        # Lazy: a submission is validated without its city list ever being built.
        city.choices = partial(self.city_choices, self.chosen_province())  # type: ignore[assignment]

    def chosen_province(self) -> str:
        if self.is_bound:
            return self.data.get(self.add_prefix("province"), "")
        return self.initial.get("province", "") or ""

    @staticmethod
    def city_choices(province: str) -> list[tuple[str, str]]:
        cities = divisions.city_choices(province)
        if not cities:
            return [("", str(_("Choose the province first")))]
        return [("", str(_("Choose a city"))), *cities]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        location = data.get("location")
        if location == Location.CAMPUS:
            # Someone who first chose "at home" and then "on campus" left a
            # province behind; on campus has no province, right or wrong.
            data["province"] = data["city"] = ""
            for name in ("province", "city"):
                self.errors.pop(name, None)
        elif location:
            self._clean_place(data)
        health = data.get("health")
        symptoms = data.get("symptoms") or []
        if health == Health.NORMAL and symptoms:
            self.add_error(
                "symptoms",
                _("You said you are well: untick the symptoms, or choose “not well”."),
            )
        elif health == Health.UNWELL and not symptoms and "symptoms" not in self.errors:
            self.add_error("symptoms", _("Tick at least one symptom."))
        return data

    def _clean_place(self, data: dict[str, Any]) -> None:
        province, city = data.get("province", ""), data.get("city", "")
        if "province" in self.errors:
            return
        if not province:
            self.add_error("province", _("Choose the province you are in."))
        elif not city:
            self.add_error("city", _("Choose the city you are in."))
        elif not divisions.is_city_of(city, province):
            self.add_error(
                "city",
                _("That city is not in %(province)s: choose one of its cities.")
                % {"province": divisions.label(province)},
            )

    def answers(self) -> dict:
        """The cleaned answers as CheckIn fields."""
        data = self.cleaned_data
        return {
            "location": data["location"],
            "province": data["province"],
            "city": data["city"],
            "symptoms": data["symptoms"] if data["health"] == Health.UNWELL else [],
            "temperature": data["temperature"],
            "contact_with_case": data["contact_with_case"],
            "stayed_in_risk_area": data["stayed_in_risk_area"],
            "note": data["note"].strip(),
        }

    @staticmethod
    def initial_from(checkin: CheckIn) -> dict:
        """A check-in's answers as the form's initial values (to change or to confirm)."""
        return {
            "location": checkin.location,
            "province": checkin.province,
            "city": checkin.city,
            "health": Health.UNWELL if checkin.symptoms else Health.NORMAL,
            "symptoms": list(checkin.symptoms),
            "temperature": checkin.temperature,
            "contact_with_case": "yes" if checkin.contact_with_case else "no",
            "stayed_in_risk_area": "yes" if checkin.stayed_in_risk_area else "no",
            "note": checkin.note,
        }


class PageForm(forms.Form):
    """The check-in page's query string: which view of it, and (for the htmx
    city list) a province."""

    SAME = "same"  # confirm yesterday's answers
    YESTERDAY = "yesterday"  # the form filled in with yesterday's answers
    CHANGE = "change"  # the form filled in with today's answers

    show = forms.ChoiceField(
        required=False, choices=[(SAME, SAME), (YESTERDAY, YESTERDAY), (CHANGE, CHANGE)]
    )
    province = forms.ChoiceField(required=False, choices=divisions.province_choices)

    def value(self, name: str) -> str:
        """A valid parameter's value; a wrong one counts as absent."""
        self.is_valid()
        return self.cleaned_data.get(name) or ""


class PrivacyForm(forms.Form):
    """Accepting the notice: the version the person read, so that accepting an
    older page after the notice changed accepts nothing."""

    version = forms.CharField(max_length=20, widget=forms.HiddenInput)


class DayForm(BootstrapMixin, forms.Form):
    """Which incident and day a page of check-ins shows; both default (see `chosen`)."""

    incident = forms.ModelChoiceField(
        label=_("incident"), queryset=Incident.objects.none(), required=False
    )
    date = forms.DateField(
        label=_("date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    # Fields naming something the viewer may not see: an error in one is 404.
    scoped_fields: tuple[str, ...] = ("incident",)

    def __init__(self, data: QueryDict | None, *, user: User, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        incident = cast(forms.ModelChoiceField, self.fields["incident"])
        incident.queryset = incident_choices(user)
        incident.empty_label = None

    def clean_date(self) -> dt.date:
        day = self.cleaned_data["date"]
        if day and day > clock.today():
            raise forms.ValidationError(_("That day has not come yet."))
        return day

    @classmethod
    def chosen(cls, request: AuthedRequest) -> tuple[DayForm, Incident | None, dt.date]:
        """The validated form of the request's query, its incident and day. An
        incident (or whatever else a scoped field names) outside the viewer's
        scope is 404; a bad date falls back to the default."""
        form = cls(request.GET, user=request.user)
        form.is_valid()
        if any(name in form.errors for name in cls.scoped_fields):
            raise Http404
        data = form.cleaned_data
        incident = data.get("incident") or default_incident(request.user)
        day = data.get("date")
        if day and incident and not incident.covers(day):
            form.add_error("date", _("The incident did not run that day."))
            day = None
        if not day:
            day = default_day(incident) if incident else clock.today()
        # Show what the page shows, defaults included, in the form's fields.
        shown = cast(QueryDict, form.data).copy()
        shown["date"] = day.isoformat()
        if incident:
            shown["incident"] = str(incident.pk)
        form.data = shown
        return form, incident, day
