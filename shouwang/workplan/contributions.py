"""What the work plan adds to other apps' pages (see shouwang.core.extensions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from shouwang.core.extensions import contribute

from .access import led_plans, may_lead_plans, measures_for_user, reads_plans
from .models import Measure, Milestone, Plan

if TYPE_CHECKING:
    from django.http import HttpRequest

    from shouwang.accounts.models import User
    from shouwang.incidents.models import Decision


@dataclass
class MeetingWork:
    """The work a meeting's decisions made that a reader may open, by decision,
    and the plans the reader leads (where they may make more)."""

    measures: dict[int, list[Measure]] = field(default_factory=dict)
    milestones: dict[int, list[Milestone]] = field(default_factory=dict)
    plans: list[Plan] = field(default_factory=list)


def meeting_work(user: User, meeting_id: int) -> MeetingWork:
    """Three queries, however many decisions and however much work."""
    work = MeetingWork()
    seen = measures_for_user(user)
    for measure in (
        Measure.objects.with_state()
        .filter(decision__meeting_id=meeting_id, pk__in=seen.values("pk"))
        .select_related("key_point__area__plan")
        .order_by("key_point__area__plan__year", "pk")
    ):
        work.measures.setdefault(cast(int, measure.decision_id), []).append(measure)
    for milestone in (
        Milestone.objects.filter(decision__meeting_id=meeting_id, measure__in=seen.values("pk"))
        .select_related("measure")
        .order_by("due_on", "pk")
    ):
        work.milestones.setdefault(cast(int, milestone.decision_id), []).append(milestone)
    if may_lead_plans(user):
        work.plans = list(led_plans(user).order_by("-year", "title"))
    return work


def decision_work(request: HttpRequest, decision: Decision) -> dict[str, Any]:
    # The meeting's page asks once per decision: the meeting's work is read once.
    cache: dict[int, MeetingWork] = request.__dict__.setdefault("_workplan_meeting_work", {})
    if decision.meeting_id not in cache:
        cache[decision.meeting_id] = meeting_work(request.user, decision.meeting_id)  # type: ignore[arg-type]
    work = cache[decision.meeting_id]
    return {
        "decision": decision,
        "measures": work.measures.get(decision.pk, []),
        "milestones": work.milestones.get(decision.pk, []),
        "plans": work.plans,
    }


# Under each decision of a meeting: the measures and milestones it made (each
# one the reader may open), and for a plan's leaders the way to make more.
contribute(
    "incidents.decision",
    "workplan/decision_work.html",
    visible=lambda user, decision: reads_plans(user),
    context=decision_work,
)
