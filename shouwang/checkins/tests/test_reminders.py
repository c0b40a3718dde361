import datetime as dt
from unittest import mock

from django.urls import reverse
from freezegun import freeze_time

from shouwang.accounts.models import Role
from shouwang.checkins import reminders
from shouwang.checkins.message_kinds import MISSING_LIST
from shouwang.checkins.models import CheckIn, Flag, Location
from shouwang.checkins.tasks import send_due_reminders
from shouwang.core.scheduler import JOBS, fire_due
from shouwang.incidents.models import Incident
from shouwang.lib.clock import beijing
from shouwang.notify import actions as notify_actions
from shouwang.notify.channels import Inbox
from shouwang.notify.kinds import ESCALATION, REMINDER
from shouwang.notify.models import Message
from shouwang.test import BaseTestCase

DAY_1 = dt.date(2022, 4, 6)
DAY_2 = dt.date(2022, 4, 7)


def at(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return beijing(day.year, day.month, day.day, hour, minute, second)


class ReminderFixtures(BaseTestCase):
    """An incident for the college's students from DAY_1 07:00: reminders at
    08:00 and 09:00, deadline 10:00. Expected: 张三 (class A), 李四 and 王五 (class B)."""

    incident: Incident

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.incident = Incident.objects.create(
            title="校园封控",
            started_at=at(DAY_1, 7),
            reporters=Incident.Reporters.STUDENTS,
            deadline=dt.time(10, 0),
            reminder_times=["08:00", "09:00"],
        )
        cls.incident.units.add(cls.college)

    def check_in(self, person, day: dt.date) -> CheckIn:
        return CheckIn.objects.create(
            person=person,
            incident=self.incident,
            date=day,
            submitted_at=at(day, 8),
            updated_at=at(day, 8),
            location=Location.CAMPUS,
        )

    def run_at(self, when: dt.datetime) -> dict[str, int]:
        with freeze_time(when):
            return send_due_reminders.call()

    def recipients(self, kind: str) -> list[str]:
        return sorted(Message.objects.filter(kind=kind).values_list("recipient__number", flat=True))


class RemindersTestCase(ReminderFixtures):
    def test_it_reminds_only_the_people_still_missing(self):
        self.check_in(self.student_a, DAY_1)
        sent = self.run_at(at(DAY_1, 9, 0, 30))
        self.assertEqual(sent["reminders"], 2)
        self.assertEqual(self.recipients(REMINDER), ["2021001", "2021002"])
        message = Message.objects.get(recipient=self.student_b)
        self.assertEqual(
            message.key, f"reminder:{self.incident.pk}:2022-04-06:09:00:{self.student_b.pk}"
        )
        self.assertEqual(message.link, reverse("checkins:today"))

    def test_a_slot_fired_twice_sends_one_reminder_per_person(self):
        self.run_at(at(DAY_1, 9, 0, 30))
        again = self.run_at(at(DAY_1, 9, 0, 50))
        later = self.run_at(at(DAY_1, 9, 20))
        self.assertEqual(again["reminders"] + later["reminders"], 0)
        self.assertEqual(self.recipients(REMINDER), ["2020001", "2021001", "2021002"])

    def test_a_batch_run_again_after_a_worker_died_midway_sends_one_reminder_per_person(self):
        real_send = Inbox.send
        calls = []

        def dies_on_second_batch(channel, messages):
            calls.append(len(messages))
            if len(calls) == 2:
                raise SystemExit("worker killed")
            real_send(channel, messages)

        with (
            mock.patch.object(notify_actions, "BATCH_SIZE", 1),
            mock.patch.object(Inbox, "send", dies_on_second_batch),
            self.assertRaises(SystemExit),
        ):
            self.run_at(at(DAY_1, 9, 0, 30))
        # The first batch was committed; the one in flight rolled back.
        self.assertEqual(Message.objects.count(), 1)
        with mock.patch.object(notify_actions, "BATCH_SIZE", 1):
            self.run_at(at(DAY_1, 9, 1))
        self.assertEqual(self.recipients(REMINDER), ["2020001", "2021001", "2021002"])

    def test_a_slot_outside_the_catch_up_window_is_not_sent(self):
        self.assertEqual(self.run_at(at(DAY_1, 8, 59, 59))["reminders"], 0)
        self.assertEqual(self.run_at(at(DAY_1, 9, 30, 1))["reminders"], 0)
        self.assertFalse(Message.objects.filter(kind=REMINDER).exists())

    def test_a_scheduler_back_within_the_window_catches_up(self):
        self.assertEqual(self.run_at(at(DAY_1, 9, 29))["reminders"], 3)

    def test_each_slot_of_the_day_is_its_own_reminder(self):
        self.run_at(at(DAY_1, 8, 1))
        self.check_in(self.student_a, DAY_1)
        self.run_at(at(DAY_1, 9, 1))
        self.assertEqual(Message.objects.filter(recipient=self.student_a).count(), 1)
        self.assertEqual(Message.objects.filter(recipient=self.student_b).count(), 2)

    def test_a_slot_before_the_incident_opened_is_not_sent(self):
        Incident.objects.filter(pk=self.incident.pk).update(started_at=at(DAY_1, 9, 10))
        self.assertEqual(self.run_at(at(DAY_1, 9, 15))["reminders"], 0)

    def test_a_closed_incident_sends_nothing(self):
        Incident.objects.filter(pk=self.incident.pk).update(closed_at=at(DAY_1, 8))
        self.assertEqual(
            self.run_at(at(DAY_1, 9, 1)), {"reminders": 0, "missing_lists": 0, "escalations": 0}
        )

    def test_a_bad_reminder_time_is_skipped(self):
        Incident.objects.filter(pk=self.incident.pk).update(reminder_times=["nine", "09:00"])
        self.assertEqual(self.run_at(at(DAY_1, 9, 1))["reminders"], 3)

    def test_the_scheduler_runs_the_job_every_minute(self):
        job = JOBS[send_due_reminders.module_path]
        self.assertEqual(job.cron, "* * * * *")
        with freeze_time(at(DAY_1, 9, 0, 20)):
            fire_due()
        self.assertEqual(self.recipients(REMINDER), ["2020001", "2021001", "2021002"])


class MissingListsTestCase(ReminderFixtures):
    def test_each_counsellor_gets_the_missing_list_of_their_own_classes(self):
        self.check_in(self.volunteer_person, DAY_1)
        sent = self.run_at(at(DAY_1, 10, 0, 30))
        self.assertEqual(sent["missing_lists"], 2)
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
            to_a.link, f"{reverse('checkins:missing')}?incident={self.incident.pk}&date=2022-04-06"
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


class EscalationTestCase(ReminderFixtures):
    def test_someone_missing_two_days_in_a_row_is_escalated_to_the_leaders(self):
        self.check_in(self.student_b, DAY_1)
        self.check_in(self.volunteer_person, DAY_1)
        self.check_in(self.volunteer_person, DAY_2)
        sent = self.run_at(at(DAY_2, 10, 0, 30))
        self.assertEqual(sent["escalations"], 1)
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
