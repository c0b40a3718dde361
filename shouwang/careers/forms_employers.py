"""Employers, positions, the position list's filter, the employer import's
upload and the digest's mute."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.core.forms import BootstrapMixin, CheckboxList, SpreadsheetField
from shouwang.lib.text import clean_phone

from .models import Employer, Position
from .queries import roster_programmes


class EmployerForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Employer
        fields = ["name", "sector", "city", "contact_name", "contact_phone", "contact_email"]

    def clean_contact_phone(self) -> str:
        phone = clean_phone(self.cleaned_data["contact_phone"])
        if phone is None:
            raise forms.ValidationError(_("This does not look like a phone number."))
        return phone


class PositionForm(BootstrapMixin, forms.ModelForm):
    """A position and the majors it wants, chosen from the roster's programmes."""

    majors = forms.MultipleChoiceField(
        label=gettext_lazy("majors wanted"),
        required=False,
        widget=CheckboxList,
        help_text=gettext_lazy("None chosen: every major."),
    )

    class Meta:
        model = Position
        fields = [
            "employer",
            "title",
            "city",
            "salary_min",
            "salary_max",
            "openings",
            "deadline",
            "description",
        ]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        wanted: list[str] = []
        if self.instance.pk:
            wanted = sorted(self.instance.majors.values_list("programme", flat=True))
            self.initial["majors"] = wanted
        # A major the position wants that left the roster stays on offer, not dropped unseen.
        programmes = sorted(set(roster_programmes()) | set(wanted))
        self.fields["majors"].choices = [(p, p) for p in programmes]  # type: ignore[attr-defined]
        self.fields["employer"].queryset = Employer.objects.order_by("name")  # type: ignore[attr-defined]


class PositionFilterForm(BootstrapMixin, forms.Form):
    """The position list's filter: words, major, city, employer, open or all."""

    OPEN, ALL = "open", "all"

    q = forms.CharField(label=gettext_lazy("search"), required=False, max_length=100)
    major = forms.ChoiceField(label=gettext_lazy("major"), required=False)
    city = forms.CharField(label=gettext_lazy("city"), required=False, max_length=50)
    employer = forms.ModelChoiceField(
        label=gettext_lazy("employer"),
        queryset=Employer.objects.none(),
        required=False,
        widget=forms.HiddenInput,
    )
    show = forms.ChoiceField(
        label=gettext_lazy("show"),
        required=False,
        choices=[(OPEN, gettext_lazy("open positions")), (ALL, gettext_lazy("all positions"))],
    )
    mine = forms.BooleanField(label=gettext_lazy("for my major"), required=False)

    def __init__(self, *args: Any, graduate_major: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["major"].choices = [  # type: ignore[attr-defined]
            ("", _("every major")),
            *((p, p) for p in roster_programmes()),
        ]
        self.fields["employer"].queryset = Employer.objects.all()  # type: ignore[attr-defined]
        if not graduate_major:
            del self.fields["mine"]


class EmployerImportForm(BootstrapMixin, forms.Form):
    file = SpreadsheetField(
        label=gettext_lazy("File"), max_bytes=lambda: settings.ROSTER_MAX_UPLOAD_BYTES
    )


class DigestMuteForm(forms.Form):
    muted = forms.BooleanField(required=False)
