from django_tasks import task

from shouwang.core.scheduler import periodic

from . import actions
from .models import Notice, Reminder


@task()
def deliver_notice(notice_id: int) -> int:
    """Send a published notice to its recipients (enqueued on publication)."""
    notice = Notice.objects.filter(pk=notice_id, status=Notice.Status.PUBLISHED).first()
    return actions.send_notice_messages(notice) if notice else 0


@task()
def send_reminder(reminder_id: int) -> int:
    """Send a 催办 to those still outstanding (enqueued when it is asked for)."""
    reminder = Reminder.objects.select_related("notice").filter(pk=reminder_id).first()
    return actions.send_reminder_messages(reminder) if reminder else 0


@periodic("*/5 * * * *")
@task()
def send_automatic_reminders() -> int:
    """Remind those who have not acknowledged, once, before each deadline."""
    return actions.send_automatic_reminders()
