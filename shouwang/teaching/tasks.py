from django_tasks import task

from shouwang.core.scheduler import periodic

from . import reminders


# At the end of the teaching day (Beijing time): the evening's last period ends by 21:30.
@periodic("30 22 * * *")
@task()
def remind_unmarked_lessons() -> int:
    """Remind teachers of the lessons of today or before they have not marked."""
    return reminders.remind_unmarked()
