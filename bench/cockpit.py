"""Benchmark: the leaders' cockpit, the chronicle's figures and every list the
cockpit drills down to, for a university with a month of data in every module.

    .venv/bin/python bench/cockpit.py [--people 30000] [--days 30] [--repeat 10]
                                      [--explain] [--reuse] [--only WORDS] [--smoke]

Sets up a throwaway database (SQLite in a temporary folder, or DATABASE_URL,
which must name an empty PostgreSQL database) with --people students in
classes of 40 across ten colleges (bench/_common.py), their counsellors, a
teacher for every 40 students in three departments per college, and an
incident covering the university that opened --days days ago. Then a month of
data in every module the cockpit counts, written set-based (INSERT … SELECT
for the big tables, bulk_create for the rest):

- check-ins: every past day 95 % of everyone, today 80 % (5 % late, every
  50th person unwell), and compliance's DailyTally rows written by its job
  (`compliance.tallies.keep_tallies`);
- screening: a symptoms flag for every unwell check-in, resolved unless of
  the last two days;
- leave: one student in 200 on approved sick leave today (the missing list
  labels them);
- care: one student in 300 isolated in their dorm room (half of them since
  earlier in the month and ended), three meal slots, one team per building,
  every day's deliveries (`care.actions.generate_deliveries`), those past
  delivered but one in 40 missed;
- helpdesk: a request for one person in 50 over the month, the older ones
  resolved or confirmed, the last days' open and some of them overdue;
- teaching: a teaching class for every 20 students, two weekly slots, every
  student in four, the term's lessons (`teaching.actions.generate_lessons`),
  online, held up to today (one in 50 cancelled), and the attendance of every
  enrolled student of every lesson held;
- workplan: the university's plan of one measure per 100 people, with a
  year's reports, milestones (some overdue, so some measures late) and
  expenditures (bench/workplan_overview.py's `build_plan`);
- supplies: a warehouse for each college and a duty room for every 1,000
  people, 100 items, a batch of each in every store, a minimum level for every
  store and item, one in eight below it;
- volunteers: a brigade for every 500 people with 20 members, a shift a day
  each with five sign-ups, two staff duty teams per college, and the duty
  roster: every teacher and counsellor on site or remote every day, one in 20
  on site the whole month (due for relief).

Then, through the Django test client in this process (the server time of a
request: session, access checks, queries, template), with every cache cleared
before each request ("cold": nothing computed by one request serves the
next), the first request and the median and p95 of --repeat more:

(a) the leaders' cockpit (`reports:cockpit`) as the university's leader and
    as one college's leader (a tenth of the people): time and statements,
    which must be the same for both; skipped, and said so, where the URL name
    does not resolve; and `reports.cockpit.build(user, day)` where it exists;
(b) the chronicle's figures for the university over the incident
    (`reports.figures.compute(scope)`), each figure timed;
(c) the first page of every list the cockpit drills down to, as it links
    them (`drill_downs`: a list without the filter a link names shows all its
    rows), and every other link of the cockpit's page into those modules, as
    the university's leader; the job keeps the tallies fresh before each, as
    it does every minute in production.

Before each page it measures the trivial view (/health/) for 300 requests,
for the page's cost in trivial requests. Targets (PostgreSQL): the cockpit
under 300 ms at 30,000 people with its statements flat; the figures under
5 s; each list's first page under 100 ms at 300,000 people. They stand for a
machine serving the trivial view at 3,000 requests a second, so each is
judged in trivial requests: the cockpit under 900, the figures under 15,000,
a list under 300. --smoke runs 2,000 people and checks the rows and counts
the lists show against counts made here: CI runs it.

--reuse measures again what an earlier run left in DATABASE_URL (migrating
it first, so that a new index applies): building 300,000 people takes about
a quarter of an hour. --only measures only the lists whose label has one of
the words. --explain prints the plans of the missing list's queries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from _common import (
    ATTENDANCE_SQL,
    ENROLMENTS_SQL,
    build_university,
    counting,
    loadavg,
    machine,
    quantile,
    report,
    setup_django,
    trivial_rate,
)

COCKPIT_TARGET_MS = 300.0  # PostgreSQL, 30,000 people
FIGURES_TARGET_S = 5.0
LIST_TARGET_MS = 100.0  # PostgreSQL, 300,000 people, each list's first page
# The targets stand for a machine serving the trivial view at this rate.
TARGET_TRIVIAL_RATE = 3000.0
# Trivial requests timed before each page, for its ratio.
TRIVIAL_REQUESTS = 300

ISOLATED_EVERY = 300  # one student in 300 isolated now, as many earlier
LEAVE_EVERY = 200  # one student in 200 on approved leave today
HELP_EVERY = 50  # a help request for one person in 50 over the month
STUDENTS_PER_TEACHING_CLASS = 20  # a teaching class for every 20 students
ENROLMENTS_PER_STUDENT = 4
PEOPLE_PER_MEASURE = 100
PEOPLE_PER_STORE = 1000
ITEMS = 100
PEOPLE_PER_TEAM = 500
TEAM_SIZE = 20
DEPARTMENTS_PER_COLLEGE = 3

# Every present person on every day from the incident's first to today; a
# person reported on a day unless (id * 7 + day) % 100 falls in the missing
# share (5 % on past days, 20 % today); every 20th late, every 50th unwell
# (the same rows as bench/compliance_page.py's).
from compliance_page import CHECKINS_SQL  # noqa: E402

# A symptoms flag for every unwell check-in (every 50th person); those of the
# last two days open.
FLAGS_SQL = """
    INSERT INTO screening_flag (person_id, incident_id, date, reason, created_at, resolved_at)
    SELECT c.person_id, c.incident_id, c.date, 'symptoms', c.submitted_at,
        CASE WHEN c.date < %(open_from)s THEN c.submitted_at ELSE NULL END
    FROM checkins_checkin c
    WHERE c.incident_id = %(incident)s AND c.person_id %% 50 = 0
