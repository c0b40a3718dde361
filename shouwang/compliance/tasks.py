from django_tasks import task

from shouwang.core.scheduler import periodic
from shouwang.lib import clock

from . import missing_lists, tallies


@periodic("* * * * *")
@task()
def count_tallies() -> dict[int, int]:
    """Count each running incident's day into its tallies, for the leaders' compliance page."""
    return tallies.keep_tallies()


# Every minute, because deadlines are per incident (checkins.reminders).
@periodic("* * * * *")
@task()
def send_missing_lists() -> int:
    """Send each counsellor the missing list of each deadline that has passed."""
    return missing_lists.send_due(clock.now())
