"""A person's check-in today, as the home page and the check-in page show it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from shouwang.incidents.access import current_incident_for
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.people.models import Person

from .models import CheckIn
from .privacy import has_accepted


@dataclass(frozen=True)
class CheckInStatus:
    person: Person | None
    incident: Incident | None
    day: dt.date
    now: dt.datetime
    checkin: CheckIn | None = None
    notice_accepted: bool = False

    @property
    def required(self) -> bool:
        return self.incident is not None

    @property
    def needs_notice(self) -> bool:
        """Required, and the privacy notice as it stands is not yet accepted."""
        return self.incident is not None and not self.notice_accepted

    @property
    def done(self) -> bool:
        return self.checkin is not None

    @property
    def deadline(self) -> dt.datetime | None:
        return self.incident.deadline_at(self.day) if self.incident else None

    @property
    def past_deadline(self) -> bool:
        deadline = self.deadline
        return deadline is not None and self.now > deadline

    @property
    def overdue(self) -> bool:
        """Required, not done, and the deadline has passed: a check-in now is late."""
        return self.required and not self.done and self.past_deadline


def checkin_status(person: Person | None) -> CheckInStatus:
    """Whether `person` must check in today, and what they submitted if they did.

    For the home page: `{% include "checkins/checkin_status.html" with status=… %}`."""
    now = clock.now()
    day = timezone.localdate(now)
    incident = current_incident_for(person)
    if person is None or incident is None:
        return CheckInStatus(person=person, incident=None, day=day, now=now)
    return CheckInStatus(
        person=person,
        incident=incident,
        day=day,
        now=now,
        checkin=CheckIn.objects.filter(person=person, date=day).first(),
        notice_accepted=has_accepted(person, incident),
    )
