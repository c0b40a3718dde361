from django_tasks import task

from shouwang.core.scheduler import periodic
from shouwang.lib import clock

from . import actions


# Enqueued when messages are committed; every minute too, for the retries
# and for whatever a worker that died left pending.
@periodic("* * * * *")
@task()
def send_deliveries() -> dict[str, int]:
    """Send the due deliveries of every channel other than the inbox."""
    return actions.send_pending(clock.now())
