from django_tasks import task

from shouwang.core.scheduler import periodic
from shouwang.lib import clock

from . import reminders, retention


# Every minute, because reminder times and deadlines are per incident: the job
# works out what is due itself, and message keys make the repeats no-ops.
@periodic("* * * * *")
@task()
def send_due_reminders() -> dict[str, int]:
    """Send the reminders that have come due."""
    return reminders.send_due(clock.now())


@periodic("30 2 * * *")
@task()
def purge_checkin_detail() -> list[int]:
    """Purge the check-in detail of incidents closed longer than their retention."""
    return [incident.pk for incident in retention.purge_due(clock.now())]
