"""The period the leaders' leave counts cover."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms import BootstrapMixin
from shouwang.lib import clock

# A term at most: the figures of a longer period say little a term's do not.
MAX_DAYS = 200


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(BootstrapMixin, forms.Form):
    first = forms.DateField(label=_("first day"), required=False, widget=_date_widget())
    last = forms.DateField(label=_("last day"), required=False, widget=_date_widget())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        first, last = cleaned.get("first"), cleaned.get("last")
        if first and last:
            if last < first:
                self.add_error("last", _("The period ends before it begins."))
            elif (last - first).days >= MAX_DAYS:
                self.add_error("last", _("Choose at most %(days)d days.") % {"days": MAX_DAYS})
        return cleaned

    def period(self) -> tuple[dt.date, dt.date]:
        """The chosen days (today, by default; one day when only one end is given)."""
        today = clock.today()
        if not self.is_valid():
            return today, today
        first, last = self.cleaned_data.get("first"), self.cleaned_data.get("last")
        first = first or last or today
        return first, last or first
