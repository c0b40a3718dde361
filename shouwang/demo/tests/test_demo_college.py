import re
from io import StringIO

from django.core.management import CommandError, call_command
from django.db.models import Count
from django.http import HttpRequest
from django.test import TestCase
from django.urls import reverse

from shouwang.accounts.models import Role, User
from shouwang.lib.text import is_mobile
from shouwang.people.models import AdminClass, Branch, DormRoom, Person, party_member_q

PS = Person.PoliticalStatus


def run_command(*args: str) -> str:
    out = StringIO()
    call_command("demo_college", *args, stdout=out)
    return out.getvalue()


def printed_rows(output: str) -> list[tuple[str, str, str, str]]:
    """(role, number, name, password) of each login in the table the command prints."""
    rows = re.findall(r"^(\w+)\s+([A-Za-z0-9]+)\s+(\S+)\s+(\S+)$", output, re.MULTILINE)
    return rows[1:]


def printed_logins(output: str) -> dict[str, tuple[str, str, str]]:
    """{role: (number, name, password)} from the table: a role's first login
    (a role may show twice: 付琳 of 团委 is a teacher's login too)."""
    logins: dict[str, tuple[str, str, str]] = {}
    for role, number, name, password in printed_rows(output):
        logins.setdefault(role, (number, name, password))
    return logins


def roster() -> list[tuple[str, str, str]]:
    return list(Person.objects.order_by("number").values_list("number", "name", "mobile"))


