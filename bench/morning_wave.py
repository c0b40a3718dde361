"""Benchmark: the morning wave of check-ins against the production server.

    .venv/bin/python bench/morning_wave.py [--people 30000] [--clients 64] [--seconds 60]
                                           [--workers N] [--smoke]

Sets up a throwaway database (SQLite in a temporary folder, or DATABASE_URL,
which must name an empty PostgreSQL database) with a college of --people
students, each already logged in (a session made as a login would make it:
students log in once, days before). Starts `manage.py run`, the production
command (gunicorn with --workers, the task worker, the scheduler), in
production mode, and drives it from --clients concurrent clients on 127.0.0.1:

1. the trivial view (/health/) for a few seconds: the server's ceiling;
2. the wave: every student opens the check-in page and submits it (GET then
   POST, session, CSRF token and idempotency key, form validation, a durable
   write), until all have checked in or --seconds have passed.

Prints check-ins/s, p50/p99 latency of the submission, errors, and how many
"database is locked" errors the server logged; the ratio to the trivial view;
and whether the whole wave was absorbed within the time limit. --smoke runs a
small wave and checks that every check-in landed: CI runs it.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing as mp
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "bench-secret-key-not-for-production-0123456789abcdefghijklmnopqrstuvwxyz"
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HIDDEN_RE = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def server_env(var_dir: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "VAR_DIR": str(var_dir),
        "LOG_LEVEL": "WARNING",
    }
    if not os.environ.get("DATABASE_URL"):
        env["SQLITE_PATH"] = str(var_dir / "bench.sqlite3")
    return env


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouwang.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build_college(people: int) -> list[str]:
    """Students with sessions, an open incident covering them; returns session keys."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.utils import timezone

    from shouwang.accounts.models import User
    from shouwang.checkins.models import PrivacyAcceptance
    from shouwang.checkins.privacy import notice_version
    from shouwang.incidents.models import Incident
    from shouwang.people.models import Person, Unit

    call_command("migrate", verbosity=0)
    college = Unit.objects.create(name="信息学院", kind=Unit.Kind.COLLEGE)
    Person.objects.bulk_create(
        [
            Person(
                number=f"2022{n:06d}",
                name=f"学生{n}",
                name_pinyin=f"xuesheng{n}",
                name_initials="xs",
                kind=Person.Kind.STUDENT,
                unit=college,
            )
            for n in range(people)
        ],
        batch_size=2000,
    )
    persons = list(Person.objects.values_list("pk", "number"))
    password = make_password("bench-password")  # one hash: logins are not what is measured
    User.objects.bulk_create(
        [
            User(username=number, person_id=pk, password=password, must_change_password=False)
            for pk, number in persons
        ],
        batch_size=2000,
    )
    incident = Incident.objects.create(
        title="bench",
        started_at=timezone.now() - timezone.timedelta(days=1),
        deadline=(timezone.localtime() + timezone.timedelta(hours=2)).time(),
    )
    incident.units.add(college)
    # Everyone accepted the notice on an earlier day.
    version = notice_version(incident)
    PrivacyAcceptance.objects.bulk_create(
        [PrivacyAcceptance(person_id=pk, version=version) for pk, _ in persons],
        batch_size=2000,
    )
    expiry = timezone.now() + timezone.timedelta(days=1)
    sessions, keys = [], []
    for user in User.objects.only("pk", "password"):
        store = SessionStore()
        key = store._get_new_session_key()
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        sessions.append(
            Session(session_key=key, session_data=store.encode(data), expire_date=expiry)
        )
        keys.append(key)
    Session.objects.bulk_create(sessions, batch_size=2000)
    return keys


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status, _ = request(port, "GET", "/health/")
            if status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not come up")


def request(port, method, path, body=None, headers=None):
    # gunicorn's sync workers close every connection: one connection a request.
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def trivial_client(port: int, until: float, out) -> None:
    latencies, errors = [], 0
    while time.monotonic() < until:
        start = time.perf_counter()
        try:
            status, _ = request(port, "GET", "/health/")
        except OSError:
            status = 0
        latencies.append(time.perf_counter() - start)
        errors += status != 200
    out.put((latencies, errors, 0))


