"""Several app servers, shown: the README's "Several app servers" recipe run
on this machine, with one app server and one task worker killed in the middle.

    .venv/bin/python scripts/multi_server.py [--people 3000] [--clients 32]
        [--database-url postgres://postgres@127.0.0.1:5432/shouwang_multi_server]
        [--redis-url redis://127.0.0.1:6379/14] [--base-port 0]

Creates (dropping it first) the PostgreSQL database named by --database-url,
empties the Redis database of --redis-url, migrates, and builds a college of
--people students, each logged in and with a WeCom account, under an open
incident. Then starts, each in a process group of its own:

- two app servers (gunicorn, two workers each) on two ports;
- HAProxy in front of them (Debian's `haproxy`), which takes a server that
  stops answering its health check out of rotation and sends a request whose
  server died before answering to the other one: the check-in's form key makes
  a check-in sent twice the same check-in;
- two Redis-queue workers (`manage.py rqworker default --job-class
  django_tasks_rq.Job`) and two schedulers (`manage.py scheduler`);
- a stand-in for WeCom's API (the `wecom_app` channel) that counts what each
  person receives.

Every student then opens the check-in page through the balancer, checks in
and reads the receipt (the morning wave of bench/morning_wave.py). A fifth of
the way in, a leader publishes a notice to everyone: a worker puts it in every
inbox (the fan-out) and the workers push it to WeCom. Halfway through the
wave one app server is killed (`kill -9` of its whole process group), and the
worker running the fan-out is killed with its work horse once the first
messages are stored. When the wave is over and the messages settle (or
--settle seconds pass), everything is stopped and checked:

- no client saw an error, and every student saw their receipt;
- every check-in is stored exactly once;
- no person received the notice twice, and every delivery marked sent
  reached WeCom exactly once;
- each minute's slot of the every-minute jobs fired exactly once while the
  schedulers ran (one `ScheduledRun` row each, none missing);

- every recipient has the notice in their inbox: the fan-out resumed after
  its worker was killed;
- every WeCom delivery was received once, or is listed as unknown.

The workers' leases are shortened to 30 s, so that what a killed worker held
is taken up within the run. Exits non-zero when a check fails. CI runs it with
the defaults.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from morning_wave import (  # noqa: E402
    Stats,
    Student,
    build_college,
    drive,
    raw_get,
    server_env,
    setup_django,
    wave_flows,
)

MANAGE = [sys.executable, str(ROOT / "manage.py")]
NOTICE_TITLE = "关于全员核酸检测的通知"
WECOM = {"WECOM_CORP_ID": "ww-multi", "WECOM_AGENT_ID": "1000002", "WECOM_SECRET": "s3cret"}
HAPROXY_CONFIG = """\
global
    maxconn 2048
    log stdout format raw local0

defaults
    mode http
    # Only what went wrong: a retry, a redispatch, an error answered.
    log global
    option httplog
    option dontlog-normal
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout queue 60s
    # A busy server answers its health check late, not never.
    timeout check 10s
    # A request whose server refused the connection or died before answering
    # goes to the other server.
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response

frontend web
    bind 127.0.0.1:{port}
    default_backend app

