"""The forms of taking part: an activity (in full for leaders, its rules and
dates for its organisers), a team, an entry, a session and its attendance
file, an award won outside, the list's filter."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms import (
    SEPARATORS,
    BootstrapMixin,
    CheckboxList,
    SpreadsheetField,
    datetime_widget,
)
from shouwang.core.uploads import MultipleFileField
from shouwang.people.forms import PeopleField, find_person
from shouwang.people.models import AdminClass, Person, Unit

from .actions import ENTRY_MAX_BYTES, MAX_FILES
from .models import Activity, EntryFile, ExternalAward, Prize, Session, SignUp

# A meeting's export of a college-wide forum is a few thousand rows at most.
ATTENDANCE_MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ClassChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: AdminClass) -> str:
        return obj.name


class ActivityForm(BootstrapMixin, forms.ModelForm):
    """An activity in full, as a leader or an admin opens it."""

    organisers = PeopleField(
        label=_("organisers"),
        required=False,
        help_text=_("Numbers or names of the staff who run it, separated by 、 or spaces."),
    )
    classes = ClassChoiceField(
        label=_("classes"),
        queryset=AdminClass.objects.none(),
        required=False,
        widget=CheckboxList,
        help_text=_("Only for an activity open to some classes."),
    )
    entry_kinds = forms.MultipleChoiceField(
        label=_("entry kinds"),
        choices=Activity.EntryKind.choices,
        required=False,
        widget=CheckboxList,
        help_text=_("None: the activity takes no entries."),
    )

    class Meta:
        model = Activity
        fields = [
            "title",
            "kind",
            "unit",
            "organiser",
            "starts_on",
            "ends_on",
            "rules",
            "audience",
            "external",
            "signup_closes_at",
            "entries_close_at",
            "entry_kinds",
            "team_size_max",
            "hours",
        ]
        widgets = {
            "starts_on": _date_widget(),
            "ends_on": _date_widget(),
            "signup_closes_at": datetime_widget(),
            "entries_close_at": datetime_widget(),
            "rules": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        classes: QuerySet[AdminClass],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units
        cast(forms.ModelChoiceField, self.fields["classes"]).queryset = classes.order_by("name")
        if self.instance.pk:
            self.fields["organisers"].initial = list(self.instance.organisers.all())
            self.fields["classes"].initial = list(self.instance.classes.all())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("audience") == Activity.Audience.CLASSES and not data.get("classes"):
            self.add_error("classes", gettext("Choose the classes the activity is open to."))
        if data.get("entry_kinds") and not data.get("entries_close_at"):
            self.add_error("entries_close_at", gettext("Say when entries close."))
        return data


class ActivityDatesForm(BootstrapMixin, forms.ModelForm):
    """What an activity's organisers may change: its rules and dates."""

    class Meta:
        model = Activity
        fields = ["starts_on", "ends_on", "signup_closes_at", "entries_close_at", "rules"]
        widgets = ActivityForm.Meta.widgets


class StudentsField(forms.CharField):
    """Students typed as their numbers (学号), separated by 、 , or spaces."""

    def clean(self, value: Any) -> list[Person]:  # type: ignore[override]
        text = super().clean(value) or ""
        students = Person.objects.filter(kind=Person.Kind.STUDENT)
        found: list[Person] = []
        errors: list[forms.ValidationError] = []
        for part in SEPARATORS.split(text):
            if not part:
                continue
            try:
                person = find_person(part, students)
            except forms.ValidationError as error:
                errors.append(error)
                continue
            if person not in found:
                found.append(person)
        if errors:
            raise forms.ValidationError(errors)
        return found


class TeamForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("team name"), max_length=100)
    members = StudentsField(
        label=_("the other members' numbers (学号)"),
        required=False,
        help_text=_("Separated by 、 or spaces; you are the leader."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class EntryForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = MultipleFileField(label=_("files"), validators=[EntryFile.allowed()])

    def __init__(self, *args: Any, activity: Activity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limits = "；".join(
            f"{Activity.EntryKind(kind).label} {filesizeformat(ENTRY_MAX_BYTES[kind])}"
            for kind in activity.entry_kinds
        )
        self.fields["attachments"].help_text = gettext(
            "Up to %(count)d files. Largest: %(limits)s."
        ) % {
            "count": MAX_FILES,
            "limits": limits,
        }


class SessionForm(BootstrapMixin, forms.ModelForm):
    link = forms.URLField(label=_("link"), required=False, assume_scheme="https")

    class Meta:
        model = Session
        fields = ["title", "starts_at", "ends_at", "platform", "link", "speaker"]
        widgets = {"starts_at": datetime_widget(), "ends_at": datetime_widget()}
        labels = {"platform": _("meeting platform")}


class AttendanceUploadForm(BootstrapMixin, forms.Form):
    file = SpreadsheetField(
        label=_("Attendance file"),
        help_text=_(
            "The platform's export (腾讯会议 参会成员明细, 钉钉 or 学习通 签到): "
            ".xlsx, .xls or .csv"
        ),
        max_bytes=lambda: ATTENDANCE_MAX_UPLOAD_BYTES,
    )


class SignUpChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SignUp) -> str:
        team = f"（{obj.team.name}）" if obj.team_id and obj.team else ""
        return f"{obj.person.name} {obj.person.number}{team}"


class ExternalAwardForm(BootstrapMixin, forms.Form):
    signup = SignUpChoiceField(
        label=_("student"), queryset=SignUp.objects.none(), empty_label=_("choose a student")
    )
    level = forms.ChoiceField(label=_("award level"), choices=ExternalAward.Level.choices)
    prize = forms.ChoiceField(label=_("prize"), choices=Prize.choices)
    awarded_on = forms.DateField(label=_("awarded on"), widget=_date_widget())

    def __init__(self, *args: Any, activity: Activity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["signup"]
        ).queryset = activity.signups.select_related("person", "team").order_by("person__number")


class ActivityFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"), choices=[("", _("all kinds")), *Activity.Kind.choices], required=False
    )


def quota_left(used: int) -> int | None:
    """What a person may still upload, None with no quota."""
    limit = settings.UPLOAD_QUOTA_MB * 1024 * 1024
    return max(limit - used, 0) if limit else None
