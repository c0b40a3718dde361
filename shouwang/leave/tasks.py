from django_tasks import task

from shouwang.core.scheduler import periodic
from shouwang.lib import clock

from . import overdue


@periodic("*/15 * * * *")
@task()
def tell_overdue() -> int:
    """Tell counsellors of leaves newly overdue, and leaders of those a day late."""
    return overdue.tell_overdue(clock.now())
