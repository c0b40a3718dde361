"""The check-in's verbs: submit a day's answers, accept the privacy notice."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shouwang.core.audit import prepare, record
from shouwang.core.db import Upsert
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.people.models import Person

from . import hooks
from .audit import CheckinEvent
from .models import CheckIn, PrivacyAcceptance
from .privacy import notice_version
from .status import CheckInStatus

if TYPE_CHECKING:
    from shouwang.accounts.models import User

ANSWER_FIELDS = (
    "location",
    "province",
    "city",
    "symptoms",
    "temperature",
    "contact_with_case",
    "stayed_in_risk_area",
    "note",
)


class CheckInRefused(Exception):
    """Why someone may not check in now: `message` for them, `code` for a program."""

    code: str
    message: Promise


class NotRequired(CheckInRefused):
    code = "not_required"
    message = _("No open incident asks you to check in today.")


class NoticeNotAccepted(CheckInRefused):
    code = "privacy_notice"
    message = _("Read and accept the privacy notice on the check-in page first.")


def may_check_in(status: CheckInStatus) -> tuple[Person, Incident]:
    """Whom and for which incident `status` allows a check-in; raises
    CheckInRefused's kinds when it does not."""
    if status.person is None or status.incident is None:
        raise NotRequired
    if not status.notice_accepted:
        raise NoticeNotAccepted
    return status.person, status.incident


@dataclass(frozen=True)
class Submission:
    checkin: CheckIn
    # False when an earlier check-in of the day was updated or the request replayed.
    created: bool
    # True when the key had been submitted already: nothing was written.
    replayed: bool


def submit_checkin(
    status: CheckInStatus,
    answers: dict[str, Any],
    key: uuid.UUID,
    *,
    acting_user: User,
    same_as_yesterday: bool = False,
) -> Submission:
    """Record the answers of the person `status` is about, for the local day
    (Asia/Shanghai) it is now; CheckInRefused if they may not check in.

    One row per person and day: a second submission updates the first. The same
    `key` again (a double tap, a network retry) writes nothing and returns the
    row it wrote. The first submission after the day's deadline is late; later
    changes keep the first one's standing, so that reporting a fever in the
    afternoon never counts against anyone. What other apps registered in
    `hooks.checkin_stored` runs with each submission stored.
    """
    person, incident = may_check_in(status)
    now = clock.now()
    day = timezone.localdate(now)
    checkin = CheckIn(
        person=person,
        incident=incident,
        date=day,
        submitted_at=now,
        updated_at=now,
        late=now > incident.deadline_at(day),
        idempotency_key=key,
        **{name: answers[name] for name in ANSWER_FIELDS},
    )
    # Short: the SQLite write lock is held from BEGIN to COMMIT, and the whole
    # college checks in within the same hour. Every row is worked out before
    # BEGIN, and for the day's first submission, by far the commonest, the
    # transaction is its plain INSERTs (core.db) and the commit.
    row = Upsert(
        checkin,
        on=("person", "date"),
        update=(*ANSWER_FIELDS, "idempotency_key", "updated_at"),
        unless_same="idempotency_key",
    )
    after = [hook(checkin) for hook in hooks.checkin_stored]
    audit: dict[str, Any] = {"date": day.isoformat(), "same_as_yesterday": same_as_yesterday}
    first = prepare(
        CheckinEvent.SUBMITTED,
        checkin,
        acting_user=acting_user,
        created=True,
        late=checkin.late,
        **audit,
    )
    with transaction.atomic():
        written = row.run()
        if written == Upsert.UNCHANGED:
            # A double tap or a retried request: nothing is written.
            replayed = CheckIn.objects.get(person=person, date=day)
            return Submission(replayed, created=False, replayed=True)
        for write in after:
            if write is not None:
                write()
        if written == Upsert.INSERTED:
            first.write()
        else:
            record(
                CheckinEvent.SUBMITTED,
                checkin,
                acting_user=acting_user,
                created=False,
                late=checkin.late,
                **audit,
            )
    return Submission(checkin, created=written == Upsert.INSERTED, replayed=False)


def accept_privacy_notice(
    person: Person, incident: Incident, *, acting_user: User
) -> PrivacyAcceptance:
    """Record that `person` accepted the notice as it stands for `incident`; once per version."""
    version = notice_version(incident)
    with transaction.atomic():
        acceptance, created = PrivacyAcceptance.objects.get_or_create(
            person=person, version=version, defaults={"accepted_at": clock.now()}
        )
        if created:
            record(
                CheckinEvent.PRIVACY_ACCEPTED, acceptance, acting_user=acting_user, version=version
            )
    return acceptance
