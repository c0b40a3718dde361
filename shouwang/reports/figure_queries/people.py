"""The college's people: its students and teachers at school."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.people.models import Person

from ..figures import Scope, figure
from .links import link

TODAY = _("the day the figure is computed (the roster as it stands)")


@figure(
    "students",
    _("students"),
    population=_("Students of the college at school (not left, not graduated)."),
    period=TODAY,
    unit=pgettext_lazy("figure unit", "people"),
    list_url=lambda scope: link("people:person_list", kind=Person.Kind.STUDENT),
)
def students(scope: Scope) -> int:
    return scope.people().filter(kind=Person.Kind.STUDENT).count()


@figure(
    "teachers",
    _("teachers"),
    population=_("Teachers of the college at school."),
    period=TODAY,
    unit=pgettext_lazy("figure unit", "people"),
    list_url=lambda scope: link("people:person_list", kind=Person.Kind.TEACHER),
)
def teachers(scope: Scope) -> int:
    return scope.people().filter(kind=Person.Kind.TEACHER).count()
