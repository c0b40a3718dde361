"""Escalation: after each day's deadline, everyone missing that day and the
day before is flagged, and each leader gets one message a day listing those of
their units (the job: `tasks.escalate_missed`)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import ngettext

from shouwang.checkins import reminders
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.notify.actions import send
from shouwang.notify.kinds import ESCALATION
from shouwang.people.access import LeaderReach
from shouwang.people.models import Person

from .models import Flag
from .rules import flag_missed

KIND = "escalation"


def escalate_missing(incident: Incident, day: dt.date) -> int:
    """After the deadline: flag everyone missing this day and the day before,
    and send each leader one message a day listing those of their units."""
    flag_missed(incident, day)
    flags = (
        Flag.objects.filter(incident=incident, date=day, reason=Flag.Reason.MISSED)
        .select_related("person__admin_class")
        .order_by("person__admin_class__name", "person__number")
    )
    flagged = [
        (
            f"{flag.person.admin_class or ''} {flag.person.name} ({flag.person.number})".strip(),
            flag.person,
        )
        for flag in flags
    ]
    if not flagged:
        return 0
    prefix = f"{reminders.key_prefix(KIND, incident)}{day.isoformat()}:"
    reach = LeaderReach()
    theirs: dict[int, tuple[Person, list[str]]] = {}
    for label, person in flagged:
        for leader in reach.over_person(person):
            theirs.setdefault(leader.pk, (leader, []))[1].append(label)
    # To the day's named missing list, as the counsellors' lists link.
    query = urlencode({"incident": str(incident.pk), "date": day.isoformat()})
    link = f"{reverse('compliance:missing')}?{query}"
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for leader, labels in theirs.values():
            values = {"count": len(labels), "day": reminders.day_label(day)}
            title = (
                ngettext(
                    "%(count)d person has missed two days' check-ins in a row (%(day)s)",
                    "%(count)d people have missed two days' check-ins in a row (%(day)s)",
                    len(labels),
                )
                % values
            )
            sent += send(
                [leader],
                ESCALATION,
                title,
                reminders.names_list(labels),
                link,
                key_for=lambda person: f"{prefix}{person.pk}",
            )
    return sent


def send_due(now: dt.datetime | None = None) -> int:
    """Escalate every deadline that passed within the scheduler's catch-up
    window; returns how many messages were new."""
    now = timezone.localtime(now or clock.now())
    return sum(escalate_missing(incident, day) for incident, day in reminders.deadlines_passed(now))


def purge_escalations(incident: Incident, now: dt.datetime) -> dict[str, int]:
    """The purge's hook (`checkins.hooks.before_purge`): escalations name who
    did not report when, so they go with the check-ins."""
    return {"messages": reminders.delete_messages(KIND, incident)}
