"""Who was expected and who is missing on a day, and which incident and day a
page about check-ins opens on: shared by the pages and jobs that read check-ins."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Exists, F, OuterRef, QuerySet

from shouwang.incidents.access import incidents_for_user
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.people.models import Person

from .models import CheckIn

if TYPE_CHECKING:
    from shouwang.accounts.models import User


def reported_on(day: dt.date) -> Exists:
    return Exists(CheckIn.objects.filter(person_id=OuterRef("pk"), date=day))


def missing_people(incident: Incident, day: dt.date) -> QuerySet[Person]:
    """Everyone the incident expected on `day` who has not checked in."""
    return incident.expected_people().filter(~reported_on(day))


def incident_choices(user: User) -> QuerySet[Incident]:
    """The incidents a viewer may pick, open ones first, then the latest closed."""
    return incidents_for_user(user).order_by(
        F("closed_at").desc(nulls_first=True), "-started_at", "-pk"
    )


def default_incident(user: User) -> Incident | None:
    """What a page of check-ins opens on: the newest open incident, else the
    latest closed one."""
    return incident_choices(user).first()


def default_day(incident: Incident) -> dt.date:
    """Today while the incident runs; its last day once it has closed."""
    today = clock.today()
    end = incident.end_date
    return min(today, end) if end else today
