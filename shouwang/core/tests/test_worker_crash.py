"""A worker killed (`kill -9`) in the middle of a batch job: the job is
found by its lease, resumed by another worker, and ends complete, with
nothing a person would notice done twice. On the database queue and on Redis."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db.models import Sum
from django.test import TransactionTestCase, override_settings
from django.utils import timezone

from shouwang.care.models import Isolation, MealDelivery, MealSlot
from shouwang.care.tasks import generate_todays_deliveries
from shouwang.checkins.models import CheckIn, Location
from shouwang.compliance.models import DailyTally
from shouwang.compliance.tasks import count_tallies
from shouwang.core import jobs
from shouwang.core.models import BackgroundJob
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.notices import actions as notices
from shouwang.notices.models import Notice, Receipt
from shouwang.notices.tasks import deliver_notice
from shouwang.notify.models import Message, MessageDelivery
from shouwang.people.models import DormRoom, Person, RosterImport, Unit
from shouwang.people.tasks import commit_roster_import
from shouwang.test import make_person, make_user

from .test_worker import (
    BASE_DIR,
    DatabaseQueue,
    RedisQueue,
    ScenarioBase,
    database_env,
    kill_worker,
    manage,
    wait_for,
)

PEOPLE = 1070
ISOLATED = 200
DAY_1 = dt.date(2022, 4, 6)
ROSTER_ROWS = 300
# Pushes go to a webhook that is not there: each stays queued for its retries.
CHANNELS = {"NOTIFY_CHANNELS": "inbox,wecom", "WECOM_WEBHOOK_URL": "http://127.0.0.1:9/hook"}


class CrashTests(ScenarioBase):
    """The scenarios; a subclass says which queue the workers read."""

    worker_args: tuple[str, ...]
    burst_args: tuple[str, ...]
    queue_env: dict[str, str]

    def setUp(self) -> None:
        super().setUp()
        media = tempfile.TemporaryDirectory()
        self.addCleanup(media.cleanup)
        self.media = media.name
        media_settings = override_settings(MEDIA_ROOT=self.media)
        media_settings.enable()
        self.addCleanup(media_settings.disable)
        self.env = {**database_env(), **self.queue_env, **CHANNELS, "MEDIA_ROOT": self.media}

    def start_worker(self, **slow: str) -> subprocess.Popen:
        worker = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "shouwang.core.tests.slow_worker", *self.worker_args],
            cwd=BASE_DIR,
            env={**os.environ, **self.env, **slow},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.addCleanup(self.kill, worker)
        return worker

    def kill(self, worker: subprocess.Popen) -> None:
        kill_worker(worker)

    def recover(self, job: BackgroundJob) -> None:
        """The lease runs out (as JOB_LEASE later), the scheduler's recovery
        runs, and a new worker drains the queue."""
        BackgroundJob.objects.filter(pk=job.pk).update(
            lease_expires_at=timezone.now() - timedelta(seconds=1)
        )
        self.assertEqual(jobs.recover_abandoned(), {"resumed": 1, "failed": 0})
        worker = manage(*self.burst_args, env=self.env)
        self.assertEqual(worker.returncode, 0, worker.stderr)
        job.refresh_from_db()
        self.assertEqual((job.state, job.attempts), ("done", 2), job.message)

    def test_a_notice_fan_out_killed_after_its_first_batch_reaches_everyone_once(self):
        author = make_user(make_person("T0001", "校长", kind=Person.Kind.STAFF))
        people = Person.objects.bulk_create(
            Person(number=f"2022{n:05d}", name=f"学生{n}") for n in range(PEOPLE)
        )
        notice = Notice.objects.create(
            author=author, title="停课通知", body="明日停课。", status=Notice.Status.PUBLISHED
        )
        Receipt.objects.bulk_create(Receipt(notice=notice, person=person) for person in people)
        sent = Message.objects.filter(key__startswith=f"notice:{notice.pk}:")

        worker = self.start_worker(SLOW_BATCH="3")
        job = jobs.start_job(deliver_notice, subject=notice, started_by=author)
        wait_for(lambda: sent.exists(), timeout=60)
        self.kill(worker)
        # Killed in the middle: the first batch sent, the rest not.
        self.assertTrue(0 < sent.count() < PEOPLE, sent.count())

        self.recover(job)
        self.assertEqual(sent.count(), PEOPLE)
        self.assertEqual(sent.values("recipient").distinct().count(), PEOPLE)
        pushes = MessageDelivery.objects.filter(message__in=sent)
        self.assertEqual(pushes.count(), PEOPLE)
        self.assertEqual(pushes.values("message").distinct().count(), PEOPLE)
        self.assertEqual(Receipt.objects.filter(notice=notice).count(), PEOPLE)

    def test_a_roster_commit_killed_while_writing_commits_each_person_once(self):
        rows = "".join(f"2030{n:05d},新生{n}\r\n" for n in range(ROSTER_ROWS))
        item = RosterImport(filename="roster.csv", default_kind=Person.Kind.STUDENT)
        item.file.save("roster.csv", ContentFile(f"学号,姓名\r\n{rows}".encode()), save=False)
        item.status = RosterImport.Status.CHECKED
        item.save()
        imported = Person.objects.filter(number__startswith="2030")

        # The people are written, not yet committed.
        worker = self.start_worker(SLOW_AFTER="shouwang.people.actions:_update_classes=30")
        self.assertTrue(item.start_commit(commit_roster_import, started_by=None))
        job = BackgroundJob.objects.of(item).get()
        # Its check is done and it says it is writing the people: it is inside the commit.
        wait_for(lambda: BackgroundJob.objects.filter(pk=job.pk).exclude(message="").exists())
        wait_for(lambda: not BackgroundJob.objects.get(pk=job.pk).is_active or _slept(1.5))
        self.kill(worker)
        item.refresh_from_db()
        self.assertEqual((item.status, imported.count()), ("committing", 0))

        self.recover(job)
        item.refresh_from_db()
        self.assertEqual(item.status, "committed")
        self.assertEqual(item.summary["created"], ROSTER_ROWS)
        self.assertEqual(imported.count(), ROSTER_ROWS)
        self.assertEqual(imported.values("number").distinct().count(), ROSTER_ROWS)

    def test_a_reminder_killed_after_its_first_batch_reminds_each_outstanding_person_once(self):
        author = make_user(make_person("T0001", "校长", kind=Person.Kind.STAFF))
        people = Person.objects.bulk_create(
            Person(number=f"2022{n:05d}", name=f"学生{n}") for n in range(PEOPLE)
        )
        notice = Notice.objects.create(
            author=author,
            title="核酸检测通知",
            body="请回执。",
            status=Notice.Status.PUBLISHED,
            requires_acknowledgement=True,
        )
        # One in three has acknowledged: the reminder is for the other two.
        Receipt.objects.bulk_create(
            Receipt(notice=notice, person=person, acknowledged_at=None if n % 3 else timezone.now())
            for n, person in enumerate(people)
        )
        outstanding = set(
            Receipt.objects.filter(notice=notice, acknowledged_at__isnull=True).values_list(
                "person", flat=True
            )
        )

        worker = self.start_worker(SLOW_BATCH="3")
        reminder = notices.remind(notice, acting_user=author)
        sent = Message.objects.filter(key__startswith=f"notice-reminder:{reminder.pk}:")
        job = BackgroundJob.objects.of(reminder).get()
        wait_for(lambda: sent.exists(), timeout=60)
        self.kill(worker)
        self.assertTrue(0 < sent.count() < len(outstanding), sent.count())

        self.recover(job)
        self.assertEqual(sent.count(), len(outstanding))
        self.assertEqual(set(sent.values_list("recipient", flat=True)), outstanding)
        pushes = MessageDelivery.objects.filter(message__in=sent)
        self.assertEqual(pushes.values("message").distinct().count(), len(outstanding))
        self.assertEqual(pushes.count(), len(outstanding))

    def test_meals_prepared_by_a_worker_killed_before_it_reported_are_not_prepared_twice(self):
        slots = [
            MealSlot.objects.create(name=name, time=dt.time(hour, 30), drop_point="一楼大厅")
            for name, hour in (("早餐", 7), ("午餐", 11), ("晚餐", 17))
        ]
        room = DormRoom.objects.create(building="B", number="312")
        people = Person.objects.bulk_create(
            Person(number=f"2022{n:05d}", name=f"学生{n}") for n in range(ISOLATED)
        )
        day = clock.today()
        Isolation.objects.bulk_create(
            Isolation(
                person=person,
                dorm_room=room,
                reason="密切接触",
                started_at=clock.at(day - dt.timedelta(days=1), dt.time(8)),
                planned_end=day + dt.timedelta(days=7),
            )
            for person in people
        )
        meals = MealDelivery.objects.filter(date=day)

        # The meals are written; the job has not said it is done.
        worker = self.start_worker(SLOW_AFTER="shouwang.care.actions:generate_deliveries=30")
        job = jobs.start_job(
            generate_todays_deliveries,
            subject=None,
            started_by=None,
            checkpoint={"scheduled_at": clock.at(day, dt.time(0, 5)).isoformat()},
        )
        wait_for(lambda: meals.count() == ISOLATED * len(slots), timeout=60)
        self.kill(worker)
        job.refresh_from_db()
        self.assertEqual(job.state, "running")

        self.recover(job)
        self.assertEqual(meals.count(), ISOLATED * len(slots))
        for slot in slots:
            self.assertEqual(
                sorted(meals.filter(slot=slot).values_list("isolation__person", flat=True)),
                sorted(person.pk for person in people),
            )

    def test_tallies_killed_after_the_first_day_are_counted_whole_by_the_next_run(self):
        college = Unit.objects.create(name="信息学院", kind=Unit.Kind.COLLEGE)
        people = Person.objects.bulk_create(
            Person(number=f"2022{n:05d}", name=f"学生{n}", kind=Person.Kind.STUDENT, unit=college)
            for n in range(PEOPLE)
        )
        incident = Incident.objects.create(
            title="校园封控",
            started_at=clock.at(DAY_1, dt.time(7)),
            closed_at=clock.at(DAY_1 + dt.timedelta(days=2), dt.time(18)),
            reporters=Incident.Reporters.STUDENTS,
        )
        incident.units.add(college)
        # Everyone reports on the first day, one in two on the second, nobody on the third.
        reported = {DAY_1: PEOPLE, DAY_1 + dt.timedelta(days=1): PEOPLE // 2}
        CheckIn.objects.bulk_create(
            CheckIn(
                person=person,
                incident=incident,
                date=day,
                submitted_at=clock.at(day, dt.time(8)),
                updated_at=clock.at(day, dt.time(8)),
                location=Location.CAMPUS,
            )
            for day, count in reported.items()
            for person in people[:count]
        )
        tallies = DailyTally.objects.filter(incident=incident)

        worker = self.start_worker(SLOW_AFTER="shouwang.compliance.tallies:store_tally=30")
        count_tallies.enqueue()
        wait_for(lambda: tallies.exists(), timeout=60)
        self.kill(worker)
        self.assertEqual(tallies.values("date").distinct().count(), 1)

        # The next minute's run counts what the dead one left.
        count_tallies.enqueue()
        finish = manage(*self.burst_args, env=self.env)
        self.assertEqual(finish.returncode, 0, finish.stderr)
        by_day = {
            row["date"]: (row["expected"], row["reported"])
            for row in tallies.values("date").annotate(
                expected=Sum("expected"), reported=Sum("reported")
            )
        }
        self.assertEqual(
            by_day,
            {
                DAY_1 + dt.timedelta(days=n): (
                    PEOPLE,
                    reported.get(DAY_1 + dt.timedelta(days=n), 0),
                )
                for n in range(3)
            },
        )


def _slept(seconds: float) -> bool:
    time.sleep(seconds)
    return True


class DatabaseQueueCrashTestCase(DatabaseQueue, CrashTests, TransactionTestCase):
    pass


@pytest.mark.needs_service
class RedisQueueCrashTestCase(RedisQueue, CrashTests, TransactionTestCase):
    pass
