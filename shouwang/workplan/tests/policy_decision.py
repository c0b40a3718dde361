"""A meeting's decision made into work of the plan.

The plan's leaders make a milestone or a new measure of a decision; staff who
read the plan may not (403); students and anyone outside the plan get 404."""

from shouwang.incidents.models import Decision, Meeting
from shouwang.lib import clock
from shouwang.policy import Rule, expect

from .objects import make as make_work

# The plan's leaders; its readers (staff of the college, its review panel) 403.
LEADERS = expect(403, student=404, volunteer=404, leader=200, admin=200)


def make_objects(case) -> None:
    if getattr(case, "work_decision", None) is not None:
        return
    make_work(case)
    meeting = Meeting.objects.create(held_at=clock.now(), title="学院工作推进会", is_online=True)
    case.work_decision = Decision.objects.create(
        meeting=meeting, number=1, text="细化重点工作举措，明确责任人和时间节点"
    )


def in_plan(case, persona: str) -> list[int]:
    return [case.work_plan.pk, case.work_decision.pk]


RULES = [
    Rule("workplan:decision_milestone", LEADERS, target=in_plan),
    # An empty form comes back with its errors: the leaders' 200.
    Rule("workplan:decision_milestone", LEADERS, method="post", target=in_plan, data={}),
    Rule("workplan:decision_measure", LEADERS, target=in_plan),
    Rule("workplan:decision_measure", LEADERS, method="post", target=in_plan, data={}),
]
