"""Shared personas for tests: one small college with two classes.

student_a is in class A (counsellor_a); student_b is in class B (counsellor_b);
volunteer is a student in class B with the volunteer role; leader is a teacher
with the leader role at the college's unit; admin is a superuser; teacher is a
teacher who counsels no class and holds no granted role; supervisor is a
teacher with the teaching-supervisor role (督导). Every
persona logs in with its number and PASSWORD.

`create_other_college()` adds a second college under the same university:
class_c (counsellor_c) with student_c, its own leader (leader_b) and a
university leader (university_leader) at the university's unit. The college
leader reaches none of it; the university leader and the admin reach both.
"""

from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import StateApps
from django.db.models import QuerySet
from django.test import Client, TestCase, TransactionTestCase

from shouwang.accounts.models import Role, User
from shouwang.people.models import AdminClass, Branch, DormRoom, Person, Unit

PASSWORD = "password"  # noqa: S105


def make_person(number: str, name: str, kind: str = Person.Kind.STUDENT, **fields: Any) -> Person:
    person = Person(number=number, name=name, kind=kind, **fields)
    person.save()
    return person


def make_user(person: Person, **fields: Any) -> User:
    user = User(username=person.number, person=person, must_change_password=False, **fields)
    user.set_password(PASSWORD)
    user.save()
    return user


def query_plan(queryset: QuerySet[Any]) -> str:
    """The database's plan for `queryset`, as it would be at scale: on
    PostgreSQL, whose planner scans a test's tiny tables whole, sequential
    scans are turned off for it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
        return queryset.explain()


class Personas:
    university: Unit
    college: Unit
    party_branch: Branch
    class_a: AdminClass
    class_b: AdminClass
    room: DormRoom
    counsellor_a: Person
    counsellor_b: Person
    student_a: Person
    student_b: Person
    volunteer_person: Person
    leader_person: Person
    admin_person: Person
    teacher_person: Person
    supervisor_person: Person
    student: User
    student_b_user: User
    counsellor_a_user: User
    counsellor_b_user: User
    volunteer: User
    leader: User
    admin: User
    teacher: User
    supervisor: User
    client: Client

    @classmethod
    def create_personas(cls) -> None:
        cls.university = Unit.objects.create(name="山西财经大学", kind=Unit.Kind.UNIVERSITY)
        cls.college = Unit.objects.create(
            name="信息学院", kind=Unit.Kind.COLLEGE, parent=cls.university
        )
        cls.party_branch = Branch.objects.create(
            name="本科生党支部", kind=Branch.Kind.PARTY, unit=cls.college
        )
        cls.counsellor_a = make_person(
            "T1001",
            "赵璞",
            Person.Kind.TEACHER,
            unit=cls.college,
            mobile="13800000001",
            political_status=Person.PoliticalStatus.PARTY_MEMBER,
        )
        cls.counsellor_b = make_person(
            "T1002", "钱老师", Person.Kind.TEACHER, unit=cls.college, mobile="13800000002"
        )
        cls.class_a = AdminClass.objects.create(
            name="计科2001",
            grade=2020,
            programme="计算机科学与技术",
            degree_level="bachelor",
            unit=cls.college,
            counsellor=cls.counsellor_a,
        )
        cls.class_b = AdminClass.objects.create(
            name="信管2101",
            grade=2021,
            programme="信息管理与信息系统",
            degree_level="bachelor",
            unit=cls.college,
            counsellor=cls.counsellor_b,
        )
        cls.room = DormRoom.objects.create(building="B", number="312")
        cls.student_a = make_person(
            "2020001",
            "张三",
            unit=cls.college,
            admin_class=cls.class_a,
            grade=2020,
            mobile="13912345678",
            dorm_room=cls.room,
            degree_level="bachelor",
        )
        cls.student_b = make_person(
            "2021001",
            "李四",
            unit=cls.college,
            admin_class=cls.class_b,
            grade=2021,
            mobile="13712345678",
            degree_level="bachelor",
        )
        cls.volunteer_person = make_person(
            "2021002",
            "王五",
            unit=cls.college,
            admin_class=cls.class_b,
            grade=2021,
            political_status=Person.PoliticalStatus.PARTY_MEMBER,
            branch=cls.party_branch,
            degree_level="bachelor",
        )
        cls.leader_person = make_person("T0001", "孙书记", Person.Kind.TEACHER, unit=cls.college)
        cls.admin_person = make_person("S0001", "周管理", Person.Kind.STAFF, unit=cls.college)
        cls.teacher_person = make_person("T1010", "李明", Person.Kind.TEACHER, unit=cls.college)
        cls.supervisor_person = make_person(
            "T1020", "郭督导", Person.Kind.TEACHER, unit=cls.college
        )

        cls.student = make_user(cls.student_a)
        cls.student_b_user = make_user(cls.student_b)
        cls.counsellor_a_user = make_user(cls.counsellor_a)
        cls.counsellor_b_user = make_user(cls.counsellor_b)
        cls.volunteer = make_user(cls.volunteer_person)
        cls.volunteer.grant(Role.VOLUNTEER)
        cls.leader = make_user(cls.leader_person)
        cls.leader.grant(Role.LEADER)
        cls.admin = make_user(cls.admin_person, is_staff=True, is_superuser=True)
        cls.teacher = make_user(cls.teacher_person)
        cls.supervisor = make_user(cls.supervisor_person)
        cls.supervisor.grant(Role.SUPERVISOR)

    college_b: Unit
    class_c: AdminClass
    counsellor_c: Person
    student_c: Person
    student_c_user: User
    counsellor_c_user: User
    leader_b: User
    university_leader: User

    @classmethod
    def create_other_college(cls) -> None:
        cls.college_b = Unit.objects.create(
            name="会计学院", kind=Unit.Kind.COLLEGE, parent=cls.university
        )
        cls.counsellor_c = make_person(
            "T2001", "吴老师", Person.Kind.TEACHER, unit=cls.college_b, mobile="13800000003"
        )
        cls.class_c = AdminClass.objects.create(
            name="会计2001",
            grade=2020,
            degree_level="bachelor",
            unit=cls.college_b,
            counsellor=cls.counsellor_c,
        )
        cls.student_c = make_person(
            "2020101",
            "郑六",
            unit=cls.college_b,
            admin_class=cls.class_c,
            grade=2020,
            mobile="13612345678",
            degree_level="bachelor",
        )
        cls.student_c_user = make_user(cls.student_c)
        cls.counsellor_c_user = make_user(cls.counsellor_c)
        cls.leader_b = make_user(
            make_person("T2000", "冯院长", Person.Kind.TEACHER, unit=cls.college_b)
        )
        cls.leader_b.grant(Role.LEADER)
        cls.university_leader = make_user(
            make_person("T0100", "陈校长", Person.Kind.TEACHER, unit=cls.university)
        )
        cls.university_leader.grant(Role.LEADER)

    def login(self, user: User) -> None:
        self.client.force_login(user)


class BaseTestCase(Personas, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.create_personas()


class MigrationTestCase(TransactionTestCase):
    """A migration's test: `migrate(targets)` takes the database there and
    returns the models as they are there; every test ends migrated to the latest."""

    def migrate(self, targets: Sequence[tuple[str, str | None]]) -> StateApps:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        ContentType.objects.clear_cache()
        # The models as the applied migrations leave them: another app's
        # migration that depends on one unapplied is unapplied too.
        loader = MigrationExecutor(connection).loader
        return loader.project_state(list(loader.applied_migrations)).apps

    def tearDown(self) -> None:
        self.migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
