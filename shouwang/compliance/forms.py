from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from shouwang.checkins.forms import DayForm
from shouwang.people.access import classes_for_user, units_for_user
from shouwang.people.models import AdminClass, Person, Unit

if TYPE_CHECKING:
    from django.http import QueryDict

    from shouwang.accounts.models import User


class OverviewForm(DayForm):
    by = forms.ChoiceField(
        label=_("by"),
        required=False,
        choices=[("class", _("class")), ("unit", _("unit")), ("counsellor", _("counsellor"))],
    )
    # Which part of the page an htmx request wants; "trend" without htmx is the
    # whole page with the trend in it.
    part = forms.ChoiceField(required=False, choices=[("counts", "counts"), ("trend", "trend")])


class MissingForm(DayForm):
    admin_class = forms.ModelChoiceField(
        label=_("class"), queryset=AdminClass.objects.none(), required=False
    )
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none(), required=False)
    counsellor = forms.ModelChoiceField(
        label=_("counsellor"), queryset=Person.objects.none(), required=False
    )
    no_class = forms.BooleanField(label=_("only people in no class"), required=False)

    scoped_fields = ("incident", "admin_class", "unit", "counsellor")

    def __init__(self, data: QueryDict | None, *, user: User, **kwargs: Any) -> None:
        # Query parameters are short: ?class=12, not ?admin_class=12.
        if data is not None and "class" in data:
            data = data.copy()
            data["admin_class"] = data.pop("class")[-1]
        super().__init__(data, user=user, **kwargs)
        classes = classes_for_user(user)
        cast(forms.ModelChoiceField, self.fields["admin_class"]).queryset = classes
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units_for_user(user)
        cast(forms.ModelChoiceField, self.fields["counsellor"]).queryset = Person.objects.filter(
            counselled_classes__in=classes
        ).distinct()
