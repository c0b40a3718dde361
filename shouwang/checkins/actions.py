"""The check-in's verbs: submit a day's answers, accept the privacy notice."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from shouwang.core.audit import prepare, record
from shouwang.core.db import Insert
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.people.models import Person

from .audit import CheckinEvent
from .models import CheckIn, PrivacyAcceptance
from .privacy import notice_version
from .screening import flag_checkin, flag_reasons, raise_flags

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


@dataclass(frozen=True)
class Submission:
    checkin: CheckIn
    # False when an earlier check-in of the day was updated or the request replayed.
    created: bool
    # True when the key had been submitted already: nothing was written.
    replayed: bool


def submit_checkin(
    person: Person,
    incident: Incident,
    answers: dict[str, Any],
    key: uuid.UUID,
    *,
    acting_user,
    same_as_yesterday: bool = False,
) -> Submission:
    """Record `person`'s answers for the local day (Asia/Shanghai) it is now.

    One row per person and day: a second submission updates the first. The same
    `key` again (a double tap, a network retry) writes nothing and returns the
    row it wrote. The first submission after the day's deadline is late; later
    changes keep the first one's standing, so that reporting a fever in the
    afternoon never counts against anyone.
    """
    now = clock.now()
    day = timezone.localdate(now)
    values = {name: answers[name] for name in ANSWER_FIELDS}
    checkin = CheckIn(
        person=person,
        incident=incident,
        date=day,
        submitted_at=now,
        updated_at=now,
        late=now > incident.deadline_at(day),
        idempotency_key=key,
        **values,
    )
    # Short: the SQLite write lock is held from BEGIN to COMMIT, and the whole
    # college checks in within the same hour. For the day's first submission,
    # by far the commonest, every row is worked out before BEGIN, and the
    # transaction is its plain INSERTs (core.db) and the commit. A replay or a
    # correction is found by the constraint it runs into.
    row = Insert(checkin, unless_conflict_on=("person", "date"))
    reasons = flag_reasons(checkin)
    audit: dict[str, Any] = {"date": day.isoformat(), "same_as_yesterday": same_as_yesterday}
    audit_row = prepare(
        CheckinEvent.SUBMITTED,
        checkin,
        acting_user=acting_user,
        created=True,
        late=checkin.late,
        **audit,
    )
    with transaction.atomic():
        if row.run():
            raise_flags(checkin, reasons)
            audit_row.write()
            return Submission(checkin, created=True, replayed=False)
        checkin = CheckIn.objects.select_for_update().get(person=person, date=day)
        checkin.person = person
        if checkin.idempotency_key == key:
            # A double tap or a retried request: nothing is written.
            return Submission(checkin, created=False, replayed=True)
        for name, value in values.items():
            setattr(checkin, name, value)
        checkin.idempotency_key = key
        checkin.updated_at = now
        checkin.save(update_fields=[*ANSWER_FIELDS, "idempotency_key", "updated_at"])
        flag_checkin(checkin)
        record(
            CheckinEvent.SUBMITTED,
            checkin,
            acting_user=acting_user,
            created=False,
            late=checkin.late,
            **audit,
        )
    return Submission(checkin, created=False, replayed=False)


def accept_privacy_notice(person: Person, incident: Incident, *, acting_user) -> PrivacyAcceptance:
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
