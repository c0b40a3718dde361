"""Issuing: the store and batch chosen, out of stock said by name; the slip's
printable PDF and its signed code, refused when expired or altered."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from freezegun import freeze_time

from shouwang.lib.clock import beijing
from shouwang.lib.signed_codes import CodeError
from shouwang.supplies import actions
from shouwang.supplies.models import IssueSlip, Movement, Stock, SupplyRequest
from shouwang.supplies.slips import MAX_AGE, slip_pk_from, token_for

from .base_requests import RequestsTestCase

NOW = beijing(2022, 4, 15, 15, 0)


def approved(case, item, quantity: str, asked: str | None = None) -> SupplyRequest:
    request = actions.submit_request(
        case.student_a,
        [actions.Asked(item, Decimal(asked or quantity))],
        purpose="宿舍消杀",
        for_person=case.student_a,
        acting_user=case.student,
    )
    return actions.decide_request(
        request, {request.lines.get().pk: Decimal(quantity)}, acting_user=case.keeper
    )


def refusal(token: str) -> str:
    """The page's message refusing `token`, in the language the pages speak."""
    with translation.override(settings.LANGUAGE_CODE):
        try:
            slip_pk_from(token)
        except CodeError as error:
            return f'data-testid="refused">{escape(error)}</div>'
    raise AssertionError("the token is good")


class IssueFormTest(RequestsTestCase):
    def test_out_of_stock_is_a_form_error_naming_the_item_and_what_is_left(self):
        request = approved(self, self.sanitizer, "60")
        response = self.issue(self.keeper, request, self.store)
        self.assertContains(response, 'data-testid="form-error"')
        self.assertContains(response, "免洗手消毒液")
        self.assertContains(response, "2箱")  # the 48 bottles left
        self.assertEqual(SupplyRequest.objects.get(pk=request.pk).status, "approved")
        self.assertFalse(IssueSlip.objects.exists())
        self.assertEqual(Stock.objects.get(store=self.store, item=self.sanitizer).quantity, 48)

    def test_the_batch_chosen_is_the_one_issued(self):
        newer = self.put_in(self.sanitizer, 24)
        request = approved(self, self.sanitizer, "10")
        stock = Stock.objects.get(batch=newer, store=self.store)
        self.issue(self.keeper, request, self.store, {self.sanitizer: stock})
        movement = Movement.objects.get(kind="issued")
        self.assertEqual((movement.batch, movement.delta), (newer, Decimal(-10)))

    def test_a_batch_kept_in_another_store_is_refused(self):
        self.leader_store_batch = self.put_in(self.sanitizer, 24, store=self.duty_room)
        request = approved(self, self.sanitizer, "10")
        stock = Stock.objects.get(batch=self.leader_store_batch)
        # The leader runs both of the college's stores.
        response = self.issue(self.leader, request, self.store, {self.sanitizer: stock})
        self.assertContains(response, "invalid-feedback")
        self.assertFalse(IssueSlip.objects.exists())

    def test_a_keeper_issues_only_from_the_stores_they_keep(self):
        request = approved(self, self.sanitizer, "10")
        self.put_in(self.sanitizer, 24, store=self.duty_room)
        response = self.issue(self.keeper, request, self.duty_room)
        self.assertContains(response, 'name="store"')
        self.assertFalse(IssueSlip.objects.exists())

    def test_the_requester_may_not_issue(self):
        request = approved(self, self.sanitizer, "10")
        response = self.issue(self.student, request, self.store)
        self.assertEqual(response.status_code, 403)


class SlipCodeTest(RequestsTestCase):
    slip: IssueSlip
    other_slip: IssueSlip

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        request = approved(cls, cls.sanitizer, "2")
        cls.slip = actions.issue(request, cls.store, acting_user=cls.keeper)
        other = approved(cls, cls.suits, "1")
        cls.other_slip = actions.issue(other, cls.store, acting_user=cls.keeper)

    def test_the_printable_slip_is_a_pdf(self):
        self.login(self.keeper)
        response = self.client.get(reverse("supplies:slip_pdf", args=[self.slip.pk]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))

    def test_an_expired_code_is_refused_with_its_message(self):
        with freeze_time(NOW):
            token = token_for(self.slip)
        with freeze_time(NOW + dt.timedelta(seconds=MAX_AGE + 60)):
            self.login(self.student)
            response = self.client.get(reverse("supplies:slip_scan", args=[token]))
            self.assertContains(response, refusal(token), status_code=400)
            self.client.post(
                reverse("supplies:slip_confirm", args=[self.slip.pk]), {"token": token}
            )
        self.assertFalse(IssueSlip.objects.get(pk=self.slip.pk).is_received)

    def test_an_altered_code_is_refused_with_its_message(self):
        token = token_for(self.slip)
        forged = f"{self.other_slip.pk}{token[token.index(':') :]}"
        self.login(self.student)
        response = self.client.get(reverse("supplies:slip_scan", args=[forged]))
        self.assertContains(response, refusal(forged), status_code=400)
        with freeze_time(NOW):
            old = token_for(self.slip)
        self.assertNotEqual(refusal(forged), refusal(old))  # not the expired message
        # A good code of one slip confirms no other.
        self.client.post(
            reverse("supplies:slip_confirm", args=[self.other_slip.pk]), {"token": token}
        )
        self.assertFalse(IssueSlip.objects.get(pk=self.other_slip.pk).is_received)
        self.client.post(reverse("supplies:slip_confirm", args=[self.slip.pk]), {"token": token})
        self.assertEqual(IssueSlip.objects.get(pk=self.slip.pk).via, "qr")

    def test_someone_else_scanning_gets_404(self):
        self.login(self.student_b_user)
        response = self.client.get(reverse("supplies:slip_scan", args=[token_for(self.slip)]))
        self.assertEqual(response.status_code, 404)