backend app
    balance roundrobin
    option httpchk
    http-check send meth GET uri /health/ hdr Host 127.0.0.1
    # Each server gets twice as many requests as it has workers; the balancer
    # queues the rest, so that no health check waits behind a crowd.
{servers}
"""


class Group:
    """A process started in a session of its own, so that a kill takes all its children."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log: Path):
        self.name = name
        self.process = subprocess.Popen(  # noqa: S603
            argv,
            cwd=ROOT,
            env=env,
            stdout=log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def kill(self) -> None:
        os.killpg(self.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def ports(base: int, count: int) -> list[int]:
    if base:
        return list(range(base, base + count))
    found = []
    for _ in range(count):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            found.append(probe.getsockname()[1])
    return found


def healthy(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(raw_get(port, "/health/", close=True))
            return sock.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def wait_until(probe, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not probe():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {what} after {seconds:.0f} s")
        time.sleep(0.2)


def fresh_database(url: str) -> None:
    """Drop and create the database the URL names (on the server's `postgres` database)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def kill_horse_and_worker(pid: int) -> None:
    """rq runs each job in a work horse of its own session: a machine that
    dies takes both, so both are killed."""
    children = [
        int(stat.parent.name) for stat in Path("/proc").glob("[0-9]*/stat") if _ppid(stat) == pid
    ]
    for child in children:
        os.kill(child, signal.SIGKILL)
    os.kill(pid, signal.SIGKILL)


def _ppid(stat: Path) -> int | None:
    try:
        return int(stat.read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/shouwang_multi_server",
        help="a PostgreSQL database this script may drop and create",
    )
    parser.add_argument(
        "--redis-url", default="redis://127.0.0.1:6379/14", help="a Redis database it may empty"
    )
    parser.add_argument("--base-port", type=int, default=0, help="first of 3 ports (default: free)")
    parser.add_argument("--wave-seconds", type=float, default=240.0)
    parser.add_argument(
        "--settle", type=float, default=240.0, help="seconds for messages to settle in"
    )
    args = parser.parse_args()
    if not subprocess.run(["which", "haproxy"], capture_output=True, check=False).stdout:  # noqa: S607
        raise SystemExit("needs HAProxy (apt-get install haproxy)")

    started = time.monotonic()
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    fresh_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url

    from shouwang.notify.tests.fake_vendors import FakeWeCom

    with (
        tempfile.TemporaryDirectory(prefix="shouwang-multi-") as tmp,
        FakeWeCom(
            app_id=WECOM["WECOM_CORP_ID"],
            secret=WECOM["WECOM_SECRET"],
            agent_id=int(WECOM["WECOM_AGENT_ID"]),
            users={f"2022{n:06d}" for n in range(args.people)},
        ) as wecom,
    ):
        var_dir = Path(tmp)
        env = {
            **server_env(var_dir),
            "REDIS_URL": args.redis_url,
            "TASKS_BACKEND": "rq",
            "NOTIFY_CHANNELS": "inbox,wecom_app",
            **WECOM,
            "WECOM_API_BASE": wecom.url,
            # The stand-in takes any rate; WeCom's 600 a minute would make this run ten minutes.
            "NOTIFY_WECOM_APP_PER_MINUTE": "100000",
            # A killed worker's job and sends are taken up within the run,
            # not after the production leases of five and ten minutes.
            "JOB_LEASE_SECONDS": "30",
            "DELIVERY_LEASE_SECONDS": "30",
        }
        setup_django(env)
        outcome = run(args, env, var_dir, wecom, started)
    print(f"whole run: {time.monotonic() - started:.0f} s")
    if outcome:
        raise SystemExit("FAILED: " + "; ".join(outcome))
    print("several app servers: every check passed")


@dataclass
class Faults:
    """What the wave went through and what it left."""

    stats: Stats
    notice: Any = None
    receipts: int = 0
    killed_worker: str = ""


def run(args, env: dict[str, str], var_dir: Path, wecom, started: float) -> list[str]:
    students, leader = college(args.people)
    print(f"college of {args.people} students set up in {time.monotonic() - started:.0f} s")
    lb_port, *app_ports = ports(args.base_port, 3)
    (var_dir / "haproxy.cfg").write_text(
        HAPROXY_CONFIG.format(
            port=lb_port,
            servers="\n".join(
                f"    server app{n} 127.0.0.1:{port} check inter 2s fall 3 rise 2 maxconn 4 "
                "observe layer4 error-limit 1 on-error mark-down"
                for n, port in enumerate(app_ports, 1)
            ),
        )
    )
    log = var_dir / "processes.log"
    apps = [
        Group(
            f"app server {n}",
            [sys.executable, "-m", "gunicorn", "shouwang.wsgi:application"]
            + ["--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "30"],
            env,
            log,
        )
        for n, port in enumerate(app_ports, 1)
    ]
    worker = [*MANAGE, "rqworker", "default", "--job-class", "django_tasks_rq.Job"]
    workers = [Group(f"worker {n}", worker, env, log) for n in (1, 2)]
    faults = Faults(Stats())
    schedulers = [Group(f"scheduler {n}", [*MANAGE, "scheduler"], env, log) for n in (1, 2)]
    balancer = Group("HAProxy", ["haproxy", "-f", str(var_dir / "haproxy.cfg")], env, log)
    try:
        for port in app_ports:
            wait_until(lambda port=port: healthy(port), 120, f"the app server on {port}")
        wait_until(lambda: healthy(lb_port), 30, "the balancer")
        up = time.monotonic() - started
        print(f"two app servers, HAProxy, two workers and two schedulers up at {up:.0f} s")
        wave_with_faults(args, students, leader, lb_port, apps[0], faults)
    finally:
        for group in [balancer, *apps, *workers, *schedulers]:
            group.stop()
    print(f"everything stopped at {time.monotonic() - started:.0f} s")
    logged = log.read_text(errors="replace").splitlines()
    for line in logged:
        if "Server app/" in line or "no server available" in line:
            print(f"  HAProxy: {line.split(': ', 1)[-1][:160]}")
    answered = [line for line in logged if " web app/" in line]
    print(f"  HAProxy logged {len(answered)} requests that went wrong, e.g.:")
    for line in answered[:5]:
        print(f"    {line[:200]}")
    if not faults.killed_worker:
        print("the fan-out ended before its worker could be killed: no worker was killed")
    checks = Checks()
    check_checkins(checks, args.people, faults.stats)
    check_notice(checks, faults, wecom)
    check_slots(checks, faults)
    return checks.problems


def college(people: int) -> tuple[list[Student], Any]:
    """bench/morning_wave.py's college, its students with a WeCom account, and
    a leader of the college to publish the notice."""
    from django.contrib.auth.models import Group as AuthGroup
    from django.db.models import F

    from shouwang.accounts.models import Role, User
    from shouwang.people.models import Person, Unit

    students = build_college(people)
    Person.objects.filter(kind=Person.Kind.STUDENT).update(wecom_userid=F("number"))
    leader = User.objects.create(
        username="leader",
        must_change_password=False,
        person=Person.objects.create(
            number="L0001", name="学院领导", kind=Person.Kind.STAFF, unit=Unit.objects.get()
        ),
    )
    leader.groups.add(AuthGroup.objects.create(name=Role.LEADER.value))
    close_connection()
    return students, leader


def close_connection() -> None:
    """The orchestrating loop's queries must not hold a transaction's snapshot."""
    from django.db import connections

    connections.close_all()


def wave_with_faults(args, students, leader, lb_port: int, app: Group, faults: Faults) -> None:
    """The wave through the balancer; the notice a fifth of the way in; the app
    server killed halfway, the fan-out's worker once it has stored messages."""
    import redis

    from shouwang.checkins.models import CheckIn
    from shouwang.notices.models import Receipt

    def wave() -> None:
        until = time.monotonic() + args.wave_seconds
        faults.stats = drive(lb_port, wave_flows(lb_port, students), args.clients, until)

    wave_thread = threading.Thread(target=wave)
    wave_started = time.monotonic()
    wave_thread.start()
    killed_app = False
    queue = redis.Redis.from_url(args.redis_url)
    while wave_thread.is_alive() or (
        faults.notice and not faults.killed_worker and fanning_out(faults.notice)
    ):
        checked_in = CheckIn.objects.count()
        if faults.notice is None and checked_in >= args.people // 5:
            faults.notice = publish(leader)
            print(f"notice published with {checked_in} checked in")
        if not killed_app and checked_in >= args.people // 2:
            app.kill()
            killed_app = True
            print(f"{app.name} killed with {checked_in} checked in")
        if faults.notice and not faults.killed_worker:
            stored = notice_messages(faults.notice).count()
            pid = fan_out_worker(queue) if stored else None
            if pid:
                kill_horse_and_worker(pid)
                faults.killed_worker = f"the fan-out's worker killed with {stored} messages stored"
                print(faults.killed_worker)
        close_connection()
        time.sleep(0.1)
    wave_thread.join()
    stats = faults.stats
    print(
        f"the wave: {stats.flows_done} of {args.people} students checked in and saw the "
        f"receipt in {time.monotonic() - wave_started:.0f} s; client errors: "
        f"{dict(stats.errors) or 0}"
    )
    if faults.notice:
        faults.receipts = Receipt.objects.filter(notice=faults.notice).count()
        settle(faults.notice, faults.receipts, args.settle)


def settle(notice, receipts: int, seconds: float) -> None:
    """Wait until every message is out, `seconds` have passed, or nothing moved
    for 100 s (a killed worker's lease of 30 s, and the minute's recovery)."""
    settle_by = time.monotonic() + seconds
    progress, moved = None, time.monotonic()
    while time.monotonic() < min(settle_by, moved + 100) and not settled(notice, receipts):
        now_at = (notice_messages(notice).count(), sent_count(notice))
        if now_at != progress:
            progress, moved = now_at, time.monotonic()
        close_connection()
        time.sleep(0.5)


class Checks:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def __call__(self, ok: bool, what: str) -> None:
        print(f"  {'ok  ' if ok else 'FAIL'} {what}")
        if not ok:
            self.problems.append(what)


def check_checkins(check: Checks, people: int, stats: Stats) -> None:
    from shouwang.checkins.models import CheckIn

    errors = sum(stats.errors.values())
    check(errors == 0, f"client errors: {errors} {dict(stats.errors)}")
    check(stats.flows_done == people, f"receipts seen: {stats.flows_done} of {people}")
    rows = Counter(CheckIn.objects.values_list("person_id", flat=True))
    twice = sum(1 for n in rows.values() if n > 1)
    check(len(rows) == people and not twice, f"check-ins stored: {len(rows)}, twice: {twice}")


def check_notice(check: Checks, faults: Faults, wecom) -> None:
    from shouwang.notify.models import MessageDelivery

    notice, receipts = faults.notice, faults.receipts
    if notice is None:
        check(False, "a notice published")
        return
    inbox = notice_messages(notice).count()
    check(
        inbox == receipts,
        f"notice in the inbox of {inbox} of {receipts} recipients (the fan-out resumed)",
    )
    received = Counter(
        request.body["touser"] for request in wecom.accepted if NOTICE_TITLE in str(request.body)
    )
    twice = sum(1 for n in received.values() if n > 1)
    check(not twice, f"WeCom pushes: {sum(received.values())}, received twice: {twice}")
    deliveries = list(
        MessageDelivery.objects.filter(
            channel="wecom_app", message__in=notice_messages(notice)
        ).values_list("message__recipient__wecom_userid", "status")
    )
    statuses = Counter(status for _, status in deliveries)
    sent_wrongly = sum(1 for user, status in deliveries if status == "sent" and received[user] != 1)
    check(not sent_wrongly, f"WeCom deliveries marked sent but not received once: {sent_wrongly}")
    # Every student has a WeCom account: one delivery each, once the fan-out is complete.
    limbo = sum(
        1
        for user, status in deliveries
        if status != "unknown" and not (status == "sent" and received[user] == 1)
    )
    never_written = max(len(students_reached(notice)) - len(deliveries), 0)
    check(
        not limbo and not never_written,
        f"WeCom deliveries by status {dict(statuses)}; neither received once nor listed as "
        f"unknown: {limbo}, never written (the fan-out stopped): {never_written}",
    )


def check_slots(check: Checks, faults: Faults) -> None:
    from django.utils.module_loading import autodiscover_modules

    from shouwang.core.models import ScheduledRun
    from shouwang.core.scheduler import JOBS

    autodiscover_modules("tasks")
    fired = Counter(ScheduledRun.objects.values_list("job", "due_at"))
    twice = sum(1 for n in fired.values() if n > 1)
    every_minute = [name for name, job in JOBS.items() if job.cron == "* * * * *"]
    # From the first minute a scheduler fired to the last (starting and
    # stopping loaded processes may take a minute's edge): none skipped.
    slots = sorted({due for job, due in fired if job in every_minute})
    minutes = int((slots[-1] - slots[0]).total_seconds() // 60) + 1 if slots else 0
    missing = {
        job: minutes - n
        for job in every_minute
        if (n := sum(1 for name, _ in fired if name == job)) != minutes
    }
    check(
        minutes >= 2 and not twice and not missing,
        f"slots fired twice: {twice}; the {len(every_minute)} every-minute jobs fired in each "
        f"of the {minutes} minutes from the first slot to the last, missing: {missing or 0}",
    )


def notice_messages(notice):
    from shouwang.notify.models import Message

    return Message.objects.filter(key__startswith=f"notice:{notice.pk}:")


def sent_count(notice) -> int:
    from shouwang.notify.models import MessageDelivery

    return MessageDelivery.objects.filter(
        message__in=notice_messages(notice), status=MessageDelivery.Status.SENT
    ).count()


def students_reached(notice) -> list[int]:
    """The notice's recipients with a WeCom account."""
    from shouwang.notices.models import Receipt

    return list(
        Receipt.objects.filter(notice=notice)
        .exclude(person__wecom_userid="")
        .values_list("person_id", flat=True)
    )


def publish(leader):
    """As the leader, through the notice's pages (in this process)."""
    from django.test import Client
    from django.urls import reverse

    from shouwang.notices.models import Notice

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(leader)
    client.post(
        reverse("notices:notice_new"),
        {"title": NOTICE_TITLE, "body": "明天7:00在体育馆检测。", "everyone": "on", "kind": "all"},
    )
    notice = Notice.objects.get(title=NOTICE_TITLE)
    response = client.post(reverse("notices:notice_publish", args=[notice.pk]))
    if response.status_code != 302:
        raise SystemExit(f"publishing the notice: {response.status_code}")
    return notice


def fan_out_worker(redis_connection) -> int | None:
    """The pid of the worker running the notice's fan-out, if one is."""
    from rq import Worker
    from rq.job import Job

    for worker in Worker.all(connection=redis_connection):
        job_id = worker.get_current_job_id()
        if not job_id:
            continue
        job = Job.fetch(job_id, connection=redis_connection)
        if "deliver_notice" in (job.func_name or ""):
            return worker.pid
    return None


def fanning_out(notice) -> bool:
    from shouwang.notices.models import Receipt

    return notice_messages(notice).count() < Receipt.objects.filter(notice=notice).count()


def settled(notice, receipts: int) -> bool:
    from shouwang.notify.models import Message, MessageDelivery

    prefix = f"notice:{notice.pk}:"
    return (
        Message.objects.filter(key__startswith=prefix).count() == receipts
        and not MessageDelivery.objects.filter(
            message__key__startswith=prefix,
            status__in=[MessageDelivery.Status.PENDING, MessageDelivery.Status.SENDING],
        ).exists()
    )


if __name__ == "__main__":
    main()
