"""Issuing initial passwords to many people at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from shouwang.core.audit import audit_action
from shouwang.people.models import Person, Unit

from .access import issuable_people
from .models import (
    INITIAL_ALGORITHM,
    PasswordIssue,
    User,
    hash_initial_password,
    initial_password_expiry,
    new_initial_password,
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
    issue: PasswordIssue, *, acting_user, progress: Progress | None = None
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
        audit_action(
            acting_user,
            issue,
            "initial_passwords_issued",
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
