"""Screening: turning check-ins (and their absence) into flags. A flag is a
suggestion for a counsellor, never a decision; raising one twice is a no-op
(one flag per person, day and reason, by a unique constraint). Nothing here
resolves a flag: only a person recording what they did (`record_flag_action`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import HttpRequest

from shouwang.core import audit
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.people.models import Person

from .audit import ScreeningEvent
from .models import CheckIn, Flag, FlagAction, Location, RiskRegion, Symptom
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
    reasons = flag_reasons(checkin)
    raise_flags(checkin, reasons)
    return reasons


def flag_reasons(checkin: CheckIn) -> list[str]:
    """The flags a check-in calls for, raised by raise_flags (a submission
    works them out before its transaction begins)."""
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
    return reasons


def raise_flags(checkin: CheckIn, reasons: list[str]) -> None:
    if reasons:
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


# What a counsellor did about a flag. Contacting someone leaves the flag open;
# referring them to isolation or clearing them settles it.
RESOLVING = (FlagAction.Outcome.REFERRED, FlagAction.Outcome.CLEARED)


@transaction.atomic
def record_flag_action(
    flag: Flag, *, outcome: str, note: str, acting_user, request: HttpRequest | None = None
) -> FlagAction:
    """Record what was done about a flag; referring or clearing resolves it."""
    action = FlagAction.objects.create(
        flag=flag, outcome=outcome, note=note, by=acting_user, at=clock.now()
    )
    if outcome in RESOLVING:
        # Two counsellors settling the same flag at once: the first one's time stands.
        Flag.objects.filter(pk=flag.pk, resolved_at__isnull=True).update(resolved_at=action.at)
        flag.refresh_from_db(fields=["resolved_at"])
    audit.record(
        ScreeningEvent.FLAG_ACTION,
        flag.person,
        acting_user=acting_user,
        request=request,
        flag=flag.pk,
        reason=flag.reason,
        outcome=outcome,
    )
    return action


def flag_risk_region(region: RiskRegion, day: dt.date) -> int:
    """Flag the day's off-campus check-ins in a region just marked risky; returns how many."""
    checkins = CheckIn.objects.filter(
        incident_id=region.incident_id, date=day, province=region.province
    ).exclude(location=Location.CAMPUS)
    if region.city:
        checkins = checkins.filter(city=region.city)
    flags = [
        Flag(
            person_id=person_id,
            incident_id=region.incident_id,
            date=day,
            reason=Flag.Reason.RISK_REGION,
        )
        for person_id in checkins.values_list("person_id", flat=True)
    ]
    Flag.objects.bulk_create(flags, ignore_conflicts=True, batch_size=1000)
    return len(flags)


@transaction.atomic
def mark_risk_region(
    incident: Incident,
    province: str,
    city: str = "",
    *,
    acting_user,
    request: HttpRequest | None = None,
) -> RiskRegion:
    """Mark a province (no city) or a city risky for the incident. Today's
    check-ins already made from there are flagged too: tomorrow's are flagged
    as they come in."""
    region, created = RiskRegion.objects.get_or_create(
        incident=incident,
        province=province,
        city=city,
        defaults={"marked_by": acting_user, "marked_at": clock.now()},
    )
    if created:
        flagged = flag_risk_region(region, clock.today())
        audit.record(
            ScreeningEvent.RISKY_REGION_MARKED,
            incident,
            acting_user=acting_user,
            request=request,
            province=province,
            city=city,
            flagged=flagged,
        )
    return region


@transaction.atomic
def unmark_risk_region(region: RiskRegion, *, acting_user, request: HttpRequest | None = None):
    """The region is no longer risky. Flags it raised stay until someone acts on them."""
    audit.record(
        ScreeningEvent.RISKY_REGION_UNMARKED,
        region.incident,
        acting_user=acting_user,
        request=request,
        province=region.province,
        city=region.city,
    )
    region.delete()


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
