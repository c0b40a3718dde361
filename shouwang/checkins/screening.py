"""Screening: turning check-ins (and their absence) into flags. A flag is a
suggestion for a counsellor, never a decision; raising one twice is a no-op
(one flag per person, day and reason, by a unique constraint)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from shouwang.incidents.models import Incident

from .models import CheckIn, Flag, Location, RiskRegion
from .queries import missing_people, reported_on


def in_risk_region(checkin: CheckIn) -> bool:
    if checkin.location == Location.CAMPUS or not checkin.province:
        return False
    return RiskRegion.objects.filter(
        Q(city="") | Q(city=checkin.city),
        incident_id=checkin.incident_id,
        province=checkin.province,
    ).exists()


def flag_checkin(checkin: CheckIn) -> list[str]:
    """Raise the flags a check-in calls for; returns their reasons."""
    reasons: list[str] = []
    if checkin.has_symptoms:
        reasons.append(Flag.Reason.SYMPTOMS)
    if checkin.has_fever:
        reasons.append(Flag.Reason.FEVER)
    if checkin.contact_with_case:
        reasons.append(Flag.Reason.CONTACT)
    if checkin.stayed_in_risk_area:
        reasons.append(Flag.Reason.RISK_AREA)
    if in_risk_region(checkin):
        reasons.append(Flag.Reason.RISK_REGION)
    Flag.objects.bulk_create(
        [
            Flag(
                person_id=checkin.person_id,
                incident_id=checkin.incident_id,
                date=checkin.date,
                reason=reason,
            )
            for reason in reasons
        ],
        ignore_conflicts=True,
    )
    return reasons


def flag_missed(incident: Incident, day: dt.date) -> int:
    """Flag everyone who missed `day` and the day before (both inside the incident)."""
    before = day - dt.timedelta(days=1)
    if not incident.covers(before):
        return 0
    people = missing_people(incident, day).filter(~reported_on(before)).values_list("pk", flat=True)
    flags = [
        Flag(person_id=pk, incident=incident, date=day, reason=Flag.Reason.MISSED) for pk in people
    ]
    Flag.objects.bulk_create(flags, ignore_conflicts=True, batch_size=1000)
    return len(flags)
