"""Incident workflows: open, change the regime, close; plan tasks; meetings.

Each is atomic and writes an audit row. Changes to an incident after it closed
are refused with `IncidentClosed`: its record is what the chronicle reports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils.translation import gettext as _

from shouwang.core import audit
from shouwang.lib import clock
from shouwang.people.models import Person, Unit

from .audit import IncidentEvent
from .models import (
    Decision,
    Incident,
    Meeting,
    PlanTask,
    PlanTemplate,
    PlanTemplateTask,
    parse_reminder_times,
)

if TYPE_CHECKING:
    from shouwang.accounts.models import User


class IncidentClosed(Exception):
    """The incident is closed: it cannot be closed again or changed."""


class TaskAlreadyDone(Exception):
    """Someone else ticked the task off first."""


REGIME_FIELDS = ("reporters", "deadline", "reminder_times", "retention_days", "leave_required")


def _audit_value(value: Any) -> Any:
    return value.isoformat(timespec="minutes") if isinstance(value, dt.time) else value


def _tidy_times(times: Iterable[str]) -> list[str]:
    """Sorted, once each, "HH:MM"; what cannot be read is left for full_clean to report."""
    times = list(times)
    try:
        return parse_reminder_times(times)
    except ValidationError:
        return times


@transaction.atomic
def open_incident(
    *,
    title: str,
    units: Iterable[Unit],
    started_at: dt.datetime | None = None,
    level: int = Incident.Level.III,
    reporters: str = Incident.Reporters.EVERYONE,
    deadline: dt.time = dt.time(10, 0),
    reminder_times: Iterable[str] = (),
    retention_days: int = 30,
    leave_required: bool = False,
    template: PlanTemplate | None = None,
    acting_user: User,
    request: HttpRequest | None = None,
) -> Incident:
    """Open an incident, start its check-in regime and copy its plan's tasks."""
    units = list(units)
    if not units:
        raise ValidationError({"units": _("Choose at least one unit.")})
    incident = Incident(
        title=title,
        level=level,
        started_at=started_at or clock.now(),
        reporters=reporters,
        deadline=deadline,
        reminder_times=_tidy_times(reminder_times),
        retention_days=retention_days,
        leave_required=leave_required,
        opened_by=acting_user,
    )
    incident.full_clean()
    incident.save()
    incident.units.set(units)
    tasks = []
    if template is not None:
        tasks = PlanTask.objects.bulk_create(
            PlanTask(
                incident=incident,
                title=item.title,
                due_at=incident.started_at + item.due_after,
                position=item.position,
            )
            for item in template.tasks.all()
        )
    audit.record(
        IncidentEvent.OPENED,
        incident,
        acting_user=acting_user,
        request=request,
        units=[unit.pk for unit in units],
        template=template.name if template else None,
        tasks=len(tasks),
        **{name: _audit_value(getattr(incident, name)) for name in REGIME_FIELDS},
    )
    return incident


def _lock_open(incident: Incident) -> Incident:
    """The incident's row, locked for this transaction; IncidentClosed if it closed."""
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if not locked.is_open:
        raise IncidentClosed
    return locked


@transaction.atomic
def change_regime(
    incident: Incident, *, acting_user: User, request: HttpRequest | None = None, **regime: Any
) -> dict[str, list[Any]]:
    """Change the check-in regime of an open incident; return {field: [old, new]}."""
    unknown = regime.keys() - set(REGIME_FIELDS)
    if unknown:
        raise TypeError(f"not regime settings: {sorted(unknown)}")
    if "reminder_times" in regime:
        regime["reminder_times"] = _tidy_times(regime["reminder_times"])
    locked = _lock_open(incident)
    changes: dict[str, list[Any]] = {}
    for name, value in regime.items():
        old = getattr(locked, name)
        if old != value:
            changes[name] = [_audit_value(old), _audit_value(value)]
            setattr(locked, name, value)
    if not changes:
        return {}
    locked.full_clean()
    locked.save(update_fields=list(changes))
    for name in changes:
        setattr(incident, name, getattr(locked, name))
    audit.record(
        IncidentEvent.REGIME_CHANGED,
        incident,
        acting_user=acting_user,
        request=request,
        changes=changes,
    )
    return changes


@transaction.atomic
def close_incident(
    incident: Incident, *, acting_user: User, request: HttpRequest | None = None
) -> Incident:
    """End the incident and its regime; the retention clock for its detail starts now."""
    now = clock.now()
    # Claim the close: of two leaders pressing the button, one closes it.
    claimed = Incident.objects.filter(pk=incident.pk, closed_at__isnull=True).update(
        closed_at=now, closed_by=acting_user
    )
    if not claimed:
        raise IncidentClosed
    incident.closed_at, incident.closed_by = now, acting_user
    due = incident.purge_due_at()
    audit.record(
        IncidentEvent.CLOSED,
        incident,
        acting_user=acting_user,
        request=request,
        purge_due_at=due.isoformat() if due else None,
    )
    return incident


