"""Reminders to check in, and what every job that follows the deadlines shares.

Reminder times and deadlines belong to each incident, so the scheduler cannot
hold them as cron lines: a job runs every minute (`tasks.send_due_reminders`,
and the jobs of the apps that act once a deadline has passed, through
`deadlines_passed`) and sends, for each open incident, whatever came due within
the scheduler's catch-up window. The job runs again and again over the same
slot, and a worker may die halfway through a batch; each message's key
(`reminder:…`, and the other apps' own kinds) makes every repeat a no-op in the
database.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext, ngettext

from shouwang.core.scheduler import CATCH_UP
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.notify.actions import not_yet_sent, send
from shouwang.notify.kinds import REMINDER
from shouwang.notify.models import Message

from .queries import missing_people

logger = logging.getLogger(__name__)

# A message names at most this many people; the link leads to the full list.
MAX_NAMES = 50


def key_prefix(kind: str, incident: Incident) -> str:
    """The start of the keys of an incident's messages of one kind (`reminder`, …)."""
    return f"{kind}:{incident.pk}:"


def delete_messages(kind: str, incident: Incident) -> int:
    """Delete an incident's messages of one kind, which say who did not report
    when: the retention purge deletes them with the check-ins."""
    deleted, _ = Message.objects.filter(key__startswith=key_prefix(kind, incident)).delete()
    return deleted


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


def deadlines_passed(now: dt.datetime) -> Iterator[tuple[Incident, dt.date]]:
    """Each open incident with each day whose deadline passed within the catch-up window."""
    for incident in Incident.objects.open().prefetch_related("units"):
        for day in due_deadlines(incident, now):
            yield incident, day


def day_label(day: dt.date) -> str:
    """A day as messages name it."""
    return date_format(day, gettext("N j"))


def names_list(rows: list[str]) -> str:
    """People's lines in a message: the first MAX_NAMES, then how many more."""
    lines = rows[:MAX_NAMES]
    if len(rows) > MAX_NAMES:
        more = len(rows) - MAX_NAMES
        lines.append(
            ngettext("… and %(count)d more", "… and %(count)d more", more) % {"count": more}
        )
    return "\n".join(lines)


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
        ) % {"day": day_label(day), "deadline": time_format(incident.deadline, "H:i")}
        return send(
            people,
            REMINDER,
            gettext("Please check in for today"),
            body,
            reverse("checkins:today"),
            key_for=lambda person: f"{prefix}{person.pk}",
        )


def send_due(now: dt.datetime | None = None) -> dict[str, int]:
    """Send every reminder that came due within the catch-up window, for every
    open incident; returns how many were new."""
    now = timezone.localtime(now or clock.now())
    sent = 0
    for incident in Incident.objects.open().prefetch_related("units"):
        for slot in due_reminder_slots(incident, now):
            sent += send_reminders(incident, slot)
    return {"reminders": sent}
