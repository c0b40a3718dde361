from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import hashers
from django.contrib.auth.models import AbstractUser, Group
from django.contrib.auth.models import UserManager as BaseUserManager
from django.db import models
from django.db.models import CharField, Q, QuerySet, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from shouwang.core.models import BackgroundJob
from shouwang.people.models import Person, Unit


class Role(models.TextChoices):
    STUDENT = "student", _("student")
    TEACHER = "teacher", _("teacher")
    COUNSELLOR = "counsellor", _("counsellor")
    VOLUNTEER = "volunteer", _("volunteer")
    LEADER = "leader", _("leader")
    ADMIN = "admin", _("administrator")
    # 心理支持: reads and works counselling referrals (shouwang/counselling).
    PSYCH_SUPPORT = "psych_support", _("psychological support")
    # 督导: observes the online lessons they are assigned (shouwang/teaching).
    SUPERVISOR = "supervisor", _("teaching supervisor")
    # 教学办: keeps the timetable and approves moved and cancelled lessons.
    TEACHING_OFFICE = "teaching_office", _("teaching office")
    # 库管员: runs the supplies stores they keep (shouwang/supplies).
    STORE_KEEPER = "store_keeper", _("store keeper")
    # 就业办: runs graduates' destinations, employers and job fairs (shouwang/careers).
    EMPLOYMENT_OFFICE = "employment_office", _("employment office")
    # 门岗: scans leave passes at the gate and sees only the scan's answer (shouwang/leave).
    GATE_KEEPER = "gate_keeper", _("gate keeper")


# Roles that are appointments, not facts in the data: held through a Django
# group of the same name. Everything else is derived: a counsellor is whoever
# counsels a class, a volunteer whoever belongs to a volunteer team (a brigade
# or a party members' post or work team; not a staff duty team). The volunteer
# group still grants the role to someone in no team yet (an organiser).
# They are granted and removed only by accounts.actions.grant_role and
# revoke_role (the roles page), which keep a RoleGrant row of each; the Django
# admin does not edit these groups. Psychological support is never implied by
# being an admin: a superuser is not given it.
GRANTED_ROLES = (
    Role.LEADER,
    Role.VOLUNTEER,
    Role.ADMIN,
    Role.PSYCH_SUPPORT,
    Role.SUPERVISOR,
    Role.TEACHING_OFFICE,
    Role.STORE_KEEPER,
    Role.EMPLOYMENT_OFFICE,
    Role.GATE_KEEPER,
)
# The roles that reveal counselling referrals: their holders are shown to the
# psychological-support workers (counselling's "who can see referrals").
REFERRAL_ROLES = (Role.PSYCH_SUPPORT,)
# volunteers.models.VOLUNTEER_KINDS, named here: accounts is below volunteers.
VOLUNTEER_TEAM_KINDS = ("brigade", "vanguard_post", "party_work_team")

# Initial passwords are read aloud or written on a slip: no 0/O, 1/l/I.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105
PASSWORD_LENGTH = 10
# accounts.hashers.InitialPasswordHasher's algorithm, which marks an initial password's hash.
INITIAL_ALGORITHM = "pbkdf2_sha256_initial"


def new_initial_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def hash_initial_password(password: str) -> str:
    """The salted hash of a random initial password (accounts.hashers says why it is cheap)."""
    return hashers.make_password(password, hasher=INITIAL_ALGORITHM)


def initial_password_expiry() -> datetime:
    return timezone.now() + timedelta(days=settings.INITIAL_PASSWORD_DAYS)


class UserManager(BaseUserManager):
    def create_superuser(
        self,
        username: str,
        email: str | None = None,
        password: str | None = None,
        **extra_fields: Any,
    ) -> Any:  # the base manager is not bound to this model for mypy
        # The first admin typed this password into createsuperuser themselves:
        # it is theirs, not an initial one to be replaced.
        extra_fields.setdefault("must_change_password", False)
        return super().create_superuser(username, email, password, **extra_fields)


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
    # When an initial password stops working if unused (None: not an initial password).
    initial_password_expires_at = models.DateTimeField(
        _("initial password expires at"), null=True, blank=True
    )

    objects = UserManager()  # type: ignore[misc]

    # What setting an initial password changes.
    INITIAL_PASSWORD_FIELDS = ("password", "must_change_password", "initial_password_expires_at")

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
        """Join the role's group, unrecorded: accounts.actions.grant_role is the
        way in that keeps the record and the audit row."""
        group, _ = Group.objects.get_or_create(name=role.value)
        self.groups.add(group)
        self.__dict__.pop("roles", None)
        for name in ("reach_unit_ids", "unit_line_ids", "unit_tree"):
            self.__dict__.pop(name, None)

    def set_initial_password(self) -> str:
        """A fresh random password that must be changed at the next login and
        stops working after INITIAL_PASSWORD_DAYS; save INITIAL_PASSWORD_FIELDS."""
        password = new_initial_password()
        self.password = hash_initial_password(password)
        self.must_change_password = True
        self.initial_password_expires_at = initial_password_expiry()
        return password

    @property
    def has_initial_password(self) -> bool:
        """Whether the stored password is an issued one, not one the person chose."""
        return self.password.startswith(INITIAL_ALGORITHM + "$")

    @property
    def has_own_password(self) -> bool:
        """Whether the person has chosen their own password (a bulk issue spares them)."""
        return (
            self.has_usable_password()
            and not self.has_initial_password
            and not self.must_change_password
        )

    @property
    def initial_password_expired(self) -> bool:
        return (
            self.has_initial_password
            and self.initial_password_expires_at is not None
            and self.initial_password_expires_at <= timezone.now()
        )

    def check_password(self, raw_password: str) -> bool:
        if self.has_initial_password:
            # Django would rehash it with the default hasher at this login, at
            # full cost; the forced change replaces it minutes later anyway.
            return hashers.check_password(raw_password, self.password)
        return super().check_password(raw_password)