def checkin_client(port: int, keys: list[str], until: float, out) -> None:
    """Check in each session's student: open the page, submit the form."""
    latencies, errors, done = [], 0, 0
    for key in keys:
        if time.monotonic() >= until:
            break
        cookie = f"sessionid={key}"
        try:
            status, page = request(port, "GET", "/checkin/", headers={"Cookie": cookie})
            html = page.decode()
            token = CSRF_RE.search(html)
            if status != 200 or not token:
                errors += 1
                continue
            fields = dict(HIDDEN_RE.findall(html))
            fields.update(
                {
                    "location": "campus",
                    "health": "normal",
                    "temperature": "36.5",
                    "contact_with_case": "no",
                    "stayed_in_risk_area": "no",
                    "note": "",
                }
            )
            body = urlencode(fields)
            headers = {
                "Cookie": f"{cookie}; csrftoken={token.group(1)}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{port}/checkin/",
            }
            start = time.perf_counter()
            status, _ = request(port, "POST", "/checkin/", body=body, headers=headers)
            latencies.append(time.perf_counter() - start)
        except OSError:
            errors += 1
            continue
        if status in (200, 302, 303):
            done += 1
        else:
            errors += 1
    out.put((latencies, errors, done))


def drive(target, port: int, clients: int, until: float, shares=None):
    """Run `clients` client processes (threads would share one GIL with the
    measurement); gather their latencies, errors and completions."""
    out: mp.Queue = mp.Queue()
    procs = []
    for index in range(clients):
        args = (port, until, out) if shares is None else (port, shares[index], until, out)
        proc = mp.Process(target=target, args=args)
        proc.start()
        procs.append(proc)
    results = [out.get() for _ in procs]
    for proc in procs:
        proc.join()
    latencies = sorted(x for r in results for x in r[0])
    return latencies, sum(r[1] for r in results), sum(r[2] for r in results)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(q * len(values)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--trivial-seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--smoke", action="store_true", help="300 people, 8 clients; checked")
    args = parser.parse_args()
    if args.smoke:
        args.people, args.clients, args.trivial_seconds = 300, 8, 2.0

    with tempfile.TemporaryDirectory(prefix="shouwang-wave-") as tmp:
        var_dir = Path(tmp)
        env = server_env(var_dir)
        setup_django(env)
        from django.db import connection

        started = time.perf_counter()
        keys = build_college(args.people)
        connection.close()
        print(f"college of {args.people} students set up in {time.perf_counter() - started:.1f} s")
        print(
            f"database: {connection.vendor}; web workers: {args.workers}; clients: {args.clients}"
        )

        port = free_port()
        log = open(var_dir / "server.log", "w+")  # noqa: SIM115
        server = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "manage.py",
                "run",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_until_up(port)
            until = time.monotonic() + args.trivial_seconds
            trivial, trivial_errors, _ = drive(trivial_client, port, args.clients, until)
            trivial_rps = len(trivial) / args.trivial_seconds
            print(
                f"trivial view: {trivial_rps:8.0f} req/s  p50 {percentile(trivial, 0.5) * 1000:6.1f} ms"
                f"  p99 {percentile(trivial, 0.99) * 1000:6.1f} ms  errors {trivial_errors}"
            )

            shares = [keys[i :: args.clients] for i in range(args.clients)]
            started = time.monotonic()
            latencies, errors, done = drive(
                checkin_client, port, args.clients, started + args.seconds, shares
            )
            elapsed = time.monotonic() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
        log.seek(0)
        locked = log.read().count("database is locked")
        rate = done / elapsed
        print(
            f"check-ins:    {rate:8.0f} /s     p50 {percentile(latencies, 0.5) * 1000:6.1f} ms"
            f"  p99 {percentile(latencies, 0.99) * 1000:6.1f} ms  errors {errors}"
            f"  'database is locked' {locked}"
        )
        print(
            f"wave: {done} of {args.people} checked in in {elapsed:.1f} s"
            f" ({'absorbed' if done == args.people else 'NOT absorbed'} within {args.seconds:.0f} s)"
        )
        print(f"ratio check-in/trivial: {rate / trivial_rps:.2f} (target ≥ 0.25)")

        from shouwang.checkins.models import CheckIn

        stored = CheckIn.objects.count()
        print(f"check-ins stored: {stored}")
        if args.smoke and (stored != args.people or errors or locked):
            raise SystemExit("smoke: not every check-in landed cleanly")
        if statistics.fmean(latencies or [0]) <= 0:
            raise SystemExit("no check-in was measured")


if __name__ == "__main__":
    main()
