from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shouwang.checkins.queries import incident_choices
from shouwang.core.forms import BootstrapMixin
from shouwang.incidents.models import Incident
from shouwang.lib import divisions
from shouwang.people.access import classes_for_user, units_for_user
from shouwang.people.models import AdminClass, Unit

from .models import Flag, FlagAction, RiskRegion

if TYPE_CHECKING:
    from django.http import QueryDict

    from shouwang.accounts.models import User


class FlagFilterForm(BootstrapMixin, forms.Form):
    incident = forms.ModelChoiceField(
        label=_("incident"), queryset=Incident.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("open", _("open")), ("resolved", _("resolved")), ("all", _("all"))],
    )
    reason = forms.ChoiceField(
        label=_("reason"), required=False, choices=[("", _("any reason")), *Flag.Reason.choices]
    )
    admin_class = forms.ModelChoiceField(
        label=_("class"), queryset=AdminClass.objects.none(), required=False
    )
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none(), required=False)
    date = forms.DateField(
        label=_("date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data: QueryDict | None, *, user: User, **kwargs: Any) -> None:
        # Query parameters are short: ?class=12, not ?admin_class=12.
        if data is not None and "class" in data:
            data = data.copy()
            data["admin_class"] = data.pop("class")[-1]
        super().__init__(data, **kwargs)
        incident = cast(forms.ModelChoiceField, self.fields["incident"])
        incident.queryset = incident_choices(user)
        incident.empty_label = None
        admin_class = cast(forms.ModelChoiceField, self.fields["admin_class"])
        admin_class.queryset = classes_for_user(user)
        admin_class.empty_label = _("all classes")
        if user.oversees:
            # A university has thousands of classes: leaders pick a unit; a
            # class still comes by link (?class=).
            admin_class.widget = forms.HiddenInput()
            cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units_for_user(user)
        else:
            del self.fields["unit"]


class FlagActionForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("What was done"),
        choices=FlagAction.Outcome.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        min_length=2,
        max_length=2000,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "placeholder": _("e.g. called, temperature 36.8 now, will check again tomorrow"),
            }
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Radio buttons, not a text box: undo the mixin's form-control.
        self.fields["outcome"].widget.attrs["class"] = "form-check-input"


def region_choices() -> list:
    """Every province, as a whole and city by city, grouped by province."""
    choices: list = [("", "---------")]
    for province in divisions.provinces():
        whole = gettext("%(province)s (whole province)") % {"province": province["name"]}
        options = [(province["code"], whole)]
        options += [(city["code"], city["name"]) for city in province["cities"]]
        choices.append((province["name"], options))
    return choices


class MarkRegionForm(BootstrapMixin, forms.Form):
    region = forms.ChoiceField(label=_("Province or city"), choices=region_choices)

    def clean_region(self) -> tuple[str, str]:
        code = self.cleaned_data["region"]
        if len(code) == 2:
            return code, ""
        return code[:2], code


class UnmarkRegionForm(forms.Form):
    unmark = forms.ModelChoiceField(queryset=RiskRegion.objects.none())

    def __init__(self, data: QueryDict | None, *, incident: Incident, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        unmark = cast(forms.ModelChoiceField, self.fields["unmark"])
        unmark.queryset = RiskRegion.objects.filter(incident=incident)
