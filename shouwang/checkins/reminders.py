"""Reminders, the counsellors' missing lists and escalation to the leaders.

Reminder times and deadlines belong to each incident, so the scheduler cannot
hold them as cron lines: one job runs every minute (`tasks.send_due_reminders`)
and sends, for each open incident, whatever came due within the scheduler's
catch-up window. The job runs again and again over the same slot, and a worker
may die halfway through a batch; each message's key (`reminder:…`,
`missing-list:…`, `escalation:…`) makes every repeat a no-op in the database.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext

from shouwang.core.scheduler import CATCH_UP
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.notify.actions import deliver, not_yet_sent, send
from shouwang.notify.kinds import ESCALATION, REMINDER
from shouwang.notify.models import Message
from shouwang.people.access import LeaderReach
from shouwang.people.models import Person

from .message_kinds import MISSING_LIST
from .models import Flag
from .queries import missing_people
from .screening import flag_missed

logger = logging.getLogger(__name__)

# A message names at most this many people; the link leads to the full list.
MAX_NAMES = 50

# The kinds of message keyed by incident: the retention purge deletes them with
# the check-ins, since they say who did not report when.
KEY_KINDS = ("reminder", "missing-list", "escalation")


def key_prefix(kind: str, incident: Incident) -> str:
    return f"{kind}:{incident.pk}:"


def reminder_key_prefix(incident: Incident, slot: dt.datetime) -> str:
    slot = timezone.localtime(slot)
    return f"{key_prefix('reminder', incident)}{slot.date().isoformat()}:{slot:%H:%M}:"


def _parse_time(text: str) -> dt.time | None:
    try:
        return dt.time.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def _in_window(incident: Incident, at: dt.datetime, now: dt.datetime) -> bool:
    # A slot before the incident opened is not due: a deadline minutes before
    # the incident began must not send everyone's name as missing.
    return now - CATCH_UP < at <= now and at >= incident.started_at


def _days(now: dt.datetime) -> list[dt.date]:
    """The local days the catch-up window touches (two just after midnight)."""
    return sorted({timezone.localdate(now - CATCH_UP), timezone.localdate(now)})


def due_reminder_slots(incident: Incident, now: dt.datetime) -> list[dt.datetime]:
    """The incident's reminder times (local) that came within the catch-up window."""
    slots = []
    for day in _days(now):
        if not incident.covers(day):
            continue
        for text in incident.reminder_times or []:
            time = _parse_time(text)
            if time is None:
                logger.warning("incident %s: bad reminder time %r", incident.pk, text)
                continue
            at = clock.at(day, time)
            if _in_window(incident, at, now):
                slots.append(at)
    return sorted(slots)


def due_deadlines(incident: Incident, now: dt.datetime) -> list[dt.date]:
    """The days whose deadline passed within the catch-up window."""
    return [
        day
        for day in _days(now)
        if incident.covers(day) and _in_window(incident, incident.deadline_at(day), now)
    ]


def _day(day: dt.date) -> str:
    return date_format(day, gettext("N j"))


def _names(rows: list[str]) -> str:
    lines = rows[:MAX_NAMES]
    if len(rows) > MAX_NAMES:
        more = len(rows) - MAX_NAMES
        lines.append(
            ngettext("… and %(count)d more", "… and %(count)d more", more) % {"count": more}
        )
    return "\n".join(lines)


def _missing_link(incident: Incident, day: dt.date) -> str:
    query = urlencode({"incident": str(incident.pk), "date": day.isoformat()})
    return f"{reverse('checkins:missing')}?{query}"


def send_reminders(incident: Incident, slot: dt.datetime) -> int:
    """Remind everyone still missing on the slot's day, once per person per slot."""
    slot = timezone.localtime(slot)
    day = slot.date()
    prefix = reminder_key_prefix(incident, slot)
    people = not_yet_sent(missing_people(incident, day), prefix).only("pk")
    with translation.override(settings.LANGUAGE_CODE):
        # Reminder times come before the deadline (incidents validates that).
        body = gettext(
            "You have not checked in for %(day)s yet. Today's deadline is %(deadline)s."
        ) % {"day": _day(day), "deadline": time_format(incident.deadline, "H:i")}
        return send(
            people,
            REMINDER,
            gettext("Please check in for today"),
            body,
            reverse("checkins:today"),
            key_for=lambda person: f"{prefix}{person.pk}",
        )


def send_missing_lists(incident: Incident, day: dt.date) -> int:
    """After the deadline: each counsellor gets the missing people of their own
    classes, one message per counsellor per day."""
    rows = (
        missing_people(incident, day)
        .filter(admin_class__counsellor__isnull=False)
        .order_by("admin_class__name", "number")
        .values_list("admin_class__counsellor_id", "admin_class__name", "name", "number")
    )
    by_counsellor: dict[int, list[str]] = defaultdict(list)
    for counsellor_id, class_name, name, number in rows:
        by_counsellor[counsellor_id].append(f"{class_name} {name} ({number})")
    prefix = f"{key_prefix('missing-list', incident)}{day.isoformat()}:"
    now = clock.now()
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for counsellor_id, names in by_counsellor.items():
            values = {"count": len(names), "day": _day(day)}
            messages.append(
                Message(
                    recipient_id=counsellor_id,
                    kind=MISSING_LIST,
                    title=ngettext(
                        "%(count)d person in your classes has not checked in for %(day)s",
                        "%(count)d people in your classes have not checked in for %(day)s",
                        len(names),
                    )
                    % values,
                    body=_names(names),
                    link=_missing_link(incident, day),
                    key=f"{prefix}{counsellor_id}",
                    created_at=now,
                )
            )
    return deliver(messages)


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
    prefix = f"{key_prefix('escalation', incident)}{day.isoformat()}:"
    reach = LeaderReach()
    theirs: dict[int, tuple[Person, list[str]]] = {}
    for label, person in flagged:
        for leader in reach.over_person(person):
            theirs.setdefault(leader.pk, (leader, []))[1].append(label)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for leader, labels in theirs.values():
            values = {"count": len(labels), "day": _day(day)}
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
                _names(labels),
                _missing_link(incident, day),
                key_for=lambda person: f"{prefix}{person.pk}",
            )
    return sent


def send_due(now: dt.datetime | None = None) -> dict[str, int]:
    """Send every reminder, missing list and escalation that came due within
    the catch-up window, for every open incident; returns how many were new."""
    now = timezone.localtime(now or clock.now())
    sent = {"reminders": 0, "missing_lists": 0, "escalations": 0}
    for incident in Incident.objects.open().prefetch_related("units"):
        for slot in due_reminder_slots(incident, now):
            sent["reminders"] += send_reminders(incident, slot)
        for day in due_deadlines(incident, now):
            sent["missing_lists"] += send_missing_lists(incident, day)
            sent["escalations"] += escalate_missing(incident, day)
    return sent
