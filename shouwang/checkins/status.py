"""A person's check-in today, as the home page and the check-in page show it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

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
    notice_accepted: bool = False

    @cached_property
    def _recent(self) -> dict[dt.date, CheckIn]:
        # Today's and yesterday's check-ins in one query, and only when asked:
        # a submission needs neither.
        if self.person is None or self.incident is None:
            return {}
        days = (self.day - dt.timedelta(days=1), self.day)
        return {c.date: c for c in CheckIn.objects.filter(person=self.person, date__in=days)}

    @property
    def checkin(self) -> CheckIn | None:
        """Today's check-in, if submitted."""
        return self._recent.get(self.day)

    @property
    def yesterday(self) -> CheckIn | None:
        """Yesterday's check-in, if any: the form offers to start from it."""
        return self._recent.get(self.day - dt.timedelta(days=1))

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
        notice_accepted=has_accepted(person, incident),
    )
