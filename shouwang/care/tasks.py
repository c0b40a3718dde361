from django_tasks import task

from shouwang.core.scheduler import periodic
from shouwang.lib import clock

from . import actions


# Just after midnight, the day's deliveries; every isolation placed later in
# the day generates its own (the unique constraint makes the overlap harmless).
@periodic("5 0 * * *")
@task()
def generate_todays_deliveries() -> int:
    """One delivery per active isolation per meal slot of today."""
    return actions.generate_deliveries(clock.today())


@periodic("*/5 * * * *")
@task()
def alert_late_deliveries() -> int:
    """Tell team leads and counsellors of meals not confirmed 30 minutes after their time."""
    return actions.alert_late(clock.now())
