"""The plans: staff of the plan's college and leaders read them; students do not.
The plan's outline is entered and imported by its leaders; a measure is
edited by its owners and the plan's leaders.

A 2022 plan of the personas' college with one measure owned by the teacher
persona, co-owned by counsellor_a (`objects.make`), and an outline file
uploaded to it by the leader."""

from shouwang.policy import MANAGERS_ONLY, Rule, expect
from shouwang.workplan.models import PlanImport

from .objects import make


def make_objects(case) -> None:
    make(case)
    if getattr(case, "work_plan_import", None) is None:
        case.work_plan_import = PlanImport.objects.create(
            plan=case.work_plan, filename="outline.xlsx", uploaded_by=case.leader
        )


# Staff and leaders open the plans; students (the volunteer persona is one) do not.
READERS = expect(200, student=403, volunteer=403)
# A plan of the college: its staff and leaders read it; students never find it.
PLAN = expect(200, student=404, volunteer=404)
# What the plan's leaders do to it: its staff may read it but not change it.
LED = expect(403, leader=200, admin=200, student=404, volunteer=404)
# A measure: its owner (teacher), co-owner (counsellor_a) and the leaders edit it.
EDITABLE = expect(
    403, teacher=200, counsellor_a=200, leader=200, admin=200, student=404, volunteer=404
)
# An import of the plan's outline: only its leaders know of it.
IMPORT = expect(404, leader=200, admin=200)
# Committing one not waiting to be committed: back to its page.
IMPORT_COMMIT = expect(404, leader=302, admin=302)


def _area(case, persona):
    return [case.work_measure.key_point.area_id]


def _key_point(case, persona):
    return [case.work_measure.key_point_id]


RULES = [
    Rule("workplan:plan_list", READERS),
    Rule("workplan:plan_detail", PLAN, target="work_plan"),
    Rule("workplan:plan_new", MANAGERS_ONLY),
    Rule("workplan:plan_edit", LED, target="work_plan"),
    Rule("workplan:area_new", LED, target="work_plan"),
    Rule("workplan:area_edit", LED, target=_area),
    Rule("workplan:key_point_new", LED, target=_area),
    Rule("workplan:key_point_edit", LED, target=_key_point),
    Rule("workplan:measure_new", LED, target=_key_point),
    Rule("workplan:measure_edit", EDITABLE, target="work_measure"),
    Rule("workplan:plan_import", LED, target="work_plan"),
    Rule("workplan:plan_import_template", LED, target="work_plan"),
    Rule("workplan:plan_import_detail", IMPORT, target="work_plan_import"),
    Rule("workplan:plan_import_commit", IMPORT_COMMIT, method="post", target="work_plan_import"),
]
