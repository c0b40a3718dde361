"""An isolated student's supplies go with their next meal: the volunteer sees
the door and the items, and the meal's confirmation confirms the slip."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse
from freezegun import freeze_time

from shouwang.care import actions as care
from shouwang.care.models import Isolation, MealDelivery
from shouwang.care.tests.base import DAY, NOW, CarePlan, isolate, make_plan
from shouwang.helpdesk.actions import submit
from shouwang.helpdesk.models import HelpRequest, HelpRequestEvent
from shouwang.supplies import actions
from shouwang.supplies.models import IssueSlip, SupplyRequest

from .base_requests import RequestsTestCase

WITH_THIS_MEAL = 'data-testid="with-this-meal"'


class WithMealsTest(CarePlan, RequestsTestCase):
    isolation: Isolation
    lunch_delivery: MealDelivery

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_plan(cls)  # building B carried by the volunteer's team
        cls.isolation = isolate(cls, cls.student_a)
        care.generate_deliveries(DAY)
        cls.lunch_delivery = MealDelivery.objects.get(slot=cls.lunch)

    def test_an_isolated_students_supplies_go_with_the_next_meal_and_arrive_with_it(self):
        with freeze_time(NOW):  # 09:00: breakfast has gone, lunch is next
            self.login(self.student)
            self.assertContains(
                self.client.get(reverse("supplies:request_new")), 'name="with_meals"'
            )
            self.ask(self.student, [(self.sanitizer, "2", "瓶")], with_meals="on")
            request = self.last_request()
            self.assertTrue(request.with_meals)
            self.decide(self.keeper, request, {self.sanitizer: ("2", "瓶")})
            self.issue(self.keeper, request, self.store)
            slip = IssueSlip.objects.get(request=request)
            self.assertEqual(slip.meal_delivery, self.lunch_delivery)

            # The volunteer sees the door and the items, nothing of the person.
            self.login(self.volunteer)
            page = self.client.get(self.lunch_delivery.get_absolute_url())
            self.assertContains(page, WITH_THIS_MEAL)
            self.assertContains(page, "免洗手消毒液2瓶")
            self.assertNotContains(page, self.student_a.name)
            rounds = self.client.get(reverse("care:routes"), {"date": DAY.isoformat()})
            self.assertContains(rounds, 'data-testid="with-meal"')
            self.assertContains(rounds, "免洗手消毒液2瓶")
            self.assertNotContains(rounds, self.student_a.name)
            breakfast = MealDelivery.objects.get(slot=self.breakfast)
            self.assertNotContains(self.client.get(breakfast.get_absolute_url()), WITH_THIS_MEAL)

            self.client.post(reverse("care:delivery_confirm", args=[self.lunch_delivery.pk]))
        slip.refresh_from_db()
        self.assertEqual((slip.via, slip.received_by), (IssueSlip.Via.MEAL, self.student_a))
        self.assertEqual(SupplyRequest.objects.get(pk=request.pk).status, "delivered")
        self.assertEqual(MealDelivery.objects.get(pk=self.lunch_delivery.pk).status, "delivered")

    def test_a_slip_confirmed_by_its_receiver_first_leaves_the_meal_alone(self):
        with freeze_time(NOW):
            request = actions.submit_request(
                self.student_a,
                [actions.Asked(self.sanitizer, Decimal(2))],
                purpose="宿舍消杀",
                for_person=self.student_a,
                with_meals=True,
                acting_user=self.student,
            )
            actions.decide_request(
                request, {request.lines.get().pk: Decimal(2)}, acting_user=self.keeper
            )
            slip = actions.issue(request, self.store, acting_user=self.keeper)
            actions.confirm_receipt(
                slip, via=IssueSlip.Via.BUTTON, person=self.student_a, acting_user=self.student
            )
            care.confirm_delivery(
                self.lunch_delivery,
                person=self.volunteer_person,
                via="button",
                acting_user=self.volunteer,
            )
        slip.refresh_from_db()
        self.assertEqual(slip.via, IssueSlip.Via.BUTTON)
        self.assertEqual(MealDelivery.objects.get(pk=self.lunch_delivery.pk).status, "delivered")

    def test_a_help_request_whose_supplies_came_with_a_meal_is_resolved_by_their_issuer(self):
        with freeze_time(NOW):
            help_request = submit(
                requester=self.student_a,
                category=HelpRequest.Category.SUPPLIES,
                urgency=HelpRequest.Urgency.NORMAL,
                description="隔离期间缺少消毒液",
                acting_user=self.student,
            )
            request = actions.request_from_help(
                help_request,
                [actions.Asked(self.sanitizer, Decimal(2))],
                with_meals=True,
                acting_user=self.leader,
            )
            actions.decide_request(
                request, {request.lines.get().pk: Decimal(2)}, acting_user=self.keeper
            )
            actions.issue(request, self.store, acting_user=self.keeper)
            care.confirm_delivery(
                self.lunch_delivery,
                person=self.volunteer_person,
                via="button",
                acting_user=self.volunteer,
            )
        help_request.refresh_from_db()
        self.assertEqual(help_request.status, HelpRequest.Status.RESOLVED)
        resolved = help_request.events.filter(kind=HelpRequestEvent.Kind.STATUS).last()
        assert resolved is not None
        self.assertEqual(resolved.actor, self.keeper_person)

    def test_only_a_person_in_isolation_has_supplies_with_meals(self):
        with self.assertRaises(ValidationError):
            actions.submit_request(
                self.student_b,
                [actions.Asked(self.sanitizer, Decimal(2))],
                purpose="宿舍消杀",
                for_person=self.student_b,
                with_meals=True,
                acting_user=self.student_b_user,
            )
        self.login(self.student_b_user)
        self.assertNotContains(
            self.client.get(reverse("supplies:request_new")), 'name="with_meals"'
        )
