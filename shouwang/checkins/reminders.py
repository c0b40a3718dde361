"""Reminders to check in, and what every job that follows the deadlines shares.

Reminder times and deadlines belong to each incident, so the scheduler cannot
hold them as cron lines: a job runs every minute (`tasks.send_due_reminders`,
and the jobs of the apps that act once a deadline has passed, through
`deadlines_passed`) and sends, for each open incident, whatever came due within
the scheduler's catch-up window. The job runs again and again over the same
slot, and a worker may die halfway through a batch; each message's key
(`reminder:…`, and the other apps' own kinds) makes every repeat a no-op in the
database.

A counsellor may also remind all their missing students at once
(`remind_missing`): that reminder goes out in the slot of the moment
(`slot_at`), under the same keys as the scheduled reminder of that slot, so
the two never reach the same person twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext, ngettext

from shouwang.core.audit import record
from shouwang.core.scheduler import CATCH_UP
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.notify.actions import not_yet_sent, send
from shouwang.notify.kinds import REMINDER
from shouwang.notify.models import Message
from shouwang.people.models import Person

from .audit import CheckinEvent
from .queries import missing_people

if TYPE_CHECKING:
    from shouwang.accounts.models import User

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


def send_reminders(
    incident: Incident,
    slot: dt.datetime,
    people: QuerySet[Person] | None = None,
    *,
    prefix: str | None = None,
    late: bool = False,
) -> int:
    """Remind everyone still missing on the slot's day (of `people` only, if
    given), once per person per slot (`prefix`, the slot's own by default)."""
    slot = timezone.localtime(slot)
    day = slot.date()
    prefix = prefix or reminder_key_prefix(incident, slot)
    missing = missing_people(incident, day)
    if people is not None:
        missing = missing.filter(pk__in=people.order_by().values("pk"))
    recipients = not_yet_sent(missing, prefix).only("pk")
    with translation.override(settings.LANGUAGE_CODE):
        values = {"day": day_label(day), "deadline": time_format(incident.deadline, "H:i")}
        if late:
            body = gettext(
                "You have not checked in for %(day)s yet. The deadline (%(deadline)s) has "
                "passed: please still check in."
            )
        else:
            # Reminder times come before the deadline (incidents validates that).
            body = gettext(
                "You have not checked in for %(day)s yet. Today's deadline is %(deadline)s."
            )
        return send(
            recipients,
            REMINDER,
            gettext("Please check in for today"),
            body % values,
            reverse("checkins:today"),
            key_for=lambda person: f"{prefix}{person.pk}",
        )


class SlotKind(str, Enum):
    REMINDER = "reminder"  # one of the incident's reminder times
    DEADLINE = "deadline"  # after the last reminder time, before the deadline
    LATE = "late"  # after the deadline, until midnight


@dataclass(frozen=True)
class Slot:
    """A reminder slot: the messages of one slot reach each person at most once,
    whoever sends them (the scheduled job, or a counsellor's "remind all")."""

    kind: SlotKind
    at: dt.datetime  # the reminder time, the deadline, or midnight ending a late slot
    # Until when a reminder sent now belongs to this slot (then the next one's).
    until: dt.datetime
    key_prefix: str

    @property
    def late(self) -> bool:
        return self.kind == SlotKind.LATE


def day_slots(incident: Incident, day: dt.date) -> list[Slot]:
    """The reminder slots of a day the incident covers, in time order.

    A reminder time's slot stays open while the scheduled job may still send
    it (its catch-up window), so a counsellor's "remind all" and the job's
    reminder of that time are one slot and never both reach someone. After the
    last reminder time comes the slot up to the deadline, then one slot after
    it, until midnight."""
    if not incident.covers(day):
        return []
    deadline = incident.deadline_at(day)
    midnight = clock.at(day + dt.timedelta(days=1), dt.time.min)
    times = sorted(filter(None, map(_parse_time, incident.reminder_times or [])))
    slots = [
        Slot(SlotKind.REMINDER, at, at + CATCH_UP, reminder_key_prefix(incident, at))
        for at in (clock.at(day, time) for time in times)
    ]
    slots.append(
        Slot(SlotKind.DEADLINE, deadline, deadline, reminder_key_prefix(incident, deadline))
    )
    late = f"{key_prefix('reminder', incident)}{day.isoformat()}:late:"
    slots.append(Slot(SlotKind.LATE, midnight, midnight, late))
    return slots


def slot_at(incident: Incident, now: dt.datetime) -> Slot | None:
    """The slot a reminder sent at `now` belongs to; None on a day the incident
    does not cover."""
    for slot in day_slots(incident, timezone.localdate(now)):
        if now < slot.until:
            return slot
    return None


def reminded_in(slot: Slot, people: QuerySet[Person]) -> dict[int, dt.datetime]:
    """Those of `people` reminded in `slot`, with when: one query."""
    rows = Message.objects.filter(
        key__startswith=slot.key_prefix, recipient_id__in=people.order_by().values("pk")
    ).values_list("recipient_id", "created_at")
    return dict(rows)


@dataclass(frozen=True)
class Reminded:
    slot: Slot | None
    sent: int


def remind_missing(
    incident: Incident, people: QuerySet[Person], *, acting_user: User, slot: Slot | None = None
) -> Reminded:
    """Remind those of `people` still missing today, now, in `slot` (the
    current one by default), so that nobody the slot's reminder already
    reached (the scheduled one, or an earlier tap) is reminded again. Audited
    with how many were reached."""
    now = timezone.localtime(clock.now())
    slot = slot or slot_at(incident, now)
    if slot is None:
        return Reminded(None, 0)
    sent = send_reminders(incident, now, people, prefix=slot.key_prefix, late=slot.late)
    record(
        CheckinEvent.REMINDED,
        incident,
        acting_user=acting_user,
        date=now.date().isoformat(),
        slot=slot.key_prefix.removeprefix(key_prefix("reminder", incident)).rstrip(":"),
        sent=sent,
    )
    return Reminded(slot, sent)


def send_due(now: dt.datetime | None = None) -> dict[str, int]:
    """Send every reminder that came due within the catch-up window, for every
    open incident; returns how many were new."""
    now = timezone.localtime(now or clock.now())
    sent = 0
    for incident in Incident.objects.open().prefetch_related("units"):
        for slot in due_reminder_slots(incident, now):
            sent += send_reminders(incident, slot)
    return {"reminders": sent}
