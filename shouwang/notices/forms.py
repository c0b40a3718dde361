from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shouwang.core.forms import (
    SEPARATORS,
    BootstrapMixin,
    CheckboxList,
    RadioList,
    datetime_widget,
)
from shouwang.core.uploads import MultipleFileField
from shouwang.lib import clock
from shouwang.people.models import AdminClass, Branch, Person, Unit
from shouwang.volunteers.models import Team

from .audience import Audience, Kind, addresses_groups, reach_of
from .models import NoticeAttachment

if TYPE_CHECKING:
    import datetime as dt

    from django.forms import BoundField

    from shouwang.accounts.models import User


class NoticeForm(BootstrapMixin, forms.Form):
    """A notice and its audience. A counsellor is offered their own classes and
    may name only their own students; leaders and admins reach everyone."""

    title = forms.CharField(label=_("title"), max_length=200)
    body = forms.CharField(label=_("body"), widget=forms.Textarea(attrs={"rows": 8}))
    attachments = MultipleFileField(
        label=_("attachments"),
        required=False,
        validators=[NoticeAttachment.allowed()],
        help_text=_("PDF, Word, Excel, PowerPoint or images, up to 20 MB each."),
    )
    requires_acknowledgement = forms.BooleanField(
        label=_("recipients must acknowledge (“Received”)"), required=False
    )
    deadline = forms.DateTimeField(label=_("deadline"), required=False, widget=datetime_widget())
    everyone = forms.BooleanField(label=_("everyone in the college"), required=False)
    kind = forms.ChoiceField(
        label=_("of the groups chosen above, only"),
        choices=[
            (Kind.ALL, _("students and staff")),
            (Kind.STUDENTS, _("students")),
            (Kind.STAFF, _("staff")),
        ],
        initial=Kind.ALL,
        widget=RadioList,
    )
    units = forms.ModelMultipleChoiceField(
        label=_("units"), queryset=Unit.objects.all(), required=False, widget=CheckboxList
    )
    classes = forms.ModelMultipleChoiceField(
        label=_("classes"), queryset=AdminClass.objects.all(), required=False, widget=CheckboxList
    )
    branches = forms.ModelMultipleChoiceField(
        label=_("party and league branches"),
        queryset=Branch.objects.all(),
        required=False,
        widget=CheckboxList,
    )
    political_statuses = forms.MultipleChoiceField(
        label=_("political status"),
        choices=Person.PoliticalStatus.choices,
        required=False,
        widget=CheckboxList,
    )
    teams = forms.ModelMultipleChoiceField(
        label=_("volunteer teams"), queryset=Team.objects.all(), required=False, widget=CheckboxList
    )
    people = forms.CharField(
        label=_("named people"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Student or staff numbers, separated by spaces or commas."),
    )

    AUDIENCE_FIELDS = (
        "units",
        "classes",
        "branches",
        "political_statuses",
        "teams",
        "kind",
        "people",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.reach = reach_of(user)
        units = user.reach_unit_ids
        if addresses_groups(user) and units is not None:
            # A leader's groups are those of their units.
            fields = cast(dict[str, forms.ModelMultipleChoiceField], self.fields)
            fields["units"].queryset = Unit.objects.filter(pk__in=units)
            fields["classes"].queryset = AdminClass.objects.filter(unit_id__in=units)
            fields["branches"].queryset = Branch.objects.filter(unit_id__in=units)
            fields["teams"].queryset = Team.objects.filter(unit_id__in=units)
        if not addresses_groups(user):
            for name in ("everyone", "units", "branches", "teams"):
                del self.fields[name]
            self.fields["classes"].queryset = AdminClass.objects.filter(  # type: ignore[attr-defined]
                counsellor_id=user.person_id
            )
            self.fields["kind"].widget = forms.HiddenInput()

    def audience_fields(self) -> list[BoundField]:
        """The audience's fields shown to this writer, in order (not "everyone",
        which is a checkbox of its own)."""
        return [self[name] for name in self.AUDIENCE_FIELDS if name in self.fields]

    def clean_deadline(self) -> dt.datetime | None:
        deadline = self.cleaned_data["deadline"]
        if deadline is not None and deadline <= clock.now():
            raise ValidationError(_("The deadline must be in the future."))
        return deadline

    def clean_people(self) -> list[int]:
        numbers = [part for part in SEPARATORS.split(self.cleaned_data["people"]) if part]
        if not numbers:
            return []
        found = dict(self.reach.filter(number__in=numbers).values_list("number", "pk"))
        unknown = [number for number in numbers if number not in found]
        if unknown:
            raise ValidationError(
                ngettext(
                    "Not found among the people you may send notices to: %(numbers)s",
                    "Not found among the people you may send notices to: %(numbers)s",
                    len(unknown),
                )
                % {"numbers": "、".join(unknown)}
            )
        return sorted(set(found.values()))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if not self.errors and self.audience().is_empty:
            raise ValidationError(_("Choose who the notice is for."))
        return cleaned

    def audience(self) -> Audience:
        data = self.cleaned_data

        def ids(name: str) -> tuple[int, ...]:
            return tuple(sorted(row.pk for row in data.get(name) or ()))

        return Audience(
            everyone=bool(data.get("everyone")),
            kind=data.get("kind") or Kind.ALL,
            units=ids("units"),
            classes=ids("classes"),
            branches=ids("branches"),
            political_statuses=tuple(sorted(data.get("political_statuses") or ())),
            teams=ids("teams"),
            people=tuple(data.get("people") or ()),
        )
