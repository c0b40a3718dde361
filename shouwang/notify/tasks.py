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


# Every minute: a delivery whose sender died is taken up within a minute of
# its lease's end.
@periodic("* * * * *")
@task()
def recover_deliveries() -> dict[str, dict[str, int]]:
    """Re-send or mark unknown the deliveries left sending by a sender that died."""
    return actions.recover(clock.now())
