"""Who may open the pages of online teaching: the week, teaching classes,
lessons and their marking, approvals, and going online.

The college's own class is taught by the teacher persona (or a teacher made
here) and attended by student_a; the other class belongs to another college,
so the college's leader does not reach it, and only the admin does."""

from __future__ import annotations

import datetime as dt

from shouwang.lib import clock
from shouwang.people.models import Person, Unit
from shouwang.policy import MANAGERS_ONLY, Rule, expect
from shouwang.teaching.models import Enrolment, Lesson, TeachingClass, Term
from shouwang.test import make_person


def make_objects(case) -> None:
    term, _ = Term.objects.get_or_create(
        name="2021-2022-2", defaults={"first_monday": dt.date(2022, 2, 28), "weeks": 18}
    )
    teacher = case.teacher_person
    other_college, _ = Unit.objects.get_or_create(
        name="经济学院", defaults={"kind": Unit.Kind.COLLEGE, "parent": case.university}
    )
    other_teacher = make_person("T1091", "魏老师", Person.Kind.TEACHER, unit=other_college)
    case.online_class = TeachingClass.objects.create(
        term=term,
        code="线上-操作系统-01",
        course_code="B0102001",
        course_name="操作系统",
        unit=case.college,
        planned_hours=32,
    )
    case.online_class.teachers.set([teacher])
    Enrolment.objects.create(teaching_class=case.online_class, student=case.student_a)
    case.online_other_class = TeachingClass.objects.create(
        term=term,
        code="线上-会计学-01",
        course_code="B0201001",
        course_name="会计学",
        unit=other_college,
    )
    case.online_other_class.teachers.set([other_teacher])
    today = clock.today()

    def lesson(teaching_class: TeachingClass, **fields) -> Lesson:
        values = {"date": today, "first_period": 1, "last_period": 2, "online": True, **fields}
        return Lesson.objects.create(teaching_class=teaching_class, **values)

    case.online_lesson = lesson(case.online_class)
    case.online_other_lesson = lesson(case.online_other_class)
    cancelled = {"status": Lesson.Status.CANCELLED, "reason": "教师隔离"}
    case.online_cancelled = lesson(case.online_class, **cancelled, first_period=5, last_period=6)
    pending = {**cancelled, "approval": Lesson.Approval.PENDING}
    case.online_pending = lesson(case.online_class, **pending, first_period=7, last_period=8)
    case.online_other_pending = lesson(
        case.online_other_class, **pending, first_period=7, last_period=8
    )


TODAY = clock.today().isoformat()
# The class's teachers, its leaders and admins run it; its student may look but not act.
RUNS_OWN = expect(404, student=200, leader=200, admin=200, teacher=200)
ACTS_OWN = expect(404, student=403, leader=302, admin=302, teacher=302)
ADMIN_ONLY = expect(404, admin=200)
ADMIN_ACTS = expect(404, admin=302)
MOVE = {
    "move-date": TODAY,
    "move-first_period": "3",
    "move-last_period": "4",
    "move-reason": "网络故障",
}
MAKEUP = {"makeup-date": TODAY, "makeup-first_period": "9", "makeup-last_period": "10"}
PLATFORM = {"platform": "tencent_meeting", "join_link": "https://meeting.tencent.com/dm/abc"}
LINK = {"link-platform": "dingtalk", "link-join_link": "123 456 789"}

RULES = [
    # Everyone has a week of classes, even an empty one, and a list of teaching classes.
    Rule("teaching:week", expect(200)),
    Rule("teaching:class_list", expect(200)),
    Rule("teaching:class_detail", RUNS_OWN, target="online_class"),
    Rule("teaching:class_detail", ADMIN_ONLY, target="online_other_class"),
    Rule(
        "teaching:class_platform",
        expect(404, student=403, leader=200, admin=200, teacher=200),
        target="online_class",
    ),
    Rule("teaching:class_platform", ACTS_OWN, method="post", data=PLATFORM, target="online_class"),
    Rule("teaching:class_platform", ADMIN_ONLY, target="online_other_class"),
    Rule(
        "teaching:class_platform",
        ADMIN_ACTS,
        method="post",
        data=PLATFORM,
        target="online_other_class",
    ),
    Rule("teaching:lesson_detail", RUNS_OWN, target="online_lesson"),
    Rule("teaching:lesson_detail", ADMIN_ONLY, target="online_other_lesson"),
    Rule("teaching:lesson_link", ACTS_OWN, method="post", data=LINK, target="online_lesson"),
    Rule(
        "teaching:lesson_link", ADMIN_ACTS, method="post", data=LINK, target="online_other_lesson"
    ),
    Rule("teaching:lesson_held", ACTS_OWN, method="post", target="online_lesson"),
    Rule("teaching:lesson_held", ADMIN_ACTS, method="post", target="online_other_lesson"),
    Rule("teaching:lesson_move", ACTS_OWN, method="post", data=MOVE, target="online_lesson"),
    Rule(
        "teaching:lesson_move", ADMIN_ACTS, method="post", data=MOVE, target="online_other_lesson"
    ),
    Rule(
        "teaching:lesson_cancel",
        ACTS_OWN,
        method="post",
        data={"cancel-reason": "停电"},
        target="online_lesson",
    ),
    Rule(
        "teaching:lesson_cancel",
        ADMIN_ACTS,
        method="post",
        data={"cancel-reason": "停电"},
        target="online_other_lesson",
    ),
    Rule("teaching:lesson_makeup", ACTS_OWN, method="post", data=MAKEUP, target="online_cancelled"),
    Rule(
        "teaching:lesson_makeup",
        ADMIN_ACTS,
        method="post",
        data=MAKEUP,
        target="online_other_pending",
    ),
    # The teaching office, leaders and admins decide; a teacher may not decide their own.
    Rule("teaching:approvals", MANAGERS_ONLY),
    # The day's lessons in reach: a leader's one college, an admin's every one.
    Rule("teaching:lesson_list", MANAGERS_ONLY),
    Rule("teaching:lesson_list", MANAGERS_ONLY, query={"status": "cancelled"}),
    Rule(
        "teaching:approval_decide",
        expect(403, leader=302, admin=302),
        method="post",
        data={"decision": "approve"},
        target="online_pending",
    ),
    Rule(
        "teaching:approval_decide",
        expect(403, leader=404, admin=302),
        method="post",
        data={"decision": "approve"},
        target="online_other_pending",
    ),
    Rule("teaching:go_online", MANAGERS_ONLY),
    # An empty form is shown again with its errors.
    Rule("teaching:go_online", MANAGERS_ONLY, method="post"),
]
