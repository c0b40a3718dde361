"""A request goes along its kind's chain: each applicable step's approver in
turn, returned and sent again from the first step, rejected with a reason,
left to the leaders when nobody holds a step."""

import datetime as dt

from django.core.exceptions import ValidationError
from freezegun import freeze_time as freeze

from shouwang.leave import actions
from shouwang.leave.access import may_decide, requests_for_user
from shouwang.leave.models import ChainStep, LeaveKind, LeaveRequest, LeaveStep, PostHolder
from shouwang.lib import clock
from shouwang.notify.models import Message
from shouwang.people.models import Person
from shouwang.test import make_person

from .base import BEIJING, MONDAY, LeaveTestCase, ask

Event = LeaveStep.Event


class ChainTests(LeaveTestCase):
    def test_a_short_leave_in_the_city_needs_the_counsellor_alone(self):
        leave = ask(self.student_a, self.away, user=self.student, days=1)
        self.assertEqual(leave.approver, self.counsellor_a)
        self.assertTrue(
            Message.objects.filter(
                recipient=self.counsellor_a, link=leave.get_absolute_url()
            ).exists()
        )
        actions.decide(leave, Event.APPROVED, acting_user=self.counsellor_a_user)
        leave.refresh_from_db()
        self.assertEqual(leave.status, LeaveRequest.Status.APPROVED)
        self.assertTrue(
            Message.objects.filter(recipient=self.student_a, link=leave.get_absolute_url()).exists()
        )

    def test_leaving_the_city_goes_on_to_the_post_holder(self):
        leave = ask(self.student_a, self.away, user=self.student, days=1, city=BEIJING)
        actions.decide(leave, Event.APPROVED, acting_user=self.counsellor_a_user)
        leave.refresh_from_db()
        self.assertEqual(leave.status, LeaveRequest.Status.PENDING)
        self.assertEqual(leave.approver, self.leader_person)
        self.assertTrue(may_decide(self.leader, leave))
        self.assertFalse(may_decide(self.counsellor_a_user, leave))
        actions.decide(leave, Event.APPROVED, acting_user=self.leader)
        leave.refresh_from_db()
        self.assertEqual(leave.status, LeaveRequest.Status.APPROVED)
        self.assertEqual(
            list(leave.history.values_list("event", flat=True)),
            [Event.SUBMITTED, Event.APPROVED, Event.APPROVED],
        )

    def test_working_days_follow_the_calendar(self):
        # Friday 08:00 to Tuesday 08:00: five days, three working days: the counsellor alone.
        friday = clock.at(MONDAY + dt.timedelta(days=4), dt.time(8))
        leave = ask(self.student_a, self.away, user=self.student, start=friday, days=4)
        self.assertEqual(leave.working_days, 3)
        actions.decide(leave, Event.APPROVED, acting_user=self.counsellor_a_user)
        leave.refresh_from_db()
        self.assertEqual(leave.status, LeaveRequest.Status.APPROVED)
        longer = ask(self.student_a, self.away, user=self.student, days=4)
        self.assertEqual(longer.working_days, 5)
        actions.decide(longer, Event.APPROVED, acting_user=self.counsellor_a_user)
        longer.refresh_from_db()
        self.assertEqual(longer.approver, self.leader_person)

    def test_returned_then_sent_again_from_the_first_step(self):
        leave = ask(self.student_a, self.away, user=self.student, city=BEIJING)
        with self.assertRaises(ValidationError):
            actions.decide(leave, Event.RETURNED, "", acting_user=self.counsellor_a_user)
        actions.decide(leave, Event.RETURNED, "写清楚地址", acting_user=self.counsellor_a_user)
        leave.refresh_from_db()
        self.assertEqual(leave.status, LeaveRequest.Status.RETURNED)
        self.assertIsNone(leave.approver)
        leave.address = "朝阳医院"
        actions.resubmit(leave, acting_user=self.student)
        leave.refresh_from_db()
        self.assertEqual(leave.approver, self.counsellor_a)

    def test_rejected_ends_it_and_the_approver_keeps_seeing_it(self):
        leave = ask(self.student_a, self.away, user=self.student)
        actions.decide(leave, Event.REJECTED, "封控期间不离校", acting_user=self.counsellor_a_user)
        leave.refresh_from_db()
        self.assertEqual(leave.status, LeaveRequest.Status.REJECTED)
        self.assertIn(leave, requests_for_user(self.counsellor_a_user))
        self.assertNotIn(leave, requests_for_user(self.student_b_user))
        with self.assertRaises(ValidationError):
            actions.decide(leave, Event.APPROVED, acting_user=self.counsellor_a_user)

    def test_a_step_nobody_holds_waits_on_the_leaders(self):
        PostHolder.objects.all().delete()
        leave = ask(self.teacher_person, self.entry, user=self.teacher)
        self.assertEqual(leave.status, LeaveRequest.Status.PENDING)
        self.assertIsNone(leave.approver)
        self.assertTrue(may_decide(self.leader, leave))
        self.assertFalse(may_decide(self.counsellor_a_user, leave))

    def test_nobody_approves_their_own_leave(self):
        # The post holder asks to enter campus: their own step is passed over.
        leave = ask(self.leader_person, self.entry, user=self.leader)
        self.assertEqual(leave.status, LeaveRequest.Status.APPROVED)

    def test_a_kind_not_offered_is_refused(self):
        with self.assertRaises(ValidationError) as raised:
            ask(self.student_a, self.entry, user=self.student)
        self.assertIn("kind", raised.exception.message_dict)

    def test_extending_goes_through_the_chain_and_then_changes_the_leave(self):
        leave = ask(self.student_a, self.away, user=self.student)
        actions.decide(leave, Event.APPROVED, acting_user=self.counsellor_a_user)
        leave.refresh_from_db()
        later = leave.ends_at + dt.timedelta(days=1)
        change = actions.ask_change(
            leave, LeaveRequest.Change.EXTEND, "复查推迟", later, acting_user=self.student
        )
        self.assertEqual(change.approver, self.counsellor_a)
        leave.refresh_from_db()
        self.assertNotEqual(leave.ends_at, later)
        actions.decide(change, Event.APPROVED, acting_user=self.counsellor_a_user)
        leave.refresh_from_db()
        self.assertEqual(leave.ends_at, later)
        # The change took effect on the leave: it is no leave of its own.
        self.assertEqual(list(LeaveRequest.objects.covering(MONDAY)), [leave])
        self.assertEqual(list(LeaveRequest.objects.overdue(later + dt.timedelta(hours=1))), [leave])
        with self.assertRaises(ValidationError):
            actions.report_back(change, acting_user=self.student)
        self.assertEqual(leave.history.values_list("event", flat=True).last(), Event.CHANGED)


