"""A whole-college incident covers the people of its sub-units and the students
whose unit is blank but whose class belongs to it, and the open form shows how
many of each category it covers before it starts."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from freezegun import freeze_time

from shouwang.checkins.queries import missing_people
from shouwang.incidents.access import current_incident_for
from shouwang.incidents.actions import open_incident
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.people.models import AdminClass, Person, Unit
from shouwang.test import BaseTestCase, make_person


class CoverageTestCase(BaseTestCase):
    department: Unit
    class_in_department: AdminClass

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.department = Unit.objects.create(
            name="计算机系", kind=Unit.Kind.DEPARTMENT, parent=cls.college
        )
        cls.class_in_department = AdminClass.objects.create(name="计科2401", unit=cls.department)
        make_person("T3001", "系老师", Person.Kind.TEACHER, unit=cls.department)
        make_person("S3001", "系秘书", Person.Kind.STAFF, unit=cls.department)
        # Imported from a students' file without 单位: the class says where they belong.
        make_person("2024301", "无单位生", admin_class=cls.class_in_department)
        make_person("2024302", "无单位无班", admin_class=None)

    def test_a_college_incident_covers_its_sub_units_and_students_through_their_class(self):
        incident = open_incident(title="封控", units=[self.college], acting_user=self.leader)
        numbers = set(incident.expected_people().values_list("number", flat=True))
        self.assertTrue({"T3001", "S3001", "2024301"} <= numbers)
        self.assertNotIn("2024302", numbers)
        # The student sees the check-in, and counts as missing until they report.
        student = Person.objects.get(number="2024301")
        self.assertEqual(current_incident_for(student), incident)
        self.assertIn(student, missing_people(incident, clock.today()))

    def test_a_students_own_unit_wins_over_their_classs(self):
        other = Unit.objects.create(name="会计学院", kind=Unit.Kind.COLLEGE, parent=self.university)
        make_person("2024303", "跨院生", unit=other, admin_class=self.class_in_department)
        incident = open_incident(title="封控", units=[self.college], acting_user=self.leader)
        self.assertFalse(incident.expected_people().filter(number="2024303").exists())
        self.assertIsNone(current_incident_for(Person.objects.get(number="2024303")))


@freeze_time("2022-04-02 09:00:00+08:00")
class OpenIncidentPreviewTestCase(CoverageTestCase):
    url = reverse("incidents:incident_open")

    def setUp(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def data(self, **overrides):
        data = {
            "title": "校园封控",
            "level": "2",
            "started_at": "2022-04-02T08:00",
            "units": [self.college.pk],
            "reporters": "everyone",
            "deadline": "10:00",
            "reminder_times": "",
            "retention_days": "30",
            "template": "",
        }
        data.update(overrides)
        return data

    def test_the_first_submit_shows_whom_it_covers_by_category_and_opens_nothing(self):
        self.login(self.leader)
        response = self.client.post(self.url, self.data())
        self.assertFalse(Incident.objects.exists())
        # student_a, student_b, volunteer, 2024301; 赵璞, 钱老师, 孙书记, 李明, 郭督导,
        # 系老师; 周管理, 系秘书.
        self.assertContains(response, "It covers 12 people:")
        self.assertContains(response, "student 4 · teacher 6 · staff 2")
        self.assertContains(response, "1 person at school has no unit (nor a class with one)")
        self.assertContains(response, "Open the incident")
        key = response.context["coverage"]["key"]

        response = self.client.post(self.url, self.data(previewed=key))
        incident = Incident.objects.get()
        self.assertRedirects(response, incident.get_absolute_url())
        self.assertEqual(incident.expected_people().count(), 12)

    def test_changing_the_units_after_the_preview_shows_the_preview_again(self):
        self.login(self.leader)
        key = self.client.post(self.url, self.data()).context["coverage"]["key"]
        response = self.client.post(self.url, self.data(units=[self.department.pk], previewed=key))
        self.assertFalse(Incident.objects.exists())
        self.assertContains(response, "It covers 3 people:")
        self.assertContains(response, "student 1 · teacher 1 · staff 1")

    def test_students_only_counts_only_students(self):
        self.login(self.leader)
        response = self.client.post(self.url, self.data(reporters="students"))
        self.assertContains(response, "student 4 · teacher 0 · staff 0")
