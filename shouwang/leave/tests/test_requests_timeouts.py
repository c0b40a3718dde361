"""An approver who does not decide is reminded once; as long again, and the
leaders are told once and may decide."""

import datetime as dt

from freezegun import freeze_time

from shouwang.leave import actions, tasks
from shouwang.leave.access import may_decide
from shouwang.leave.models import LeaveRequest, LeaveStep
from shouwang.leave.timeouts import remind_and_escalate
from shouwang.notify.models import Message

from .base import LeaveTestCase, ask

Event = LeaveStep.Event
HOUR = dt.timedelta(hours=1)


class TimeoutTests(LeaveTestCase):
    def setUp(self):
        self.leave = ask(self.student_a, self.away, user=self.student)
        self.since = self.leave.submitted_at

    def run_at(self, hours):
        with freeze_time(self.since + hours * HOUR):
            return remind_and_escalate(self.since + hours * HOUR)

    def messages_to(self, person):
        return Message.objects.filter(recipient=person, link=self.leave.get_absolute_url())

    def test_nothing_happens_within_the_limit(self):
        self.assertEqual(self.run_at(23), {"reminded": 0, "escalated": 0})

    def test_the_approver_is_reminded_once(self):
        before = self.messages_to(self.counsellor_a).count()
        self.assertEqual(self.run_at(24), {"reminded": 1, "escalated": 0})
        self.assertEqual(self.run_at(25), {"reminded": 0, "escalated": 0})
        self.leave.refresh_from_db()
        self.assertIsNotNone(self.leave.reminded_at)
        self.assertEqual(self.messages_to(self.counsellor_a).count(), before + 1)
        self.assertEqual(self.leave.history.filter(event=Event.REMINDED).count(), 1)

    def test_the_leaders_are_told_once_and_may_decide(self):
        self.run_at(24)
        self.assertFalse(may_decide(self.leader, self.leave))
        self.assertEqual(self.run_at(48), {"reminded": 0, "escalated": 1})
        self.assertEqual(self.run_at(60), {"reminded": 0, "escalated": 0})
        self.leave.refresh_from_db()
        self.assertEqual(self.messages_to(self.leader_person).count(), 1)
        self.assertEqual(self.leave.history.filter(event=Event.ESCALATED).count(), 1)
        self.assertTrue(may_decide(self.leader, self.leave))

    def test_a_decided_request_is_left_alone(self):
        actions.decide(self.leave, Event.APPROVED, acting_user=self.counsellor_a_user)
        self.assertEqual(self.run_at(100), {"reminded": 0, "escalated": 0})

    def test_the_next_step_is_reminded_afresh(self):
        leave = ask(self.student_a, self.away, user=self.student, days=5)
        self.run_at(30)
        with freeze_time(self.since + 31 * HOUR):
            actions.decide(leave, Event.APPROVED, acting_user=self.counsellor_a_user)
        leave.refresh_from_db()
        self.assertEqual(leave.approver, self.leader_person)
        self.assertIsNone(leave.reminded_at)
        self.assertEqual(self.run_at(31 + 24)["reminded"], 1)

    def test_the_task_runs_it(self):
        with freeze_time(self.since + 24 * HOUR):
            self.assertEqual(tasks.remind_and_escalate.call(), {"reminded": 1, "escalated": 0})
        events = LeaveRequest.objects.get(pk=self.leave.pk).history.values_list("event", flat=True)
        self.assertEqual(events.last(), Event.REMINDED)
