"""The reminders of progress reports.

Each owner and co-owner of a measure is reminded once, `plan.remind_days`
before a report falls due, of a report not yet written; the leaders of a plan
are told once of the reports past their date unwritten, one message per
leader listing them. A report remembers that it was reminded
(`Report.reminded_at`) and that its lateness was told (`overdue_told_at`), and
each message has a key: run twice, or again after a crash halfway, nothing is
sent twice. Reports of a measure already done remind nobody.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext

from shouwang.lib import clock
from shouwang.notify.actions import deliver
from shouwang.notify.models import Message
from shouwang.people.access import LeaderReach

from .message_kinds import REPORT_DUE, REPORTS_OVERDUE
from .models import Measure, Plan, Report, Status

# Reports are reminded of this many at a time.
BATCH = 500
# How many overdue reports one leader's message names (the rest are counted).
LISTED = 20


def _day(day: dt.date) -> str:
    return day.isoformat()


def reports_to_remind(plan: Plan, today: dt.date) -> QuerySet[Report]:
    """The plan's reports due from today to `remind_days` ahead, unwritten, not yet reminded."""
    return Report.objects.filter(
        measure__key_point__area__plan=plan,
        due_on__range=(today, today + dt.timedelta(days=plan.remind_days)),
        submitted_at__isnull=True,
        reminded_at__isnull=True,
    ).exclude(measure__status=Status.DONE)


def overdue_reports(today: dt.date) -> QuerySet[Report]:
    """Reports past their date unwritten whose lateness no leader was told of."""
    return Report.objects.filter(
        due_on__lt=today, submitted_at__isnull=True, overdue_told_at__isnull=True
    ).exclude(measure__status=Status.DONE)


def due_key(report_id: int, person_id: int) -> str:
    return f"plan_report_due:{report_id}:{person_id}"


def remind_due() -> int:
    """Remind the owners of the reports falling due soon; returns how many messages were new."""
    today = clock.today()
    sent = 0
    for plan in Plan.objects.filter(year__in=[today.year, today.year + 1]).order_by("pk"):
        while (batch := _remind_batch(plan, today)) is not None:
            sent += batch
    return sent


@transaction.atomic
def _remind_batch(plan: Plan, today: dt.date) -> int | None:
    now = clock.now()
    reports = list(
        reports_to_remind(plan, today)
        .select_related("measure")
        .only("pk", "due_on", "measure_id", "measure__title", "measure__owner_id")
        .order_by("pk")[:BATCH]
    )
    if not reports:
        return None
    owners: dict[int, set[int]] = defaultdict(set)
    for report in reports:
        owners[report.measure_id].add(report.measure.owner_id)
    for measure_id, person_id in Measure.co_owners.through.objects.filter(
        measure_id__in=owners.keys()
    ).values_list("measure_id", "person_id"):
        owners[measure_id].add(person_id)
    sent = deliver(
        Message(
            recipient_id=person_id,
            kind=REPORT_DUE,
            title=gettext("Progress report due %(day)s: %(measure)s")
            % {"day": _day(report.due_on), "measure": report.measure.title},
            body=gettext(
                "Write what was done on %(measure)s, with the files that show it, by %(day)s."
            )
            % {"measure": report.measure.title, "day": _day(report.due_on)},
            link=reverse("workplan:report_detail", args=[report.pk]),
            key=due_key(report.pk, person_id),
            created_at=now,
        )
        for report in reports
        for person_id in sorted(owners[report.measure_id])
    )
    Report.objects.filter(pk__in=[report.pk for report in reports]).update(reminded_at=now)
    return sent


def tell_overdue() -> int:
    """Tell each plan's leaders of its reports now overdue; returns how many messages were new."""
    today = clock.today()
    reach = LeaderReach()
    sent = 0
    while (batch := _tell_batch(today, reach)) is not None:
        sent += batch
    return sent


@transaction.atomic
def _tell_batch(today: dt.date, reach: LeaderReach) -> int | None:
    now = clock.now()
    reports = list(
        overdue_reports(today)
        .select_related("measure__key_point__area__plan", "measure__owner_unit")
        .order_by("pk")[:BATCH]
    )
    if not reports:
        return None
    by_leader: dict[int, list[Report]] = defaultdict(list)
    for report in reports:
        plan = report.measure.key_point.area.plan
        for leader in reach.over(plan.unit_id):
            by_leader[leader.pk].append(report)
    # The batch's first report names its messages: a batch run again after a
    # crash is the same batch, and the next batch starts after it.
    first = reports[0].pk
    sent = deliver(
        _overdue_message(
            person_id, listed, key=f"plan_reports_overdue:{first}:{person_id}", now=now
        )
        for person_id, listed in by_leader.items()
    )
    Report.objects.filter(pk__in=[report.pk for report in reports]).update(overdue_told_at=now)
    return sent


def _overdue_message(
    person_id: int, reports: list[Report], *, key: str, now: dt.datetime
) -> Message:
    reports = sorted(reports, key=lambda report: (report.due_on, report.measure.title))
    lines = [
        gettext("%(measure)s (%(owner_unit)s): due %(day)s")
        % {
            "measure": report.measure.title,
            "owner_unit": report.measure.owner_unit.name,
            "day": _day(report.due_on),
        }
        for report in reports[:LISTED]
    ]
    if len(reports) > LISTED:
        lines.append(gettext("and %(count)d more") % {"count": len(reports) - LISTED})
    plans = {report.measure.key_point.area.plan for report in reports}
    link = (
        next(iter(plans)).get_absolute_url() if len(plans) == 1 else reverse("workplan:plan_list")
    )
    return Message(
        recipient_id=person_id,
        kind=REPORTS_OVERDUE,
        title=gettext("%(count)d progress report(s) overdue") % {"count": len(reports)},
        body="\n".join(lines),
        link=link,
        key=key,
        created_at=now,
    )
