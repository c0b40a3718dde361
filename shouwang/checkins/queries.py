"""Who was expected and who is missing on a day: shared by compliance,
screening, reminders and the API."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, QuerySet

from shouwang.incidents.models import Incident
from shouwang.people.models import Person

from .models import CheckIn


def reported_on(day: dt.date) -> Exists:
    return Exists(CheckIn.objects.filter(person_id=OuterRef("pk"), date=day))


def missing_people(incident: Incident, day: dt.date) -> QuerySet[Person]:
    """Everyone the incident expected on `day` who has not checked in."""
    return incident.expected_people().filter(~reported_on(day))
