"""Benchmark: the digest of new positions pushed to 5,000 graduates, and the
pages of the job fairs' counts and the 去向落实率.

    .venv/bin/python bench/careers_fair.py [--graduates 5000] [--employers 300]
        [--positions 3000] [--repeat 15] [--smoke]

Sets up a throwaway database (SQLite in a temporary folder, or DATABASE_URL,
which must name an empty PostgreSQL database) with --graduates graduating
students in classes of 40 across ten colleges (each class of one of eight
majors, the students' own programme left blank so that the class's counts),
each a graduate of the 2022 cohort still seeking work; --employers employers
and --positions positions created in the last day, one in five open to
every major and the others wanting one to three majors (a few also a major
no class has); two job fairs, created today, each with half the employers
in rooms (two positions a room), graduates registered, and participations:
each registered graduate in one to four rooms. Everything is written with
bulk_create, then analysed.

It then measures, as the employment office:

(a) the push: `careers.digest.send_digests()` sending the day's digest to
    every graduate (the positions for their major and the two fairs) — its
    time, statements and messages; then the same run again, which must send
    nothing (at most one a day);
(b) the fairs' counts page (`careers:fair_counts`, participations 人次 and
    participants 人 per fair and in total), and
(c) the rates page (`careers:rates`, by class, major and level), once the
    graduates have their destinations (an April mix: about half placed),
    each cold (the first request) and the median and p95 of --repeat; a page
    whose URL name does not resolve yet is skipped, and said so;
(d) the positions page as a graduate sees it (their major's first), for
    the frame's cost.

It measures the trivial view (/health/) the same way, for the ratio.
Targets (PostgreSQL): the push under 10 s, each page under 100 ms.
--smoke runs 500 graduates, 30 employers and 300 positions and checks that
every graduate got exactly one digest and the second run none: CI runs it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _common import (
    build_university,
    counting,
    loadavg,
    machine,
    report,
    setup_django,
    time_page,
    trivial_rate,
)

PUSH_TARGET_S = 10.0
PAGE_TARGET_MS = 100.0
COHORT = 2022
MAJORS = [
    "计算机科学与技术",
    "软件工程",
    "信息管理与信息系统",
    "电子商务",
    "数据科学与大数据技术",
    "网络工程",
    "物联网工程",
    "人工智能",
]
# Positions of majors no class has: they reach nobody.
STRAY_MAJOR = "智能制造工程"
EVERY_MAJOR_SHARE = 0.2
ROOM_POSITIONS = 2
REGISTERED_SHARE = 0.4
# An April mix of destinations (code, weight): about half placed.
DESTINATIONS = [
    ("70", 40),
    ("10", 22),
    ("11", 8),
    ("12", 4),
    ("80", 12),
    ("85", 2),
    ("50", 1),
    ("51", 1),
    ("75", 1),
    ("76", 3),
    ("71", 5),
    ("72", 1),
]
PAGES = [
    ("(b) fair counts", "careers:fair_counts"),
    ("(c) rates", "careers:rates"),
]


@dataclass
class Built:
    office: Any
    graduate_user: Any
    fairs: list[Any]
    graduates: int
    participations: int
    seconds: float


def make_graduates(count: int, rng: random.Random) -> int:
    """The students, their classes' majors, and a graduate for each (all seeking)."""
    from shouwang.careers.models import Graduate
    from shouwang.people.models import AdminClass, Person

    build_university(count)
    classes = list(AdminClass.objects.order_by("pk"))
    for n, admin_class in enumerate(classes):
        admin_class.programme = MAJORS[n % len(MAJORS)]
        admin_class.grade = COHORT - 4
        admin_class.degree_level = "master" if n % 10 == 9 else "bachelor"
    AdminClass.objects.bulk_update(classes, ["programme", "grade", "degree_level"])
    students = Person.objects.filter(kind=Person.Kind.STUDENT)
    students.update(graduating=True, grade=COHORT - 4, degree_level="bachelor")
    Graduate.objects.bulk_create(
        [Graduate(person_id=pk, cohort=COHORT) for pk in students.values_list("pk", flat=True)],
        batch_size=2000,
    )
    return Graduate.objects.count()


