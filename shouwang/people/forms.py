import re
from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms import BootstrapMixin, SpreadsheetField

from .models import AdminClass, Person, PersonQuerySet, Unit


class PersonFilter(django_filters.FilterSet):
    """The people list's filters; `classes` and `units` are the user's scoped lists."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    unit = django_filters.ModelChoiceFilter(label=_("unit"), queryset=Unit.objects.all())
    admin_class = django_filters.ModelChoiceFilter(
        label=_("class"), queryset=AdminClass.objects.none()
    )
    grade = django_filters.NumberFilter(label=_("grade"))
    political_status = django_filters.ChoiceFilter(
        label=_("political status"), choices=Person.PoliticalStatus.choices
    )
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=Person.Kind.choices)

    class Meta:
        model = Person
        fields = ["q", "unit", "admin_class", "grade", "political_status", "kind"]

    def __init__(
        self,
        *args: Any,
        classes: QuerySet[AdminClass] | None = None,
        units: QuerySet[Unit] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.filters["admin_class"].queryset = (
            classes if classes is not None else AdminClass.objects.none()
        )
        self.filters["unit"].queryset = units if units is not None else Unit.objects.none()
        self.form.fields["q"].widget.attrs.update(placeholder=_("name, number or pinyin initials"))
        for form_field in self.form.fields.values():
            is_select = isinstance(form_field.widget, forms.Select)
            form_field.widget.attrs["class"] = "form-select" if is_select else "form-control"

    def search(self, queryset: PersonQuerySet, name: str, value: str) -> PersonQuerySet:
        return queryset.search(value)


class RevealPhoneForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why do you need the number?"),
        min_length=2,
        max_length=200,
        widget=forms.TextInput(
            attrs={"placeholder": _("e.g. student missed check-in, calling to confirm")}
        ),
    )


class RosterUploadForm(BootstrapMixin, forms.Form):
    file = SpreadsheetField(
        label=_("Roster file"), max_bytes=lambda: settings.ROSTER_MAX_UPLOAD_BYTES
    )


class PlatformAccountUploadForm(BootstrapMixin, forms.Form):
    file = SpreadsheetField(
        label=_("Accounts sheet"), max_bytes=lambda: settings.ROSTER_MAX_UPLOAD_BYTES
    )


class RosterDefaultsForm(BootstrapMixin, forms.Form):
    """What rows that state no unit or no category get."""

    unit = forms.ModelChoiceField(
        label=_("Unit of rows without one"),
        queryset=Unit.objects.all(),
        required=False,
        empty_label=_("none"),
    )
    kind = forms.ChoiceField(
        label=_("Category of rows without one (类别)"),
        choices=[("", _("as the file shows"))] + Person.Kind.choices,
        required=False,
    )


class CreateUnitsForm(BootstrapMixin, forms.Form):
    parent = forms.ModelChoiceField(
        label=_("Create them under"),
        queryset=Unit.objects.all(),
        required=False,
        empty_label=_("the top of the tree"),
    )


# People picked by their number or name (a measure's owners, a store's
# keepers, a donor of the roster). Several in one cell or box: 、 , ; / or
# spaces between them.
PEOPLE_SEPARATORS = re.compile(r"[,，、;；/\s]+")


def staff() -> QuerySet[Person]:
    return Person.objects.exclude(kind=Person.Kind.STUDENT)


def find_person(text: str, people: QuerySet[Person]) -> Person:
    """A person of `people` by number (学号 or 工号) or by name; a name two share is refused."""
    person = people.filter(number=text).first()
    if person is not None:
        return person
    named = list(people.filter(name=text)[:2])
    if not named:
        raise forms.ValidationError(
            gettext("No one of the roster has the number or name %(text)s."), params={"text": text}
        )
    if len(named) > 1:
        raise forms.ValidationError(
            gettext("More than one person is named %(text)s: give the number."),
            params={"text": text},
        )
    return named[0]


class PersonField(forms.CharField):
    """A person typed as their number or name: a member of staff unless
    `people` says whom else it may name."""

    def __init__(self, *, people: QuerySet[Person] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)
        self.people = people

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Person):
            return value.number
        if isinstance(value, int):
            person = Person.objects.filter(pk=value).only("number").first()
            return person.number if person else value
        return value

    def clean(self, value: Any) -> Person | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        return find_person(text.strip(), self.people if self.people is not None else staff())


class PeopleField(forms.CharField):
    """Several members of staff (unless `people` says whom else it may name):
    numbers or names separated by 、 , ; / or spaces."""

    def __init__(self, *, people: QuerySet[Person] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.people = people

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, (list, tuple, QuerySet)):
            return "、".join(
                person.number if isinstance(person, Person) else str(person) for person in value
            )
        return value

    def clean(self, value: Any) -> list[Person]:  # type: ignore[override]
        text = super().clean(value) or ""
        people: list[Person] = []
        errors: list[forms.ValidationError] = []
        for part in PEOPLE_SEPARATORS.split(text):
            if not part:
                continue
            try:
                person = find_person(part, self.people if self.people is not None else staff())
            except forms.ValidationError as error:
                errors.append(error)
                continue
            if person not in people:
                people.append(person)
        if errors:
            raise forms.ValidationError(errors)
        return people
