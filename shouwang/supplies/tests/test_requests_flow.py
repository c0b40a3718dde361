"""A request from the asking to the receiving: asked in the units people count
in, approved in part, issued on a slip, confirmed by scanning its code."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from shouwang.accounts.models import Role
from shouwang.notify.models import Message
from shouwang.supplies import actions
from shouwang.supplies.models import IssueSlip, Store, SupplyRequest
from shouwang.supplies.slips import token_for
from shouwang.test import make_person, make_user
from shouwang.volunteers.models import Membership, Team

from .base_requests import RequestsTestCase


class RequestToReceiptTest(RequestsTestCase):
    def test_a_request_is_approved_in_part_issued_and_confirmed_by_scanning_the_slip(self):
        response = self.ask(self.student, [(self.sanitizer, "1", "箱"), (self.suits, "2", "")])
        request = self.last_request()
        self.assertRedirects(response, request.get_absolute_url())
        self.assertEqual(
            {line.item.name: line.asked for line in request.lines.all()},
            {"免洗手消毒液": Decimal(24), "防护服": Decimal(2)},
        )
        self.assertEqual((request.for_person, request.unit), (self.student_a, self.college))

        # The keeper of the college's store approves half a box of sanitizer and both suits.
        response = self.decide(
            self.keeper, request, {self.sanitizer: ("12", "瓶"), self.suits: ("2", "套")}
        )
        self.assertRedirects(response, request.get_absolute_url())
        request.refresh_from_db()
        self.assertEqual(request.status, SupplyRequest.Status.APPROVED)
        self.assertTrue(request.is_partial)

        self.login(self.student)
        page = self.client.get(request.get_absolute_url())
        self.assertContains(page, '<td data-testid="asked">1箱</td>', html=True)
        self.assertContains(
            page, '<td data-testid="approved" class="text-warning-emphasis">12瓶</td>', html=True
        )
        self.assertNotContains(page, 'data-testid="decide"')

        response = self.issue(self.keeper, request, self.store)
        slip = IssueSlip.objects.get(request=request)
        self.assertRedirects(response, slip.get_absolute_url())
        request.refresh_from_db()
        self.assertEqual(request.status, SupplyRequest.Status.ISSUED)

        # The student scans the slip's code on their phone and taps once.
        token = token_for(slip)
        self.login(self.student)
        page = self.client.get(reverse("supplies:slip_scan", args=[token]))
        self.assertContains(page, 'data-testid="scanned"')
        self.assertContains(page, '<td data-testid="quantity">12瓶</td>', html=True)
        self.assertContains(page, '<td data-testid="quantity">2套</td>', html=True)
        response = self.client.post(
            reverse("supplies:slip_confirm", args=[slip.pk]), {"token": token}
        )
        self.assertRedirects(response, slip.get_absolute_url())
        slip.refresh_from_db()
        request.refresh_from_db()
        self.assertEqual((slip.via, slip.received_by), (IssueSlip.Via.QR, self.student_a))
        self.assertEqual(request.status, SupplyRequest.Status.DELIVERED)

        page = self.client.get(request.get_absolute_url())
        self.assertContains(page, '<td data-testid="issued">12瓶</td>', html=True)
        self.assertContains(page, 'data-testid="received"')

    def test_the_button_confirms_and_is_marked_as_such(self):
        request = actions.submit_request(
            self.student_a,
            [actions.Asked(self.suits, Decimal(2))],
            purpose="外出就医",
            for_person=self.student_a,
            acting_user=self.student,
        )
        actions.decide_request(
            request, {request.lines.get().pk: Decimal(2)}, acting_user=self.keeper
        )
        slip = actions.issue(request, self.store, acting_user=self.keeper)
        self.login(self.student)
        page = self.client.get(slip.get_absolute_url())
        self.assertNotContains(page, 'data-testid="scanned"')
        self.client.post(reverse("supplies:slip_confirm", args=[slip.pk]))
        slip.refresh_from_db()
        self.assertEqual(slip.via, IssueSlip.Via.BUTTON)
        page = self.client.get(slip.get_absolute_url())
        self.assertContains(page, 'data-testid="via"')
        # A second tap changes nothing.
        self.client.post(reverse("supplies:slip_confirm", args=[slip.pk]))
        self.assertEqual(IssueSlip.objects.get(pk=slip.pk).received_at, slip.received_at)

    def test_a_refusal_needs_its_reason_and_reaches_the_requester(self):
        self.ask(self.student, [(self.suits, "5", "")])
        request = self.last_request()
        response = self.decide(self.keeper, request, {}, refuse=True)
        self.assertContains(response, 'data-testid="form-error"')
        self.assertEqual(SupplyRequest.objects.get(pk=request.pk).status, "submitted")
        self.decide(self.keeper, request, {}, note="库存仅供隔离学生", refuse=True)
        request.refresh_from_db()
        self.assertEqual((request.status, request.decision_note), ("rejected", "库存仅供隔离学生"))
        told = Message.objects.get(recipient=self.student_a, kind="supplies")
        self.assertEqual((told.body, told.link), ("库存仅供隔离学生", request.get_absolute_url()))
        self.login(self.student)
        self.assertContains(self.client.get(request.get_absolute_url()), "库存仅供隔离学生")

    def test_the_requester_cancels_a_request_not_yet_issued(self):
        self.ask(self.student, [(self.suits, "5", "")])
        request = self.last_request()
        self.login(self.leader)
        response = self.client.post(reverse("supplies:request_cancel", args=[request.pk]))
        self.assertEqual(response.status_code, 403)
        self.login(self.student)
        self.client.post(reverse("supplies:request_cancel", args=[request.pk]))
        self.assertEqual(SupplyRequest.objects.get(pk=request.pk).status, "cancelled")

    def test_a_unit_or_a_team_is_only_one_the_requester_belongs_to(self):
        team = Team.objects.create(name="B栋送餐队", kind=Team.Kind.BRIGADE)
        other_team = Team.objects.create(name="隔离关爱队", kind=Team.Kind.BRIGADE)
        Membership.objects.create(team=team, person=self.student_a)
        self.create_other_college()
        response = self.ask(
            self.student, [(self.suits, "1", "")], for_whom="unit", for_unit=self.college_b.pk
        )
        self.assertContains(response, 'name="for_unit"')
        self.assertEqual(SupplyRequest.objects.count(), 0)
        self.ask(self.student, [(self.suits, "1", "")], for_whom="team", for_team=other_team.pk)
        self.assertEqual(SupplyRequest.objects.count(), 0)
        self.ask(self.student, [(self.suits, "1", "")], for_whom="team", for_team=team.pk)
        self.assertEqual(self.last_request().for_team, team)
        # A leader asks for any team and the units they reach.
        self.ask(self.leader, [(self.suits, "1", "")], for_whom="team", for_team=other_team.pk)
        self.assertEqual(self.last_request().for_team, other_team)

    def test_a_unit_the_item_is_not_counted_in_is_refused_by_name(self):
        response = self.ask(self.student, [(self.suits, "1", "箱")])
        self.assertContains(response, 'data-testid="unit-error"')
        self.assertContains(response, "防护服")
        response = self.ask(self.student, [(self.suits, "1", ""), (self.suits, "2", "")])
        self.assertContains(response, 'data-testid="lines-error"')
        response = self.ask(self.student, [])
        self.assertContains(response, 'data-testid="lines-error"')
        self.assertEqual(SupplyRequest.objects.count(), 0)


class RequestAccessTest(RequestsTestCase):
    request: SupplyRequest

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.request = actions.submit_request(
            cls.student_a,
            [actions.Asked(cls.sanitizer, Decimal(2))],
            purpose="宿舍消杀",
            for_person=cls.student_a,
            acting_user=cls.student,
        )

    def test_the_requester_sees_it_but_may_not_decide_it(self):
        self.login(self.student)
        self.assertEqual(self.client.get(self.request.get_absolute_url()).status_code, 200)
        decide = reverse("supplies:request_decide", args=[self.request.pk])
        self.assertEqual(self.client.get(decide).status_code, 403)

    def test_others_get_404(self):
        self.login(self.student_b_user)
        self.assertEqual(self.client.get(self.request.get_absolute_url()).status_code, 404)
        decide = reverse("supplies:request_decide", args=[self.request.pk])
        self.assertEqual(self.client.get(decide).status_code, 404)

    def test_a_keeper_decides_for_their_stores_unit_only(self):
        self.create_other_college()
        other_person = make_person("T9002", "韩库管", unit=self.college_b)
        other_keeper = make_user(other_person)
        other_keeper.grant(Role.STORE_KEEPER)
        other_store = Store.objects.create(
            name="会计学院仓库", kind=Store.Kind.WAREHOUSE, unit=self.college_b
        )
        other_store.keepers.add(other_person)
        self.login(self.keeper)
        decide = reverse("supplies:request_decide", args=[self.request.pk])
        self.assertEqual(self.client.get(decide).status_code, 200)
        for outsider in (other_keeper, self.leader_b):
            self.login(outsider)
            self.assertEqual(self.client.get(decide).status_code, 404)

    def test_an_admin_sees_and_decides_every_request(self):
        self.login(self.admin)
        page = self.client.get(reverse("supplies:request_list"))
        self.assertContains(page, self.request.get_absolute_url())
        decide = reverse("supplies:request_decide", args=[self.request.pk])
        self.assertEqual(self.client.get(decide).status_code, 200)

    def test_the_list_shows_mine_and_what_i_decide_in_a_fixed_number_of_queries(self):
        for _ in range(5):
            actions.submit_request(
                self.student_b,
                [actions.Asked(self.suits, Decimal(1))],
                purpose="值守",
                for_unit=self.college,
                acting_user=self.student_b_user,
            )
        self.login(self.keeper)
        self.client.get(reverse("supplies:request_list"))  # warm the session
        # A keeper's reach is read once: the stores they keep and the unit tree.
        with self.assertNumQueries(9):
            page = self.client.get(reverse("supplies:request_list"))
        self.assertEqual(page.content.decode().count('data-testid="request"'), 6)
        self.login(self.student)
        page = self.client.get(reverse("supplies:request_list"))
        self.assertEqual(page.content.decode().count('data-testid="request"'), 1)


class TeamRequestTest(RequestsTestCase):
    def test_a_member_of_the_team_confirms_what_the_team_received(self):
        team = Team.objects.create(name="隔离关爱队", kind=Team.Kind.BRIGADE)
        Membership.objects.create(team=team, person=self.volunteer_person)
        request = actions.submit_request(
            self.leader_person,
            [actions.Asked(self.sanitizer, Decimal(24))],
            purpose="隔离楼消杀",
            for_team=team,
            acting_user=self.leader,
        )
        actions.decide_request(
            request, {request.lines.get().pk: Decimal(24)}, acting_user=self.keeper
        )
        slip = actions.issue(request, self.store, acting_user=self.keeper)
        token = token_for(slip)
        self.login(self.student)  # not in the team: not their slip
        self.assertEqual(
            self.client.get(reverse("supplies:slip_scan", args=[token])).status_code, 404
        )
        self.assertEqual(
            self.client.post(
                reverse("supplies:slip_confirm", args=[slip.pk]), {"token": token}
            ).status_code,
            404,
        )
        self.login(self.volunteer)
        page = self.client.get(reverse("supplies:slip_scan", args=[token]))
        self.assertContains(page, '<td data-testid="quantity">1箱</td>', html=True)
        self.client.post(reverse("supplies:slip_confirm", args=[slip.pk]), {"token": token})
        slip.refresh_from_db()
        self.assertEqual((slip.via, slip.received_by), ("qr", self.volunteer_person))
