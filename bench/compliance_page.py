"""Benchmark: the compliance page and the missing list for a large college.

    .venv/bin/python bench/compliance_page.py [--people 30000] [--days 21] [--repeat 15]
                                              [--explain] [--smoke]

Sets up a throwaway database (SQLite in a temporary folder, or DATABASE_URL,
which must name an empty PostgreSQL database) with --people students in
classes of 40 (a counsellor for every four classes) across ten colleges of a
university, and an incident covering the university that opened --days days
ago: every past day 95 % of everyone checked in (5 % late, 2 % unwell), today
80 % so far. The rows are written by INSERT … SELECT in the database
(generate_series on PostgreSQL, a recursive CTE on SQLite), then analysed.

It first times the job that keeps the daily tallies (`compliance.tallies.keep_tallies`,
every minute in production): its first run, which counts every day of the
incident, and the later ones, which count today again. It then renders,
through the Django test client in this process (the server time of a request:
session, access checks, queries, template), repeated --repeat times each:

- the compliance page as a leader (the whole university, by unit and by
  class), as the leaders see it while the job runs: from the minute's
  tallies; and as one college's leader (that college's rows of the tallies);
- the same page without today's tallies (the job stopped): the request
  counts them itself, and later requests read what it counted;
- its trend (the htmx part=trend request: every day of the incident, from
  the tallies);
- the compliance page as a counsellor (four classes, counted live);
- the missing list's first page as a leader and as a counsellor.

For each it prints the median and p95 server time, the number of SQL
statements and the median time spent in them. --explain prints the plan of
the college-wide count. --smoke runs a small college and checks the figures
the page shows against a count made here: CI runs it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from _common import build_university, loadavg, machine, setup_django

# Targets: the compliance page's server time (the cold count, as a leader).
TARGETS_MS = {30_000: 50.0, 300_000: 250.0}


# -- the college -------------------------------------------------------------------

# Every expected person on every day from the incident's first to today; a
# person reported on a day unless (id * 7 + day) % 100 falls in the missing
# share (5 % on past days, 20 % today). Submitted at 08:00 + (id % 120) minutes
# Beijing time; every 20th late, every 50th unwell.
CHECKINS_SQL = {
    "postgresql": """
        INSERT INTO checkins_checkin (person_id, incident_id, date, submitted_at, updated_at,
            late, location, province, city, symptoms, temperature, contact_with_case,
            stayed_in_risk_area, note, idempotency_key)
        SELECT p.id, %(incident)s, d.day,
            (d.day + time '00:00') + (p.id %% 120) * interval '1 minute',
            (d.day + time '00:00') + (p.id %% 120) * interval '1 minute',
            p.id %% 20 = 0, 'campus', '', '',
            CASE WHEN p.id %% 50 = 0 THEN '["cough"]'::jsonb ELSE '[]'::jsonb END,
            36.5, false, false, '', gen_random_uuid()
        FROM people_person p
        CROSS JOIN (
            SELECT day::date AS day, row_number() OVER (ORDER BY day) AS i
            FROM generate_series(%(first)s::date, %(last)s::date, interval '1 day') AS day
        ) d
        WHERE p.status = 'present'
          AND (p.id * 7 + d.i) %% 100 >= CASE WHEN d.day = %(last)s::date THEN 20 ELSE 5 END
    """,
    "sqlite": """
        WITH RECURSIVE days(day, i) AS (
            SELECT date(%(first)s), 1
            UNION ALL SELECT date(day, '+1 day'), i + 1 FROM days WHERE day < date(%(last)s)
        )
        INSERT INTO checkins_checkin (person_id, incident_id, date, submitted_at, updated_at,
            late, location, province, city, symptoms, temperature, contact_with_case,
            stayed_in_risk_area, note, idempotency_key)
        SELECT p.id, %(incident)s, d.day,
            datetime(d.day, '-8 hours', '+' || ((p.id %% 120) + 480) || ' minutes'),
            datetime(d.day, '-8 hours', '+' || ((p.id %% 120) + 480) || ' minutes'),
            p.id %% 20 = 0, 'campus', '', '',
            CASE WHEN p.id %% 50 = 0 THEN '["cough"]' ELSE '[]' END,
            36.5, 0, 0, '', lower(hex(randomblob(16)))
        FROM people_person p CROSS JOIN days d
        WHERE p.status = 'present'
          AND (p.id * 7 + d.i) %% 100 >= CASE WHEN d.day = date(%(last)s) THEN 20 ELSE 5 END
    """,
}


@dataclass
class College:
    leader: object
    college_leader: object
    college_units: frozenset[int]
    counsellor: object
    incident: object
    today: dt.date


def build(people: int, days: int) -> College:
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from shouwang.accounts.models import Role, User
    from shouwang.incidents.models import Incident
    from shouwang.people.models import Person, Unit

    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    today = timezone.localdate()
    first = today - dt.timedelta(days=days - 1)
    with transaction.atomic():
        university, counsellors = build_university(people)
        incident = Incident.objects.create(
            title="校园封控",
            started_at=timezone.make_aware(dt.datetime.combine(first, dt.time(7, 0))),
            deadline=dt.time(10, 0),
        )
        incident.units.add(university)
        # The university's leader sits at the university's unit: a leader
        # reaches their own unit and everything below it.
        leader = User.objects.create(
            username="leader",
            must_change_password=False,
            person=Person.objects.create(
                number="L0001", name="校领导", kind=Person.Kind.STAFF, unit=university
            ),
        )
        leaders = Group.objects.create(name=Role.LEADER.value)
        leader.groups.add(leaders)
        # One college's leader, at that college's unit: a tenth of the people.
        first_college = Unit.objects.filter(parent=university).order_by("pk").first()
        college_leader = User.objects.create(
            username="college-leader",
            must_change_password=False,
            person=Person.objects.create(
                number="L0002", name="院领导", kind=Person.Kind.STAFF, unit=first_college
            ),
        )
        college_leader.groups.add(leaders)
        college_units = frozenset(first_college.descendant_ids())
        counsellor = User.objects.create(
            username=counsellors[0].number, person=counsellors[0], must_change_password=False
        )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            CHECKINS_SQL[vendor],
            {"incident": incident.pk, "first": first.isoformat(), "last": today.isoformat()},
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  check-ins written and analysed in {time.perf_counter() - started:.1f} s")
    return College(leader, college_leader, college_units, counsellor, incident, today)


# -- measuring -----------------------------------------------------------------------


@dataclass
class Sample:
    seconds: float
    sql_seconds: float
    statements: int


@contextmanager
def sql_timer(out: list[float]):
    """Time every statement the request runs (Django keeps milliseconds only)."""
    from django.db import connection

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            out.append(time.perf_counter() - started)

    with connection.execute_wrapper(wrapper):
        yield


def measure(
    client, url: str, repeat: int, before: Callable[[], None] | None = None, **headers
) -> tuple[list[Sample], bytes]:
    content = b""
    samples = []
    for _ in range(repeat):
        if before is not None:
            before()
        statements: list[float] = []
        with sql_timer(statements):
            started = time.perf_counter()
            response = client.get(url, **headers)
            elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{url}: status {response.status_code}")
        content = response.content
        samples.append(Sample(elapsed, sum(statements), len(statements)))
    return samples, content


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(name: str, samples: list[Sample]) -> float:
    median = statistics.median(s.seconds for s in samples) * 1000
    p95 = quantile([s.seconds for s in samples], 0.95) * 1000
    sql = statistics.median(s.sql_seconds for s in samples) * 1000
    statements = statistics.median(s.statements for s in samples)
    print(
        f"  {name:<44} median {median:7.1f} ms  p95 {p95:7.1f} ms  "
        f"SQL {sql:7.1f} ms in {statements:.0f} statements"
    )
    return median


def explain(college: College) -> None:
    from django.db import connection

    from shouwang.compliance.counts import Scope, counts_query

    query = counts_query(college.incident, college.today, Scope(None))
    options = {"analyze": True} if connection.vendor == "postgresql" else {}
    print(query.explain(**options))


def measure_job(college: College) -> None:
    """The job that keeps the tallies: its first run counts every day of the
    incident; each later one (every minute) counts today again."""
    from shouwang.compliance.tallies import keep_tallies

    started = time.perf_counter()
    written = keep_tallies()
    first = time.perf_counter() - started
    print("the tallies' job (off the request path, every minute):")
    print(f"  {'first run, every day of the incident':<44} {first * 1000:9.1f} ms  {written}")
    minutes = []
    for _ in range(3):
        started = time.perf_counter()
        keep_tallies()
        minutes.append(time.perf_counter() - started)
    print(f"  {'each minute after, today':<44} median {statistics.median(minutes) * 1000:7.1f} ms")


def measure_pages(college: College, repeat: int) -> tuple[float, bytes]:
    """Time each page; returns the compliance page's median (ms) and its HTML."""
    from django.test import Client
    from django.urls import reverse

    from shouwang.compliance.models import DailyTally
    from shouwang.compliance.tallies import keep_tallies

    day = f"incident={college.incident.pk}&date={college.today.isoformat()}"
    overview = reverse("compliance:overview")
    missing = reverse("compliance:missing")
    htmx = {"HTTP_HX_REQUEST": "true"}
    leader, college_leader, counsellor = Client(), Client(), Client()
    leader.force_login(college.leader)
    college_leader.force_login(college.college_leader)
    counsellor.force_login(college.counsellor)
    leader.get(overview)  # the first request loads templates and caches
    college_leader.get(overview)
    counsellor.get(overview)

    print("server time per request:")
    # As the leaders see it while the job runs: the minute's tallies.
    keep_tallies()
    page, content = measure(leader, f"{overview}?{day}", repeat)
    page_ms = report("compliance, leader, by unit", page)
    report("compliance, leader, by class", measure(leader, f"{overview}?{day}&by=class", repeat)[0])
    report(
        "compliance, leader, counts only (htmx)",
        measure(leader, f"{overview}?{day}&part=counts", repeat, **htmx)[0],
    )
    trend = f"{overview}?{day}&by=unit&part=trend"
    report("trend, leader", measure(leader, trend, repeat, **htmx)[0])
    college_page, college_content = measure(college_leader, f"{overview}?{day}", repeat)
    report("compliance, college leader, by unit", college_page)

    # Without the job (a stopped worker): the page counts today's tallies itself.
    def stopped() -> None:
        DailyTally.objects.filter(incident=college.incident, date=college.today).delete()

    report(
        "no tallies: leader, by unit, counted",
        measure(leader, f"{overview}?{day}", repeat, before=stopped)[0],
    )
    report(
        "no tallies: college leader, counted",
        measure(college_leader, f"{overview}?{day}", repeat, before=stopped)[0],
    )
    report("compliance, counsellor (4 classes)", measure(counsellor, overview, repeat)[0])
    report("missing list, leader, page 1", measure(leader, f"{missing}?{day}", repeat)[0])
    report("missing list, counsellor", measure(counsellor, missing, repeat)[0])

    return page_ms, content, college_content


