"""Not back in time: approved leaves away from campus whose end has passed
with nobody back. The counsellor follows their classes' from the first
minute; the leaders follow those a day late (`LEADERS_AFTER`) in their reach.
The job (`tasks.tell_overdue`) tells the counsellor once when a leave becomes
overdue and the leaders once a day later.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shouwang.accounts.models import Role, User
from shouwang.lib import clock
from shouwang.notify.actions import send
from shouwang.people.access import LeaderReach
from shouwang.people.models import Person, in_units_q

from .message_kinds import LEAVE
from .models import LeaveRequest

LEADERS_AFTER = dt.timedelta(days=1)


def overdue_for_user(user: User, now: dt.datetime) -> QuerySet[LeaveRequest]:
    """The overdue leaves a user follows: their classes' for a counsellor,
    those a day late in their units for a leader, all for an admin."""
    overdue = LeaveRequest.objects.overdue(now)
    units = user.reach_unit_ids
    if units is None:
        return overdue
    scope = Q(pk__in=[])
    if user.person_id and user.has_role(Role.COUNSELLOR):
        scope |= Q(person__admin_class__counsellor_id=user.person_id)
    if units:
        scope |= in_units_q(units, "person__") & Q(ends_at__lt=now - LEADERS_AFTER)
    overdue = overdue.filter(scope)
    # One's own leave is for one's counsellor and leaders to follow.
    return overdue.exclude(person_id=user.person_id) if user.person_id else overdue


def _key(leave: LeaveRequest, whom: str) -> str:
    # The end is in the key: an extension that runs out again is news again.
    return f"leave:overdue:{whom}:{leave.pk}:{leave.ends_at:%Y%m%d%H%M}:"


def _title(leave: LeaveRequest) -> str:
    return _("Not back from leave: %(name)s (%(kind)s, until %(end)s)") % {
        "name": leave.person.name,
        "kind": leave.kind.name,
        "end": f"{timezone.localtime(leave.ends_at):%m-%d %H:%M}",
    }


def tell_overdue(now: dt.datetime | None = None) -> int:
    """Tell each newly overdue leave's counsellor, and the leaders of those a
    day late, once each; returns how many messages were new."""
    now = now or clock.now()
    overdue = LeaveRequest.objects.overdue(now).select_related(
        "person__admin_class__counsellor", "kind"
    )
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for leave in overdue.filter(overdue_told_at__isnull=True):
            admin_class = leave.person.admin_class
            counsellors = [admin_class.counsellor] if admin_class and admin_class.counsellor else []
            sent += _tell(counsellors, leave, _key(leave, "counsellor"))
            # Marked even with no counsellor to tell: the leaders hear of it a day later.
            LeaveRequest.objects.filter(pk=leave.pk).update(overdue_told_at=now)
        late = overdue.filter(ends_at__lt=now - LEADERS_AFTER, leaders_told_at__isnull=True)
        late_leaves = list(late)
        reach = LeaderReach() if late_leaves else None
        for leave in late_leaves:
            leaders = reach.over_person(leave.person) if reach else []
            sent += _tell(leaders, leave, _key(leave, "leaders"))
            LeaveRequest.objects.filter(pk=leave.pk).update(leaders_told_at=now)
    return sent


def _tell(people: list[Person], leave: LeaveRequest, prefix: str) -> int:
    if not people:
        return 0
    return send(
        people,
        LEAVE,
        _title(leave),
        link=leave.get_absolute_url(),
        key_for=lambda person: f"{prefix}{person.pk}",
    )
