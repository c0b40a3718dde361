"""The forms of supervision and of the online-teaching report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from shouwang.accounts.models import Role, people_with_role
from shouwang.core.forms import BootstrapMixin, CheckboxList, RadioList
from shouwang.lib import clock
from shouwang.people.models import Person, Unit

from .access import overseen_classes_q, overseen_unit_ids
from .models import Criterion, Lesson, Observation, TeachingClass

if TYPE_CHECKING:
    from django.http import QueryDict

    from shouwang.accounts.models import User

# The longest range a report covers: a term and then some.
MAX_REPORT_DAYS = 200


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AssignObservationForm(BootstrapMixin, forms.Form):
    """A supervisor, a teaching class and a day; the lessons of that class that
    day to observe (all of them if none is ticked)."""

    supervisor = forms.ModelChoiceField(label=_("supervisor"), queryset=Person.objects.none())
    teaching_class = forms.ModelChoiceField(
        label=_("teaching class"), queryset=TeachingClass.objects.none()
    )
    date = forms.DateField(label=_("date"), widget=_date_widget())
    lessons = forms.ModelMultipleChoiceField(
        label=_("lessons"),
        queryset=Lesson.objects.none(),
        required=False,
        widget=CheckboxList,
        help_text=_("None ticked: every lesson of the class that day."),
    )

    def __init__(self, data: QueryDict | None = None, *, user: User, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        fields = self.fields
        cast(forms.ModelChoiceField, fields["supervisor"]).queryset = people_with_role(
            Role.SUPERVISOR
        ).order_by("name")
        classes = TeachingClass.objects.filter(overseen_classes_q(user))
        cast(forms.ModelChoiceField, fields["teaching_class"]).queryset = classes
        cast(forms.ModelMultipleChoiceField, fields["lessons"]).queryset = Lesson.objects.filter(
            teaching_class__in=classes
        ).exclude(status=Lesson.Status.CANCELLED)

    def lessons_in_reach(self) -> QuerySet[Lesson]:
        return cast("QuerySet[Lesson]", self.fields["lessons"].queryset)  # type: ignore[attr-defined]

    def choosable_lessons(self, given: Mapping[str, Any]) -> list[Lesson]:
        """The lessons of the class and day `given` (in the URL or the form)."""
        pk, day = given.get("teaching_class"), given.get("date")
        if not pk or not day:
            return []
        try:
            date = dt.date.fromisoformat(day)
            lessons = self.lessons_in_reach().filter(teaching_class_id=int(pk), date=date)
        except ValueError:
            return []
        return list(lessons.select_related("teaching_class"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        teaching_class, date = cleaned.get("teaching_class"), cleaned.get("date")
        if teaching_class is None or date is None:
            return cleaned
        day = self.lessons_in_reach().filter(teaching_class=teaching_class, date=date)
        chosen = cleaned.get("lessons")
        if chosen:
            if any(
                lesson.teaching_class_id != teaching_class.pk or lesson.date != date
                for lesson in chosen
            ):
                raise forms.ValidationError(_("Tick lessons of that class on that day."))
            cleaned["lessons"] = list(chosen)
        else:
            cleaned["lessons"] = list(day)
        if not cleaned["lessons"]:
            raise forms.ValidationError(_("That class has no lesson on that day."))
        return cleaned


class ObservationForm(BootstrapMixin, forms.Form):
    """A rating from 1 to 5 on each of the college's criteria, and comments."""

    comments = forms.CharField(label=_("comments"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(
        self, data: QueryDict | None = None, *, observation: Observation, **kwargs: Any
    ) -> None:
        self.criteria = list(Criterion.objects.all())
        initial = {f"criterion_{pk}": value for pk, value in observation.ratings.items()}
        initial["comments"] = observation.comments
        super().__init__(data, initial=initial, **kwargs)
        choices = [(value, str(value)) for value in range(1, 6)]
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                choices=choices,
                coerce=int,
                widget=RadioList(attrs={"class": "form-check-input"}),
            )
        # Comments last, after the criteria.
        self.fields["comments"] = self.fields.pop("comments")

    def rating_fields(self) -> list[forms.BoundField]:
        return [self[f"criterion_{criterion.pk}"] for criterion in self.criteria]

    def ratings(self) -> dict[int, int]:
        return {
            criterion.pk: self.cleaned_data[f"criterion_{criterion.pk}"]
            for criterion in self.criteria
        }


class UnitInReachForm(BootstrapMixin, forms.Form):
    """One unit of those in the user's reach; none chosen counts the whole reach."""

    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none(), required=False)

    def __init__(self, data: QueryDict | None, *, user: User, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.reach = overseen_unit_ids(user)
        units = Unit.objects.all() if self.reach is None else Unit.objects.filter(pk__in=self.reach)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units.order_by("name")

    def units(self) -> frozenset[int] | None:
        """The units counted: the chosen one with those below it, else the reach."""
        unit = self.cleaned_data.get("unit")
        if unit is None:
            return self.reach
        return frozenset(Unit.subtree_ids([unit.pk]))


class ReportForm(UnitInReachForm):
    """The range of the report (one day by default: today) and one unit of those in reach."""

    first = forms.DateField(label=_("from"), required=False, widget=_date_widget())
    last = forms.DateField(label=_("to"), required=False, widget=_date_widget())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first = cleaned.get("first") or cleaned.get("last") or clock.today()
        last = cleaned.get("last") or first
        if last < first:
            raise forms.ValidationError(_("The range ends before it begins."))
        if (last - first).days > MAX_REPORT_DAYS:
            raise forms.ValidationError(
                _("A report covers at most %(days)d days.") % {"days": MAX_REPORT_DAYS}
            )
        cleaned["first"], cleaned["last"] = first, last
        return cleaned


class LessonListForm(UnitInReachForm):
    """A day's lessons (today by default), of one status or all, in one unit or the reach."""

    date = forms.DateField(label=_("date"), required=False, widget=_date_widget())
    status = forms.ChoiceField(
        label=_("status"),
        choices=[("", _("every status")), *Lesson.Status.choices],
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["date"] = cleaned.get("date") or clock.today()
        return cleaned
