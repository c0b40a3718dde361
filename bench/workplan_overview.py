"""Benchmark: the leaders' overview of a work plan (学院工作要点) of 2,000 measures.

    .venv/bin/python bench/workplan_overview.py [--measures 2000] [--repeat 15] [--smoke]

Sets up a throwaway database (SQLite in a temporary folder, or DATABASE_URL,
which must name an empty PostgreSQL database) with a college, 200 staff who
own the measures (one measure in three has a co-owner), and two plans of this
year: the large one of --measures measures and a small one of a tenth as many,
each of 5 areas with 3 key points each, the measures spread over the key points.
Every measure has a year of monthly progress reports (the 25th of each month;
of those past, 9 in 10 written, one in 8 of them after the day, half of the
written scored), 3 milestones spread over the year (one in 10 of those past
left undone, so that the measure is late), 5 expenditures, and a status (not
started, in progress, done, paused); one in 100 is a breakthrough. Everything
is written with bulk_create, then analysed (VACUUM ANALYZE on PostgreSQL).

It then times, through the Django test client in this process (the server
time of a request: session, access checks, queries, template), as the
college's leader: the overview page of the large plan (the cold first request,
then the median and p95 of --repeat), the same page listing the late measures
(?state=late), the small plan's overview, the Excel export of the large plan,
an owner's "my measures", and the plan list (a page of the same frame with
one query of its own, for what the frame costs); with the number of SQL
statements of each. It
prints the statements of `workplan.queries.overview` for both plans (the
same), and measures the trivial view (/health/) the same way, for the ratio.
--smoke runs 200 and 20 measures and checks the overview's figures against
counts made here: CI runs it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from _common import loadavg, machine, setup_django, time_page, timed, trivial_rate

TARGET_MS = 100.0
AREAS = 5
KEY_POINTS_PER_AREA = 3
OWNERS = 200
MILESTONES = 3
EXPENDITURES = 5
AREA_TITLES = ["党建团学", "本科教育", "学科建设与研究生教育", "人才引育", "就业创业"]


@dataclass
class Built:
    leader: object
    owner: object
    large: object
    small: object
    today: dt.date


def build_plan(title: str, unit, owners: list, measures: int, today: dt.date, leader_user):
    """A plan of this year with `measures` measures and all that belongs to them."""
    from shouwang.lib import clock
    from shouwang.workplan.models import (
        Area,
        Expenditure,
        KeyPoint,
        Measure,
        Milestone,
        Plan,
        Report,
        Status,
    )

    plan = Plan.objects.create(title=title, year=today.year, unit=unit)
    areas = Area.objects.bulk_create(
        [Area(plan=plan, number=n + 1, title=AREA_TITLES[n]) for n in range(AREAS)]
    )
    key_points = KeyPoint.objects.bulk_create(
        [
            KeyPoint(area=area, number=k + 1, title=f"{area.title}要点{k + 1}")
            for area in areas
            for k in range(KEY_POINTS_PER_AREA)
        ]
    )
    statuses = [Status.NOT_STARTED] + [Status.IN_PROGRESS] * 7 + [Status.DONE] * 1 + [Status.PAUSED]
    created = Measure.objects.bulk_create(
        [
            Measure(
                key_point=key_points[n % len(key_points)],
                number=n // len(key_points) + 1,
                title=f"举措{n}",
                owner_unit=unit,
                owner=owners[n % len(owners)],
                starts_on=plan.starts_on,
                due_on=plan.ends_on,
                budget=Decimal(10000 + 1000 * (n % 50)),
                status=statuses[n % len(statuses)],
                is_breakthrough=n % 100 == 7,
                breakthrough="获批国家一流专业" if n % 100 == 7 else "",
            )
            for n in range(measures)
        ],
        batch_size=1000,
    )
    if created[0].pk is None:  # a database that does not return ids on bulk insert
        created = list(Measure.objects.filter(key_point__area__plan=plan).order_by("pk"))
    through = Measure.co_owners.through
    through.objects.bulk_create(
        [
            through(measure_id=m.pk, person_id=owners[(n + 1) % len(owners)].pk)
            for n, m in enumerate(created)
            if n % 3 == 0
        ],
        batch_size=2000,
    )
    now = clock.now()
    reports = []
    for n, measure in enumerate(created):
        for month in range(1, 13):
            due = dt.date(today.year, month, 25)
            report = Report(measure_id=measure.pk, due_on=due)
            k = n * 13 + month
            if due < today and k % 10 != 0:
                late = k % 8 == 0
                report.submitted_at = clock.at(
                    due + dt.timedelta(days=3 if late else -2), dt.time(10)
                )
                report.submitted_by = leader_user
                report.text = "本月完成情况"
                if k % 2 == 0:
                    report.score = 1 + k % 5
                    report.scored_at = now
                    report.scored_by = leader_user
            reports.append(report)
    Report.objects.bulk_create(reports, batch_size=2000)
    milestones = []
    for n, measure in enumerate(created):
        for m in range(MILESTONES):
            due = dt.date(today.year, 1 + (n + 4 * m) % 12, 15)
            undone = due >= today or (n + m) % 10 == 0
            milestones.append(
                Milestone(
                    measure_id=measure.pk,
                    title=f"节点{m + 1}",
                    due_on=due,
                    done_on=None if undone else due,
                )
            )
    Milestone.objects.bulk_create(milestones, batch_size=2000)
    Expenditure.objects.bulk_create(
        [
            Expenditure(
                measure_id=measure.pk,
                amount=Decimal(100 + 10 * e),
                spent_on=dt.date(today.year, 1 + (n + e) % 11, 1),
                purpose="专家咨询",
                booked_by=leader_user,
            )
            for n, measure in enumerate(created)
            for e in range(EXPENDITURES)
        ],
        batch_size=2000,
    )
    return plan


def build(measures: int) -> Built:
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection, transaction

    from shouwang.accounts.models import Role, User
    from shouwang.lib import clock
    from shouwang.people.models import Person, Unit

    call_command("migrate", verbosity=0)
    today = clock.today()
    started = time.perf_counter()
    with transaction.atomic():
        university = Unit.objects.create(name="山西财经大学", kind=Unit.Kind.UNIVERSITY)
        college = Unit.objects.create(name="信息学院", kind=Unit.Kind.COLLEGE, parent=university)
        owners = Person.objects.bulk_create(
            [
                Person(number=f"T{n:05d}", name=f"教师{n}", kind=Person.Kind.TEACHER, unit=college)
                for n in range(OWNERS)
            ]
        )
        if owners[0].pk is None:
            owners = list(Person.objects.order_by("pk"))
        leader = User.objects.create(
            username="leader",
            must_change_password=False,
            person=Person.objects.create(
                number="L0001", name="孙书记", kind=Person.Kind.STAFF, unit=college
            ),
        )
        leader.groups.add(Group.objects.create(name=Role.LEADER.value))
        owner = User.objects.create(username="owner", must_change_password=False, person=owners[0])
        large = build_plan("学院工作要点", college, owners, measures, today, leader)
        small = build_plan("学院工作要点（小）", college, owners, measures // 10, today, leader)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"  built and analysed in {time.perf_counter() - started:.1f} s")
    return Built(leader, owner, large, small, today)


# -- measuring -----------------------------------------------------------------------


def measure(client, name: str, url: str, repeat: int) -> tuple[float, float, int]:
    """Cold, median (ms) and statements of a page."""
    timing = time_page(client, name, url, repeat)
    return timing.cold_ms, timing.median_ms, timing.statements


def overview_statements(plan, today: dt.date) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shouwang.workplan import queries

    with CaptureQueriesContext(connection) as captured:
        queries.overview(plan, today)
    return len(captured.captured_queries)


def check(plan, today: dt.date) -> None:
    """The plan's overview against counts made here, measure by measure."""
    from shouwang.workplan import queries
    from shouwang.workplan.models import Measure, Status

    built = queries.overview(plan, today)
    total = built.total
    measures = list(Measure.objects.filter(key_point__area__plan=plan))
    states = {state: 0 for state in Status.values}
    spent = Decimal(0)
    milestones = reports = 0
    for one in measures:
        states[one.current_state] += 1
        spent += sum((e.amount for e in one.expenditures.all()), Decimal(0))
        milestones += sum(m.is_overdue for m in one.milestones.all())
        reports += one.reports.filter(submitted_at__isnull=True, due_on__lt=today).count()
    expected = {
        "measures": (total.measures, len(measures)),
        **{state: (getattr(total, state), count) for state, count in states.items()},
        "budget": (total.budget, sum(m.budget for m in measures)),
        "spent": (total.spent, spent),
        "milestones overdue": (total.milestones_overdue, milestones),
        "reports overdue": (total.reports_overdue, reports),
        "breakthroughs": (total.breakthroughs, sum(m.is_breakthrough for m in measures)),
        "figures": (queries.plan_figures(plan), built.figures),
    }
    wrong = {name: pair for name, pair in expected.items() if pair[0] != pair[1]}
    if wrong:
        raise SystemExit(f"the overview is wrong (shown, counted): {wrong}")
    print(
        f"  the overview says: {total.measures} measures, {total.late} late, "
        f"{total.milestones_overdue} milestones overdue, ¥{total.spent} of ¥{total.budget} "
        f"spent, {total.reports_overdue} reports overdue; checked"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--measures", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--smoke", action="store_true", help="200 and 20 measures; checked")
    args = parser.parse_args()
    if args.smoke:
        args.measures, args.repeat = 200, 3

    with tempfile.TemporaryDirectory(prefix="shouwang-workplan-") as tmp:
        setup_django(Path(tmp))
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        started = time.perf_counter()
        print(
            f"a plan of {args.measures} measures and one of {args.measures // 10}, "
            f"{AREAS} areas × {KEY_POINTS_PER_AREA} key points, monthly reports, "
            f"{MILESTONES} milestones and {EXPENDITURES} expenditures each:"
        )
        built = build(args.measures)
        print(f"  set up in {time.perf_counter() - started:.1f} s")
        print(f"{machine()}; load average {loadavg()}")

        client = Client()
        client.force_login(built.leader)
        large = reverse("workplan:plan_overview", args=[built.large.pk])
        small = reverse("workplan:plan_overview", args=[built.small.pk])
        print(f"server time per request (the college's leader, {built.today.isoformat()}):")
        cold, median, page = measure(
            client, f"overview, {args.measures} measures", large, args.repeat
        )
        _, _, small_page = measure(
            client, f"overview, {args.measures // 10} measures", small, args.repeat
        )
        measure(client, "overview listing the late measures", f"{large}?state=late", args.repeat)
        export = reverse("workplan:plan_export", args=[built.large.pk])
        _, _, export_large = measure(client, "Excel export", export, max(3, args.repeat // 3))
        small_export = reverse("workplan:plan_export", args=[built.small.pk])
        export_small = timed(client, small_export)[0].statements
        owner = Client()
        owner.force_login(built.owner)
        measure(
            owner,
            "my measures (an owner of 1 in 200)",
            reverse("workplan:my_measures"),
            args.repeat,
        )
        measure(
            client, "the plan list (the same frame)", reverse("workplan:plan_list"), args.repeat
        )
        rate = trivial_rate(client, max(200, args.repeat * 20))
        print(
            f"  trivial view (/health/): {rate:,.0f} requests/s, {1000 / rate:.2f} ms each; "
            f"overview / trivial {median * rate / 1000:.0f}×"
        )
        whole = overview_statements(built.large, built.today)
        tenth = overview_statements(built.small, built.today)
        print(
            f"statements: queries.overview {whole} ({args.measures} measures) and {tenth} "
            f"({args.measures // 10}); the page {page} and {small_page}; the export "
            f"{export_large} and {export_small}"
        )
        if not (whole == tenth and page == small_page and export_large == export_small):
            raise SystemExit("the overview's query count grows with the measures")
        check(built.large, built.today)
        check(built.small, built.today)
        verdict = "met" if median < TARGET_MS else "NOT met"
        if args.measures == 2_000:
            print(
                f"target: the overview under {TARGET_MS:.0f} ms ({connection.vendor}): "
                f"median {median:.1f} ms (cold {cold:.1f} ms), {verdict}"
            )
        if args.smoke:
            print("smoke: the overview's figures are right and its query count is constant")


if __name__ == "__main__":
    main()