def make_positions(employers: int, positions: int, now: dt.datetime, rng: random.Random) -> list:
    """The employers and their positions created in the last day; returns the employers."""
    from shouwang.careers.models import Employer, Position, PositionMajor

    cities = ["太原", "北京", "上海", "深圳", "杭州", "西安", "晋中", "大同"]
    made = Employer.objects.bulk_create(
        [
            Employer(
                name=f"用人单位{n:04d}有限公司",
                sector=rng.choice(["信息技术", "金融", "制造", "教育", "互联网"]),
                city=rng.choice(cities),
                contact_name=f"联系人{n}",
                contact_phone=f"139{n:08d}",
                created_at=now - dt.timedelta(days=30),
            )
            for n in range(employers)
        ]
    )
    rows = []
    for n in range(positions):
        low = rng.randrange(4000, 12000, 500)
        rows.append(
            Position(
                employer=made[n % employers],
                title=f"岗位{n:05d}",
                city=rng.choice(cities),
                salary_min=low,
                salary_max=low + rng.randrange(1000, 6000, 500),
                openings=rng.randint(1, 10),
                deadline=now.date() + dt.timedelta(days=rng.randint(10, 90)),
                created_at=now - dt.timedelta(minutes=rng.randint(1, 20 * 60)),
            )
        )
    made_positions = Position.objects.bulk_create(rows, batch_size=2000)
    majors = []
    for position in made_positions:
        if rng.random() < EVERY_MAJOR_SHARE:
            continue
        wanted = rng.sample(MAJORS, rng.randint(1, 3))
        if rng.random() < 0.05:
            wanted.append(STRAY_MAJOR)
        majors += [PositionMajor(position=position, programme=major) for major in wanted]
    PositionMajor.objects.bulk_create(majors, batch_size=2000)
    return made


def make_fairs(college: Any, employers: list, now: dt.datetime, rng: random.Random) -> tuple:
    """Two fairs a few days ahead, each with half the employers in rooms,
    registrations and participations; returns the fairs and the participations made."""
    from shouwang.careers.models import (
        FairEmployer,
        Graduate,
        JobFair,
        Participation,
        Position,
        Registration,
    )

    people = list(Graduate.objects.values_list("person_id", flat=True))
    fairs, made = [], 0
    for k in range(2):
        fair = JobFair.objects.create(
            title=f"2022届毕业生网络双选会（第{k + 1}场）",
            unit=college,
            organiser="学院团委",
            held_on=now.date() + dt.timedelta(days=3 + 7 * k),
            starts_at=dt.time(9, 0),
            ends_at=dt.time(16, 0),
            platform="腾讯会议",
            created_at=now - dt.timedelta(hours=2),
        )
        chosen = employers[k::2]
        rooms = FairEmployer.objects.bulk_create(
            [
                FairEmployer(
                    fair=fair,
                    employer=employer,
                    room_link=f"https://meeting.example.com/{k}/{n}",
                    room_code=f"R{n:05d}",
                )
                for n, employer in enumerate(chosen)
            ]
        )
        through = FairEmployer.positions.through
        by_employer: dict[int, list[int]] = {}
        for pk, employer_id in Position.objects.filter(employer__in=chosen).values_list(
            "pk", "employer_id"
        ):
            by_employer.setdefault(employer_id, []).append(pk)
        through.objects.bulk_create(
            [
                through(fairemployer_id=room.pk, position_id=pk)
                for room in rooms
                for pk in by_employer.get(room.employer_id, [])[:ROOM_POSITIONS]
            ]
        )
        registered = rng.sample(people, int(len(people) * REGISTERED_SHARE))
        Registration.objects.bulk_create(
            [Registration(fair=fair, person_id=person) for person in registered], batch_size=2000
        )
        participations = [
            Participation(
                room=room,
                fair=fair,
                person_id=person,
                source=Participation.Source.ATTENDANCE,
                minutes=rng.randint(5, 60),
            )
            for person in registered
            for room in rng.sample(rooms, rng.randint(1, 4))
        ]
        Participation.objects.bulk_create(participations, batch_size=2000)
        made += len(participations)
        fairs.append(fair)
    return fairs, made


