"""Attendance, absences and readiness: who may upload, mark, resolve and read.

The lesson is of a class the college offers, taught by the shared teacher
persona (or a teacher of its own before that persona exists), with student_a
enrolled; the other lesson is of a class another college offers. A student
of the class may open its lesson but not take its attendance (403)."""

import datetime as dt

from shouwang.people.models import Person, Unit
from shouwang.policy import Rule, expect
from shouwang.teaching import actions
from shouwang.teaching.models import AttendanceImport, Lesson, TeachingClass, Term
from shouwang.test import make_person


def _class(case, code: str, unit: Unit, teacher: Person) -> TeachingClass:
    term, _created = Term.objects.get_or_create(
        name="2021-2022-2", defaults={"first_monday": dt.date(2022, 2, 28), "weeks": 18}
    )
    teaching_class = TeachingClass.objects.create(
        term=term, code=code, course_code="B0109999", course_name="网络安全", unit=unit
    )
    teaching_class.teachers.add(teacher)
    return teaching_class


def make_objects(case) -> None:
    teacher = case.teacher_person
    own = _class(case, "网络安全-考勤", case.college, teacher)
    actions.enrol(own.term, [(own.code, case.student_a.pk)], acting_user=None)
    case.attendance_lesson = Lesson.objects.create(
        teaching_class=own, date=dt.date(2022, 4, 13), first_period=1, last_period=2
    )
    elsewhere = Unit.objects.create(name="经济学院", kind=Unit.Kind.COLLEGE, parent=case.university)
    other_teacher = make_person("T3001", "韩老师", Person.Kind.TEACHER, unit=elsewhere)
    case.other_lesson = Lesson.objects.create(
        teaching_class=_class(case, "网络安全-外院", elsewhere, other_teacher),
        date=dt.date(2022, 4, 13),
        first_period=1,
        last_period=2,
    )
    unmatched = [{"row": 5, "name": "小李", "minutes": 90, "state": "present"}]
    case.attendance_import = AttendanceImport.objects.create(
        lesson=case.attendance_lesson,
        filename="参会成员明细.xlsx",
        status=AttendanceImport.Status.CHECKED,
        unmatched=unmatched,
    )
    case.other_import = AttendanceImport.objects.create(
        lesson=case.other_lesson,
        filename="参会成员明细.xlsx",
        status=AttendanceImport.Status.CHECKED,
        unmatched=unmatched,
    )
    case.readiness_a = actions.answer_readiness(
        case.student_a, no_device=True, poor_network=False, acting_user=case.student
    )


# The class's teacher, the college's leader and the admin run its lesson;
# its student may see it but not act (403); anyone else finds nothing.
RUN_OWN = expect(404, student=403, leader=200, admin=200, teacher=200, supervisor=404)
RUN_OWN_POSTED = expect(404, student=403, leader=302, admin=302, teacher=302, supervisor=404)
RUN_OTHER = expect(404, admin=200, teacher=404, supervisor=404)
RUN_OTHER_POSTED = expect(404, admin=302, teacher=404, supervisor=404)
# Counsellors and leaders: the students they look after.
FOLLOWERS = expect(
    403, counsellor_a=200, counsellor_b=200, leader=200, admin=200, teacher=403, supervisor=403
)

RULES = [
    Rule("teaching:attendance_upload", RUN_OWN, target="attendance_lesson"),
    Rule("teaching:attendance_upload", RUN_OTHER, target="other_lesson"),
    # No file: the form again, with its error.
    Rule("teaching:attendance_upload", RUN_OWN, method="post", target="attendance_lesson"),
    Rule("teaching:attendance_upload", RUN_OTHER, method="post", target="other_lesson"),
    Rule("teaching:attendance_mark", RUN_OWN, target="attendance_lesson"),
    Rule("teaching:attendance_mark", RUN_OTHER, target="other_lesson"),
    # Nobody marked: the list again, with its errors.
    Rule("teaching:attendance_mark", RUN_OWN, method="post", target="attendance_lesson"),
    Rule("teaching:attendance_mark", RUN_OTHER, method="post", target="other_lesson"),
    Rule("teaching:attendance_import", RUN_OWN, target="attendance_import"),
    Rule("teaching:attendance_import", RUN_OTHER, target="other_import"),
    Rule(
        "teaching:attendance_import_commit",
        RUN_OWN_POSTED,
        method="post",
        target="attendance_import",
    ),
    Rule(
        "teaching:attendance_import_commit", RUN_OTHER_POSTED, method="post", target="other_import"
    ),
    Rule(
        "teaching:attendance_resolve",
        RUN_OWN_POSTED,
        method="post",
        target="attendance_import",
        data={"row": 5},
    ),
    Rule(
        "teaching:attendance_resolve",
        RUN_OTHER_POSTED,
        method="post",
        target="other_import",
        data={"row": 5},
    ),
    Rule("teaching:absences", FOLLOWERS),
    Rule("teaching:absences", FOLLOWERS, query={"week": "2022-04-11"}),
    # student_a: themselves, their counsellor, the teacher of their class, the leader.
    Rule(
        "teaching:student_attendance",
        expect(
            404, student=200, counsellor_a=200, leader=200, admin=200, teacher=200, supervisor=404
        ),
        target="student_a",
    ),
    Rule(
        "teaching:student_attendance",
        expect(404, counsellor_b=200, leader=200, admin=200, teacher=404, supervisor=404),
        target="student_b",
    ),
    # Anyone on the roster answers for themselves.
    Rule("teaching:readiness", expect(200)),
    Rule("teaching:readiness", expect(302), method="post"),
    Rule("teaching:readiness_list", FOLLOWERS),
    Rule(
        "teaching:readiness_help",
        expect(
            403,
            counsellor_a=302,
            counsellor_b=404,
            leader=302,
            admin=302,
            teacher=403,
            supervisor=403,
        ),
        method="post",
        target="readiness_a",
    ),
]
