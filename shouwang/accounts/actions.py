"""Granting and removing the appointed roles (leader, volunteer, admin,
psychological support): the only way in and out of their groups.

Each change updates the group and its RoleGrant row in one transaction and
writes an audit row on the user concerned. Nobody grants a role to themselves:
an admin who wants to read referrals needs another admin, and the
psychological-support workers see who did it ("who can see referrals"), and
are told in their inbox when anyone gains or loses a role that reveals referrals.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from shouwang.core.audit import audit_action
from shouwang.lib import clock
from shouwang.notify.actions import send
from shouwang.notify.models import Message
from shouwang.people.models import Person

from .models import GRANTED_ROLES, REFERRAL_ROLES, Role, RoleGrant, User


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
    audit_action(acting_user, user, "role_granted", request, role=role.value, grant=grant.pk)
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
    audit_action(acting_user, user, "role_removed", request, role=role.value, grant=grant.pk)
    if role in REFERRAL_ROLES:
        text = _("%(user)s no longer holds the role %(role)s: removed by %(by)s.")
        _tell_holders(grant, "removed", text, user, acting_user, also=user)
    return grant


def _name(user: User) -> str:
    person = user.person
    return f"{person.name} ({person.number})" if person else user.username


def _tell_holders(
    grant: RoleGrant, change: str, text: str, user: User, acting_user: User, also=None
) -> None:
    """Every holder of a role that reveals referrals (and whoever just lost it)
    is told who joined or left them, and who decided: a grant made while they
    are away from the page is still seen."""
    role = Role(grant.role)
    recipients = Person.objects.filter(user__groups__name=role.value, user__is_active=True)
    if also is not None and also.person_id:
        recipients = recipients | Person.objects.filter(pk=also.person_id)
    body = text % {"user": _name(user), "role": role.label, "by": _name(acting_user)}
    transaction.on_commit(
        lambda: send(
            recipients.distinct().order_by("pk"),
            Message.Kind.ESCALATION,
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


def removed_grants(role: Role, limit: int = 50):
    """The newest removals of `role`, newest first."""
    return (
        RoleGrant.objects.filter(role=role.value, revoked_at__isnull=False)
        .select_related("user__person", "granted_by__person", "revoked_by__person")
        .order_by("-revoked_at", "-pk")[:limit]
    )