def people_with_role(role: Role) -> QuerySet[Person]:
    """The people who hold `role` now, as `User.roles` grants it: only those at
    school or at work whose login is active. Someone who has left, whose login
    was switched off, or whose role was removed is told and asked nothing."""
    held = {
        Role.STUDENT: Q(kind=Person.Kind.STUDENT),
        Role.TEACHER: ~Q(kind=Person.Kind.STUDENT),
        Role.COUNSELLOR: Q(counselled_classes__isnull=False)
        & (~Q(kind=Person.Kind.STUDENT) | Q(assistant_counsellor=True)),
    }.get(role, Q(user__groups__name=role.value))
    if role == Role.VOLUNTEER:
        held |= Q(memberships__team__kind__in=VOLUNTEER_TEAM_KINDS)
    if role == Role.ADMIN:
        held |= Q(user__is_superuser=True)
    holders = Person.objects.filter(held, user__is_active=True, status=Person.Status.PRESENT)
    # Once each, as a plain queryset that callers may order and combine.
    return Person.objects.filter(pk__in=holders.values("pk"))


class PasswordIssue(models.Model):
    """One issue of initial passwords to many people at once: its scope, its
    progress, and the sealed sheet and slips waiting to be downloaded
    (accounts.sealed). The passwords themselves are never stored."""

    class Scope(models.TextChoices):
        CLASS = "class", _("one class")
        UNIT = "unit", _("one unit and its sub-units")
        IMPORT = "import", _("the people created by one roster import")
        ALL_NEW = "all_new", _("everyone who cannot log in yet")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("issuing")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    scope = models.CharField(_("for"), max_length=10, choices=Scope.choices)
    admin_class = models.ForeignKey(
        "people.AdminClass",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("class"),
    )
    unit = models.ForeignKey(
        "people.Unit",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    roster_import = models.ForeignKey(
        "people.RosterImport",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("roster import"),
    )
    reset_own = models.BooleanField(_("also replace passwords people chose"), default=False)
    issued_by = models.ForeignKey(
        User,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    login_url = models.CharField(_("login address"), max_length=300)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    total = models.PositiveIntegerField(_("people"), default=0)
    # Unused: the issue's progress is reported on its job (core.BackgroundJob).
    processed = models.PositiveIntegerField(_("processed"), default=0)
    issued = models.PositiveIntegerField(_("passwords issued"), default=0)
    kept_own = models.PositiveIntegerField(_("own passwords kept"), default=0)
    # People left out because a login of another already bears their number.
    name_taken = models.PositiveIntegerField(_("number already a login's name"), default=0)
    failure = models.TextField(_("failure"), blank=True)
    # The X25519 public key the files are sealed to; its private half is only
    # ever in the issuer's browser (accounts.sealed says why).
    public_key = models.CharField(max_length=64, blank=True)
    sheet_downloaded_at = models.DateTimeField(null=True, blank=True)
    slips_downloaded_at = models.DateTimeField(null=True, blank=True)
    files_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("password issue")
        verbose_name_plural = _("password issues")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_scope_display()}: {self.target_label}"

    def get_absolute_url(self) -> str:
        return reverse("passwords:issue_detail", args=[self.pk])

    @property
    def target_label(self) -> str:
        targets: dict[str, models.Model | None] = {
            self.Scope.CLASS: self.admin_class,
            self.Scope.UNIT: self.unit,
            self.Scope.IMPORT: self.roster_import,
        }
        target = targets.get(self.scope)
        return str(target) if target is not None else ""

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def job(self) -> BackgroundJob | None:
        """The job issuing the passwords, whose progress the page shows."""
        return BackgroundJob.objects.of(self).first()

    def job_failed(self, job: BackgroundJob) -> None:
        """The job failed, or its worker died: nobody has received a password."""
        if PasswordIssue.objects.filter(
            pk=self.pk, status__in=[self.Status.PENDING, self.Status.RUNNING]
        ).update(status=self.Status.FAILED, failure=job.message):
            self.status, self.failure = self.Status.FAILED, job.message

    @property
    def files_expire_at(self) -> datetime:
        return self.created_at + timedelta(hours=settings.ISSUED_FILES_HOURS)


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
