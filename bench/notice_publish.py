"""Benchmark: a notice to a whole university, and a 催办 to those who did not acknowledge.

    .venv/bin/python bench/notice_publish.py [--people 30000] [--smoke]

Sets up a throwaway database (SQLite in a temporary folder, or DATABASE_URL,
which must name an empty PostgreSQL database) with --people students in
classes of 40 across ten colleges, and starts a real task worker
(`manage.py db_worker`) on it, as `manage.py run` does. Then, as a leader,
through the Django test client in this process:

1. writes a notice to everyone that asks for acknowledgement, and publishes
   it: the time of the publishing request, which writes every receipt;
2. waits for the worker to put the notice in every inbox: the time from the
   publishing request's answer to the last message stored;
3. has 10 % acknowledge, then presses 催办: the time of that request, and the
   time until the worker has reminded every one of the other 90 %;
4. opens the notice's page, with its counts by unit and class (best of 5).

Targets for 30,000 people: receipts in under 5 s, every inbox within 60 s.
--smoke runs 2,000 people and checks every count: CI runs it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _common import ROOT, build_university, loadavg, machine, report, setup_django

ACKNOWLEDGING_SHARE = 0.1
WAIT_LIMIT_S = 600
TARGET_RECEIPTS_S = 5.0
TARGET_INBOX_S = 60.0


def start_worker() -> subprocess.Popen:
    """The task worker `manage.py run` starts, on the benchmark's database."""
    return subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "db_worker",
            "--no-startup-delay",
            "--interval",
            "0.2",
            "--no-reload",
            "--verbosity",
            "0",
        ],
        env=os.environ.copy(),
        cwd=ROOT,
    )


def wait_for(count: Callable[[], int], wanted: int, worker: subprocess.Popen) -> float:
    """Seconds until count() reaches wanted."""
    started = time.perf_counter()
    while count() < wanted:
        if worker.poll() is not None:
            raise SystemExit(f"the worker exited with {worker.returncode}")
        if time.perf_counter() - started > WAIT_LIMIT_S:
            raise SystemExit(f"only {count()} of {wanted} after {WAIT_LIMIT_S} s")
        time.sleep(0.1)
    return time.perf_counter() - started


def timed_post(client, url: str, data: dict | None = None) -> float:
    started = time.perf_counter()
    response = client.post(url, data or {})
    seconds = time.perf_counter() - started
    if response.status_code != 302:
        raise SystemExit(f"POST {url}: {response.status_code}")
    return seconds


def timed_get(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"GET {url}: {response.status_code}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--smoke", action="store_true", help="2,000 people; every count checked")
    args = parser.parse_args()
    if args.smoke:
        args.people = 2000

    with tempfile.TemporaryDirectory(prefix="shouwang-notices-") as tmp:
        setup_django(Path(tmp))
        from django.contrib.auth.models import Group
        from django.core.management import call_command
        from django.db import connection, transaction
        from django.test import Client
        from django.urls import reverse

        from shouwang.accounts.models import Role, User
        from shouwang.lib import clock
        from shouwang.notices.message_kinds import NOTICE
        from shouwang.notices.models import Notice, Receipt
        from shouwang.notify.kinds import REMINDER
        from shouwang.notify.models import Message
        from shouwang.people.models import Person

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        with transaction.atomic():
            university, _counsellors = build_university(args.people)
            # At the university's unit: a leader reaches their unit and everything below.
            leader = User.objects.create(
                username="leader",
                must_change_password=False,
                person=Person.objects.create(
                    number="L0001", name="校领导", kind=Person.Kind.STAFF, unit=university
                ),
            )
            leader.groups.add(Group.objects.create(name=Role.LEADER.value))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        setup_s = time.perf_counter() - started
        print(f"a university of {args.people} students, set up in {setup_s:.1f} s")
        print(f"{machine()}; load average {loadavg()}")

        worker = start_worker()
        try:
            client = Client()
            client.force_login(leader)
            client.post(
                reverse("notices:notice_new"),
                {
                    "title": "关于全员核酸检测的通知",
                    "body": "明天7:00在体育馆检测，请按楼栋分时段下楼。",
                    "everyone": "on",
                    "kind": "all",
                    "requires_acknowledgement": "on",
                },
            )
            notice = Notice.objects.get()
            publish_s = timed_post(client, reverse("notices:notice_publish", args=[notice.pk]))
            receipts = Receipt.objects.filter(notice=notice).count()
            inbox = Message.objects.filter(kind=NOTICE)
            inbox_s = wait_for(inbox.count, receipts, worker)
            report("publish (the request: every receipt)", publish_s, f"{receipts} receipts")
            report("every inbox (after the answer)", inbox_s)

            # A tenth acknowledge; the rest are reminded.
            acknowledging = receipts * ACKNOWLEDGING_SHARE
            Receipt.objects.filter(
                notice=notice, person_id__lt=min_person(notice) + acknowledging
            ).update(read_at=clock.now(), acknowledged_at=clock.now())
            outstanding = Receipt.objects.filter(
                notice=notice, acknowledged_at__isnull=True
            ).count()
            remind_s = timed_post(client, reverse("notices:notice_remind", args=[notice.pk]))
            reminders = Message.objects.filter(kind=REMINDER)
            reminded_s = wait_for(reminders.count, outstanding, worker)
            report("催办 (the request)", remind_s, f"{outstanding} people")
            report("every reminder (after the answer)", reminded_s)
            page_s = min(timed_get(client, notice.get_absolute_url()) for _ in range(5))
            report("the author's page (counts by class)", page_s, "best of 5")
        finally:
            worker.terminate()
            worker.wait(timeout=30)

        if args.smoke:
            everyone = Person.objects.filter(status=Person.Status.PRESENT).count()
            checks = {
                "receipts": (receipts, everyone),
                "inbox messages": (inbox.count(), everyone),
                "reminders": (reminders.count(), outstanding),
                "reminded who acknowledged": (
                    reminders.filter(recipient__receipts__acknowledged_at__isnull=False).count(),
                    0,
                ),
            }
            wrong = {name: pair for name, pair in checks.items() if pair[0] != pair[1]}
            if wrong:
                raise SystemExit(f"wrong counts (got, wanted): {wrong}")
            print("smoke: every count is right")
        elif args.people == 30_000:
            for name, seconds, target in [
                ("receipts", publish_s, TARGET_RECEIPTS_S),
                ("every inbox", inbox_s, TARGET_INBOX_S),
            ]:
                verdict = "met" if seconds < target else "NOT met"
                print(f"target: {name} under {target:.0f} s ({connection.vendor}): ", end="")
                print(f"{seconds:.2f} s, {verdict}")


def min_person(notice) -> int:
    return notice.receipts.order_by("person_id").values_list("person_id", flat=True)[0]


if __name__ == "__main__":
    main()
