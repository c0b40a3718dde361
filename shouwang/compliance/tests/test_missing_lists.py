from unittest import mock

from django.urls import reverse

from shouwang.checkins import reminders
from shouwang.checkins.tests.test_reminders import DAY_1, DAY_2, ReminderFixtures, at
from shouwang.compliance.message_kinds import MISSING_LIST
from shouwang.compliance.tasks import send_missing_lists
from shouwang.core.scheduler import JOBS
from shouwang.notify.models import Message


class MissingListsTestCase(ReminderFixtures):
    job = send_missing_lists

    def test_each_counsellor_gets_the_missing_list_of_their_own_classes(self):
        self.check_in(self.volunteer_person, DAY_1)
        sent = self.run_at(at(DAY_1, 10, 0, 30))
        self.assertEqual(sent, 2)
        to_a = Message.objects.get(kind=MISSING_LIST, recipient=self.counsellor_a)
        to_b = Message.objects.get(kind=MISSING_LIST, recipient=self.counsellor_b)
        self.assertIn("张三", to_a.body)
        self.assertNotIn("李四", to_a.body)
        self.assertIn("李四", to_b.body)
        self.assertNotIn("张三", to_b.body)
        self.assertNotIn("王五", to_b.body)
        self.assertEqual(
            to_a.key, f"missing-list:{self.incident.pk}:2022-04-06:{self.counsellor_a.pk}"
        )
        self.assertEqual(
            to_a.link,
            f"{reverse('compliance:missing')}?incident={self.incident.pk}&date=2022-04-06",
        )

    def test_a_counsellor_whose_students_all_reported_gets_nothing(self):
        self.check_in(self.student_a, DAY_1)
        self.run_at(at(DAY_1, 10, 1))
        self.assertEqual(self.recipients(MISSING_LIST), ["T1002"])

    def test_nothing_is_sent_before_the_deadline(self):
        self.run_at(at(DAY_1, 9, 59, 59))
        self.assertFalse(Message.objects.filter(kind=MISSING_LIST).exists())

    def test_the_list_goes_once_a_day_however_often_the_job_runs(self):
        for minute in (0, 1, 15, 29):
            self.run_at(at(DAY_1, 10, minute, 30))
        self.assertEqual(self.recipients(MISSING_LIST), ["T1001", "T1002"])
        self.run_at(at(DAY_2, 10, 1))
        self.assertEqual(self.recipients(MISSING_LIST), ["T1001", "T1001", "T1002", "T1002"])

    def test_a_long_list_names_the_first_fifty_and_counts_the_rest(self):
        with mock.patch.object(reminders, "MAX_NAMES", 1):
            self.run_at(at(DAY_1, 10, 1))
        to_b = Message.objects.get(kind=MISSING_LIST, recipient=self.counsellor_b)
        self.assertIn("李四", to_b.body)
        self.assertNotIn("王五", to_b.body)
        self.assertIn("1", to_b.body.splitlines()[1])

    def test_the_job_runs_every_minute(self):
        self.assertEqual(JOBS[send_missing_lists.module_path].cron, "* * * * *")