class PassageTests(LeaveTestCase):
    def approved(self):
        leave = ask(self.student_a, self.away, user=self.student)
        actions.decide(leave, Event.APPROVED, acting_user=self.counsellor_a_user)
        leave.refresh_from_db()
        return leave

    def test_the_gate_records_the_exit_then_the_return(self):
        leave = self.approved()
        with freeze(leave.starts_at):
            self.assertEqual(actions.pass_gate(leave, acting_user=self.admin), Event.LEFT)
            self.assertEqual(actions.pass_gate(leave, acting_user=self.admin), Event.CAME_BACK)
            with self.assertRaises(ValidationError):
                actions.pass_gate(leave, acting_user=self.admin)
        leave.refresh_from_db()
        self.assertIsNotNone(leave.back_at)

    def test_a_pending_leave_opens_no_gate(self):
        leave = ask(self.student_a, self.away, user=self.student)
        with self.assertRaises(ValidationError):
            actions.pass_gate(leave, acting_user=self.admin)

    def test_reported_back_and_confirmed_by_the_counsellor(self):
        leave = self.approved()
        with self.assertRaises(ValidationError):
            actions.confirm_back(leave, acting_user=self.counsellor_a_user)
        actions.report_back(leave, acting_user=self.student)
        self.assertTrue(
            Message.objects.filter(
                recipient=self.counsellor_a, link=leave.get_absolute_url()
            ).exists()
        )
        actions.confirm_back(leave, acting_user=self.counsellor_a_user)
        leave.refresh_from_db()
        self.assertEqual(leave.back_at, leave.back_reported_at)
        self.assertFalse(
            LeaveRequest.objects.overdue(leave.ends_at + dt.timedelta(days=1)).exists()
        )


class ConfigurationTests(LeaveTestCase):
    def test_a_kind_is_saved_with_its_chain_in_order(self):
        kind = actions.save_kind(
            LeaveKind(name="外出就医"),
            [
                ChainStep(approver=ChainStep.Approver.COUNSELLOR),
                ChainStep(approver=ChainStep.Approver.POST, post=self.deputy),
            ],
            acting_user=self.leader,
        )
        self.assertEqual(
            list(kind.steps.values_list("position", "approver")),
            [(1, "counsellor"), (2, "post")],
        )
        with self.assertRaises(ValidationError):
            actions.save_kind(kind, [], acting_user=self.leader)

    def test_a_waiting_request_keeps_its_step_when_the_chain_changes(self):
        leave = ask(self.student_a, self.away, user=self.student, city=BEIJING)
        actions.save_kind(
            self.away, [ChainStep(approver=ChainStep.Approver.COUNSELLOR)], acting_user=self.leader
        )
        leave.refresh_from_db()
        self.assertEqual(leave.step_id, self.away.steps.get(position=1).pk)
        actions.decide(leave, Event.APPROVED, acting_user=self.counsellor_a_user)
        leave.refresh_from_db()
        self.assertEqual(leave.status, LeaveRequest.Status.APPROVED)

    def test_the_nearest_holder_of_a_post_decides(self):
        # The university's holder is passed over for the college's own.
        other = make_person("T0300", "钱副书记", Person.Kind.TEACHER, unit=self.university)
        actions.hold_post(self.deputy, self.university, other, acting_user=self.admin)
        step = self.away.steps.get(position=2)
        self.assertEqual(actions.approver_for(step, self.student_a), self.leader_person)
        actions.hold_post(self.deputy, self.college, None, acting_user=self.admin)
        self.assertEqual(actions.approver_for(step, self.student_a), other)
