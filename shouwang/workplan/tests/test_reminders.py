import datetime as dt

from freezegun import freeze_time

from shouwang.notify.models import Message
from shouwang.workplan import actions, reminders
from shouwang.workplan.message_kinds import REPORT_DUE, REPORTS_OVERDUE
from shouwang.workplan.models import Measure, Report, Status

from .base import PlanTestCase, make_measure


class ReminderTests(PlanTestCase):
    other: Measure

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.create_other_college()
        cls.other = make_measure(
            cls,  # type: ignore[arg-type]
            cls.key_point,
            "研究生招生宣传",
            owner=cls.counsellor_b,
        )

    def recipients(self, kind: str) -> list[int]:
        return sorted(Message.objects.filter(kind=kind).values_list("recipient_id", flat=True))

    @freeze_time("2022-01-23 08:00")
    def test_owners_and_co_owners_are_reminded_once_before_the_due_date(self):
        self.assertEqual(reminders.remind_due(), 3)
        self.assertEqual(
            self.recipients(REPORT_DUE),
            sorted([self.teacher_person.pk, self.counsellor_a.pk, self.counsellor_b.pk]),
        )
        message = Message.objects.get(kind=REPORT_DUE, recipient=self.teacher_person)
        self.assertIn("推进国家一流专业建设", message.title)
        self.assertEqual(
            message.link, self.measure.reports.get(due_on=dt.date(2022, 1, 25)).get_absolute_url()
        )
        self.assertEqual(reminders.remind_due(), 0)
        self.assertEqual(Message.objects.filter(kind=REPORT_DUE).count(), 3)
        self.assertEqual(Report.objects.filter(reminded_at__isnull=False).count(), 2)

    def test_a_report_already_written_or_not_yet_near_is_not_reminded(self):
        with freeze_time("2022-01-20 08:00"):
            self.assertEqual(reminders.remind_due(), 0)
        report = self.measure.reports.get(due_on=dt.date(2022, 1, 25))
        with freeze_time("2022-01-21 08:00"):
            actions.submit_report(report, text="已召开研讨会", acting_user=self.teacher)
        with freeze_time("2022-01-23 08:00"):
            self.assertEqual(reminders.remind_due(), 1)
        self.assertEqual(self.recipients(REPORT_DUE), [self.counsellor_b.pk])

    @freeze_time("2022-01-23 08:00")
    def test_a_done_measure_reminds_nobody(self):
        actions.report_completion(self.other, acting_user=self.counsellor_b_user)
        actions.decide_completion(self.other, accept=True, acting_user=self.leader)
        self.assertEqual(self.other.status, Status.DONE)
        reminders.remind_due()
        self.assertNotIn(self.counsellor_b.pk, self.recipients(REPORT_DUE))

    def test_the_plans_leaders_are_told_once_of_the_overdue_reports(self):
        report = self.other.reports.get(due_on=dt.date(2022, 1, 25))
        with freeze_time("2022-01-25 20:00"):
            actions.submit_report(report, text="已完成宣传材料", acting_user=self.counsellor_b_user)
        with freeze_time("2022-01-26 08:30"):
            self.assertEqual(reminders.tell_overdue(), 2)
            self.assertEqual(reminders.tell_overdue(), 0)
        # The college's leader and the university's; not the other college's.
        self.assertEqual(
            self.recipients(REPORTS_OVERDUE),
            sorted([self.leader_person.pk, self.university_leader.person_id]),
        )
        self.assertNotIn(self.leader_b.person_id, self.recipients(REPORTS_OVERDUE))
        message = Message.objects.get(kind=REPORTS_OVERDUE, recipient=self.leader_person)
        self.assertIn("推进国家一流专业建设", message.body)
        self.assertNotIn("研究生招生宣传", message.body)
        with freeze_time("2022-02-26 08:30"):
            self.assertEqual(reminders.tell_overdue(), 2)
        latest = Message.objects.filter(kind=REPORTS_OVERDUE, recipient=self.leader_person)
        self.assertEqual(latest.count(), 2)
        newest = latest.latest("created_at")
        self.assertIn("研究生招生宣传", newest.body)
        self.assertIn("2022-02-25", newest.body)
        self.assertNotIn("2022-01-25", newest.body)

    def test_the_periodic_tasks_run_the_reminders(self):
        from shouwang.workplan import tasks

        with freeze_time("2022-01-26 08:30"):
            self.assertEqual(tasks.tell_reports_overdue.call(), 2)
            self.assertEqual(tasks.remind_reports_due.call(), 0)
