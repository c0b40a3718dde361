"""The admin's home page shows the first hour's steps and which are done."""

import re

from django.test import TestCase
from django.urls import reverse

from shouwang.accounts.models import User
from shouwang.home.first_hour import first_hour_steps
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.people.models import Person, Unit
from shouwang.test import BaseTestCase, make_person, make_user


def done_marks(response) -> list[str]:
    return re.findall(r'data-done="(\d)"', response.content.decode())


class EmptyInstallTests(TestCase):
    def setUp(self):
        self.admin = User.objects.create_superuser(
            "admin", password="a-long-first-password", must_change_password=False
        )
        self.client.force_login(self.admin)

    def test_a_fresh_install_shows_every_step_to_do_with_its_link(self):
        response = self.client.get(reverse("home:home"))
        self.assertEqual(done_marks(response), ["0"] * 5)
        self.assertContains(response, reverse("admin:people_unit_changelist"))
        self.assertContains(response, reverse("people:roster_import"))
        self.assertContains(response, reverse("incidents:incident_open"))

    def test_each_step_is_done_as_the_college_is_set_up(self):
        college = Unit.objects.create(name="信息学院", kind=Unit.Kind.COLLEGE)
        self.assertEqual([step.done for step in first_hour_steps()], [1, 0, 0, 0, 0])
        teacher = make_person("T0001", "孙老师", Person.Kind.TEACHER, unit=college)
        student = make_person("2020001", "张三", unit=college)
        self.assertEqual([step.done for step in first_hour_steps()], [1, 1, 1, 0, 0])
        make_user(teacher)
        self.assertIn("2 人中 1 人", first_hour_steps()[3].detail)
        make_user(student)
        Incident.objects.create(title="校园封控", started_at=clock.now(), opened_by=self.admin)
        self.assertEqual([step.done for step in first_hour_steps()], [1, 1, 1, 1, 1])

    def test_someone_whose_password_was_made_unusable_has_no_login(self):
        college = Unit.objects.create(name="信息学院", kind=Unit.Kind.COLLEGE)
        user = make_user(make_person("2020001", "张三", unit=college))
        user.set_unusable_password()
        user.save(update_fields=["password"])
        self.assertFalse(first_hour_steps()[3].done)


class FirstHourVisibilityTests(BaseTestCase):
    def test_admins_see_the_checklist_and_leaders_do_not(self):
        self.login(self.admin)
        self.assertContains(self.client.get(reverse("home:home")), 'data-testid="first-hour"')
        self.login(self.leader)
        self.assertNotContains(self.client.get(reverse("home:home")), 'data-testid="first-hour"')

    def test_it_costs_three_queries_however_many_people_there_are(self):
        with self.assertNumQueries(3):
            first_hour_steps()
        for n in range(20):
            make_user(make_person(f"2022{n:03}", f"学生{n}", unit=self.college))
        with self.assertNumQueries(3):
            first_hour_steps()
