import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms import BootstrapMixin, RadioList, datetime_widget
from shouwang.lib import clock

from .models import Referral

NOTE_MAX = 5000


class ReferralForm(BootstrapMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("reason"),
        choices=Referral.Reason.choices,
        widget=RadioList,
        error_messages={"required": _("Choose the main reason.")},
    )
    urgency = forms.ChoiceField(
        label=_("urgency"),
        choices=Referral.Urgency.choices,
        widget=RadioList,
        initial=Referral.Urgency.ROUTINE,
        help_text=_("If the student may harm themselves or others, call the duty line now."),
        error_messages={"required": _("Choose how urgent this is.")},
    )
    summary = forms.CharField(
        label=_("what you noticed"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the support workers and you can read this; it is stored encrypted."),
        error_messages={"required": _("Say briefly what you noticed.")},
    )

    def clean_summary(self) -> str:
        summary = self.cleaned_data["summary"].strip()
        if not summary:
            raise ValidationError(_("Say briefly what you noticed."))
        return summary


class ConsentForm(BootstrapMixin, forms.Form):
    consented_at = forms.DateTimeField(
        label=_("consent given at"),
        widget=datetime_widget(),
        error_messages={
            "required": _("Give the time the student consented."),
            "invalid": _("Give the time as a date and a time."),
        },
    )
    method = forms.ChoiceField(
        label=_("how consent was given"),
        choices=Referral.ConsentMethod.choices,
        widget=RadioList,
        error_messages={"required": _("Choose how the student consented.")},
    )

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        self.referral = referral
        super().__init__(*args, **kwargs)

    def clean_consented_at(self) -> dt.datetime:
        value = self.cleaned_data["consented_at"]
        if value > clock.now():
            raise ValidationError(_("Consent cannot be given in the future."))
        if value < self.referral.created_at.replace(second=0, microsecond=0):
            raise ValidationError(_("Consent to this referral cannot come before the referral."))
        return value


class NoteForm(BootstrapMixin, forms.Form):
    body = forms.CharField(
        label=_("note"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the note first.")},
    )

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise ValidationError(_("Write the note first."))
        return body


class StatusForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("take", "take"), ("close", "close")],
        error_messages={
            "required": _("Choose what to do."),
            "invalid_choice": _("Choose what to do."),
        },
    )


class ListFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False,
        choices=[("", _("active")), *Referral.Status.choices],
    )
