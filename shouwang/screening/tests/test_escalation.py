from django.urls import reverse

from shouwang.accounts.models import Role
from shouwang.checkins.tests.test_reminders import DAY_1, DAY_2, ReminderFixtures, at
from shouwang.core.scheduler import JOBS
from shouwang.notify.kinds import ESCALATION
from shouwang.notify.models import Message
from shouwang.screening.models import Flag
from shouwang.screening.tasks import escalate_missed


class EscalationTestCase(ReminderFixtures):
    job = escalate_missed

    def test_someone_missing_two_days_in_a_row_is_escalated_to_the_leaders(self):
        self.check_in(self.student_b, DAY_1)
        self.check_in(self.volunteer_person, DAY_1)
        self.check_in(self.volunteer_person, DAY_2)
        sent = self.run_at(at(DAY_2, 10, 0, 30))
        self.assertEqual(sent, 1)
        message = Message.objects.get(kind=ESCALATION)
        self.assertEqual(message.recipient, self.leader_person)
        self.assertIn("张三", message.body)
        self.assertNotIn("李四", message.body)  # missed only one day
        self.assertEqual(
            message.key, f"escalation:{self.incident.pk}:2022-04-07:{self.leader_person.pk}"
        )
        self.assertEqual(
            list(Flag.objects.filter(reason=Flag.Reason.MISSED).values_list("person", "date")),
            [(self.student_a.pk, DAY_2)],
        )

    def test_one_missed_day_is_not_escalated(self):
        self.run_at(at(DAY_1, 10, 1))
        self.assertFalse(Message.objects.filter(kind=ESCALATION).exists())
        self.assertFalse(Flag.objects.exists())

    def test_nobody_missing_two_days_means_no_message(self):
        for person in (self.student_a, self.student_b, self.volunteer_person):
            self.check_in(person, DAY_1)
        self.run_at(at(DAY_2, 10, 1))
        self.assertFalse(Message.objects.filter(kind=ESCALATION).exists())

    def test_each_leader_gets_one_message_a_day(self):
        self.counsellor_b_user.grant(Role.LEADER)
        for minute in (0, 5, 20):
            self.run_at(at(DAY_2, 10, minute, 30))
        self.assertEqual(self.recipients(ESCALATION), ["T0001", "T1002"])

    def test_an_inactive_leader_gets_nothing(self):
        self.leader.is_active = False
        self.leader.save(update_fields=["is_active"])
        self.run_at(at(DAY_2, 10, 1))
        self.assertFalse(Message.objects.filter(kind=ESCALATION).exists())
        self.assertTrue(Flag.objects.filter(reason=Flag.Reason.MISSED).exists())

    def test_it_links_to_the_days_missing_list(self):
        self.run_at(at(DAY_2, 10, 1))
        message = Message.objects.get(kind=ESCALATION)
        self.assertEqual(
            message.link,
            f"{reverse('compliance:missing')}?incident={self.incident.pk}&date=2022-04-07",
        )

    def test_the_job_runs_every_minute(self):
        self.assertEqual(JOBS[escalate_missed.module_path].cron, "* * * * *")
