"""Build, find and clear the demo college.

To extend the demo, write a step — a function taking the `Demo` context — in a
module of this app and add it to STEPS after the steps it needs. If the rows it
makes would stop people or units being deleted (a PROTECT foreign key), add
their model to CLEAR_FIRST so that --reset deletes them beforehand.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence

from django.db import models, transaction
from django.db.models import Count, Q

from shouwang.accounts.models import RoleGrant, User
from shouwang.activities.models import Activity
from shouwang.bulletin.models import Article, Letter, Mailbox, Section
from shouwang.care.models import Isolation, IsolationRoom, MealSlot
from shouwang.careers.models import Employer, JobFair, Offer
from shouwang.core.models import BackgroundJob, CalendarDay
from shouwang.counselling.models import Referral
from shouwang.helpdesk.models import HelpRequest, UnitDesk
from shouwang.incidents.models import Incident, Meeting
from shouwang.leave.models import LeaveKind, LeaveRequest, Post
from shouwang.notices.models import Notice
from shouwang.people.models import (
    AdminClass,
    Branch,
    DegreeLevel,
    DormRoom,
    Person,
    RosterImport,
    Unit,
)
from shouwang.reports.models import Chronicle
from shouwang.supplies.models import (
    Batch,
    Donation,
    Donor,
    IssueSlip,
    Item,
    Movement,
    Stock,
    Stocktake,
    Store,
    SupplyRequest,
)
from shouwang.teaching.models import (
    EnrolmentImport,
    OnlineSwitch,
    TeachingClass,
    Term,
    TimetableImport,
)
from shouwang.volunteers.models import Team
from shouwang.workplan.models import Plan

from .activities import ACTIVITY_STEPS
from .activity_results import RESULT_STEPS
from .bulletin import BULLETIN_STEPS
from .care import CARE_STEPS
from .chronicle import CHRONICLE_STEPS
from .college import COLLEGE_STEPS
from .context import DEMO_PASSWORD, Demo
from .counselling import COUNSELLING_STEPS
from .fairs import FAIR_STEPS
from .graduates import GRADUATE_STEPS
from .helpdesk import HELPDESK_STEPS
from .imports import IMPORT_STEPS
from .leave import LEAVE_STEPS
from .lockdown import LOCKDOWN_STEPS
from .models import DemoLogin
from .notices import NOTICE_STEPS
from .supplies import SUPPLY_STEPS
from .teaching import CALENDAR_STEPS, TEACHING_STEPS
from .volunteers import VOLUNTEER_STEPS
from .workplan import WORKPLAN_STEPS

Step = Callable[[Demo], None]
STEPS: list[Step] = [
    *COLLEGE_STEPS,
    *CALENDAR_STEPS,
    *IMPORT_STEPS,
    *LOCKDOWN_STEPS,
    *NOTICE_STEPS,
    *BULLETIN_STEPS,
    *COUNSELLING_STEPS,
    *VOLUNTEER_STEPS,
    *CARE_STEPS,
    *HELPDESK_STEPS,
    *TEACHING_STEPS,
    *WORKPLAN_STEPS,
    *SUPPLY_STEPS,
    *GRADUATE_STEPS,
    *FAIR_STEPS,
    *ACTIVITY_STEPS,
    # After the activities' own steps: the judging of those whose entries closed.
    *RESULT_STEPS,
    # After the check-ins (who was where), the duty roster and the teachers' logins.
    *LEAVE_STEPS,
    # Last: the chronicle counts what every other step recorded.
    *CHRONICLE_STEPS,
]
# An incident outlives the people it covered; deleting it takes its check-ins,
# flags, plan and meetings with it. A notice outlives its author's login, and a
# team the unit that runs it. A mailbox is routed to a person; the site's
# sections and articles are the demo's too. A referral holds on to its student
# and its counsellor. Isolations hold their rooms and their deliveries the meal
# slots. Help requests hold their requesters, handlers and tasks' assignees;
# a unit's desk its handler. The roster's import and its jobs go with the
# people they brought in. A switch to online teaching holds its leader's
# login and its term; teaching classes their units and term (and, through
# their lessons, the supervisors' observations); the term's imports their
# uploaders; the school calendar is the demo's too. The work plan holds its
# owners and units; a meeting held for no incident is the demo's too. The
# supplies ledger holds its stores, batches, requests and donors, the
# catalogue is the demo's too. An employer is held by the offers it made and
# the fairs' rooms it had; a fair holds its unit. An activity holds its unit,
# and its teams their leaders. Leave requests hold their kinds, the kinds'
# chains the people and posts they name. A chronicle holds its college and
# its incident.
CLEAR_FIRST: list[type[models.Model]] = [
    Chronicle,
    LeaveRequest,
    LeaveKind,
    Post,
    Activity,
    Offer,
    JobFair,
    Employer,
    Movement,
    Stock,
    Stocktake,
    IssueSlip,
    SupplyRequest,
    Batch,
    Donation,
    Donor,
    Store,
    Item,
    BackgroundJob,
    RosterImport,
    RoleGrant,
    HelpRequest,
    UnitDesk,
    Referral,
    Isolation,
    MealSlot,
    IsolationRoom,
    OnlineSwitch,
    TimetableImport,
    EnrolmentImport,
    TeachingClass,
    Term,
    CalendarDay,
    Incident,
    Meeting,
    Plan,
    Notice,
    Team,
    Letter,
    Mailbox,
    Article,
    Section,
]


class DemoError(Exception):
    pass


@transaction.atomic
def build(seed: str | None = None) -> Demo:
    """Run every step into an empty database, all or nothing."""
    demo = Demo(seed=seed) if seed else Demo()
    for step in STEPS:
        step(demo)
    return demo


def is_built() -> bool:
    return DemoLogin.objects.exists()


def has_people() -> bool:
    return any(model.objects.exists() for model in (Person, Unit, AdminClass, Branch, DormRoom))


@transaction.atomic
def clear() -> None:
    """Delete every person, class, branch, dorm room, unit and user.

    Refuses when the database holds people but no demo: --reset is for the demo,
    and must never wipe a roster someone imported."""
    if has_people() and not is_built():
        raise DemoError("this database holds people the demo did not make; not deleting them")
    for model in CLEAR_FIRST:
        model._default_manager.all().delete()
    User.objects.all().delete()
    Person.objects.all().delete()
    AdminClass.objects.all().delete()
    DormRoom.objects.all().delete()
    _delete_tree(Branch)
    _delete_tree(Unit)


def _delete_tree(model: type[Branch] | type[Unit]) -> None:
    # Parents are protected: take the leaves off until nothing is left.
    while model.objects.exists():
        model.objects.filter(children__isnull=True).delete()


def login_rows() -> list[tuple[str, str, str, str]]:
    """(role, number, name, password) of every demo login, in the order made."""
    logins = DemoLogin.objects.select_related("user__person")
    return [
        (
            login.role,
            login.user.username,
            login.user.person.name if login.user.person else "",
            DEMO_PASSWORD,
        )
        for login in logins
    ]


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table whose columns line up in a terminal, Chinese included."""
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(
            cell + " " * (width - _width(cell)) for cell, width in zip(row, widths, strict=True)
        ).rstrip()
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _width(text: str) -> int:
    # A Chinese character takes two columns of a terminal.
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def figures() -> dict[str, int]:
    """The college's headline numbers, counted from the database."""
    student = Q(kind=Person.Kind.STUDENT)
    people = Person.objects.aggregate(
        students=Count("pk", filter=student),
        undergraduates=Count("pk", filter=student & Q(degree_level=DegreeLevel.BACHELOR)),
        masters=Count("pk", filter=student & Q(degree_level=DegreeLevel.MASTER)),
        doctoral=Count("pk", filter=student & Q(degree_level=DegreeLevel.DOCTOR)),
        teachers=Count("pk", filter=Q(kind=Person.Kind.TEACHER)),
        staff=Count("pk", filter=Q(kind=Person.Kind.STAFF)),
    )
    return {
        **people,
        "classes": AdminClass.objects.count(),
        "counsellors": Person.objects.filter(counselled_classes__isnull=False).distinct().count(),
        "dorm rooms": DormRoom.objects.count(),
    }


def party_figures() -> dict[str, tuple[int, int]]:
    """Each party branch's (members, of whom probationary)."""
    branches = Branch.objects.filter(kind=Branch.Kind.PARTY).annotate(
        total=Count("members"),
        probationary=Count(
            "members", filter=Q(members__political_status=Person.PoliticalStatus.PROBATIONARY)
        ),
    )
    return {branch.name: (branch.total, branch.probationary) for branch in branches}
