"""How the college's people came into the app: the registrar's roster, checked
and committed by the system administrator the week before the academic year
began. Both steps ran as background jobs, whose pages the administrator can
still open from the import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from shouwang.accounts.models import Role
from shouwang.core.models import BackgroundJob
from shouwang.people.models import Person, RosterImport
from shouwang.people.tasks import check_roster_import, commit_roster_import

from .context import JOINED, Demo

CHECKED_AT = JOINED - dt.timedelta(days=3)
COMMITTED_AT = CHECKED_AT + dt.timedelta(minutes=20)


def roster_imported(demo: Demo) -> None:
    """The roster's import, committed, with the jobs that checked and committed it."""
    admin = demo.user(Role.ADMIN)
    people = Person.objects.count()
    roster_import = RosterImport.objects.create(
        filename="2021-2022学年第一学期全院名单.xlsx",
        uploaded_by=admin,
        status=RosterImport.Status.COMMITTED,
        total_rows=people,
        valid_rows=people,
        summary={
            "created": people,
            "updated": 0,
            "unchanged": 0,
            "classes_created": len(demo.classes),
            "classes_updated": 0,
            "units_created": 0,
        },
        committed_at=COMMITTED_AT,
    )
    # auto_now_add stamps the real time; the upload was the demo's.
    RosterImport.objects.filter(pk=roster_import.pk).update(created_at=CHECKED_AT)
    Person.objects.update(created_by_import=roster_import)
    for task, started_at, seconds in (
        (check_roster_import, CHECKED_AT, 4),
        (commit_roster_import, COMMITTED_AT, 9),
    ):
        finished_at = started_at + dt.timedelta(seconds=seconds)
        BackgroundJob.objects.create(
            kind=task.module_path,
            subject=roster_import,
            started_by=admin,
            state=BackgroundJob.State.DONE,
            total=people,
            done=people,
            created_at=started_at,
            started_at=started_at,
            finished_at=finished_at,
            heartbeat_at=finished_at,
        )


IMPORT_STEPS: tuple[Callable[[Demo], None], ...] = (roster_imported,)
