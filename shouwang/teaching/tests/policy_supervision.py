"""Supervision and the online-teaching report.

A teaching class of the college, taught by counsellor_b (and by the teacher
persona once it exists), with three observations: one pending and one done by
the supervisor persona, one pending by another supervisor. A supervisor sees
and writes their own only; the teacher of an observed lesson sees it only once
done and never writes it; leaders and admins read every one in reach and assign
supervisors; the report is the overseers' alone.
"""

import datetime as dt

from shouwang.policy import Rule, expect
from shouwang.teaching import actions
from shouwang.teaching.models import Criterion, Lesson, TeachingClass, Term

from .supervision import person_of, supervisor_user

DAY = dt.date(2022, 4, 12)

# Teachers (counsellors are teachers), supervisors and overseers have a list.
LIST = expect(200, student=403, volunteer=403, teacher=200, supervisor=200)
OVERSEERS = expect(403, leader=200, admin=200, teacher=403, supervisor=403)
# The supervisor's own observation, not yet written: theirs and the overseers'.
PENDING_MINE = expect(404, leader=200, admin=200, teacher=404, supervisor=200)
# Written: the lesson's teachers read it too.
DONE_MINE = expect(404, counsellor_b=200, leader=200, admin=200, teacher=200, supervisor=200)
# Another supervisor's: not the supervisor persona's business.
PENDING_OTHER = expect(404, leader=200, admin=200, teacher=404, supervisor=404)


def make_objects(case) -> None:
    term, _created = Term.objects.get_or_create(
        name="2021-2022-2", defaults={"first_monday": dt.date(2022, 2, 28), "weeks": 18}
    )
    supervised = TeachingClass.objects.create(
        term=term,
        code="督导听课-01",
        course_code="B0100001",
        course_name="软件工程",
        unit=case.college,
        online_from=dt.date(2022, 4, 6),
    )
    supervised.teachers.set([case.counsellor_b, case.teacher_person])
    lessons = [
        Lesson.objects.create(
            teaching_class=supervised,
            planned_date=DAY + dt.timedelta(weeks=week),
            planned_period=1,
            date=DAY + dt.timedelta(weeks=week),
            first_period=1,
            last_period=2,
            online=True,
        )
        for week in range(2)
    ]
    supervisor = case.supervisor
    other = supervisor_user(case, "T3002", "赵督导")
    case.observation_pending = actions.assign_observation(
        lessons[0], person_of(supervisor), acting_user=case.leader
    )
    case.observation_done = actions.assign_observation(
        lessons[1], person_of(supervisor), acting_user=case.leader
    )
    actions.write_observation(
        case.observation_done,
        ratings=dict.fromkeys(Criterion.objects.values_list("pk", flat=True), 4),
        comments="互动充分",
        acting_user=supervisor,
    )
    case.observation_other = actions.assign_observation(
        lessons[0], person_of(other), acting_user=case.leader
    )


def report_range(case, persona: str) -> dict[str, str]:
    return {"first": DAY.isoformat(), "last": (DAY + dt.timedelta(days=6)).isoformat()}


RULES = [
    Rule("teaching:observation_list", LIST),
    Rule("teaching:observation_assign", OVERSEERS),
    # An empty form comes back with its errors: the overseers' 200.
    Rule("teaching:observation_assign", OVERSEERS, method="post", data={}),
    Rule("teaching:observation_detail", PENDING_MINE, target="observation_pending"),
    Rule("teaching:observation_detail", DONE_MINE, target="observation_done"),
    Rule("teaching:observation_detail", PENDING_OTHER, target="observation_other"),
    # Writing: the supervisor only (an empty form: 200 with its errors); the
    # others who may read it get 403.
    Rule(
        "teaching:observation_detail",
        expect(404, leader=403, admin=403, teacher=404, supervisor=200),
        method="post",
        target="observation_pending",
        data={},
    ),
    Rule(
        "teaching:observation_detail",
        expect(404, counsellor_b=403, leader=403, admin=403, teacher=403, supervisor=200),
        method="post",
        target="observation_done",
        data={},
    ),
    Rule(
        "teaching:observation_detail",
        expect(404, leader=403, admin=403, teacher=404, supervisor=404),
        method="post",
        target="observation_other",
        data={},
    ),
    Rule("teaching:report", OVERSEERS),
    Rule("teaching:report", OVERSEERS, query=report_range),
    Rule("teaching:report_export", OVERSEERS, query=report_range),
]
