"""The plans: staff of the plan's college and leaders read them; students do not.

A 2022 plan of the personas' college with one measure owned by the teacher
persona, co-owned by counsellor_a (`objects.make`)."""

from shouwang.policy import Rule, expect

from .objects import make as make_objects  # noqa: F401  (the matrix calls it)

# Staff and leaders open the plans; students (the volunteer persona is one) do not.
READERS = expect(200, student=403, volunteer=403)
# A plan of the college: its staff and leaders read it; students never find it.
PLAN = expect(200, student=404, volunteer=404)

RULES = [
    Rule("workplan:plan_list", READERS),
    Rule("workplan:plan_detail", PLAN, target="work_plan"),
]
