"""Screening rules: turning check-ins (and their absence) into flags. A flag is
a suggestion for a counsellor, never a decision; raising one twice is a no-op
(one flag per person, day and reason, by a unique constraint). Nothing here
resolves a flag: only a person recording what they did (`actions.record_flag_action`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

from django.db.models import Q

from shouwang.checkins.models import CheckIn, Location
from shouwang.checkins.queries import missing_people, reported_on
from shouwang.incidents.models import Incident
from shouwang.leave.queries import OnLeave, leaves_covering

from .models import Flag, FlagAction, RiskRegion


def in_risk_region(checkin: CheckIn) -> bool:
    if checkin.location == Location.CAMPUS or not checkin.province:
        return False
    return RiskRegion.objects.filter(
        Q(city="") | Q(city=checkin.city),
        incident_id=checkin.incident_id,
        province=checkin.province,
    ).exists()


def _elsewhere(leave: OnLeave, checkin: CheckIn) -> bool:
    """Off campus in another city (or province) than the leave's destination;
    a leave with none (sick leave at home) names no place to differ from."""
    if leave.city and checkin.city:
        return leave.city != checkin.city
    if leave.province and checkin.province:
        return leave.province != checkin.province
    return False


def contradicts(leave: OnLeave, checkin: CheckIn) -> bool:
    """Whether the check-in's place cannot be where the leave has the person."""
    if checkin.location == Location.CAMPUS:
        # Scanned out at the gate and not back in, yet on campus.
        return leave.away and leave.out_at_gate
    if leave.on_campus:
        # Let onto the closed campus (staff on duty), yet at home or elsewhere.
        return True
    return _elsewhere(leave, checkin)


def leave_reasons(checkin: CheckIn) -> list[str]:
    """A check-in against the person's approved leave of the day: every leave
    contradicting it, or, under a regime asking for leave to be off campus,
    none at all. One query."""
    leaves = leaves_covering([checkin.person_id], checkin.date).get(checkin.person_id, [])
    if leaves:
        # Two leaves may cover a day: one agreeing with the check-in is enough.
        return [Flag.Reason.LEAVE] if all(contradicts(leave, checkin) for leave in leaves) else []
    if checkin.location != Location.CAMPUS and checkin.incident.leave_required:
        return [Flag.Reason.NO_LEAVE]
    return []


def flag_reasons(checkin: CheckIn) -> list[str]:
    """The flags a check-in calls for."""
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
    reasons += leave_reasons(checkin)
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


def flag_checkin(checkin: CheckIn) -> list[str]:
    """Raise the flags a check-in calls for; returns their reasons."""
    reasons = flag_reasons(checkin)
    raise_flags(checkin, reasons)
    return reasons


def flags_for(checkin: CheckIn) -> Callable[[], None] | None:
    """The check-in's hook (`checkins.hooks.checkin_stored`): the reasons are
    worked out before the submission's transaction, the flags raised in it."""
    reasons = flag_reasons(checkin)
    return partial(raise_flags, checkin, reasons) if reasons else None


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


def purge_flags(incident: Incident, now: dt.datetime) -> dict[str, int]:
    """The purge's hook (`checkins.hooks.before_purge`): flags say whose health
    was in question, so they go with the check-ins."""
    actions, _ = FlagAction.objects.filter(flag__incident=incident).delete()
    flags, _ = Flag.objects.filter(incident=incident).delete()
    return {"flags": flags, "flag_actions": actions}
