from django_tasks import task

from shouwang.core.scheduler import periodic
from shouwang.lib import clock

from . import actions


@periodic("*/10 * * * *")
@task()
def alert_overdue_requests() -> int:
    """Tell handlers, then leaders, of help requests past their time limits."""
    return actions.alert_overdue(clock.now())


@periodic("30 8 * * *")
@task()
def close_unconfirmed_requests() -> int:
    """Close resolutions left unconfirmed for HELPDESK_CONFIRM_DAYS days."""
    return actions.close_unconfirmed(clock.now())
