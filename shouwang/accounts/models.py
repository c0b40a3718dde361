from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.db.models import CharField, Value
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from shouwang.people.models import Unit


class Role(models.TextChoices):
    STUDENT = "student", _("student")
    TEACHER = "teacher", _("teacher")
    COUNSELLOR = "counsellor", _("counsellor")
    VOLUNTEER = "volunteer", _("volunteer")
    LEADER = "leader", _("leader")
    ADMIN = "admin", _("administrator")
    # 心理支持: reads and works counselling referrals (shouwang/counselling).
    PSYCH_SUPPORT = "psych_support", _("psychological support")


# Roles that are appointments, not facts in the data: held through a Django
# group of the same name. Everything else is derived: a counsellor is whoever
# counsels a class, a volunteer whoever belongs to a volunteer team (a brigade
# or a party members' post or work team; not a staff duty team). The volunteer
# group still grants the role to someone in no team yet (an organiser).
# Psychological support is granted in the Django admin (Groups), never implied
# by being an admin: a superuser is not given it.
GRANTED_ROLES = (Role.LEADER, Role.VOLUNTEER, Role.ADMIN, Role.PSYCH_SUPPORT)
# volunteers.models.VOLUNTEER_KINDS, named here: accounts is below volunteers.
VOLUNTEER_TEAM_KINDS = ("brigade", "vanguard_post", "party_work_team")

# Initial passwords are read aloud or written on a slip: no 0/O, 1/l/I.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105


class User(AbstractUser):
    """A login. The username is the person's number (学号/工号)."""

    person = models.OneToOneField(
        "people.Person",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("person"),
    )
    must_change_password = models.BooleanField(_("must change password"), default=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def roles(self) -> frozenset[Role]:
        """The user's roles, computed once per request, in one query."""
        roles: set[Role] = set()
        names = self.groups.filter(name__in=GRANTED_ROLES).order_by().values_list("name", flat=True)
        person = self.person
        if person is not None:
            if person.kind == person.Kind.STUDENT:
                roles.add(Role.STUDENT)
            else:
                roles.add(Role.TEACHER)
            # Whoever counsels a class is a counsellor: asked in the same query.
            counsels = person.counselled_classes.order_by().values_list(
                Value(Role.COUNSELLOR.value, output_field=CharField())
            )
            # Whoever belongs to a volunteer team is a volunteer: the same query.
            volunteers = (
                person.memberships.filter(team__kind__in=VOLUNTEER_TEAM_KINDS)
                .order_by()
                .values_list(Value(Role.VOLUNTEER.value, output_field=CharField()))
            )
            names = names.union(counsels, volunteers)
        roles.update(Role(name) for name in names)
        if self.is_superuser:
            roles.add(Role.ADMIN)
        return frozenset(roles)

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def oversees(self) -> bool:
        """Leaders and admins: they get the pages that look after many people
        (whose people, `reach_unit_ids` says)."""
        return self.has_role(Role.LEADER, Role.ADMIN)

    @property
    def reaches_all(self) -> bool:
        """Admins look after the whole installation, every college in it."""
        return self.has_role(Role.ADMIN)

    @cached_property
    def reach_unit_ids(self) -> frozenset[int] | None:
        """The units whose people this user oversees, each with everything below it.

        None for an admin: everything. A leader reaches their own unit and its
        sub-units, so a university's leaders sit at the university's unit and a
        college's at the college's, and one installation serves several
        colleges. A leader with no person or no unit reaches no unit at all
        (an empty set), rather than everyone: the roster must place them.
        Anyone else reaches no unit either (a counsellor's reach is classes)."""
        if self.reaches_all:
            return None
        if not self.has_role(Role.LEADER) or self.person is None or self.person.unit_id is None:
            return frozenset()
        return frozenset(Unit.subtree_ids([self.person.unit_id], self.unit_tree))

    @cached_property
    def unit_line_ids(self) -> frozenset[int]:
        """The user's own unit and the units above it (empty without one): an
        incident covering any of them covers the user."""
        if self.person is None or self.person.unit_id is None:
            return frozenset()
        return frozenset(Unit.ancestor_ids(self.person.unit_id, self.unit_tree))

    @cached_property
    def unit_tree(self) -> dict[int, int | None]:
        """Every unit's parent, read once per request for whatever needs the tree."""
        return Unit.parents()

    def grant(self, role: Role) -> None:
        group, _ = Group.objects.get_or_create(name=role.value)
        self.groups.add(group)
        self.__dict__.pop("roles", None)
        for name in ("reach_unit_ids", "unit_line_ids", "unit_tree"):
            self.__dict__.pop(name, None)

    def set_initial_password(self) -> str:
        """A fresh random password that must be changed at the next login."""
        password = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(10))
        self.set_password(password)
        self.must_change_password = True
        return password
