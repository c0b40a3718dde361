"""The forms of attendance: a platform's file, a row resolved by hand, a
lesson marked on a phone, readiness, the week of absences."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms import BootstrapMixin, SpreadsheetField
from shouwang.people.models import Person

from .models import Attendance

# A lesson's attendance export is a few hundred rows: a file past this is not one.
ATTENDANCE_MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class AttendanceUploadForm(BootstrapMixin, forms.Form):
    file = SpreadsheetField(
        label=_("Attendance file"),
        help_text=_(
            "The platform's export (腾讯会议 参会成员明细, 钉钉 or 学习通 签到): "
            ".xlsx, .xls or .csv"
        ),
        max_bytes=lambda: ATTENDANCE_MAX_UPLOAD_BYTES,
    )


class StudentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name} {obj.number}"


class ResolveRowForm(BootstrapMixin, forms.Form):
    """Whose an unmatched row of an export is."""

    row = forms.IntegerField(widget=forms.HiddenInput)
    student = StudentChoiceField(
        label=_("Student"), queryset=Person.objects.none(), empty_label=_("choose a student")
    )

    def __init__(self, *args: Any, students: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["student"])
        field.queryset = Person.objects.filter(pk__in=[student.pk for student in students])


class MarkAttendanceForm(forms.Form):
    """One radio list per enrolled student: present, late, absent, on leave."""

    def __init__(
        self, *args: Any, students: list[Person], initial_statuses: dict[int, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.students = students
        for student in students:
            self.fields[self.key(student)] = forms.ChoiceField(
                label=f"{student.name} {student.number}",
                choices=Attendance.Status.choices,
                initial=initial_statuses.get(student.pk, Attendance.Status.PRESENT),
                widget=forms.RadioSelect(attrs={"class": "btn-check"}),
            )

    @staticmethod
    def key(student: Person) -> str:
        return f"student_{student.pk}"

    def rows(self) -> list[tuple[Person, forms.BoundField]]:
        return [(student, self[self.key(student)]) for student in self.students]

    def statuses(self) -> dict[int, tuple[str, int | None]]:
        return {
            student.pk: (self.cleaned_data[self.key(student)], None) for student in self.students
        }


class ReadinessForm(BootstrapMixin, forms.Form):
    no_device = forms.BooleanField(
        label=_("I have no computer or phone to attend on"), required=False
    )
    poor_network = forms.BooleanField(
        label=_("My network is too poor for live lessons"), required=False
    )
    note = forms.CharField(
        label=_("Anything else your counsellor should know"), max_length=200, required=False
    )


class AbsenceWeekForm(forms.Form):
    """?week=: any day of the week shown; the current week without it."""

    week = forms.DateField(required=False)

    def monday(self, today: dt.date) -> dt.date:
        day = (self.cleaned_data.get("week") if self.is_valid() else None) or today
        return day - dt.timedelta(days=day.weekday())
