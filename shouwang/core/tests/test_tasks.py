import os
import time
from datetime import timedelta
from unittest import mock

from django.conf import settings
from django.test import TestCase, override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from shouwang.core.models import BackgroundJob, ScheduledRun
from shouwang.core.tasks import ping, prune_task_history
from shouwang.lib import clock
from shouwang.lib.clock import beijing


@override_settings(TASKS={"default": settings.TASKS_BACKENDS["database"]})
class PruneTaskHistoryTestCase(TestCase):
    def finished(self, days_ago: int) -> str:
        result = ping.enqueue("x")
        DBTaskResult.objects.filter(pk=result.id).update(
            status=TaskResultStatus.SUCCESSFUL,
            finished_at=timezone.now() - timedelta(days=days_ago),
        )
        return result.id

    def test_it_deletes_finished_tasks_older_than_a_week_and_keeps_the_rest(self):
        old, recent = self.finished(days_ago=8), self.finished(days_ago=1)
        waiting = ping.enqueue("y").id

        prune_task_history.call()

        remaining = {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)}
        self.assertEqual(remaining, {recent, waiting})
        self.assertFalse(DBTaskResult.objects.filter(pk=old).exists())

    def test_on_a_demos_clock_it_keeps_the_claims_of_the_demos_week(self):
        start = beijing(2022, 4, 16, 9, 30)
        env = {"SHOUWANG_DEMO_START": start.isoformat(), "SHOUWANG_DEMO_EPOCH": str(time.time())}
        with mock.patch.dict(os.environ, env):
            clock.reset()
            try:
                just_now = ScheduledRun.objects.create(job="j", due_at=start - timedelta(minutes=1))
                ScheduledRun.objects.create(job="j", due_at=start - timedelta(days=8))
                prune_task_history.call()
            finally:
                clock.reset()
        self.assertEqual(list(ScheduledRun.objects.all()), [just_now])


class PruneJobsTestCase(TestCase):
    def job(self, state: str, days_ago: int | None) -> BackgroundJob:
        finished_at = timezone.now() - timedelta(days=days_ago) if days_ago is not None else None
        return BackgroundJob.objects.create(kind="example", state=state, finished_at=finished_at)

    def test_it_deletes_jobs_finished_over_90_days_ago_and_keeps_the_rest(self):
        old_done = self.job(BackgroundJob.State.DONE, days_ago=91)
        old_failed = self.job(BackgroundJob.State.FAILED, days_ago=91)
        recent = self.job(BackgroundJob.State.DONE, days_ago=89)
        running = self.job(BackgroundJob.State.RUNNING, days_ago=None)

        prune_task_history.call()

        remaining = set(BackgroundJob.objects.values_list("pk", flat=True))
        self.assertEqual(remaining, {recent.pk, running.pk})
        self.assertNotIn(old_done.pk, remaining)
        self.assertNotIn(old_failed.pk, remaining)
