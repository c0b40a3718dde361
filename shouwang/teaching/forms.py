from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms import BootstrapMixin
from shouwang.core.models import CalendarDay
from shouwang.lib.spreadsheets import EXTENSIONS

from .models import Term


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
    file = forms.FileField(label=_("File"), help_text=_(".xlsx, .xls or .csv"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = Term.current()
        if current is not None:
            self.fields["term"].initial = current.pk

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in EXTENSIONS:
            raise forms.ValidationError(_("Upload an .xlsx, .xls or .csv file."))
        if upload.size > settings.ROSTER_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s.")
                % {"limit": filesizeformat(settings.ROSTER_MAX_UPLOAD_BYTES)}
            )
        return upload
