"""The personas' college with a graduating cohort: 张三 (student_a, class A,
counsellor_a's) and 王六 (class B, counsellor_b's) graduate in 2024 and are
graduates; 李四 (student_b) is not graduating. 吕就业 holds the employment
office role. An employer with a position for 计算机科学与技术."""

from __future__ import annotations

from shouwang.accounts.models import Role, User
from shouwang.careers import actions
from shouwang.careers.models import Employer, Graduate, Position
from shouwang.people.models import Person
from shouwang.test import BaseTestCase, make_person, make_user

COHORT = 2024


def make_careers(case) -> None:
    """The cohort, the office and an employer, on `case` (a test case class)."""
    Person.objects.filter(pk=case.student_a.pk).update(graduating=True)
    case.student_a.refresh_from_db()
    case.graduate_b_person = make_person(
        "2021009",
        "王六",
        unit=case.college,
        admin_class=case.class_b,
        grade=2021,
        programme="信息管理与信息系统",
        degree_level="bachelor",
        graduating=True,
    )
    Person.objects.filter(pk=case.student_a.pk).update(programme="计算机科学与技术")
    case.student_a.refresh_from_db()
    case.graduate_b_user = make_user(case.graduate_b_person)
    case.office_person = make_person("S2001", "吕就业", Person.Kind.STAFF, unit=case.university)
    case.office = make_user(case.office_person)
    case.office.grant(Role.EMPLOYMENT_OFFICE)
    actions.enrol_cohort(COHORT, Person.objects.filter(graduating=True), acting_user=case.office)
    case.graduate_a = Graduate.objects.get(person=case.student_a)
    case.graduate_b = Graduate.objects.get(person=case.graduate_b_person)
    case.employer = actions.save_employer(
        Employer(name="太原软件科技有限公司", sector="信息技术", city="太原"),
        acting_user=case.office,
    )
    case.position = actions.save_position(
        Position(
            employer=case.employer,
            title="Java开发工程师",
            city="太原",
            salary_min=6000,
            salary_max=9000,
            openings=5,
        ),
        ["计算机科学与技术"],
        acting_user=case.office,
    )


class CareersTestCase(BaseTestCase):
    graduate_a: Graduate
    graduate_b: Graduate
    graduate_b_person: Person
    graduate_b_user: User
    office_person: Person
    office: User
    employer: Employer
    position: Position

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_careers(cls)
