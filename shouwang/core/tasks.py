from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from shouwang.lib import clock

from . import backup, jobs
from .models import BackgroundJob, ScheduledRun
from .scheduler import periodic

# Finished task rows and scheduler claims are kept a week for troubleshooting,
# then pruned so that neither table grows forever.
KEEP_FINISHED = timedelta(days=7)
# A finished job's page (and its subject's) shows how it ended for longer.
KEEP_FINISHED_JOBS = timedelta(days=90)


@periodic("17 3 * * *")
@task()
def prune_task_history() -> int:
    """Delete finished task results and scheduler claims older than a week,
    and finished background jobs older than 90 days."""
    # django-tasks stamps results by the wall clock; claims are for slots of
    # the app's clock (a demo's run in 2022), and a claim pruned within the
    # scheduler's catch-up window would let its slot run again.
    finished = DBTaskResult.objects.finished()
    deleted, _ = finished.filter(finished_at__lt=timezone.now() - KEEP_FINISHED).delete()
    ScheduledRun.objects.filter(due_at__lt=clock.now() - KEEP_FINISHED).delete()
    BackgroundJob.objects.filter(finished_at__lt=timezone.now() - KEEP_FINISHED_JOBS).delete()
    return deleted


@periodic("* * * * *")
@task()
def recover_abandoned_jobs() -> dict[str, int]:
    """Resume the background jobs whose worker died (their lease ran out) if
    they can be resumed; mark the others failed."""
    return jobs.recover_abandoned()


@periodic(settings.BACKUP_CRON)
@task()
def back_up() -> str:
    """Back up into BACKUP_DIR, then delete the backups beyond BACKUP_KEEP and
    those kept past the check-in retention; nothing while BACKUP_DIR is unset."""
    if not settings.BACKUP_DIR:
        return ""
    directory = Path(settings.BACKUP_DIR)
    made = backup.create(directory)
    backup.prune(directory, keep=settings.BACKUP_KEEP)
    return str(made)


@task()
def ping(value: str) -> str:
    """Echo a value back: lets an operator (and the tests) see a worker run a task."""
    return value
