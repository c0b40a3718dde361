"""Benchmark: a 30,000-row enrolment list (教学班 + 学号) checked and committed.

    .venv/bin/python bench/teaching_import.py [--rows 30000] [--classes 1500] [--smoke]

Sets up a throwaway database (SQLite in a temporary folder, or DATABASE_URL,
which must name an empty database) with --rows students and --classes
teaching classes of one term, writes an .xlsx enrolment list of one row per
student (a class's code and the student's number), then times what the
import's two background jobs do: the check (`check_enrolment` streaming the
stored file, then `record_check`), and the commit (the file checked again,
then `commit_enrolment`, one transaction); and a second commit of the same
file, which must create nothing. Target: check + commit of 30,000 rows under
15 s. --smoke runs 600 rows and 30 classes and checks every count: CI runs it.

`measure_enrolment_import(rows)` does the same on an already configured and
migrated database and returns the seconds of check + commit, for another
benchmark (bench/teaching_report.py) to report.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import loadavg, machine, report, setup_django

TARGET_SECONDS = 15.0
CLASSES = 1500


def build(rows: int, classes: int) -> tuple[Any, list[list[str]]]:
    """A term of `classes` teaching classes, `rows` students, and the rows of
    their enrolment list (student n in class n mod `classes`)."""
    from shouwang.people.models import Person, Unit
    from shouwang.teaching.models import TeachingClass, Term

    # Several runs on one database (another benchmark calling) keep apart.
    run = Term.objects.filter(name__startswith="bench-enrolment-").count()
    term = Term.objects.create(
        name=f"bench-enrolment-{run}", first_monday=dt.date(2022, 2, 28), weeks=18
    )
    unit = Unit.objects.create(name=f"选课基准学院{run}", kind=Unit.Kind.COLLEGE)
    prefix = f"E{run:02d}"
    Person.objects.bulk_create(
        [
            Person(
                number=f"{prefix}{n:07d}",
                name=f"学生{n}",
                name_pinyin=f"xuesheng{n}",
                name_initials="xs",
                kind=Person.Kind.STUDENT,
                unit=unit,
            )
            for n in range(rows)
        ],
        batch_size=2000,
    )
    TeachingClass.objects.bulk_create(
        [
            TeachingClass(
                term=term,
                code=f"({term.name})-B{n:05d}-01",
                course_code=f"B{n:05d}",
                course_name=f"课程{n}",
                unit=unit,
                planned_hours=32,
            )
            for n in range(classes)
        ],
        batch_size=2000,
    )
    table = [
        [f"({term.name})-B{n % classes:05d}-01", f"{prefix}{n:07d}", f"学生{n}"]
        for n in range(rows)
    ]
    return term, table


def timed_import(rows: int, classes: int = CLASSES) -> dict[str, Any]:
    """Build, write the file, and time the check, the commit and a second commit."""
    from django.core.files.base import ContentFile

    from shouwang.lib.spreadsheets import write_xlsx
    from shouwang.teaching.imports import check_enrolment, commit_enrolment
    from shouwang.teaching.models import Enrolment, EnrolmentImport

    started = time.perf_counter()
    term, table = build(rows, classes)
    data = write_xlsx(["教学班", "学号", "姓名"], table, title="选课名单")
    setup_s = time.perf_counter() - started

    def record() -> Any:
        return EnrolmentImport.objects.create(
            term=term, file=ContentFile(data, name="enrolment.xlsx"), filename="enrolment.xlsx"
        )

    def commit(item: Any) -> tuple[float, dict[str, int]]:
        started = time.perf_counter()
        with item.rows() as stream:
            check = check_enrolment(stream, term)
        summary = commit_enrolment(item, check, acting_user=None)
        return time.perf_counter() - started, summary

    item = record()
    started = time.perf_counter()
    with item.rows() as stream:
        item.record_check(check_enrolment(stream, term))
    check_s = time.perf_counter() - started
    commit_s, summary = commit(item)
    again_s, again = commit(record())
    return {
        "setup_s": setup_s,
        "bytes": len(data),
        "check_s": check_s,
        "commit_s": commit_s,
        "again_s": again_s,
        "valid": item.valid_rows,
        "invalid": item.invalid_rows,
        "summary": summary,
        "again": again,
        "enrolments": Enrolment.objects.filter(teaching_class__term=term).count(),
    }


def measure_enrolment_import(rows: int) -> float:
    """Seconds to check and commit a `rows`-row enrolment list of 1,500 classes
    (fewer for a small list), on the configured, migrated database."""
    figures = timed_import(rows, min(CLASSES, max(1, rows // 20)))
    return float(figures["check_s"] + figures["commit_s"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--classes", type=int, default=CLASSES)
    parser.add_argument("--smoke", action="store_true", help="600 rows; every count checked")
    args = parser.parse_args()
    if args.smoke:
        args.rows, args.classes = 600, 30

    with tempfile.TemporaryDirectory(prefix="shouwang-enrolment-") as tmp:
        setup_django(Path(tmp))
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        figures = timed_import(args.rows, args.classes)
        print(
            f"{args.rows} students, {args.classes} teaching classes; "
            f"built in {figures['setup_s']:.1f} s, file {figures['bytes'] / 1e6:.1f} MB"
        )
        print(f"{machine()}; load average {loadavg()}")
        rows = args.rows
        check_s, commit_s = figures["check_s"], figures["commit_s"]
        report(
            "check (stream, validate, keep the preview)", check_s, f"{rows / check_s:.0f} rows/s"
        )
        report("commit (check again, write)", commit_s, f"{figures['summary']}")
        total = check_s + commit_s
        report("check + commit", total, f"target {TARGET_SECONDS:.0f} s for 30,000 rows")
        report("the same file again", figures["again_s"], f"{figures['again']}")

        problems = []
        if (figures["valid"], figures["invalid"]) != (rows, 0):
            problems.append(f"valid {figures['valid']}, invalid {figures['invalid']}")
        if figures["summary"] != {"created": rows, "unchanged": 0}:
            problems.append(f"the commit made {figures['summary']}")
        if figures["again"] != {"created": 0, "unchanged": rows}:
            problems.append(f"the same file again made {figures['again']}")
        if figures["enrolments"] != rows:
            problems.append(f"{figures['enrolments']} enrolments stored, expected {rows}")
        if not args.smoke and rows >= 30_000 and total > TARGET_SECONDS:
            problems.append(f"over the {TARGET_SECONDS:.0f} s target")
        for problem in problems:
            print(f"FAIL: {problem}")
        if args.smoke and not problems:
            print("smoke: every count is right")
        return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
