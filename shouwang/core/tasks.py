from datetime import timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from .models import ScheduledRun
from .scheduler import periodic

# Finished task rows and scheduler claims are kept a week for troubleshooting,
# then pruned so that neither table grows forever.
KEEP_FINISHED = timedelta(days=7)


@periodic("17 3 * * *")
@task()
def prune_task_history() -> int:
    """Delete finished task results and scheduler claims older than a week."""
    cutoff = timezone.now() - KEEP_FINISHED
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    ScheduledRun.objects.filter(due_at__lt=cutoff).delete()
    return deleted


@task()
def ping(value: str) -> str:
    """Echo a value back: lets an operator (and the tests) see a worker run a task."""
    return value
