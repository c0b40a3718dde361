"""Referral workflows: refer, record consent, take on, close, add a note.

Each is atomic and writes an audit row. The audit rows carry the referral's
number and what happened, never the student, the reason or any text: the
audit log is read by admins, who do not see referrals.

Consent: a counsellor may refer before the student has agreed (the referral
and its summary tell the support workers someone needs them), but nothing
more is written about the student, no note and no taking on, until the
student's own consent is recorded.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from shouwang.accounts.models import Role, people_with_role
from shouwang.core import audit
from shouwang.lib import clock
from shouwang.notify.actions import send
from shouwang.notify.kinds import ESCALATION
from shouwang.people.models import Person

from .audit import CounsellingEvent
from .models import Referral, ReferralNote

if TYPE_CHECKING:
    from shouwang.accounts.models import User


class ReferralClosed(Exception):
    """The referral is closed: nothing more is recorded on it."""


class ConsentRequired(Exception):
    """The student's consent is not recorded yet."""


class ConsentAlreadyRecorded(Exception):
    pass


class AlreadyReferred(Exception):
    """This counsellor's referral of this student is still active."""


class AlreadyTaken(Exception):
    """Another support worker took the referral on first."""


@transaction.atomic
def refer(
    student: Person,
    *,
    reason: str,
    urgency: str,
    summary: str,
    acting_user: User,
    request: HttpRequest | None = None,
) -> Referral:
    """Refer a student; the support workers are told that a referral waits."""
    referral = Referral(
        student=student,
        referred_by=acting_user,
        reason=reason,
        urgency=urgency,
        summary=summary,
        created_at=clock.now(),
    )
    try:
        with transaction.atomic():
            referral.save()
    except IntegrityError as error:
        raise AlreadyReferred from error
    audit.record(
        CounsellingEvent.REFERRAL_MADE,
        referral,
        acting_user=acting_user,
        request=request,
        urgency=urgency,
    )
    transaction.on_commit(lambda: notify_support_workers(referral), robust=True)
    return referral


def notify_support_workers(referral: Referral) -> int:
    """Tell every support worker, once, that a referral waits: the message says
    nothing else, as the inbox may be mirrored to e-mail or a group robot."""
    return send(
        people_with_role(Role.PSYCH_SUPPORT).order_by("pk"),
        ESCALATION,
        _("A new referral"),
        _("A student has been referred for psychological support. Open the app to see it."),
        link=reverse("counselling:referral_list"),
        key_for=lambda person: f"referral:{referral.pk}:{person.pk}",
    )


def _lock(referral: Referral) -> Referral:
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.is_closed:
        raise ReferralClosed
    return locked


@transaction.atomic
def record_consent(
    referral: Referral,
    *,
    consented_at: dt.datetime,
    method: str,
    acting_user: User,
    request: HttpRequest | None = None,
) -> None:
    """Record the student's own consent, once."""
    locked = _lock(referral)
    if locked.has_consent:
        raise ConsentAlreadyRecorded
    referral.consented_at = consented_at
    referral.consent_method = method
    referral.consent_recorded_by = acting_user
    referral.save(update_fields=["consented_at", "consent_method", "consent_recorded_by"])
    audit.record(
        CounsellingEvent.CONSENT_RECORDED,
        referral,
        acting_user=acting_user,
        request=request,
        method=method,
    )


@transaction.atomic
def add_note(
    referral: Referral, *, body: str, acting_user: User, request: HttpRequest | None = None
) -> ReferralNote:
    locked = _lock(referral)
    if not locked.has_consent:
        raise ConsentRequired
    note = ReferralNote.objects.create(
        referral=referral, author=acting_user, body=body, created_at=clock.now()
    )
    audit.record(
        CounsellingEvent.NOTE_ADDED,
        referral,
        acting_user=acting_user,
        request=request,
        note=note.pk,
    )
    return note


@transaction.atomic
def take(referral: Referral, *, acting_user: User, request: HttpRequest | None = None) -> None:
    """A support worker takes an open referral on; one of two at once wins."""
    claimed = Referral.objects.filter(
        pk=referral.pk, status=Referral.Status.OPEN, consented_at__isnull=False
    ).update(status=Referral.Status.IN_SUPPORT, supporter=acting_user)
    if not claimed:
        current = Referral.objects.get(pk=referral.pk)
        if current.is_closed:
            raise ReferralClosed
        if not current.has_consent:
            raise ConsentRequired
        raise AlreadyTaken
    referral.status, referral.supporter = Referral.Status.IN_SUPPORT, acting_user
    audit.record(
        CounsellingEvent.REFERRAL_TAKEN, referral, acting_user=acting_user, request=request
    )


@transaction.atomic
def close(referral: Referral, *, acting_user: User, request: HttpRequest | None = None) -> None:
    now = clock.now()
    closed = (
        Referral.objects.filter(pk=referral.pk)
        .filter(~Q(status=Referral.Status.CLOSED))
        .update(status=Referral.Status.CLOSED, closed_at=now)
    )
    if not closed:
        raise ReferralClosed
    referral.status, referral.closed_at = Referral.Status.CLOSED, now
    audit.record(
        CounsellingEvent.REFERRAL_CLOSED, referral, acting_user=acting_user, request=request
    )