def build(args: argparse.Namespace) -> Built:
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection, transaction

    from shouwang.accounts.models import Role, User
    from shouwang.careers.models import Graduate
    from shouwang.lib import clock
    from shouwang.people.models import Person, Unit

    call_command("migrate", verbosity=0)
    rng = random.Random(21)  # noqa: S311
    now = clock.now()
    started = time.perf_counter()
    with transaction.atomic():
        graduates = make_graduates(args.graduates, rng)
        university = Unit.objects.get(kind=Unit.Kind.UNIVERSITY)
        college = Unit.objects.filter(kind=Unit.Kind.COLLEGE).order_by("pk").first()
        employers = make_positions(args.employers, args.positions, now, rng)
        fairs, participations = make_fairs(college, employers, now, rng)
        office = User.objects.create(
            username="office",
            must_change_password=False,
            person=Person.objects.create(
                number="S09001", name="吕就业", kind=Person.Kind.STAFF, unit=university
            ),
        )
        office.groups.add(Group.objects.get_or_create(name=Role.EMPLOYMENT_OFFICE.value)[0])
        student = Graduate.objects.order_by("pk").values_list("person_id", flat=True)[0]
        graduate_user = User.objects.create(
            username="graduate", must_change_password=False, person_id=student
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return Built(
        office, graduate_user, fairs, graduates, participations, time.perf_counter() - started
    )


def give_destinations(rng: random.Random) -> None:
    """The April mix of destinations, for the rates page."""
    from django.db import connection

    from shouwang.careers.models import Graduate

    codes = [code for code, weight in DESTINATIONS for _ in range(weight)]
    graduates = list(Graduate.objects.only("pk", "destination"))
    for graduate in graduates:
        graduate.destination = rng.choice(codes)
    Graduate.objects.bulk_update(graduates, ["destination"], batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def push(built: Built) -> tuple[float, int, int]:
    """The digest to every graduate: seconds, statements, messages; then the
    second run of the day, which must send nothing."""
    from django.urls import reverse

    from shouwang.careers import digest
    from shouwang.careers.message_kinds import POSITIONS
    from shouwang.notify.models import Message

    # The URL resolver is loaded once per worker process, not once per push.
    reverse("careers:position_list")
    statements: list[int] = []
    with counting(statements):
        started = time.perf_counter()
        sent = digest.send_digests()
        seconds = time.perf_counter() - started
    report(
        f"(a) the push to {built.graduates:,} graduates",
        seconds,
        f"{len(statements)} statements, {sent:,} messages",
    )
    stored = Message.objects.filter(kind=POSITIONS).count()
    people = Message.objects.filter(kind=POSITIONS).values("recipient").distinct().count()
    if not sent == stored == people == built.graduates:
        raise SystemExit(
            f"the push sent {sent}, stored {stored} to {people} people, of {built.graduates}"
        )
    started = time.perf_counter()
    again = digest.send_digests()
    report(
        "    the same run again (at most one a day)",
        time.perf_counter() - started,
        f"{again} messages",
    )
    if again:
        raise SystemExit(f"the second run of the day sent {again} digests")
    return seconds, len(statements), sent


def page_url(name: str, fairs: list) -> str | None:
    """The page's address, or None if it is not built yet."""
    from django.urls import NoReverseMatch, reverse

    for args in ([], [fairs[0].pk]):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return None


def measure_pages(built: Built, repeat: int) -> dict[str, float]:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(built.office)
    medians = {}
    for label, name in PAGES:
        url = page_url(name, built.fairs)
        if url is None:
            print(f"  {label}: skipped, {name} does not resolve here")
            continue
        medians[label] = time_page(client, f"{label} ({url})", url, repeat).median_ms
    graduate = Client()
    graduate.force_login(built.graduate_user)
    time_page(graduate, "(d) positions, as a graduate", reverse("careers:position_list"), repeat)
    rate = trivial_rate(client, max(200, repeat * 20))
    ratios = "".join(
        f"; {label} / trivial {ms * rate / 1000:.0f}×" for label, ms in medians.items()
    )
    print(f"  trivial view (/health/): {rate:,.0f} requests/s, {1000 / rate:.2f} ms each{ratios}")
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--graduates", type=int, default=5_000)
    parser.add_argument("--employers", type=int, default=300)
    parser.add_argument("--positions", type=int, default=3_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--smoke", action="store_true", help="500 graduates; counts checked")
    args = parser.parse_args()
    if args.smoke:
        args.graduates, args.employers, args.positions, args.repeat = 500, 30, 300, 3

    with tempfile.TemporaryDirectory(prefix="shouwang-careers-") as tmp:
        setup_django(Path(tmp))
        from django.db import connection

        print(
            f"{args.graduates:,} graduates seeking work, {args.employers} employers, "
            f"{args.positions:,} positions, two fairs:"
        )
        built = build(args)
        print(
            f"  built and analysed in {built.seconds:.1f} s "
            f"({built.participations:,} participations)"
        )
        print(f"{machine()}; load average {loadavg()}")
        seconds, _statements, _sent = push(built)
        give_destinations(random.Random(22))  # noqa: S311
        print("server time per request (the employment office):")
        medians = measure_pages(built, args.repeat)
        vendor = connection.vendor
    if args.smoke:
        print("smoke: every graduate got one digest, and the second run none")
        return
    if (args.graduates, args.employers, args.positions) != (5_000, 300, 3_000):
        print("targets: set for 5,000 graduates, 300 employers, 3,000 positions; not judged here")
        return
    print("targets:")
    met = "PASS" if seconds < PUSH_TARGET_S else "FAIL"
    print(f"  {met}: the push under {PUSH_TARGET_S:.0f} s ({vendor}): {seconds:.2f} s")
    for label, median in medians.items():
        met = "PASS" if median < PAGE_TARGET_MS else "FAIL"
        print(f"  {met}: {label} under {PAGE_TARGET_MS:.0f} ms ({vendor}): median {median:.1f} ms")


if __name__ == "__main__":
    main()
