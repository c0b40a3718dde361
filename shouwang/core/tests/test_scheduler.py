from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django_tasks import task

from shouwang.core.models import ScheduledRun
from shouwang.core.scheduler import JOBS, Job, fire_due
from shouwang.lib.clock import beijing

calls: list[str] = []


@task()
def remind() -> None:
    calls.append("remind")


class FireDueTestCase(TestCase):
    def setUp(self):
        calls.clear()
        self.saved = dict(JOBS)
        JOBS.clear()
        JOBS["remind"] = Job(name="remind", cron="0 9 * * *", task=remind)

    def tearDown(self):
        JOBS.clear()
        JOBS.update(self.saved)

    def test_it_runs_a_job_when_its_beijing_time_slot_comes(self):
        runs = fire_due(beijing(2022, 4, 6, 9, 0, 20))
        self.assertEqual([run.due_at for run in runs], [beijing(2022, 4, 6, 9, 0)])
        self.assertEqual(calls, ["remind"])

    def test_it_does_not_run_before_the_slot(self):
        self.assertEqual(fire_due(beijing(2022, 4, 6, 8, 59, 50)), [])
        self.assertEqual(calls, [])

    def test_a_second_scheduler_firing_the_same_slot_runs_nothing(self):
        fire_due(beijing(2022, 4, 6, 9, 0, 5))
        fire_due(beijing(2022, 4, 6, 9, 0, 30))
        fire_due(beijing(2022, 4, 6, 9, 7))
        self.assertEqual(calls, ["remind"])
        self.assertEqual(ScheduledRun.objects.count(), 1)

    def test_a_scheduler_back_within_half_an_hour_catches_up(self):
        fire_due(beijing(2022, 4, 6, 9, 25))
        self.assertEqual(calls, ["remind"])

    def test_a_scheduler_down_for_hours_does_not_send_a_stale_job(self):
        fire_due(beijing(2022, 4, 6, 15, 0))
        self.assertEqual(calls, [])

    def test_the_next_day_is_a_new_slot(self):
        fire_due(beijing(2022, 4, 6, 9, 1))
        fire_due(beijing(2022, 4, 7, 9, 1))
        self.assertEqual(calls, ["remind", "remind"])


class SchedulerCommandTestCase(TestCase):
    def test_it_lists_the_registered_jobs(self):
        out = StringIO()
        call_command("scheduler", "--once", stdout=out)
        self.assertIn("shouwang.core.tasks.prune_task_history", out.getvalue())
