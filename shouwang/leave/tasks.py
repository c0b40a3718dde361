from django_tasks import task

from shouwang.core.scheduler import periodic
from shouwang.lib import clock

from . import overdue, timeouts


@periodic("*/15 * * * *")
@task()
def tell_overdue() -> int:
    """Tell counsellors of leaves newly overdue, and leaders of those a day late."""
    return overdue.tell_overdue(clock.now())


# Each kind has its own limit: the job works out what is due itself, and the
# requests' stamps and the messages' keys make a repeat a no-op.
@periodic("*/15 * * * *")
@task()
def remind_and_escalate() -> dict[str, int]:
    """Remind approvers of requests left waiting, then tell the leaders."""
    return timeouts.remind_and_escalate(clock.now())
