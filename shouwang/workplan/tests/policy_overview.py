"""The leaders' overview of a plan and its export; an owner's "my measures".

The overview and the export are for the plan's leaders: staff of the college
who read the plan get 403, students never find it. "My measures" is every
staff member's own list (empty when they own none); students have no plan."""

from shouwang.policy import Rule, expect

from .objects import make as make_objects  # noqa: F401  (the matrix calls it)

# The plan's leaders; staff who read the plan may not; students never find it.
LEADERS = expect(403, student=404, volunteer=404, leader=200, admin=200)
# Every staff member's own list.
MINE = expect(200, student=403, volunteer=403)

RULES = [
    Rule("workplan:plan_overview", LEADERS, target="work_plan"),
    Rule("workplan:plan_export", LEADERS, target="work_plan"),
    Rule("workplan:my_measures", MINE),
]
