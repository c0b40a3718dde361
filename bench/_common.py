"""What the benchmarks share: their Django setup, the university they build,
how a page is timed, and what every one prints about the machine it ran on."""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "bench-secret-key-not-for-production-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105
# The university the benchmarks build: students in classes of 40, a counsellor
# for every four classes, across ten colleges.
CLASS_SIZE = 40
CLASSES_PER_COUNSELLOR = 4
COLLEGES = 10


def machine() -> str:
    """Cores, CPU model, Python and the database server of the configured connection."""
    from django.db import connection

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    database = f"SQLite {sqlite3.sqlite_version}"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
    return f"{os.cpu_count()} CPUs, {cpu}; Python {platform.python_version()}; {database}"


def report(what: str, seconds: float, detail: str = "") -> None:
    """One timed step, aligned with the others."""
    print(f"  {what:<44} {seconds:7.2f} s  {detail}")


def loadavg() -> str:
    """The one-minute load average: other work on the machine shows in every timing."""
    return Path("/proc/loadavg").read_text().split(" ", 1)[0]


def setup_django(var_dir: Path) -> None:
    """Production settings on a throwaway database: SQLite in `var_dir`, or DATABASE_URL."""
    os.environ.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,testserver",
            "SECURE_SSL_REDIRECT": "0",
            "VAR_DIR": str(var_dir),
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("SHOUWANG_DEMO_START", None)
    os.environ.pop("SHOUWANG_DEMO_EPOCH", None)
    # The embedded defaults: the local-memory cache, not a Redis the shell names.
    os.environ.pop("REDIS_URL", None)
    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = str(var_dir / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouwang.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# Every student in `per` teaching classes: (7 × id + k × step) mod classes,
# k = 0..per-1, all different as long as (per - 1) × step < classes.
ENROLMENTS_SQL = """
    WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < %(per)s - 1)
    INSERT INTO teaching_enrolment (teaching_class_id, student_id)
    SELECT %(first_class)s + ((p.id * 7 + k.n * %(step)s) %% %(classes)s), p.id
    FROM people_person p CROSS JOIN k
    WHERE p.kind = 'student'
"""
# Every enrolled student of every lesson held, present nine times in ten.
ATTENDANCE_SQL = """
    INSERT INTO teaching_attendance (lesson_id, student_id, status, minutes, source, recorded_at)
    SELECT l.id, e.student_id,
        CASE WHEN (l.id + e.student_id * 3) %% 100 < 90 THEN 'present'
             WHEN (l.id + e.student_id * 3) %% 100 < 94 THEN 'late'
             WHEN (l.id + e.student_id * 3) %% 100 < 99 THEN 'absent'
             ELSE 'excused' END,
        80, 'imported', %(now)s
    FROM teaching_lesson l
    JOIN teaching_enrolment e ON e.teaching_class_id = l.teaching_class_id
    WHERE l.status = 'held'
"""


STUDENTS_SQL = {
    # n = 0 .. people-1; class n // 40 of the classes in id order.
    "postgresql": """
        INSERT INTO people_person (number, name, name_pinyin, name_initials, kind, gender,
            mobile, political_status, unit_id, grade, programme, degree_level,
            admin_class_id, dorm_room_id, branch_id, graduating, status, assistant_counsellor,
            wecom_userid, dingtalk_userid)
        SELECT 'S' || lpad(n::text, 7, '0'), '学生' || n, 'xuesheng' || n, 'xs', 'student',
            '', '', 'masses', c.unit_id, NULL, '', '', c.id, NULL, NULL, false, 'present', false,
            '', ''
        FROM generate_series(0, %(people)s - 1) AS n
        JOIN people_adminclass c ON c.id = %(first_class)s + n / 40
    """,
    "sqlite": """
        WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < %(people)s)
        INSERT INTO people_person (number, name, name_pinyin, name_initials, kind, gender,
            mobile, political_status, unit_id, grade, programme, degree_level,
            admin_class_id, dorm_room_id, branch_id, graduating, status, assistant_counsellor,
            wecom_userid, dingtalk_userid)
        SELECT 'S' || printf('%%07d', n), '学生' || n, 'xuesheng' || n, 'xs', 'student',
            '', '', 'masses', c.unit_id, NULL, '', '', c.id, NULL, NULL, 0, 'present', 0,
            '', ''
        FROM seq JOIN people_adminclass c ON c.id = %(first_class)s + n / 40
    """,
}


def build_university(people: int) -> tuple[Any, list[Any]]:
    """The university's units, counsellors, classes and `people` students,
    the students written by one INSERT … SELECT; returns the university unit
    and the counsellors. Call inside a transaction, after migrating."""
    from django.db import connection

    from shouwang.people.models import AdminClass, Person, Unit

    university = Unit.objects.create(name="山西财经大学", kind=Unit.Kind.UNIVERSITY)
    colleges = [
        Unit.objects.create(name=f"学院{n}", kind=Unit.Kind.COLLEGE, parent=university)
        for n in range(COLLEGES)
    ]
    classes = -(-people // CLASS_SIZE)
    counsellor_count = -(-classes // CLASSES_PER_COUNSELLOR)
    counsellors = Person.objects.bulk_create(
        [
            Person(
                number=f"T{n:05d}",
                name=f"辅导员{n}",
                name_pinyin=f"fudaoyuan{n}",
                name_initials="fdy",
                kind=Person.Kind.STAFF,
                unit=colleges[n * COLLEGES // counsellor_count],
            )
            for n in range(counsellor_count)
        ],
        batch_size=2000,
    )
    AdminClass.objects.bulk_create(
        [
            AdminClass(
                name=f"班级{n:05d}",
                unit=colleges[n * COLLEGES // classes],
                counsellor=counsellors[n // CLASSES_PER_COUNSELLOR],
            )
            for n in range(classes)
        ],
        batch_size=2000,
    )
    first_class = AdminClass.objects.order_by("pk").values_list("pk", flat=True)[0]
    with connection.cursor() as cursor:
        cursor.execute(
            STUDENTS_SQL[connection.vendor], {"people": people, "first_class": first_class}
        )
    return university, counsellors


# -- timing a page -------------------------------------------------------------


@dataclass
class Sample:
    seconds: float
    statements: int


@contextmanager
def counting(out: list[int]) -> Iterator[None]:
    """Append 1 to `out` for each SQL statement run in the block."""
    from django.db import connection

    def wrapper(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        out.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield


def timed(client: Any, url: str) -> tuple[Sample, Any]:
    """One GET of `url`: its time and statements, and the response (which must be 200)."""
    statements: list[int] = []
    with counting(statements):
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url}: status {response.status_code}")
    return Sample(elapsed, len(statements)), response


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass
class Timing:
    cold_ms: float
    median_ms: float
    p95_ms: float
    statements: int
    response: Any


def time_page(client: Any, name: str, url: str, repeat: int, width: int = 40) -> Timing:
    """The page's first request (cold) and `repeat` more, printed on one line."""
    cold, response = timed(client, url)
    samples = [timed(client, url)[0] for _ in range(repeat)]
    timing = Timing(
        cold.seconds * 1000,
        statistics.median(s.seconds for s in samples) * 1000,
        quantile([s.seconds for s in samples], 0.95) * 1000,
        samples[-1].statements,
        response,
    )
    print(
        f"  {name:<{width}} cold {timing.cold_ms:7.1f} ms  median {timing.median_ms:7.1f} ms  "
        f"p95 {timing.p95_ms:7.1f} ms  {timing.statements} statements"
    )
    return timing


def trivial_rate(client: Any, repeat: int) -> float:
    """Requests a second of the trivial view (/health/), one at a time, in this process."""
    for _ in range(50):
        client.get("/health/")
    started = time.perf_counter()
    for _ in range(repeat):
        client.get("/health/")
    return repeat / (time.perf_counter() - started)
