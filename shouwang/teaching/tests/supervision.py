"""What the supervision and report tests share: the shared teacher and
supervisor personas' logins, and a second supervisor."""

from __future__ import annotations

from typing import Any

from shouwang.accounts.models import Role, User
from shouwang.people.models import Person
from shouwang.test import make_person, make_user


def person_of(user: User) -> Person:
    assert user.person is not None
    return user.person


def user_of(person: Person) -> User:
    return User.objects.filter(person=person).first() or make_user(person)


def supervisor_user(case: Any, number: str, name: str) -> User:
    """A supervisor (督导) of the college: a teacher with the supervisor role."""
    person = Person.objects.filter(number=number).first() or make_person(
        number, name, Person.Kind.TEACHER, unit=case.college
    )
    user = user_of(person)
    if not user.has_role(Role.SUPERVISOR):
        user.grant(Role.SUPERVISOR)
    return user


def supervision_personas(case: Any) -> None:
    """`teacher_user` (teaches 数据库原理-01), `supervisor_user` and `other_supervisor`."""
    case.teacher_user = case.teacher
    case.supervisor_user = case.supervisor
    case.other_supervisor = supervisor_user(case, "T3002", "赵督导")