@transaction.atomic
def complete_task(
    task: PlanTask, *, note: str, acting_user: User, request: HttpRequest | None = None
) -> PlanTask:
    """Tick a plan task off with a note saying what was done."""
    # Holding the incident's row keeps it from closing under us; the claim's
    # WHERE stays on the task's own row, because PostgreSQL re-checks only that
    # when a concurrent tick commits first (a join would become a subquery
    # evaluated against the old snapshot, and every tick would win).
    _lock_open(task.incident)
    now = clock.now()
    # Claim it: when the owner and a leader tick it at once, one note is recorded.
    claimed = PlanTask.objects.filter(pk=task.pk, done_at__isnull=True).update(
        done_at=now, done_by=acting_user, note=note
    )
    if not claimed:
        raise TaskAlreadyDone
    task.done_at, task.done_by, task.note = now, acting_user, note
    audit.record(
        IncidentEvent.TASK_DONE,
        task,
        acting_user=acting_user,
        request=request,
        incident=task.incident_id,
    )
    return task


@transaction.atomic
def assign_task(
    task: PlanTask,
    *,
    owner: Person | None,
    due_at: dt.datetime | None,
    acting_user: User,
    request: HttpRequest | None = None,
) -> PlanTask:
    """Give a task its owner and due time."""
    _lock_open(task.incident)
    changes: dict[str, list[Any]] = {}
    if task.owner_id != (owner.pk if owner else None):
        changes["owner"] = [task.owner_id, owner.pk if owner else None]
    if task.due_at != due_at:
        changes["due_at"] = [
            task.due_at.isoformat() if task.due_at else None,
            due_at.isoformat() if due_at else None,
        ]
    if not changes:
        return task
    task.owner, task.due_at = owner, due_at
    task.save(update_fields=["owner", "due_at"])
    audit.record(
        IncidentEvent.TASK_ASSIGNED,
        task,
        acting_user=acting_user,
        request=request,
        incident=task.incident_id,
        changes=changes,
    )
    return task


@transaction.atomic
def add_task(
    incident: Incident,
    *,
    title: str,
    owner: Person | None = None,
    due_at: dt.datetime | None = None,
    acting_user: User,
    request: HttpRequest | None = None,
) -> PlanTask:
    """Add a task the plan did not foresee, after the others."""
    _lock_open(incident)
    last = incident.tasks.aggregate(last=Max("position"))["last"]
    task = PlanTask.objects.create(
        incident=incident,
        title=title,
        owner=owner,
        due_at=due_at,
        position=0 if last is None else last + 1,
    )
    audit.record(
        IncidentEvent.TASK_ADDED,
        task,
        acting_user=acting_user,
        request=request,
        incident=incident.pk,
    )
    return task


@transaction.atomic
def record_meeting(
    incident: Incident | None,
    *,
    held_at: dt.datetime,
    title: str,
    decisions: Sequence[str],
    attendees: str = "",
    is_online: bool = False,
    acting_user: User,
    request: HttpRequest | None = None,
) -> Meeting:
    """Enter a meeting, held for an incident or not, and its decisions in order."""
    if incident is not None:
        _lock_open(incident)
    meeting = Meeting.objects.create(
        incident=incident,
        held_at=held_at,
        title=title,
        attendees=attendees,
        is_online=is_online,
        recorded_by=acting_user,
    )
    Decision.objects.bulk_create(
        Decision(meeting=meeting, number=number, text=text)
        for number, text in enumerate(decisions, start=1)
    )
    audit.record(
        IncidentEvent.MEETING_RECORDED,
        meeting,
        acting_user=acting_user,
        request=request,
        incident=incident.pk if incident else None,
        decisions=len(decisions),
    )
    return meeting


DEFAULT_TEMPLATE = "校园封控应急预案"
# (title, due this long after the incident opens): the first days of the April
# 2022 lockdown, in the order the college's party committee worked through them.
DEFAULT_TASKS = [
    ("启动应急预案并成立工作专班", dt.timedelta(hours=1)),
    ("召开专题会议研究部署", dt.timedelta(hours=2)),
    ("向全体师生发布封控通知，明确每日健康打卡要求", dt.timedelta(hours=3)),
    ("全员排查在校外师生健康状况", dt.timedelta(hours=24)),
    ("摸排在校学生宿舍分布及特殊困难群体", dt.timedelta(hours=24)),
    ("落实隔离学生一日三餐", dt.timedelta(hours=12)),
    ("组建学生党员先锋岗和志愿者服务队", dt.timedelta(hours=24)),
    ("行政人员居家办公安排，保持联络畅通", dt.timedelta(hours=24)),
    ("清点防疫物资，上报缺口", dt.timedelta(hours=24)),
    ("开通心理疏导和求助渠道", dt.timedelta(days=2)),
    ("启动线上教学", dt.timedelta(days=3)),
    ("召开学院工作推进会，细化重点工作举措", dt.timedelta(days=5)),
    ("联络用人单位，组织线上双选会", dt.timedelta(days=10)),
]


@transaction.atomic
def default_plan_template() -> PlanTemplate:
    """The campus lockdown plan, created with its tasks the first time; an
    existing one (perhaps edited in the admin) is returned as it is."""
    template, created = PlanTemplate.objects.get_or_create(name=DEFAULT_TEMPLATE)
    if created:
        PlanTemplateTask.objects.bulk_create(
            PlanTemplateTask(template=template, title=title, due_after=due_after, position=n)
            for n, (title, due_after) in enumerate(DEFAULT_TASKS, start=1)
        )
    return template
