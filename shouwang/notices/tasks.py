from django.utils.translation import gettext_lazy
from django_tasks import task

from shouwang.core.jobs import background_job, run_job
from shouwang.core.scheduler import periodic

from . import actions
from .models import Notice, Reminder


@background_job(gettext_lazy("Sending a notice"), resumable=True)
@task()
def deliver_notice(job_id: int) -> int | None:
    """Send a published notice to its recipients (started on publication)."""
    return run_job(
        job_id,
        lambda job, progress: actions.send_notice_messages(
            job.subject_as(Notice), progress=progress
        ),
    )


@background_job(gettext_lazy("Sending a reminder"), resumable=True)
@task()
def send_reminder(job_id: int) -> int | None:
    """Send a 催办 to those still outstanding (started when it is asked for)."""
    return run_job(
        job_id,
        lambda job, progress: actions.send_reminder_messages(
            job.subject_as(Reminder), progress=progress
        ),
    )


# Resumed by its next run: the notice is marked reminded only once all are sent.
@periodic("*/5 * * * *")
@task()
def send_automatic_reminders() -> int:
    """Remind those who have not acknowledged, once, before each deadline."""
    return actions.send_automatic_reminders()
