"""Who a notice is for: groups chosen in combination, resolved to people.

The groups (everyone, units, classes, branches, political statuses, teams) are
united, then narrowed to students or staff if asked; named people are added as
they are. Whatever was chosen, the result stays inside the writer's reach: a
counsellor reaches the students of their own classes and nobody else, a
leader the people of their unit and its sub-units, an admin everyone (the
form refuses a choice outside it; this module makes sure of it).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from shouwang.accounts.models import Role
from shouwang.people.access import overseen_q
from shouwang.people.models import AdminClass, Branch, Person, Unit, in_units_q
from shouwang.volunteers.models import Membership, Team

if TYPE_CHECKING:
    from shouwang.accounts.models import User


class Kind:
    ALL = "all"
    STUDENTS = "students"
    STAFF = "staff"


@dataclass(frozen=True)
class Audience:
    everyone: bool = False
    kind: str = Kind.ALL
    units: tuple[int, ...] = ()
    classes: tuple[int, ...] = ()
    branches: tuple[int, ...] = ()
    political_statuses: tuple[str, ...] = ()
    teams: tuple[int, ...] = ()
    people: tuple[int, ...] = ()

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Audience:
        fields = {field.name for field in dataclasses.fields(cls)}
        values = {
            name: tuple(value) if isinstance(value, list) else value
            for name, value in data.items()
            if name in fields
        }
        return cls(**values)  # type: ignore[arg-type]

    def to_json(self) -> dict[str, Any]:
        return {
            name: list(value) if isinstance(value, tuple) else value
            for name, value in dataclasses.asdict(self).items()
        }

    @property
    def is_empty(self) -> bool:
        return not (
            self.everyone
            or self.units
            or self.classes
            or self.branches
            or self.political_statuses
            or self.teams
            or self.people
        )

    def groups(self) -> Q | None:
        """The union of the chosen groups, narrowed by kind; None if no group."""
        if self.everyone:
            # Not Q(): an empty Q vanishes when combined with another.
            chosen = Q(pk__isnull=False)
        else:
            parts = []
            if self.units:
                parts.append(in_units_q(Unit.subtree_ids(self.units)))
            if self.classes:
                parts.append(Q(admin_class_id__in=self.classes))
            if self.branches:
                # A branch's members and those of the branches directly under it.
                parts.append(
                    Q(branch_id__in=self.branches) | Q(branch__parent_id__in=self.branches)
                )
            if self.political_statuses:
                parts.append(Q(political_status__in=self.political_statuses))
            if self.teams:
                members = Membership.objects.filter(team_id__in=self.teams).values("person_id")
                parts.append(Q(pk__in=members))
            if not parts:
                return None
            chosen = parts[0]
            for part in parts[1:]:
                chosen |= part
        if self.kind == Kind.STUDENTS:
            chosen &= Q(kind=Person.Kind.STUDENT)
        elif self.kind == Kind.STAFF:
            chosen &= ~Q(kind=Person.Kind.STUDENT)
        return chosen

    def resolve(self, reach: QuerySet[Person]) -> QuerySet[Person]:
        """The people this audience names, each once, within `reach`."""
        chosen = self.groups()
        if self.people:
            named = Q(pk__in=self.people)
            chosen = named if chosen is None else chosen | named
        if chosen is None:
            return Person.objects.none()
        return reach.filter(chosen, status=Person.Status.PRESENT)

    def describe(self) -> list[str]:
        """The chosen groups in words, for the notice's page."""
        lines = []
        if self.everyone:
            lines.append(_("everyone"))
        groups: list[tuple[type[Unit | AdminClass | Branch | Team], tuple[int, ...]]] = [
            (Unit, self.units),
            (AdminClass, self.classes),
            (Branch, self.branches),
            (Team, self.teams),
        ]
        for model, ids in groups:
            if ids:
                names = model._default_manager.filter(pk__in=ids).order_by("name")
                lines.append(f"{model._meta.verbose_name}：" + "、".join(str(row) for row in names))
        if self.political_statuses:
            labels = dict(Person.PoliticalStatus.choices)
            lines.append(
                _("political status")
                + "："
                + "、".join(str(labels.get(status, status)) for status in self.political_statuses)
            )
        if self.kind == Kind.STUDENTS:
            lines.append(_("students only"))
        elif self.kind == Kind.STAFF:
            lines.append(_("staff only"))
        if self.people:
            named = Person.objects.filter(pk__in=self.people).order_by("number")
            lines.append(_("named people") + "：" + "、".join(person.name for person in named))
        return lines


def reach_of(user: User) -> QuerySet[Person]:
    """The people a user may send notices to: whom they look after (people.access)."""
    if not can_write_notices(user):
        return Person.objects.none()
    scope = overseen_q(user)
    return Person.objects.all() if scope is None else Person.objects.filter(scope)


def can_write_notices(user: User) -> bool:
    return user.has_role(Role.COUNSELLOR, Role.LEADER, Role.ADMIN)


def addresses_groups(user: User) -> bool:
    """Leaders and admins address units, branches, teams and everyone they reach."""
    return user.has_role(Role.LEADER, Role.ADMIN)
