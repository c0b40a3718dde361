from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.db.models import CharField, Value
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


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
# They are granted and removed only by accounts.actions.grant_role and
# revoke_role (the roles page), which keep a RoleGrant row of each; the Django
# admin does not edit these groups. Psychological support is never implied by
# being an admin: a superuser is not given it.
GRANTED_ROLES = (Role.LEADER, Role.VOLUNTEER, Role.ADMIN, Role.PSYCH_SUPPORT)
# The roles that reveal counselling referrals: their holders are shown to the
# psychological-support workers (counselling's "who can see referrals").
REFERRAL_ROLES = (Role.PSYCH_SUPPORT,)
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
            # A student only when marked an assistant counsellor: a class a
            # student was once made to counsel grants them nothing.
            counsels = person.counselled_classes.order_by().values_list(
                Value(Role.COUNSELLOR.value, output_field=CharField())
            )
            # Whoever belongs to a volunteer team is a volunteer: the same query.
            volunteers = (
                person.memberships.filter(team__kind__in=VOLUNTEER_TEAM_KINDS)
                .order_by()
                .values_list(Value(Role.VOLUNTEER.value, output_field=CharField()))
            )
            names = names.union(*([counsels] if person.may_counsel else []), volunteers)
        roles.update(Role(name) for name in names)
        if self.is_superuser:
            roles.add(Role.ADMIN)
        return frozenset(roles)

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def sees_everyone(self) -> bool:
        """Leaders and admins see the whole college."""
        return self.has_role(Role.LEADER, Role.ADMIN)

    def grant(self, role: Role) -> None:
        """Join the role's group, unrecorded: accounts.actions.grant_role is the
        way in that keeps the record and the audit row."""
        group, _ = Group.objects.get_or_create(name=role.value)
        self.groups.add(group)
        self.__dict__.pop("roles", None)

    def set_initial_password(self) -> str:
        """A fresh random password that must be changed at the next login."""
        password = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(10))
        self.set_password(password)
        self.must_change_password = True
        return password


class RoleGrant(models.Model):
    """One holding of a granted role: who, which role, granted by whom and
    since when, removed by whom and when.

    The role's group stays what grants the role (`User.roles` reads it, and so
    do the queries for a role's people); these rows are its record, written in
    the same transaction as the group changes by grant_role and revoke_role.
    Memberships older than the record have a row with no time and no grantor:
    granted "before records began"."""

    # The record outlives no login: one that ever held a role is deactivated,
    # not deleted, so that "who could see referrals" stays complete.
    user = models.ForeignKey(
        User, models.PROTECT, related_name="role_grants", verbose_name=_("user")
    )
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=[(role.value, role.label) for role in GRANTED_ROLES],
    )
    # Null for a membership the record found when it began.
    granted_at = models.DateTimeField(_("granted at"), null=True, blank=True)
    granted_by = models.ForeignKey(
        User,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    revoked_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            # Two admins granting at once make one holding, not two.
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(revoked_at__isnull=True),
                name="rolegrant_one_active_per_user_and_role",
            ),
        ]
        indexes = [models.Index(fields=["role", "revoked_at"], name="rolegrant_role")]

    def __str__(self) -> str:
        return f"{self.role}: {self.user}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