class DemoCollegeTestCase(TestCase):
    output: str
    logins: dict[str, tuple[str, str, str]]

    @classmethod
    def setUpTestData(cls):
        cls.output = run_command()
        cls.logins = printed_logins(cls.output)

    def test_it_builds_997_students(self):
        self.assertEqual(Person.objects.filter(kind=Person.Kind.STUDENT).count(), 997)

    def test_it_builds_59_teachers(self):
        self.assertEqual(Person.objects.filter(kind=Person.Kind.TEACHER).count(), 59)

    def test_it_builds_undergraduates_and_postgraduates(self):
        levels = dict(
            Person.objects.filter(kind=Person.Kind.STUDENT)
            .values_list("degree_level")
            .annotate(n=Count("pk"))
        )
        self.assertEqual(set(levels), {"bachelor", "master", "doctor"})
        self.assertGreater(levels["bachelor"], 800)

    def test_every_class_has_a_counsellor(self):
        self.assertFalse(AdminClass.objects.filter(counsellor__isnull=True).exists())
        counsellors = Person.objects.filter(counselled_classes__isnull=False).distinct()
        self.assertTrue(5 <= counsellors.count() <= 8)
        self.assertFalse(counsellors.exclude(kind=Person.Kind.STAFF).exists())

    def test_every_student_is_in_a_class_of_their_level(self):
        self.assertFalse(Person.objects.filter(kind="student", admin_class__isnull=True).exists())
        self.assertTrue(AdminClass.objects.filter(name="计科2001", grade=2020).exists())

    def test_the_three_party_branches_have_members(self):
        for name in ("本科生党支部", "研究生党支部", "教工党支部"):
            branch = Branch.objects.get(name=name, kind=Branch.Kind.PARTY)
            self.assertTrue(branch.members.exists(), name)
            self.assertFalse(branch.members.exclude(party_member_q()))

    def test_the_league_committee_has_a_branch_per_class(self):
        committee = Branch.objects.filter(kind="league", children__isnull=False).distinct().get()
        self.assertEqual(committee.children.count(), AdminClass.objects.count())
        self.assertTrue(committee.children.filter(name="计科2001团支部").exists())
        league_members = Person.objects.filter(political_status=PS.LEAGUE_MEMBER)
        self.assertFalse(league_members.exclude(branch__parent=committee).exists())

    def test_the_donor_is_a_party_member_in_the_2021_library_masters_class(self):
        donor = Person.objects.filter(name="梁世婕").values_list(
            "admin_class__name", "degree_level", "gender", "political_status", "branch__name"
        )
        self.assertEqual(
            donor.get(), ("图情专硕2021", "master", "F", PS.PARTY_MEMBER, "研究生党支部")
        )

    def test_there_are_at_least_18_undergraduate_party_members(self):
        members = Person.objects.party_members().filter(
            kind=Person.Kind.STUDENT, degree_level="bachelor"
        )
        self.assertGreaterEqual(members.count(), 18)

    def test_zhao_pu_counsels_undergraduates_for_the_undergraduate_branch(self):
        zhao = Person.objects.get(name="赵璞")
        self.assertEqual(
            (zhao.kind, zhao.gender, zhao.political_status, zhao.branch_id),
            ("staff", "F", PS.PARTY_MEMBER, Branch.objects.get(name="本科生党支部").pk),
        )
        self.assertTrue(zhao.counselled_classes.exists())
        self.assertFalse(zhao.counselled_classes.exclude(degree_level="bachelor").exists())

    def test_room_b312_is_occupied_and_rooms_hold_four_to_six(self):
        room = DormRoom.objects.get(building="B", number="312")
        self.assertTrue(room.residents.exists())
        sizes = set(DormRoom.objects.annotate(n=Count("residents")).values_list("n", flat=True))
        self.assertTrue(sizes <= {4, 5, 6}, sizes)

    def test_final_years_are_graduating(self):
        graduating = set(
            Person.objects.filter(graduating=True).values_list("admin_class__grade", "degree_level")
        )
        self.assertIn((2018, "bachelor"), graduating)
        self.assertNotIn((2021, "bachelor"), graduating)
        self.assertTrue(any(level == "master" for _grade, level in graduating))

    def test_numbers_and_mobiles_are_valid_and_unique(self):
        numbers, mobiles = zip(*Person.objects.values_list("number", "mobile"), strict=True)
        self.assertTrue(all(re.fullmatch(r"[A-Za-z0-9]{3,32}", n) for n in numbers))
        self.assertTrue(all(is_mobile(m) for m in mobiles))
        self.assertEqual(len(set(mobiles)), len(mobiles))

    def test_people_can_be_found_by_pinyin_initials(self):
        self.assertIn("赵璞", Person.objects.search("zp").values_list("name", flat=True))

    def test_it_prints_one_login_per_role(self):
        self.assertEqual(set(self.logins), {role.value for role in Role})
        passwords = {password for _number, _name, password in self.logins.values()}
        self.assertEqual(passwords, {"shouwang2022"})

    def test_every_printed_login_logs_in_without_changing_password(self):
        for role, (number, _name, password) in self.logins.items():
            response = self.client.post(
                reverse("accounts:login"), {"username": number, "password": password}
            )
            self.assertRedirects(response, reverse("home:home"), msg_prefix=role)
            self.assertEqual(self.client.get(reverse("home:home")).status_code, 200, role)
            self.client.logout()

    def test_printed_logins_work_with_the_test_client(self):
        for role, (number, _name, password) in self.logins.items():
            # Axes needs the request that a real login has.
            logged_in = self.client.login(request=HttpRequest(), username=number, password=password)
            self.assertTrue(logged_in, role)

    def test_each_login_holds_its_role(self):
        for role, (number, _name, _password) in self.logins.items():
            user = User.objects.get(username=number)
            self.assertIn(Role(role), user.roles, role)

    def test_the_counsellor_login_is_zhao_pu(self):
        number, name, _password = self.logins["counsellor"]
        self.assertEqual(name, "赵璞")
        self.assertIn(Role.COUNSELLOR, User.objects.get(username=number).roles)

    def test_the_student_login_lives_in_b312_in_a_class_of_zhao_pu(self):
        student = Person.objects.filter(number=self.logins["student"][0]).values_list(
            "dorm_room__building", "dorm_room__number", "admin_class__counsellor__name"
        )
        self.assertEqual(student.get(), ("B", "312", "赵璞"))

    def test_the_volunteer_is_a_student_party_member(self):
        volunteer = Person.objects.get(number=self.logins["volunteer"][0])
        self.assertEqual(volunteer.kind, Person.Kind.STUDENT)
        self.assertTrue(volunteer.is_party_member)

    def test_running_again_does_not_duplicate_anyone(self):
        before, users = roster(), User.objects.count()
        output = run_command()
        self.assertIn("already built", output)
        self.assertEqual(roster(), before)
        self.assertEqual(User.objects.count(), users)
        self.assertEqual(printed_logins(output), self.logins)

    def test_reset_rebuilds_the_same_college(self):
        before, users = roster(), User.objects.count()
        classes = list(AdminClass.objects.order_by("name").values_list("name", "counsellor__name"))
        output = run_command("--reset")
        self.assertEqual(roster(), before)
        self.assertEqual(
            list(AdminClass.objects.order_by("name").values_list("name", "counsellor__name")),
            classes,
        )
        self.assertEqual(printed_logins(output), self.logins)
        self.assertEqual(User.objects.count(), users)

    def test_the_logins_besides_the_printed_ones_have_no_password(self):
        """The teachers', the graduates' and their counsellors' (careers), and
        leave's requesters and approvers."""
        printed = [number for _role, number, _name, _password in printed_rows(self.output)]
        others = User.objects.exclude(username__in=printed)
        self.assertFalse(
            others.exclude(person__kind=Person.Kind.TEACHER)
            .exclude(person__graduating=True)
            .exclude(person__counselled_classes__students__graduating=True)
            .exclude(person__leave_requests__isnull=False)
            .exclude(person__counselled_classes__isnull=False)
            .exclude(person__leave_posts__isnull=False)
        )
        self.assertFalse([user for user in others if user.has_usable_password()])
        teachers = Person.objects.filter(kind=Person.Kind.TEACHER)
        self.assertEqual(teachers.filter(user__isnull=False).count(), teachers.count())


class DemoCollegeRefusalTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        Person.objects.create(number="2021001", name="李四", kind=Person.Kind.STUDENT)

    def test_it_does_not_build_into_a_database_with_people(self):
        with self.assertRaisesMessage(CommandError, "already holds people"):
            run_command()
        self.assertEqual(Person.objects.count(), 1)

    def test_reset_does_not_delete_people_the_demo_did_not_make(self):
        with self.assertRaisesMessage(CommandError, "did not make"):
            run_command("--reset")
        self.assertTrue(Person.objects.filter(name="李四").exists())
