"""A person's timeline: their check-ins, flags and the actions on them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch

from shouwang.checkins.models import CheckIn, Symptom
from shouwang.incidents.models import Incident
from shouwang.people.models import Person

from .models import Flag, FlagAction


@dataclass
class Event:
    """One entry of a person's timeline: a check-in, a flag or an action on a flag."""

    at: dt.datetime
    kind: str  # "checkin", "flag" or "action"
    incident: Incident
    checkin: CheckIn | None = None
    flag: Flag | None = None
    action: FlagAction | None = None

    @property
    def symptoms(self) -> str:
        return symptom_labels(self.checkin) if self.checkin else ""


def symptom_labels(checkin: CheckIn) -> str:
    """The check-in's symptoms in words, comma-separated."""
    labels = dict(Symptom.choices)
    return ", ".join(str(labels.get(code, code)) for code in checkin.symptoms or [])


KIND_ORDER = {"checkin": 0, "flag": 1, "action": 2}


def timeline(person: Person) -> list[Event]:
    """The person's check-ins, flags and actions on them, oldest first (three queries)."""
    events = [
        Event(checkin.submitted_at, "checkin", checkin.incident, checkin=checkin)
        for checkin in CheckIn.objects.filter(person=person).select_related("incident")
    ]
    flags = (
        Flag.objects.filter(person=person)
        .select_related("incident")
        .prefetch_related(
            Prefetch("actions", queryset=FlagAction.objects.select_related("by__person"))
        )
    )
    for flag in flags:
        events.append(Event(flag.created_at, "flag", flag.incident, flag=flag))
        events.extend(
            Event(action.at, "action", flag.incident, flag=flag, action=action)
            for action in flag.actions.all()
        )
    return sorted(events, key=lambda event: (event.at, KIND_ORDER[event.kind]))
