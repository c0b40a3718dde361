"""The work plan's background and periodic tasks."""

from __future__ import annotations

from django_tasks import task

from shouwang.core.scheduler import periodic

from . import reminders


@periodic("0 8 * * *")
@task()
def remind_reports_due() -> int:
    """Remind owners of the progress reports falling due in the next days."""
    return reminders.remind_due()


@periodic("30 8 * * *")
@task()
def tell_reports_overdue() -> int:
    """Tell the plans' leaders of the progress reports now overdue."""
    return reminders.tell_overdue()
