"""The counsellors' missing lists: after each day's deadline, each counsellor
gets the missing people of their own classes, one message a day, linking to
the named missing list (the job: `tasks.send_missing_lists`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import ngettext

from shouwang.checkins import reminders
from shouwang.checkins.queries import missing_people
from shouwang.compliance.message_kinds import MISSING_LIST
from shouwang.incidents.models import Incident
from shouwang.leave.queries import on_leave
from shouwang.lib import clock
from shouwang.notify.actions import deliver
from shouwang.notify.models import Message

KIND = "missing-list"


def missing_list_link(incident: Incident, day: dt.date) -> str:
    query = urlencode({"incident": str(incident.pk), "date": day.isoformat()})
    return f"{reverse('compliance:missing')}?{query}"


def send_missing_lists(incident: Incident, day: dt.date) -> int:
    """After the deadline: each counsellor gets the missing people of their own
    classes, one message per counsellor per day."""
    missing = missing_people(incident, day).filter(admin_class__counsellor__isnull=False)
    rows = missing.order_by("admin_class__name", "number").values_list(
        "admin_class__counsellor_id", "pk", "admin_class__name", "name", "number"
    )
    by_counsellor: dict[int, list[str]] = defaultdict(list)
    prefix = f"{reminders.key_prefix(KIND, incident)}{day.isoformat()}:"
    now = clock.now()
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        # Leave labels the missing, never removes them.
        leaves = on_leave(missing, day)
        for counsellor_id, pk, class_name, name, number in rows:
            line = f"{class_name} {name} ({number})"
            if pk in leaves:
                line = f"{line}: {leaves[pk].label}"
            by_counsellor[counsellor_id].append(line)
        for counsellor_id, names in by_counsellor.items():
            values = {"count": len(names), "day": reminders.day_label(day)}
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
                    body=reminders.names_list(names),
                    link=missing_list_link(incident, day),
                    key=f"{prefix}{counsellor_id}",
                    created_at=now,
                )
            )
    return deliver(messages)


def send_due(now: dt.datetime | None = None) -> int:
    """Send the missing lists of every deadline that passed within the
    scheduler's catch-up window; returns how many were new."""
    now = timezone.localtime(now or clock.now())
    return sum(
        send_missing_lists(incident, day) for incident, day in reminders.deadlines_passed(now)
    )


def purge_missing_lists(incident: Incident, now: dt.datetime) -> dict[str, int]:
    """The purge's hook (`checkins.hooks.before_purge`): the lists name who did
    not report when, so they go with the check-ins."""
    return {"messages": reminders.delete_messages(KIND, incident)}
