"""Who may issue initial passwords, to whom, and which issues each user sees.

Leaders and admins issue for a class, a unit, an import or everyone who cannot
log in yet; counsellors for the classes they counsel. Only admins give
passwords to staff and teachers: anyone else who could would take over the
login of a colleague who may hold more rights than they do. Nobody issues
their own. An issue is seen by whoever made it, and by admins; its files are
downloaded only by whoever made it (they alone hold the key).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from shouwang.accounts.http import AuthedRequest
from shouwang.people.access import (
    classes_for_user,
    people_for_user,
    roster_imports_for_user,
    units_for_user,
)
from shouwang.people.models import AdminClass, Person, RosterImport, Unit

from .models import PasswordIssue, Role

if TYPE_CHECKING:
    from shouwang.accounts.models import User


def can_issue_passwords(user: User) -> bool:
    return user.has_role(Role.LEADER, Role.ADMIN, Role.COUNSELLOR)


def require_issuer(request: AuthedRequest) -> None:
    if not can_issue_passwords(request.user):
        raise PermissionDenied


def issuable_people(user: User | None) -> QuerySet[Person]:
    """Whom `user` may give an initial password; None (the command line) reaches everyone."""
    people = Person.objects.exclude(status=Person.Status.GRADUATED)
    if user is None:
        return people
    people = people.filter(pk__in=people_for_user(user).values("pk"))
    if user.person_id:
        people = people.exclude(pk=user.person_id)
    if not user.has_role(Role.ADMIN):
        people = (
            people.filter(kind=Person.Kind.STUDENT)
            .exclude(user__is_staff=True)
            .exclude(user__is_superuser=True)
        )
    return people


def issue_classes(user: User) -> QuerySet[AdminClass]:
    return classes_for_user(user)


def issue_units(user: User) -> QuerySet[Unit]:
    return units_for_user(user)


def issue_imports(user: User) -> QuerySet[RosterImport]:
    return roster_imports_for_user(user).filter(status=RosterImport.Status.COMMITTED)


def issues_for_user(user: User) -> QuerySet[PasswordIssue]:
    if user.has_role(Role.ADMIN):
        return PasswordIssue.objects.all()
    return PasswordIssue.objects.filter(issued_by=user)


def get_issue_for_user(request: AuthedRequest, pk: int) -> PasswordIssue:
    return get_object_or_404(issues_for_user(request.user), pk=pk)
