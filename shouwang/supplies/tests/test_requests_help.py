"""A help request for supplies becomes a supply request in one step, and is
resolved when the supplies are received; its requester then confirms it as
any help request."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse

from shouwang.core.extensions import render_slot
from shouwang.helpdesk.actions import submit
from shouwang.helpdesk.models import HelpRequest
from shouwang.supplies import actions
from shouwang.supplies.models import IssueSlip, SupplyRequest

from .base_requests import RequestsTestCase, line_data

TURN = 'data-testid="turn-into-supply-request"'
SHOWN = 'data-testid="supply-request"'


class HelpRequestToSuppliesTest(RequestsTestCase):
    help_request: HelpRequest

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.help_request = submit(
            requester=cls.student_a,
            category=HelpRequest.Category.SUPPLIES,
            urgency=HelpRequest.Urgency.NORMAL,
            description="宿舍没有消毒液了\n需要两瓶",
            acting_user=cls.student,
        )

    def page(self, user):
        self.login(user)
        return self.client.get(reverse("helpdesk:request_detail", args=[self.help_request.pk]))

    def test_only_a_handler_who_decides_supplies_is_offered_the_form(self):
        page = self.page(self.leader)
        self.assertContains(page, TURN)
        self.assertContains(page, 'value="宿舍没有消毒液了')  # the purpose, prefilled
        for user in (self.counsellor_a_user, self.student):  # the handler, the requester
            self.assertNotContains(self.page(user), TURN)
            url = reverse("supplies:request_from_help", args=[self.help_request.pk])
            self.assertEqual(self.client.get(url).status_code, 403)

    def test_a_help_request_of_another_category_is_not_offered(self):
        other = submit(
            requester=self.student_a,
            category=HelpRequest.Category.STUDY,
            urgency=HelpRequest.Urgency.NORMAL,
            description="网课进不去",
            acting_user=self.student,
        )
        self.login(self.leader)
        page = self.client.get(reverse("helpdesk:request_detail", args=[other.pk]))
        self.assertNotContains(page, TURN)

    def test_from_help_request_to_delivered_to_confirmed(self):
        self.login(self.leader)
        response = self.client.post(
            reverse("supplies:request_from_help", args=[self.help_request.pk]),
            {"purpose": "宿舍消杀", **line_data([(self.sanitizer, "2", "瓶")])},
        )
        supply_request = SupplyRequest.objects.get(help_request=self.help_request)
        self.assertRedirects(response, supply_request.get_absolute_url())
        self.assertEqual(
            (supply_request.requester, supply_request.for_person, supply_request.purpose),
            (self.student_a, self.student_a, "宿舍消杀"),
        )
        self.help_request.refresh_from_db()
        self.assertEqual(
            (self.help_request.status, self.help_request.handler),
            (HelpRequest.Status.IN_PROGRESS, self.leader_person),
        )
        # It is turned once: the form is gone, the supply request shown to
        # whoever sees the help request, and linked for those who may open it.
        page = self.page(self.leader)
        self.assertNotContains(page, TURN)
        self.assertContains(page, SHOWN)
        page = self.page(self.counsellor_a_user)
        self.assertContains(page, SHOWN)
        self.assertNotContains(page, supply_request.get_absolute_url())
        page = self.page(self.student)
        self.assertContains(page, supply_request.get_absolute_url())

        # Decided and issued as any request; the student presses the button.
        self.decide(self.keeper, supply_request, {self.sanitizer: ("2", "瓶")})
        self.issue(self.keeper, supply_request, self.store)
        slip = IssueSlip.objects.get(request=supply_request)
        self.login(self.student)
        self.client.post(reverse("supplies:slip_confirm", args=[slip.pk]))
        self.help_request.refresh_from_db()
        self.assertEqual(self.help_request.status, HelpRequest.Status.RESOLVED)
        page = self.page(self.student)
        self.assertContains(page, 'data-testid="supplies-received"')
        self.assertContains(page, 'data-testid="confirm"')  # the help desk asks them to confirm

        self.client.post(reverse("helpdesk:request_confirm", args=[self.help_request.pk]))
        self.help_request.refresh_from_db()
        self.assertEqual(self.help_request.status, HelpRequest.Status.CONFIRMED)

    def test_a_help_request_is_turned_once(self):
        lines = [actions.Asked(self.suits, Decimal(1))]
        actions.request_from_help(self.help_request, lines, acting_user=self.leader)
        with self.assertRaises(ValidationError):
            actions.request_from_help(self.help_request, lines, acting_user=self.leader)
        self.login(self.leader)
        url = reverse("supplies:request_from_help", args=[self.help_request.pk])
        self.assertEqual(self.client.get(url).status_code, 403)

    def test_the_purpose_defaults_to_the_descriptions_first_line(self):
        supply_request = actions.request_from_help(
            self.help_request, [actions.Asked(self.suits, Decimal(1))], acting_user=self.leader
        )
        self.assertEqual(supply_request.purpose, "宿舍没有消毒液了")

    def test_someone_outside_the_help_request_sees_neither_piece(self):
        actions.request_from_help(
            self.help_request, [actions.Asked(self.suits, Decimal(1))], acting_user=self.leader
        )
        request = self.client.get("/").wsgi_request
        request.user = self.student_b_user
        self.assertEqual(render_slot("helpdesk.request", request, self.help_request), "")
        request.user = self.keeper  # decides supplies, but is no handler of it
        self.assertEqual(render_slot("helpdesk.request", request, self.help_request), "")
