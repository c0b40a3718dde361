"""A leader's compliance figures are those of their own unit and its sub-units."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from shouwang.checkins.tests.base import NOW, STARTED, check_in
from shouwang.compliance.counts import Counts
from shouwang.compliance.models import DailyTally
from shouwang.compliance.tallies import keep_tallies
from shouwang.incidents.models import Incident
from shouwang.people.models import AdminClass, Person
from shouwang.test import BaseTestCase, make_person

URL = reverse("compliance:overview")
MISSING = reverse("compliance:missing")


class LeaderReachTestCase(BaseTestCase):
    """A university-wide incident over two colleges: 信息学院 (seven people:
    the shared personas) and 会计学院 (counsellor_c, student_c and its leader),
    with the university leader at the university's unit."""

    incident: Incident

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.create_other_college()
        cls.incident = Incident.objects.create(
            title="全校封控", started_at=STARTED, opened_by=cls.admin
        )
        cls.incident.units.add(cls.university)

    def setUp(self):
        freezer = freeze_time(NOW)
        freezer.start()
        self.addCleanup(freezer.stop)
        check_in(self.student_a, self.incident)
        check_in(self.student_c, self.incident)

    def total(self, user) -> Counts:
        self.login(user)
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        return response.context["total"]

    def assert_figures(self) -> None:
        for user, expected, reported in [
            (self.leader, 9, 1),
            (self.leader_b, 3, 1),
            (self.university_leader, 13, 2),
            (self.admin, 13, 2),
        ]:
            with self.subTest(user=user.username):
                total = self.total(user)
                self.assertEqual((total.expected, total.reported), (expected, reported))

    def test_each_leader_counts_their_own_college_from_the_minutes_tallies(self):
        keep_tallies()
        self.assertTrue(DailyTally.objects.filter(admin_class=self.class_c).exists())
        self.assert_figures()

    def test_each_leader_counts_their_own_college_without_tallies(self):
        self.assertFalse(DailyTally.objects.exists())
        self.assert_figures()

    def test_a_leader_sees_no_unit_or_class_of_another_college(self):
        keep_tallies()
        self.login(self.leader)
        for by in ("unit", "class", "counsellor"):
            with self.subTest(by=by):
                response = self.client.get(URL, {"by": by})
                self.assertNotContains(response, "会计")
                self.assertNotContains(response, "吴老师")
        response = self.client.get(URL, {"by": "class"})
        self.assertContains(response, "计科2001")

    def test_a_leader_s_missing_list_names_only_their_college(self):
        self.login(self.leader)
        response = self.client.get(MISSING)
        names = {person.name for person in response.context["page"]}
        self.assertIn("李四", names)
        self.assertNotIn("吴老师", names)
        self.login(self.university_leader)
        response = self.client.get(MISSING)
        self.assertIn("吴老师", {person.name for person in response.context["page"]})

    def test_another_college_s_class_and_unit_are_404(self):
        self.login(self.leader)
        for query in ({"class": self.class_c.pk}, {"unit": self.college_b.pk}):
            with self.subTest(query=query):
                self.assertEqual(self.client.get(MISSING, query).status_code, 404)

    def test_a_leader_s_page_takes_as_many_queries_for_many_classes(self):
        keep_tallies()
        self.login(self.leader_b)
        with CaptureQueriesContext(connection) as before:
            self.client.get(URL, {"by": "class"})
        for n in range(4):
            admin_class = AdminClass.objects.create(
                name=f"审计22{n:02d}", unit=self.college_b, counsellor=self.counsellor_c
            )
            for s in range(3):
                number, name = f"22{n:02d}{s:02d}9", f"学生{n}{s}"
                make_person(number, name, unit=self.college_b, admin_class=admin_class)
        keep_tallies()
        with CaptureQueriesContext(connection) as after:
            response = self.client.get(URL, {"by": "class"})
        self.assertEqual(response.context["total"].expected, 3 + 12)
        self.assertEqual(len(after), len(before))
        Person.objects.filter(name__startswith="学生").delete()

    def test_the_api_counts_a_leader_s_college_only(self):
        keep_tallies()
        self.login(self.leader)
        data = self.client.get(reverse("api:compliance")).json()
        self.assertEqual((data["total"]["expected"], data["total"]["reported"]), (9, 1))
        self.assertNotIn("会计2001", {row["name"] for row in data["classes"]})
