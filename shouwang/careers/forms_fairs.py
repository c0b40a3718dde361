"""The forms of job fairs: a fair, an employer's room, a room's code typed by
a graduate, a room's attendance file, an offer and its answer, the fairs to
announce or write about."""

from __future__ import annotations

from functools import partial
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms import BootstrapMixin, CheckboxList, RadioList, SpreadsheetField
from shouwang.core.uploads import MultipleFileField
from shouwang.people.forms import PersonField
from shouwang.people.models import Person, Unit

from .actions import CODE_LENGTH
from .models import Destination, Employer, Evidence, JobFair, Position

# A room's export is a few hundred rows: a file past this is not one.
ATTENDANCE_MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# What accepting an offer makes the graduate's destination.
TAKEN_AS = (Destination.AGREEMENT, Destination.CONTRACT, Destination.OTHER_HIRE)


class FairForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = JobFair
        fields = [
            "title",
            "unit",
            "organiser",
            "held_on",
            "starts_at",
            "ends_at",
            "platform",
            "link",
            "description",
        ]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        # A link typed without its scheme is a meeting platform's: https.
        field_classes = {"link": partial(forms.URLField, assume_scheme="https")}

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units


class RoomEmployerForm(BootstrapMixin, forms.Form):
    """Which employer's room to add or change (a GET: the next form lists its positions)."""

    employer = forms.ModelChoiceField(
        label=_("employer"), queryset=Employer.objects.all(), empty_label=_("choose an employer")
    )


class RoomForm(BootstrapMixin, forms.Form):
    room_link = forms.URLField(
        label=_("video room link"),
        required=False,
        assume_scheme="https",
        help_text=_("The meeting link graduates open to enter the employer's room."),
    )
    positions = forms.ModelMultipleChoiceField(
        label=_("positions at this fair"),
        queryset=Position.objects.none(),
        required=False,
        widget=CheckboxList,
    )

    def __init__(self, *args: Any, employer: Employer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["positions"])
        field.queryset = employer.positions.order_by("title")


class RoomCodeForm(BootstrapMixin, forms.Form):
    code = forms.CharField(
        label=_("room code"),
        min_length=CODE_LENGTH,
        max_length=CODE_LENGTH + 4,
        help_text=_("The code the employer's room shows."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "inputmode": "text",
                "class": "text-uppercase",
            }
        ),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).upper()


class AttendanceUploadForm(BootstrapMixin, forms.Form):
    file = SpreadsheetField(
        label=_("Attendance file"),
        help_text=_(
            "The platform's export of the room (腾讯会议 参会成员明细, 钉钉 or 学习通): "
            ".xlsx, .xls or .csv"
        ),
        max_bytes=lambda: ATTENDANCE_MAX_UPLOAD_BYTES,
    )


class OfferForm(BootstrapMixin, forms.Form):
    """An offer of one employer (chosen first, so that a phone lists its
    positions only): a runner names the graduate; a graduate records their own."""

    graduate = PersonField(
        label=_("graduate"), help_text=_("The graduate's number (学号) or name."), required=True
    )
    position = forms.ModelChoiceField(
        label=_("position"),
        queryset=Position.objects.none(),
        required=False,
        empty_label=_("no particular position"),
    )
    fair = forms.ModelChoiceField(
        label=_("job fair"),
        queryset=JobFair.objects.none(),
        required=False,
        empty_label=_("not from a fair"),
        help_text=_("The fair it came from, if any."),
    )
    offered_on = forms.DateField(
        label=_("offered on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(
        self, *args: Any, employer: Employer, graduates: QuerySet[Person] | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if graduates is None:
            del self.fields["graduate"]
        else:
            cast(PersonField, self.fields["graduate"]).people = graduates
        cast(
            forms.ModelChoiceField, self.fields["position"]
        ).queryset = employer.positions.order_by("title")
        # The fairs the employer came to, newest first.
        cast(forms.ModelChoiceField, self.fields["fair"]).queryset = JobFair.objects.filter(
            employers__employer=employer
        ).order_by("-held_on")


class AcceptOfferForm(BootstrapMixin, forms.Form):
    destination = forms.ChoiceField(
        label=_("taken as"),
        choices=[(code, Destination(code).label) for code in TAKEN_AS],
        initial=Destination.AGREEMENT,
        widget=RadioList,
    )
    evidence = MultipleFileField(
        label=_("evidence"),
        validators=[Evidence.allowed()],
        help_text=_(
            "The signed agreement, the contract or the employer's letter: PDF, Word or images, "
            "up to 10 MB each."
        ),
    )


class FairsChoiceForm(BootstrapMixin, forms.Form):
    """The fairs a notice announces, or an article tells of."""

    fairs = forms.ModelMultipleChoiceField(
        label=_("job fairs"), queryset=JobFair.objects.none(), widget=CheckboxList
    )
    on_bulletin = forms.BooleanField(
        label=_("publish it on the bulletin's notices too"), required=False, initial=True
    )

    def __init__(
        self, *args: Any, fairs: QuerySet[JobFair], bulletin: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["fairs"]).queryset = fairs
        if not bulletin:
            del self.fields["on_bulletin"]
