from django.urls import reverse

from shouwang.helpdesk.models import HelpRequest
from shouwang.test import BaseTestCase

from . import morning_data as data
from .base import IncidentHomeTestCase


class HomeTestCase(BaseTestCase):
    def test_a_student_home_shows_their_class_counsellor_and_room(self):
        self.login(self.student)
        response = self.client.get(reverse("home:home"))
        self.assertContains(response, "计科2001")
        self.assertContains(response, "赵璞")
        self.assertContains(response, "B-312")

    def test_a_counsellor_home_lists_their_classes_with_counts(self):
        self.login(self.counsellor_a_user)
        response = self.client.get(reverse("home:home"))
        self.assertContains(response, "计科2001")
        self.assertNotContains(response, "信管2101")
        self.assertContains(response, "1 名学生")

    def test_a_leader_home_counts_the_college(self):
        self.login(self.leader)
        response = self.client.get(reverse("home:home"))
        self.assertContains(response, '<div class="stat" data-stat="students">3</div>', html=True)


class StudentHomeSectionsTestCase(IncidentHomeTestCase):
    """Below the check-in: only what exists for the student today."""

    def setUp(self):
        super().setUp()
        self.login(self.student)

    def test_nothing_to_show_shows_no_section(self):
        response = self.client.get(reverse("home:home"))
        for section in ("todays-meals", "open-requests", "to-acknowledge", "todays-classes"):
            self.assertNotContains(response, f'data-testid="{section}"')

    def test_an_isolated_student_sees_todays_meals(self):
        data.meal_slots()
        data.isolate(self.student_a, self.counsellor_a_user, "201")
        response = self.client.get(reverse("home:home"))
        meals = response.context["todays_meals"]
        self.assertEqual([meal.slot.name for meal in meals], ["早餐", "午餐", "晚餐"])
        self.assertContains(response, 'data-testid="todays-meals"')
        self.assertContains(response, reverse("care:mine"))

    def test_open_help_requests_are_listed_and_closed_ones_are_not(self):
        mine = data.ask_for_help(self.student_a, self.student)
        done = data.ask_for_help(self.student_a, self.student)
        HelpRequest.objects.filter(pk=done.pk).update(status=HelpRequest.Status.CONFIRMED)
        data.ask_for_help(self.student_b, self.student_b_user)
        response = self.client.get(reverse("home:home"))
        self.assertEqual([item.pk for item in response.context["open_requests"]], [mine.pk])
        self.assertContains(response, reverse("helpdesk:request_detail", args=[mine.pk]))
        self.assertNotContains(response, reverse("helpdesk:request_detail", args=[done.pk]))
