"""Account workflows: granting and removing the appointed roles, and issuing
initial passwords to many people at once.

The appointed roles (leader, volunteer, admin, psychological support) are
granted and removed here only: the only way in and out of their groups.

Each change updates the group and its RoleGrant row in one transaction and
writes an audit row on the user concerned. Nobody grants a role to themselves:
an admin who wants to read referrals needs another admin, and the
psychological-support workers see who did it ("who can see referrals"), and
are told in their inbox when anyone gains or loses a role that reveals referrals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.core import audit
from shouwang.lib import clock
from shouwang.notify.actions import send
from shouwang.notify.kinds import ESCALATION
from shouwang.people.models import Person, Unit

from .access import issuable_people
from .audit import AccountEvent
from .models import (
    GRANTED_ROLES,
    INITIAL_ALGORITHM,
    REFERRAL_ROLES,
    PasswordIssue,
    Role,
    RoleGrant,
    User,
    hash_initial_password,
    initial_password_expiry,
    new_initial_password,
    people_with_role,
)

if TYPE_CHECKING:
    from shouwang.accounts.models import User


class SelfGrant(Exception):
    """Nobody grants a role to themselves."""


class AlreadyHeld(Exception):
    """The user holds the role already."""


class NotHeld(Exception):
    """The user does not hold the role."""


def _group(role: Role) -> Group:
    if role not in GRANTED_ROLES:
        raise ValueError(f"{role} is not granted, it follows from the data")
    group, _ = Group.objects.get_or_create(name=role.value)
    return group


def _lock(user: User) -> None:
    # One grant or removal per user at a time: the group and the record agree.
    User.objects.select_for_update().filter(pk=user.pk).first()
    user.__dict__.pop("roles", None)


@transaction.atomic
def grant_role(
    user: User, role: Role, *, acting_user: User, request: HttpRequest | None = None
) -> RoleGrant:
    """Give `user` the role, recorded and audited."""
    if user.pk == acting_user.pk:
        raise SelfGrant
    group = _group(role)
    _lock(user)
    if user.groups.filter(pk=group.pk).exists():
        raise AlreadyHeld
    # A holding whose membership was removed behind the page's back ended then,
    # by nobody the record knows.
    RoleGrant.objects.filter(user=user, role=role.value, revoked_at__isnull=True).update(
        revoked_at=clock.now()
    )
    try:
        with transaction.atomic():
            grant = RoleGrant.objects.create(
                user=user, role=role.value, granted_at=clock.now(), granted_by=acting_user
            )
    except IntegrityError as error:
        raise AlreadyHeld from error
    user.groups.add(group)
    audit.record(
        AccountEvent.ROLE_GRANTED,
        user,
        acting_user=acting_user,
        request=request,
        role=role.value,
        grant=grant.pk,
    )
    if role in REFERRAL_ROLES:
        text = _("%(user)s was granted the role %(role)s by %(by)s.")
        _tell_holders(grant, "granted", text, user, acting_user)
    return grant


@transaction.atomic
def revoke_role(
    user: User, role: Role, *, acting_user: User, request: HttpRequest | None = None
) -> RoleGrant:
    """Take the role from `user`, recorded and audited.

    A membership found without a record (made behind the roles page's back)
    is removed too, and recorded as held since before records began."""
    group = _group(role)
    _lock(user)
    grant = RoleGrant.objects.filter(user=user, role=role.value, revoked_at__isnull=True).first()
    member = user.groups.filter(pk=group.pk).exists()
    if grant is None and not member:
        raise NotHeld
    if grant is None:
        grant = RoleGrant(user=user, role=role.value)
    grant.revoked_at, grant.revoked_by = clock.now(), acting_user
    grant.save()
    user.groups.remove(group)
    audit.record(
        AccountEvent.ROLE_REMOVED,
        user,
        acting_user=acting_user,
        request=request,
        role=role.value,
        grant=grant.pk,
    )
    if role in REFERRAL_ROLES:
        text = _("%(user)s no longer holds the role %(role)s: removed by %(by)s.")
        _tell_holders(grant, "removed", text, user, acting_user, also=user)
    return grant


def _name(user: User) -> str:
    person = user.person
    return f"{person.name} ({person.number})" if person else user.username


def _tell_holders(
    grant: RoleGrant,
    change: str,
    text: str,
    user: User,
    acting_user: User,
    also: User | None = None,
) -> None:
    """Every holder of a role that reveals referrals (and whoever just lost it)
    is told who joined or left them, and who decided: a grant made while they
    are away from the page is still seen."""
    role = Role(grant.role)
    recipients = people_with_role(role)
    if also is not None and also.person_id:
        recipients = recipients | Person.objects.filter(pk=also.person_id)
    body = text % {"user": _name(user), "role": role.label, "by": _name(acting_user)}
    transaction.on_commit(
        lambda: send(
            recipients.order_by("pk"),
            ESCALATION,
            _("Who can see referrals has changed"),
            body,
            key_for=lambda person: f"role:{grant.pk}:{change}:{person.pk}",
        ),
        robust=True,
    )


@dataclass(frozen=True)
class Holder:
    """Someone who holds a role now, and the record of how (None: no record)."""

    user: User
    grant: RoleGrant | None


def role_holders(role: Role) -> list[Holder]:
    """Everyone whose login holds `role` through its group, with their grant:
    the group is what grants the role, so a member without a record is listed
    (grant None) rather than hidden."""
    members = list(
        User.objects.filter(groups__name=role.value)
        .select_related("person")
        .order_by("username")
        .distinct()
    )
    grants = {
        grant.user_id: grant
        for grant in RoleGrant.objects.filter(
            role=role.value, revoked_at__isnull=True, user__in=members
        ).select_related("granted_by__person")
    }
    return [Holder(user, grants.get(user.pk)) for user in members]


def removed_grants(role: Role, limit: int = 50) -> QuerySet[RoleGrant]:
    """The newest removals of `role`, newest first."""
    return (
        RoleGrant.objects.filter(role=role.value, revoked_at__isnull=False)
        .select_related("user__person", "granted_by__person", "revoked_by__person")
        .order_by("-revoked_at", "-pk")[:limit]
    )


BATCH = 500
QUERY_SLICE = 900
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Slip:
    """One person's new login, for the sheet and the slip; never stored."""

    number: str
    name: str
    class_name: str
    password: str


@dataclass(frozen=True)
class Issued:
    slips: list[Slip]
    expires_at: datetime


def _is_initial() -> Q:
    return Q(user__password__startswith=f"{INITIAL_ALGORITHM}$")


def _has_own_password() -> Q:
    """People who chose their own password (User.has_own_password, as a query)."""
    return (
        Q(user__isnull=False)
        & ~Q(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
        & ~_is_initial()
        & Q(user__must_change_password=False)
    )


def _cannot_log_in(now: datetime) -> Q:
    """No login, an unusable password, or an initial password that expired unused."""
    return (
        Q(user__isnull=True)
        | Q(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
        | (_is_initial() & Q(user__initial_password_expires_at__lte=now))
    )


def people_in_scope(issue: PasswordIssue) -> QuerySet[Person]:
    """Everyone the issue is about whom its issuer may reach, own passwords included."""
    people = issuable_people(issue.issued_by)
    if issue.scope == PasswordIssue.Scope.CLASS:
        return people.filter(admin_class_id=issue.admin_class_id)
    if issue.scope == PasswordIssue.Scope.UNIT:
        # Students are often filed under their class's unit and not their own.
        units = Unit.subtree_ids([issue.unit_id]) if issue.unit_id else set()
        return people.filter(Q(unit_id__in=units) | Q(admin_class__unit_id__in=units))
    if issue.scope == PasswordIssue.Scope.IMPORT:
        return people.filter(created_by_import_id=issue.roster_import_id)
    return people.filter(_cannot_log_in(timezone.now()))


def people_to_issue(issue: PasswordIssue) -> QuerySet[Person]:
    """Those who get a new password: a re-issue spares whoever chose their own, unless asked."""
    people = people_in_scope(issue)
    if not issue.reset_own:
        people = people.exclude(_has_own_password())
    return people


def issue_passwords(
    issue: PasswordIssue, *, acting_user: User | None, progress: Progress | None = None
) -> Issued:
    """Give everyone the issue covers a new random initial password; returns them, once.

    The hashing, nearly all the time, runs before the transaction: the write
    lock is held only while the logins are written.
    """
    rows = list(
        people_to_issue(issue)
        .order_by("admin_class__name", "number")
        .values_list("pk", "number", "name", "admin_class__name", "user__id")
    )
    kept_own = 0 if issue.reset_own else people_in_scope(issue).filter(_has_own_password()).count()
    total = len(rows)
    issue.total = total
    issue.save(update_fields=["total"])
    slips: list[Slip] = []
    hashes: list[str] = []
    for done, (_pk, number, name, class_name, _user_id) in enumerate(rows, start=1):
        password = new_initial_password()
        slips.append(Slip(number, name, class_name or "", password))
        hashes.append(hash_initial_password(password))
        if progress and (done % BATCH == 0 or done == total):
            progress(done, total)
    expires_at = initial_password_expiry()
    with transaction.atomic():
        keep = _chose_own_meanwhile(issue, [row[4] for row in rows if row[4]])
        taken = _usernames_taken([row[1] for row in rows if not row[4]])
        to_create: list[User] = []
        to_update: list[User] = []
        issued: list[Slip] = []
        name_taken = 0
        for (person_id, number, _name, _class, user_id), slip, encoded in zip(
            rows, slips, hashes, strict=True
        ):
            values = {
                "password": encoded,
                "must_change_password": True,
                "initial_password_expires_at": expires_at,
            }
            if user_id is None:
                if number in taken:
                    name_taken += 1  # a login of that name belongs to someone else
                    continue
                to_create.append(User(username=number, person_id=person_id, **values))
            elif user_id in keep:
                continue
            else:
                to_update.append(User(pk=user_id, **values))
            issued.append(slip)
        User.objects.bulk_create(to_create, batch_size=BATCH)
        User.objects.bulk_update(to_update, User.INITIAL_PASSWORD_FIELDS, batch_size=BATCH)
        issue.issued = len(issued)
        issue.kept_own = kept_own + len(keep)
        issue.name_taken = name_taken
        issue.save(update_fields=["issued", "kept_own", "name_taken"])
        audit.record(
            AccountEvent.PASSWORDS_ISSUED,
            issue,
            acting_user=acting_user,
            scope=issue.scope,
            target=issue.target_label,
            reset_own=issue.reset_own,
            count=len(issued),
            kept_own=issue.kept_own,
            name_taken=name_taken,
            people=[slip.number for slip in issued],
        )
    return Issued(issued, expires_at)


def _chose_own_meanwhile(issue: PasswordIssue, user_ids: list[int]) -> set[int]:
    """Logins whose person chose their own password while the others were hashed."""
    if issue.reset_own:
        return set()
    found: set[int] = set()
    for start in range(0, len(user_ids), QUERY_SLICE):
        logins = User.objects.filter(pk__in=user_ids[start : start + QUERY_SLICE])
        found.update(
            logins.filter(must_change_password=False)
            .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
            .exclude(password__startswith=f"{INITIAL_ALGORITHM}$")
            .values_list("pk", flat=True)
        )
    return found


def _usernames_taken(numbers: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(numbers), QUERY_SLICE):
        found.update(
            User.objects.filter(username__in=numbers[start : start + QUERY_SLICE]).values_list(
                "username", flat=True
            )
        )
    return found
