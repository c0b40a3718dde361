from django_tasks import task

from shouwang.core.scheduler import periodic
from shouwang.lib import clock

from . import escalation


# Every minute, because deadlines are per incident (checkins.reminders).
@periodic("* * * * *")
@task()
def escalate_missed() -> int:
    """Flag those missing two days in a row and tell their leaders, after each deadline."""
    return escalation.send_due(clock.now())