"""


@dataclass
class World:
    people: int
    today: dt.date
    incident: Any
    university: Any
    colleges: list[Any]
    leader: Any
    college_leader: Any
    plan: Any = None
    built: dict[str, int] = field(default_factory=dict)


# -- the university and its month -------------------------------------------------


def build(people: int, days: int) -> World:
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import transaction

    from shouwang.accounts.models import Role, User
    from shouwang.incidents.models import Incident
    from shouwang.lib import clock
    from shouwang.people.models import Person, Unit

    call_command("migrate", verbosity=0)
    today = clock.today()
    first = today - dt.timedelta(days=days - 1)
    started = time.perf_counter()
    with transaction.atomic():
        university, _counsellors = build_university(people)
        colleges = list(Unit.objects.filter(parent=university).order_by("pk"))
        incident = Incident.objects.create(
            title="校园封控", started_at=clock.at(first, dt.time(7, 0)), deadline=dt.time(10, 0)
        )
        incident.units.add(university)
        leaders = Group.objects.create(name=Role.LEADER.value)
        leader = User.objects.create(
            username="leader",
            must_change_password=False,
            person=Person.objects.create(
                number="L0001", name="校领导", kind=Person.Kind.STAFF, unit=university
            ),
        )
        leader.groups.add(leaders)
        college_leader = User.objects.create(
            username="college-leader",
            must_change_password=False,
            person=Person.objects.create(
                number="L0002", name="院领导", kind=Person.Kind.STAFF, unit=colleges[0]
            ),
        )
        college_leader.groups.add(leaders)
    world = World(people, today, incident, university, colleges, leader, college_leader)
    report("the university", time.perf_counter() - started, f"{people:,} students")
    steps: list[tuple[str, Callable[[World], str]]] = [
        ("teachers and departments", build_teachers),
        ("check-ins", build_checkins),
        ("compliance's tallies (its job)", build_tallies),
        ("screening flags", build_flags),
        ("leave (the missing list labels it)", build_leave),
        ("isolations and meal deliveries", build_care),
        ("help requests", build_helpdesk),
        ("teaching", build_teaching),
        ("the work plan", build_workplan),
        ("supplies", build_supplies),
        ("volunteers and the duty roster", build_volunteers),
    ]
    for label, step in steps:
        started = time.perf_counter()
        detail = step(world)
        report(label, time.perf_counter() - started, detail)
    started = time.perf_counter()
    vacuum()
    report("VACUUM ANALYZE / ANALYZE", time.perf_counter() - started)
    return world


def reuse() -> World | None:
    """The world an earlier run left in DATABASE_URL (--reuse), if there is one."""
    from django.core.management import call_command

    from shouwang.accounts.models import User
    from shouwang.incidents.models import Incident
    from shouwang.lib import clock
    from shouwang.people.models import Person, Unit
    from shouwang.workplan.models import Plan

    # New migrations (an index) apply to the data already there.
    call_command("migrate", verbosity=0)
    incident = Incident.objects.first()
    if incident is None:
        return None
    university = Unit.objects.get(kind=Unit.Kind.UNIVERSITY)
    world = World(
        Person.objects.filter(kind=Person.Kind.STUDENT).count(),
        clock.today(),
        incident,
        university,
        list(Unit.objects.filter(parent=university).order_by("pk")),
        User.objects.get(username="leader"),
        User.objects.get(username="college-leader"),
        Plan.objects.get(),
    )
    world.built["low_stock"] = _low_stock_count()
    vacuum()
    return world


def _low_stock_count() -> int:
    """Minimum levels not met, counted here, level by level."""
    from django.db.models import OuterRef, Subquery, Sum

    from shouwang.supplies.models import MinimumLevel, Stock

    held = (
        Stock.objects.filter(store=OuterRef("store"), item=OuterRef("item"))
        .order_by()
        .values("store")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    return sum(
        1
        for minimum, on_hand in MinimumLevel.objects.annotate(on_hand=Subquery(held)).values_list(
            "minimum", "on_hand"
        )
        if (on_hand or 0) < minimum
    )


def vacuum() -> None:
    """As autovacuum leaves tables loaded long ago: analysed, the visibility map set."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def execute(sql: str, params: dict[str, Any]) -> int:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def build_teachers(world: World) -> str:
    """Three departments under each college; a teacher for every 40 students."""
    from django.db import transaction

    from shouwang.people.models import Person, Unit

    with transaction.atomic():
        departments = Unit.objects.bulk_create(
            [
                Unit(name=f"{college.name}系{n}", kind=Unit.Kind.DEPARTMENT, parent=college)
                for college in world.colleges
                for n in range(DEPARTMENTS_PER_COLLEGE)
            ]
        )
        count = max(10, world.people // 40)
        Person.objects.bulk_create(
            [
                Person(
                    number=f"J{n:06d}",
                    name=f"教师{n}",
                    name_pinyin=f"jiaoshi{n}",
                    name_initials="js",
                    kind=Person.Kind.TEACHER,
                    unit=departments[n % len(departments)],
                )
                for n in range(count)
            ],
            batch_size=2000,
        )
    world.built["teachers"] = count
    return f"{count:,} teachers"


def build_checkins(world: World) -> str:
    from django.db import connection

    first = world.incident.start_date
    from shouwang.checkins.models import CheckIn

    execute(
        CHECKINS_SQL[connection.vendor],
        {
            "incident": world.incident.pk,
            "first": first.isoformat(),
            "last": world.today.isoformat(),
        },
    )
    # (SQLite reports no row count for an INSERT behind a WITH.)
    rows = CheckIn.objects.count()
    world.built["checkins"] = rows
    return f"{rows:,} check-ins"


def build_tallies(world: World) -> str:
    from shouwang.compliance.tallies import keep_tallies

    written = keep_tallies()
    rows = sum(written.values())
    world.built["tallies"] = rows
    return f"{rows:,} tally rows"


def build_flags(world: World) -> str:
    rows = execute(
        FLAGS_SQL,
        {
            "incident": world.incident.pk,
            "open_from": (world.today - dt.timedelta(days=1)).isoformat(),
        },
    )
    world.built["flags"] = rows
    return f"{rows:,} flags"


def build_leave(world: World) -> str:
    """An approved sick leave covering today for one student in 200: the
    missing list labels them."""
    from django.db import transaction

    from shouwang.leave.models import LeaveKind, LeaveRequest
    from shouwang.lib import clock
    from shouwang.people.models import Person

    starts = clock.at(world.today - dt.timedelta(days=1), dt.time(8))
    with transaction.atomic():
        kind = LeaveKind.objects.create(name="病假", whereabouts="on_campus", position=1)
        students = Person.objects.filter(kind=Person.Kind.STUDENT).order_by("pk")
        leaves = LeaveRequest.objects.bulk_create(
            [
                LeaveRequest(
                    person_id=pk,
                    kind=kind,
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(days=3),
                    reason="发烧",
                    contact_name="家长",
                    contact_phone="13800000000",
                    status=LeaveRequest.Status.APPROVED,
                    submitted_at=starts - dt.timedelta(hours=2),
                    decided_at=starts - dt.timedelta(hours=1),
                )
                for pk in students.values_list("pk", flat=True)[::LEAVE_EVERY]
            ],
            batch_size=2000,
        )
    world.built["leaves"] = len(leaves)
    return f"{len(leaves):,} on leave today"


def build_care(world: World) -> str:
    """Isolations in dorm rooms, three meal slots, a team per building and
    every day's deliveries."""
    from django.db import transaction

    from shouwang.care import actions
    from shouwang.care.models import BuildingTeam, Isolation, MealDelivery, MealSlot
    from shouwang.lib import clock
    from shouwang.people.models import DormRoom, Person
    from shouwang.volunteers.models import Team

    days = (world.today - world.incident.start_date).days + 1
    with transaction.atomic():
        students = list(
            Person.objects.filter(kind=Person.Kind.STUDENT)
            .order_by("pk")
            .values_list("pk", flat=True)[:: ISOLATED_EVERY // 2]
        )
        buildings = max(2, len(students) // 100)
        rooms = DormRoom.objects.bulk_create(
            [
                DormRoom(
                    building=f"{n % buildings + 1}号楼",
                    floor=(n // buildings) % 6 + 1,
                    number=f"{(n // buildings) % 6 + 1}{n // buildings:03d}",
                )
                for n in range(len(students))
            ],
            batch_size=2000,
        )
        Person.objects.bulk_update(
            [Person(pk=pk, dorm_room=room) for pk, room in zip(students, rooms, strict=True)],
            ["dorm_room"],
            batch_size=2000,
        )
        isolations = []
        for n, (pk, room) in enumerate(zip(students, rooms, strict=True)):
            # Every other one isolated since a few days ago and still; the
            # others earlier in the month, and ended.
            now_isolated = n % 2 == 0
            begun = world.today - dt.timedelta(days=(n % 7) if now_isolated else days - 1 - n % 5)
            started_at = clock.at(begun, dt.time(9, 0))
            isolations.append(
                Isolation(
                    person_id=pk,
                    dorm_room=room,
                    reason="密切接触",
                    dietary_note="清真" if n % 10 == 0 else "",
                    started_at=started_at,
                    planned_end=begun + dt.timedelta(days=14),
                    ended_at=None if now_isolated else started_at + dt.timedelta(days=10),
                )
            )
        Isolation.objects.bulk_create(isolations, batch_size=2000)
        for name, hour in (("早餐", 7), ("午餐", 11), ("晚餐", 17)):
            MealSlot.objects.create(name=name, time=dt.time(hour, 30))
        for number in range(1, buildings + 1):
            team = Team.objects.create(name=f"{number}号楼送餐队", kind=Team.Kind.BRIGADE)
            BuildingTeam.objects.create(building=f"{number}号楼", team=team)
    made = sum(
        actions.generate_deliveries(world.incident.start_date + dt.timedelta(days=n))
        for n in range(days)
    )
    now = clock.now()
    past = MealDelivery.objects.filter(due_at__lt=now - dt.timedelta(hours=1))
    past.update(status=MealDelivery.Status.DELIVERED, delivered_at=now - dt.timedelta(hours=1))
    missed = [
        pk for n, pk in enumerate(past.order_by("pk").values_list("pk", flat=True)) if n % 40 == 0
    ]
    MealDelivery.objects.filter(pk__in=missed).update(
        status=MealDelivery.Status.MISSED, delivered_at=None
    )
    active = Isolation.objects.filter(ended_at__isnull=True).count()
    world.built["isolations"] = active
    world.built["deliveries"] = made
    return f"{len(students):,} isolations ({active:,} active), {made:,} deliveries"


def build_helpdesk(world: World) -> str:
    from django.db import transaction

    from shouwang.helpdesk.models import HelpRequest, HelpRequestEvent
    from shouwang.lib import clock
    from shouwang.people.models import Person

    now = clock.now()
    days = (world.today - world.incident.start_date).days + 1
    categories = HelpRequest.Category.values
    urgencies = [HelpRequest.Urgency.NORMAL] * 6 + [HelpRequest.Urgency.HIGH] * 3
    urgencies.append(HelpRequest.Urgency.URGENT)
    S = HelpRequest.Status
    with transaction.atomic():
        requesters = list(
            Person.objects.filter(kind=Person.Kind.STUDENT)
            .order_by("pk")
            .values_list("pk", "admin_class__counsellor_id")[::HELP_EVERY]
        )
        requests = []
        for n, (pk, counsellor) in enumerate(requesters):
            created = now - dt.timedelta(hours=(n * 37) % (days * 24))
            age = now - created
            request = HelpRequest(
                requester_id=pk,
                category=categories[n % len(categories)],
                urgency=urgencies[n % len(urgencies)],
                description="宿舍网络不好，上网课经常掉线",
                created_at=created,
                handler_id=counsellor,
            )
            if age > dt.timedelta(days=5) or n % 3 == 0:
                request.status = S.CONFIRMED if n % 4 else S.RESOLVED
                request.first_response_at = created + dt.timedelta(hours=2)
                request.resolved_at = created + dt.timedelta(hours=30)
                if request.resolved_at > now:
                    request.resolved_at = now
            elif n % 3 == 1:
                request.status = S.IN_PROGRESS
                request.first_response_at = created + dt.timedelta(hours=1)
            # else: submitted, nobody has answered yet
            requests.append(request)
        created_rows = HelpRequest.objects.bulk_create(requests, batch_size=2000)
        if created_rows and created_rows[0].pk is None:
            created_rows = list(HelpRequest.objects.order_by("pk"))
        HelpRequestEvent.objects.bulk_create(
            [
                HelpRequestEvent(
                    request_id=r.pk,
                    kind=HelpRequestEvent.Kind.SUBMITTED,
                    actor_id=r.requester_id,
                    at=r.created_at,
                )
                for r in created_rows
            ],
            batch_size=2000,
        )
    open_count = HelpRequest.objects.filter(status__in=HelpRequest.OPEN).count()
    world.built["help_requests"] = len(requests)
    world.built["help_open"] = open_count
    return f"{len(requests):,} requests, {open_count:,} open"


def build_teaching(world: World) -> str:
    """A term that began four weeks before this one's Monday, every lesson up
    to today held online, and their attendance."""
    from django.db import connection, transaction
    from django.db.models import F
    from django.db.models.functions import Mod

    from shouwang.lib import clock
    from shouwang.people.models import Person, Unit
    from shouwang.teaching import actions
    from shouwang.teaching.models import Lesson, Slot, TeachingClass, Term

    classes = max(20, world.people // STUDENTS_PER_TEACHING_CLASS)
    monday = world.today - dt.timedelta(days=world.today.weekday())
    first_monday = monday - dt.timedelta(weeks=4)
    with transaction.atomic():
        departments = list(Unit.objects.filter(kind=Unit.Kind.DEPARTMENT).order_by("pk"))
        teachers = list(
            Person.objects.filter(kind=Person.Kind.TEACHER)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        term = Term.objects.create(name="本学期", first_monday=first_monday, weeks=8)
        created = TeachingClass.objects.bulk_create(
            [
                TeachingClass(
                    term=term,
                    code=f"(本学期)-C{n:06d}-01",
                    course_code=f"C{n:06d}",
                    course_name=f"课程{n}",
                    unit=departments[(n // 7) % len(departments)],
                    planned_hours=32,
                )
                for n in range(classes)
            ],
            batch_size=2000,
        )
        ids = list(TeachingClass.objects.order_by("pk").values_list("pk", flat=True))
        if ids != list(range(ids[0], ids[0] + len(created))):
            raise SystemExit("the teaching classes' ids are not consecutive")
        through = TeachingClass.teachers.through
        through.objects.bulk_create(
            [
                through(teachingclass_id=pk, person_id=teachers[n % len(teachers)])
                for n, pk in enumerate(ids)
            ],
            batch_size=2000,
        )
        Slot.objects.bulk_create(
            [
                Slot(
                    teaching_class_id=pk,
                    weekday=1 + (n + shift) % 5,
                    first_period=1 + 2 * ((n // 5 + shift) % 5),
                    last_period=2 + 2 * ((n // 5 + shift) % 5),
                    weeks=list(range(1, 9)),
                    weeks_text="1-8周",
                    location="A-101",
                )
                for n, pk in enumerate(ids)
                for shift in (0, 2)
            ],
            batch_size=2000,
        )
        execute(
            ENROLMENTS_SQL,
            {
                "per": ENROLMENTS_PER_STUDENT,
                "first_class": ids[0],
                "step": classes // ENROLMENTS_PER_STUDENT + 1,
                "classes": classes,
            },
        )
    lessons = actions.generate_lessons(term, acting_user=None)
    actions.go_online(
        term=term,
        units=[world.university],
        starts_on=first_monday,
        incident=world.incident,
        acting_user=world.leader,
    )
    with transaction.atomic():
        past = Lesson.objects.filter(date__lte=world.today).alias(n=Mod(F("pk"), 50))
        past.update(status=Lesson.Status.HELD)
        past.filter(n=0).update(status=Lesson.Status.CANCELLED, reason="教师发热")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    rows = execute(ATTENDANCE_SQL, {"now": clock.now()})
    world.built["teaching_classes"] = classes
    world.built["lessons"] = lessons
    world.built["attendance"] = rows
    return f"{classes:,} classes, {lessons:,} lessons, {rows:,} attendance rows"


def build_workplan(world: World) -> str:
    from django.db import transaction
    from workplan_overview import build_plan

    from shouwang.people.models import Person

    measures = max(30, world.people // PEOPLE_PER_MEASURE)
    with transaction.atomic():
        owners = list(Person.objects.filter(kind=Person.Kind.TEACHER).order_by("pk")[:200])
        world.plan = build_plan(
            "学校工作要点", world.university, owners, measures, world.today, world.leader
        )
    world.built["measures"] = measures
    return f"{measures:,} measures"


def build_supplies(world: World) -> str:
    from django.db import transaction

    from shouwang.supplies.models import Batch, Category, Item, MinimumLevel, Stock, Store

    with transaction.atomic():
        stores = [
            Store(name=f"{college.name}仓库", kind=Store.Kind.WAREHOUSE, unit=college)
            for college in world.colleges
        ]
        rooms = max(1, world.people // PEOPLE_PER_STORE)
        stores += [
            Store(
                name=f"值班室{n}",
                kind=Store.Kind.DUTY_ROOM,
                unit=world.colleges[n % len(world.colleges)],
            )
            for n in range(rooms)
        ]
        stores = Store.objects.bulk_create(stores)
        if stores[0].pk is None:
            stores = list(Store.objects.order_by("pk"))
        categories = Category.values
        items = Item.objects.bulk_create(
            [
                Item(name=f"物资{n}", category=categories[n % len(categories)], base_unit="件")
                for n in range(ITEMS)
            ]
        )
        if items[0].pk is None:
            items = list(Item.objects.order_by("pk"))
        batches = Batch.objects.bulk_create([Batch(item=item, source="采购") for item in items])
        if batches[0].pk is None:
            batches = list(Batch.objects.order_by("pk"))
        stock, minimums = [], []
        for s, store in enumerate(stores):
            for i, (item, batch) in enumerate(zip(items, batches, strict=True)):
                low = (s + i) % 8 == 0
                stock.append(
                    Stock(batch=batch, store=store, item=item, quantity=Decimal(5 if low else 500))
                )
                minimums.append(MinimumLevel(store=store, item=item, minimum=Decimal(50)))
        Stock.objects.bulk_create(stock, batch_size=2000)
        MinimumLevel.objects.bulk_create(minimums, batch_size=2000)
    low = sum(1 for s in range(len(stores)) for i in range(ITEMS) if (s + i) % 8 == 0)
    world.built["stores"] = len(stores)
    world.built["low_stock"] = low
    return f"{len(stores):,} stores, {len(stock):,} balances, {low:,} low"


def build_volunteers(world: World) -> str:
    from django.db import transaction

    from shouwang.lib import clock
    from shouwang.people.models import Person
    from shouwang.volunteers.models import DutyDay, Membership, Shift, SignUp, Team

    first = world.incident.start_date
    days = (world.today - first).days + 1
    with transaction.atomic():
        count = max(2, world.people // PEOPLE_PER_TEAM)
        teams = Team.objects.bulk_create(
            [
                Team(
                    name=f"志愿服务队{n}",
                    kind=Team.Kind.BRIGADE,
                    unit=world.colleges[n % len(world.colleges)],
                )
                for n in range(count)
            ]
        )
        if teams[0].pk is None:
            teams = list(Team.objects.filter(name__startswith="志愿服务队").order_by("pk"))
        students = list(
            Person.objects.filter(kind=Person.Kind.STUDENT)
            .order_by("pk")
            .values_list("pk", flat=True)[1 : count * TEAM_SIZE * 3 : 3]
        )
        Membership.objects.bulk_create(
            [
                Membership(team=team, person_id=pk, is_lead=m == 0)
                for t, team in enumerate(teams)
                for m, pk in enumerate(students[t * TEAM_SIZE : (t + 1) * TEAM_SIZE])
            ],
            batch_size=2000,
        )
        shifts = Shift.objects.bulk_create(
            [
                Shift(
                    team=team,
                    title="核酸检测秩序维护",
                    place="体育馆",
                    starts_at=clock.at(
                        world.incident.start_date + dt.timedelta(days=d), dt.time(8)
                    ),
                    ends_at=clock.at(world.incident.start_date + dt.timedelta(days=d), dt.time(11)),
                    places=5,
                )
                for team in teams
                for d in range(days)
            ],
            batch_size=2000,
        )
        if shifts[0].pk is None:
            shifts = list(Shift.objects.order_by("pk").select_related("team"))
        members = {
            team.pk: students[t * TEAM_SIZE : (t + 1) * TEAM_SIZE] for t, team in enumerate(teams)
        }
        now = clock.now()
        signups = []
        for n, shift in enumerate(shifts):
            pool = members[shift.team_id]
            for k in range(5):
                signup = SignUp(shift=shift, person_id=pool[(n + k) % len(pool)])
                if shift.ends_at < now:
                    signup.checked_in_at = shift.starts_at
                    signup.checked_out_at = shift.ends_at
                    signup.minutes = 180
                signups.append(signup)
        SignUp.objects.bulk_create(signups, batch_size=2000)
        staff = list(
            Person.objects.filter(kind__in=[Person.Kind.TEACHER, Person.Kind.STAFF])
            .exclude(number__startswith="L")
            .order_by("pk")
            .values_list("pk", "unit_id")
        )
        duty_teams = Team.objects.bulk_create(
            [
                Team(name=f"{college.name}值班{k}", kind=Team.Kind.STAFF_DUTY, unit=college)
                for college in world.colleges
                for k in range(2)
            ]
        )
        if duty_teams[0].pk is None:
            duty_teams = list(Team.objects.filter(kind=Team.Kind.STAFF_DUTY).order_by("pk"))
        Membership.objects.bulk_create(
            [
                Membership(team=duty_teams[n % len(duty_teams)], person_id=pk, is_lead=n < 20)
                for n, (pk, _unit) in enumerate(staff[::10])
            ],
            batch_size=2000,
        )
        duty = []
        for n, (pk, _unit) in enumerate(staff):
            for d in range(days):
                day = world.incident.start_date + dt.timedelta(days=d)
                # One in 20 on site every day of the month; the others on
                # site two days in three.
                on_site = n % 20 == 0 or (n + d) % 3 != 0
                duty.append(
                    DutyDay(
                        person_id=pk,
                        date=day,
                        mode=DutyDay.Mode.ON_SITE if on_site else DutyDay.Mode.REMOTE,
                        role="值班" if on_site else "",
                    )
                )
        DutyDay.objects.bulk_create(duty, batch_size=5000)
    world.built["teams"] = count
    world.built["shifts"] = len(shifts)
    world.built["duty_days"] = len(duty)
    world.built["staff"] = len(staff)
    return f"{count:,} brigades, {len(shifts):,} shifts, {len(duty):,} duty days"


# -- measuring ---------------------------------------------------------------------


@dataclass
class Timing:
    cold_ms: float
    median_ms: float
    p95_ms: float
    statements: int
    content: bytes = b""
    # The trivial view's rate measured just before (requests a second).
    rate: float = 0.0

    @property
    def trivial(self) -> float:
        """The median as a number of trivial requests."""
        return self.median_ms * self.rate / 1000


def clear_caches() -> None:
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


def time_get(client: Any, url: str, repeat: int) -> Timing:
    """The first request and `repeat` more, each cold: every cache cleared
    first; and the trivial view's rate just before, for the ratio."""
    rate = trivial_rate(client, TRIVIAL_REQUESTS)
    samples: list[tuple[float, int]] = []
    content = b""
    for _ in range(repeat + 1):
        clear_caches()
        statements: list[int] = []
        with counting(statements):
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{url}: status {response.status_code}")
        content = response.content
        samples.append((elapsed * 1000, len(statements)))
    warm = [ms for ms, _n in samples[1:]] or [samples[0][0]]
    return Timing(
        samples[0][0],
        statistics.median(warm),
        quantile(warm, 0.95),
        samples[-1][1],
        content,
        rate,
    )


def time_call(call: Callable[[], Any], repeat: int) -> tuple[Timing, Any]:
    samples: list[tuple[float, int]] = []
    result = None
    for _ in range(repeat + 1):
        clear_caches()
        statements: list[int] = []
        with counting(statements):
            started = time.perf_counter()
            result = call()
            elapsed = time.perf_counter() - started
        samples.append((elapsed * 1000, len(statements)))
    warm = [ms for ms, _n in samples[1:]] or [samples[0][0]]
    timing = Timing(samples[0][0], statistics.median(warm), quantile(warm, 0.95), samples[-1][1])
    return timing, result


def line(label: str, timing: Timing, width: int = 36) -> None:
    ratio = f"  {timing.trivial:5.0f}× trivial ({timing.rate:,.0f}/s)" if timing.rate else ""
    print(
        f"  {label:<{width}} cold {timing.cold_ms:7.1f}  median {timing.median_ms:7.1f}  "
        f"p95 {timing.p95_ms:7.1f} ms {timing.statements:3d} statements{ratio}"
    )


def resolve_url(name: str, args: list[Any] | None = None, query: str = "") -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse(name, args=args or [])
    except NoReverseMatch:
        return None
    return f"{url}?{query}" if query else url


def drill_downs(world: World) -> list[tuple[str, str | None, str]]:
    """(label, URL or None if it does not resolve, URL name) of each list the
    cockpit drills down to, first page, as the university's leader sees it."""
    day = world.today.isoformat()
    # On a weekend, the Friday's lessons.
    lessons = last_weekday(world.today).isoformat()
    incident = world.incident.pk
    plan = [world.plan.pk] if world.plan is not None else []
    # As the cockpit links them (shouwang/reports/cockpit.py): the filters
    # (?status=, ?state=, ?mode=) are those lists' own; a list without one
    # shows all its rows.
    wanted = [
        ("compliance: not checked in", "compliance:missing", [], f"incident={incident}&date={day}"),
        ("screening: open flags", "screening:flag_list", [], f"incident={incident}"),
        (
            "screening: the day's flags",
            "screening:flag_list",
            [],
            f"incident={incident}&date={day}&status=all",
        ),
        (
            "screening: the day's open flags",
            "screening:flag_list",
            [],
            f"incident={incident}&date={day}&status=open",
        ),
        ("care: isolations", "care:isolation_list", [], ""),
        ("care: the day's deliveries", "care:routes", [], f"date={day}"),
        ("care: the day's missed meals", "care:routes", [], f"date={day}&status=missed"),
        ("helpdesk: requests handled", "helpdesk:request_list", [], ""),
        ("helpdesk: open requests", "helpdesk:request_list", [], "state=open"),
        ("helpdesk: overdue requests", "helpdesk:request_list", [], "state=overdue"),
        (
            "teaching: the day's lessons held",
            "teaching:lesson_list",
            [],
            f"date={lessons}&status=held",
        ),
        ("teaching: the day's lessons", "teaching:lesson_list", [], f"date={lessons}"),
        ("workplan: measures late", "workplan:plan_overview", plan, "state=late"),
        ("supplies: low stock", "supplies:index", [], ""),
        ("volunteers: the duty roster", "volunteers:duty_roster", [], f"date={day}"),
        (
            "volunteers: on site",
            "volunteers:duty_roster",
            [],
            f"date={day}&mode=on_site",
        ),
    ]
    return [(label, resolve_url(name, args, query), name) for label, name, args, query in wanted]


DRILL_APPS = (
    "compliance",
    "screening",
    "care",
    "helpdesk",
    "teaching",
    "workplan",
    "supplies",
    "volunteers",
)


def cockpit_links(content: bytes) -> list[str]:
    """The cockpit page's figures' links into the modules it counts, each once."""
    from django.urls import Resolver404, resolve

    found = []
    # The figures' links (data-testid="link"), not the menu's.
    tags = [tag for tag in re.findall(rb"<a\s[^>]*>", content) if b'data-testid="link"' in tag]
    for tag in tags:
        href = re.search(rb'href="([^"#]+)"', tag)
        if href is None:
            continue
        url = href[1].decode().replace("&amp;", "&")
        try:
            match = resolve(url.split("?", 1)[0])
        except Resolver404:
            continue
        if match.namespace in DRILL_APPS and url not in found:
            found.append(url)
    return found


COCKPIT_LABELS = ("the cockpit, the university's leader", "the cockpit, a college's leader (1/10)")


def measure_cockpit(world: World, repeat: int) -> dict[str, Timing]:
    """(a): the cockpit page and its computation, as the university's and a college's leader."""
    from django.test import Client

    found: dict[str, Timing] = {}
    url = resolve_url("reports:cockpit")
    if url is None:
        print("  the cockpit: skipped, reports:cockpit does not resolve here")
        return found
    for label, user in zip(COCKPIT_LABELS, (world.leader, world.college_leader), strict=True):
        client = Client()
        client.force_login(user)
        found[label] = time_get(client, url, repeat)
        line(label, found[label])
    try:
        from shouwang.reports import cockpit  # type: ignore[attr-defined]
    except ImportError:
        print("  reports.cockpit.build: skipped, shouwang.reports.cockpit does not exist here")
        return found
    build_cockpit = getattr(cockpit, "build", None)
    if build_cockpit is None:
        print("  reports.cockpit.build: skipped, no such function")
        return found
    for label, user in (
        ("cockpit.build, the university's leader", world.leader),
        ("cockpit.build, a college's leader", world.college_leader),
    ):
        timing, _result = time_call(lambda user=user: build_cockpit(user, world.today), repeat)
        found[label] = timing
        line(label, timing)
    return found


def measure_figures(world: World) -> float:
    """(b): every figure of the chronicle for the university over the incident, each timed."""
    from shouwang.reports.figures import FIGURES, Scope, compute

    scope = Scope.of_incident(world.incident, world.university, world.today)
    clear_caches()
    started = time.perf_counter()
    values = compute(scope)
    total = time.perf_counter() - started
    for key in sorted(FIGURES):
        clear_caches()
        one = time.perf_counter()
        compute(scope, [key])
        shown = values[key]
        shown = shown if not isinstance(shown, list) else f"[{len(shown)} items]"
        print(f"    {key:<34} {(time.perf_counter() - one) * 1000:8.1f} ms  {shown}")
    print(f"  the chronicle's figures ({len(FIGURES)}): {total:.2f} s")
    return total


def measure_lists(
    world: World, repeat: int, extra: list[str], only: list[str] | None = None
) -> dict[str, Timing]:
    """(c): each list's first page as the university's leader."""
    from django.test import Client

    from shouwang.compliance.tallies import keep_tallies

    client = Client()
    client.force_login(world.leader)
    found: dict[str, Timing] = {}
    for label, url, name in drill_downs(world):
        if only and not any(word in label for word in only):
            continue
        if url is None:
            print(f"  {label}: skipped, {name} does not resolve here")
            continue
        # The job keeps the tallies every minute in production.
        keep_tallies()
        found[label] = time_get(client, url, repeat)
        line(label, found[label])
    for url in extra:
        label = f"cockpit link {url}"
        found[label] = time_get(client, url, repeat)
        line(label[:36], found[label])
    return found


def explain(world: World) -> None:
    """The plans of the missing list's queries (PostgreSQL: with ANALYZE)."""
    from django.db import connection
    from django.test import RequestFactory

    from shouwang.compliance import views

    request = RequestFactory().get(
        "/", {"incident": world.incident.pk, "date": world.today.isoformat()}
    )
    request.user = world.leader
    request.htmx = False
    _form, _incident, _day, people, _filters = views._missing(request)
    options = {"analyze": True} if connection.vendor == "postgresql" else {}
    print("the missing list, first page:")
    print(people[: views.MISSING_PER_PAGE].explain(**options))
    print("the missing list, its count:")
    print(people.order_by().values("pk").explain(**options))


# -- checks ------------------------------------------------------------------------


def number(content: bytes, testid: str) -> int | None:
    found = re.search(rb'data-testid="' + testid.encode() + rb'">\s*(\d[\d,]*)', content)
    return int(found[1].replace(b",", b"")) if found else None


def last_weekday(day: dt.date) -> dt.date:
    """The day itself, or the Friday before a weekend: a day with lessons."""
    return day - dt.timedelta(days=max(0, day.weekday() - 4))


def expected_rows(world: World) -> dict[str, tuple[str, int]]:
    """What each list's first page must show, counted here: (the marker of a
    row in the page, rows)."""
    from shouwang.care.models import Isolation, MealDelivery
    from shouwang.checkins.models import CheckIn
    from shouwang.helpdesk.models import HelpRequest
    from shouwang.screening.models import Flag
    from shouwang.teaching.models import Lesson
    from shouwang.volunteers.models import DutyDay
    from shouwang.workplan import queries

    missing = world.incident.expected_people().count() - (
        CheckIn.objects.filter(incident=world.incident, date=world.today).count()
    )
    late = queries.measures_in(world.plan, world.today, state="late").count()
    return {
        "compliance: not checked in": ("<tr data-person=", min(100, missing)),
        "screening: open flags": (
            "<tr data-flag=",
            min(50, Flag.objects.filter(incident=world.incident, resolved_at__isnull=True).count()),
        ),
        # Those in isolation now, the section before the ended ones.
        "care: isolations": (
            'data-testid="isolation"',
            min(50, Isolation.objects.filter(ended_at__isnull=True).count()),
        ),
        "care: the day's deliveries": (
            'data-testid="stop"',
            min(300, MealDelivery.objects.filter(date=world.today).count()),
        ),
        # The open ones (at most 100), then the last 30 done.
        "helpdesk: requests handled": (
            'data-testid="row"',
            min(100, HelpRequest.objects.filter(status__in=HelpRequest.OPEN).count())
            + min(30, HelpRequest.objects.exclude(status__in=HelpRequest.OPEN).count()),
        ),
        "teaching: the day's lessons held": (
            'data-testid="lesson-row"',
            min(
                50,
                Lesson.objects.filter(
                    date=last_weekday(world.today), status=Lesson.Status.HELD
                ).count(),
            ),
        ),
        "workplan: measures late": ('data-testid="listed-measure"', late),
        "supplies: low stock": ('<tr data-testid="low-', min(50, world.built["low_stock"])),
        "volunteers: the duty roster": (
            'data-testid="roster-row"',
            min(100, DutyDay.objects.filter(date=world.today).count()),
        ),
    }


def check(world: World, lists: dict[str, Timing]) -> list[str]:
    """What the lists show, against counts made here; returns what is wrong.
    A list whose rows carry no marker (an older template) is not counted."""
    from shouwang.checkins.models import CheckIn

    wrong = []
    missing = world.incident.expected_people().count() - (
        CheckIn.objects.filter(incident=world.incident, date=world.today).count()
    )
    page = lists.get("compliance: not checked in")
    if page is not None and number(page.content, "missing-count") != missing:
        wrong.append(
            f"the missing list says {number(page.content, 'missing-count')}, not {missing}"
        )
    for label, (marker, rows) in expected_rows(world).items():
        page = lists.get(label)
        if page is None:
            continue
        shown = page.content.count(marker.encode())
        if not shown and rows:
            print(f"  {label}: its rows carry no {marker}: not counted")
            continue
        if shown != rows:
            wrong.append(f"{label}: {shown} rows shown, {rows} expected")
        else:
            print(f"  {label}: {shown} rows, as counted")
    return wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--days", type=int, default=30, help="days of the incident, today included")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--explain", action="store_true", help="the missing list's query plans")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure again the university an earlier run left in DATABASE_URL (PostgreSQL)",
    )
    parser.add_argument(
        "--only",
        default="",
        help="only the lists whose label has one of these words (comma-separated)",
    )
    parser.add_argument("--smoke", action="store_true", help="2,000 people; every count checked")
    args = parser.parse_args()
    if args.smoke:
        args.people, args.repeat = 2000, 2

    with tempfile.TemporaryDirectory(prefix="shouwang-cockpit-") as tmp:
        setup_django(Path(tmp))
        world = reuse() if args.reuse else None
        if world is not None:
            print(f"the university of {world.people:,} students an earlier run built, again:")
        else:
            print(f"a university of {args.people:,} students, {args.days} days of every module:")
            started = time.perf_counter()
            world = build(args.people, args.days)
            print(f"  built in {time.perf_counter() - started:.1f} s")
        print(f"{machine()}; load average {loadavg()}")
        measure(world, args)


def measure(world: World, args: argparse.Namespace) -> None:
    from django.test import Client

    trivial = Client()
    trivial.force_login(world.leader)
    rate_before = trivial_rate(trivial, 100 if args.smoke else 500)
    print(f"trivial view (/health/): {rate_before:,.0f} requests/s before")
    print("(a) the cockpit (ms; every cache cleared before each request):")
    cockpit = measure_cockpit(world, args.repeat)
    print("(b) the chronicle's figures, the university over the incident:")
    figures_s = measure_figures(world)
    page = cockpit.get(COCKPIT_LABELS[0])
    listed = {url for _label, url, _name in drill_downs(world)}
    extra = [url for url in cockpit_links(page.content) if url not in listed] if page else []
    print("(c) each list's first page, as the university's leader:")
    only = [word for word in args.only.split(",") if word]
    lists = measure_lists(world, args.repeat, extra, only)
    rate_after = trivial_rate(trivial, 100 if args.smoke else 500)
    rate = (rate_before + rate_after) / 2
    print(
        f"trivial view (/health/): {rate_before:,.0f} requests/s before, {rate_after:,.0f} "
        f"after ({1000 / rate:.2f} ms each); load average {loadavg()}"
    )
    if args.explain:
        explain(world)
    wrong = check(world, lists)
    if wrong:
        raise SystemExit("wrong: " + "; ".join(wrong))
    print("the lists' rows and counts: checked")
    judge(world, cockpit, figures_s, lists, rate, smoke=args.smoke)
    if args.smoke:
        print("smoke: every count is right")


def judge(
    world: World,
    cockpit: dict[str, Timing],
    figures_s: float,
    lists: dict[str, Timing],
    rate: float,
    *,
    smoke: bool,
) -> None:
    """Each target as a number of trivial requests: a target of T ms stands for
    a machine serving the trivial view at TARGET_TRIVIAL_RATE, so it is met when
    the page costs fewer than T × TARGET_TRIVIAL_RATE / 1000 trivial requests
    measured beside it (the target scaled by this machine's speed)."""
    from django.db import connection

    vendor = connection.vendor
    print(
        f"targets ({vendor}), in trivial requests: the target's ms at "
        f"{TARGET_TRIVIAL_RATE:,.0f} requests a second"
    )
    university, college = (cockpit.get(label) for label in COCKPIT_LABELS)
    if university is not None and college is not None:
        flat = university.statements == college.statements
        print(
            f"  the cockpit's statements, all people and a tenth: {university.statements} and "
            f"{college.statements}: {'flat, met' if flat else 'NOT flat'}"
        )
        if not flat and smoke:
            raise SystemExit("the cockpit's statements grow with the people")
        if world.people == 30_000:
            verdict("the cockpit", university, COCKPIT_TARGET_MS, vendor)
    figures = Timing(figures_s * 1000, figures_s * 1000, figures_s * 1000, 0, rate=rate)
    verdict("the chronicle's figures", figures, FIGURES_TARGET_S * 1000, vendor)
    if world.people != 300_000:
        print(f"  the lists' target is set for 300,000 people: not judged at {world.people:,}")
        return
    for label, timing in lists.items():
        verdict(label, timing, LIST_TARGET_MS, vendor)


def verdict(what: str, timing: Timing, target_ms: float, vendor: str) -> None:
    allowed = target_ms * TARGET_TRIVIAL_RATE / 1000
    met = "met" if timing.trivial < allowed else "NOT met"
    print(
        f"  {what}: {timing.median_ms:.1f} ms = {timing.trivial:,.0f} trivial requests "
        f"(at {timing.rate:,.0f}/s); target {target_ms:,.0f} ms = {allowed:,.0f}: {met}"
    )


if __name__ == "__main__":
    main()
