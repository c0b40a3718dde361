from django.utils.translation import gettext_lazy
from django_tasks import task

from shouwang.core.jobs import background_job, run_job
from shouwang.core.scheduler import periodic
from shouwang.lib import clock

from .duty import send_duty_alerts as send_alerts


@periodic("0 8 * * *")
@background_job(gettext_lazy("Telling who is due a relief"), resumable=True)
@task()
def send_duty_alerts(job_id: int | None = None) -> int | None:
    """Each morning, tell the leads and leaders who is due a relief (once a
    streak, by the messages' keys: a resumed run sends only what is left)."""
    return run_job(job_id, lambda job, progress: send_alerts(clock.today()))