def number(content: bytes, testid: str) -> int:
    found = re.search(rb'data-testid="' + testid.encode() + rb'">(\d+)<', content)
    if not found:
        raise SystemExit(f"the page shows no {testid}")
    return int(found[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--days", type=int, default=21, help="days of history, today included")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--smoke", action="store_true", help="2,000 people, 3 days; checked")
    args = parser.parse_args()
    if args.smoke:
        args.people, args.days, args.repeat = 2000, 3, 3

    with tempfile.TemporaryDirectory(prefix="shouwang-compliance-") as tmp:
        setup_django(Path(tmp))
        from django.db import connection

        from shouwang.checkins.models import CheckIn

        started = time.perf_counter()
        print(f"a university of {args.people} students, {args.days} days of check-ins:")
        college = build(args.people, args.days)
        print(f"  set up in {time.perf_counter() - started:.1f} s")
        print(f"{machine()}; load average {loadavg()}")
        incident = college.incident
        measure_job(college)
        page_ms, content, college_content = measure_pages(college, args.repeat)

        if args.explain:
            explain(college)

        # What the page showed, against a count made here.
        expected_people = incident.expected_people().count()
        reported = CheckIn.objects.filter(incident=incident, date=college.today).count()
        shown = (number(content, "expected"), number(content, "reported"))
        print(f"the page shows expected {shown[0]}, reported {shown[1]}")
        if shown != (expected_people, reported):
            raise SystemExit(f"the page is wrong: expected {expected_people}, reported {reported}")
        # The college leader's page counts that college only.
        theirs = incident.expected_people().in_units(college.college_units)
        expected_people = theirs.count()
        reported = CheckIn.objects.filter(
            incident=incident, date=college.today, person__in=theirs
        ).count()
        shown = (number(college_content, "expected"), number(college_content, "reported"))
        print(f"the college leader's page shows expected {shown[0]}, reported {shown[1]}")
        if shown != (expected_people, reported):
            raise SystemExit(
                f"the college leader's page is wrong: expected {expected_people}, "
                f"reported {reported}"
            )
        target = TARGETS_MS.get(args.people)
        if target:
            verdict = "met" if page_ms < target else "NOT met"
            print(
                f"target: the compliance page under {target:.0f} ms for {args.people} people "
                f"({connection.vendor}): {page_ms:.1f} ms, {verdict}"
            )
        if args.smoke:
            print("smoke: the page's figures are right")


if __name__ == "__main__":
    main()
