"""The queries behind the chronicle's figures, one registered function each.

Each definition names its population, its period and its unit; `figures`
explains the machinery."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shouwang.people.models import Person

from .figures import Scope, figure


@figure(
    "students",
    _("students"),
    _("Students of the college at school (not left, not graduated) today; people."),
)
def students(scope: Scope) -> int:
    return scope.people().filter(kind=Person.Kind.STUDENT).count()


@figure(
    "teachers",
    _("teachers"),
    _("Teachers of the college at school today; people."),
)
def teachers(scope: Scope) -> int:
    return scope.people().filter(kind=Person.Kind.TEACHER).count()
