import datetime as dt
from typing import Any
from unittest import mock

from django.urls import reverse
from freezegun import freeze_time

from shouwang.checkins.models import CheckIn, Location
from shouwang.checkins.tasks import send_due_reminders
from shouwang.core.scheduler import JOBS, fire_due
from shouwang.incidents.models import Incident
from shouwang.lib.clock import beijing
from shouwang.notify import actions as notify_actions
from shouwang.notify.channels import Inbox
from shouwang.notify.kinds import REMINDER
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
    # The job each test case runs.
    job: Any = send_due_reminders

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

    def run_at(self, when: dt.datetime) -> Any:
        with freeze_time(when):
            return self.job.call()

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
        self.assertEqual(self.run_at(at(DAY_1, 9, 1)), {"reminders": 0})

    def test_a_bad_reminder_time_is_skipped(self):
        Incident.objects.filter(pk=self.incident.pk).update(reminder_times=["nine", "09:00"])
        self.assertEqual(self.run_at(at(DAY_1, 9, 1))["reminders"], 3)

    def test_the_scheduler_runs_the_job_every_minute(self):
        job = JOBS[send_due_reminders.module_path]
        self.assertEqual(job.cron, "* * * * *")
        with freeze_time(at(DAY_1, 9, 0, 20)):
            fire_due()
        self.assertEqual(self.recipients(REMINDER), ["2020001", "2021001", "2021002"])
