from django_tasks import task

from shouwang.core.scheduler import periodic
from shouwang.lib import clock

from .duty import send_duty_alerts as send_alerts


@periodic("0 8 * * *")
@task()
def send_duty_alerts() -> int:
    """Each morning, tell the leads and leaders who is due a relief (once a streak)."""
    return send_alerts(clock.today())
