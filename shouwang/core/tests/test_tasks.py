from datetime import timedelta

from django.conf import settings
from django.test import TestCase, override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from shouwang.core.tasks import ping, prune_task_history


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
