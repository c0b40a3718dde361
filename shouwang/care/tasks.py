import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_tasks import task

from shouwang.core.jobs import background_job, run_job, scheduled_at
from shouwang.core.models import BackgroundJob
from shouwang.core.scheduler import periodic
from shouwang.lib import clock

from . import actions


# Just after midnight, the day's deliveries; every isolation placed later in
# the day generates its own (the unique constraint makes the overlap harmless).
@periodic("5 0 * * *")
@background_job(gettext_lazy("Preparing the day's meal deliveries"), resumable=True)
@task()
def generate_todays_deliveries(job_id: int | None = None) -> int | None:
    """One delivery per active isolation per meal slot of the slot's day
    (resumed after a dead worker, the constraint keeps each meal single)."""
    return run_job(job_id, lambda job, progress: actions.generate_deliveries(day_of(job)))


def day_of(job: BackgroundJob) -> dt.date:
    """The day a scheduled run is for: its slot's, today's if run by hand."""
    due = scheduled_at(job)
    return timezone.localtime(due).date() if due else clock.today()


@periodic("*/5 * * * *")
@task()
def alert_late_deliveries() -> int:
    """Tell team leads and counsellors of meals not confirmed 30 minutes after their time."""
    return actions.alert_late(clock.now())
