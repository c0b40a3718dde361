"""Benchmark: the morning wave of check-ins against the production server.

    .venv/bin/python bench/morning_wave.py [--people 30000] [--clients 64] [--seconds 60]
                                           [--workers N] [--load auto|wrk|python] [--smoke]

Sets up a throwaway database (SQLite in a temporary folder, or DATABASE_URL,
which must name an empty PostgreSQL database) with a college of --people
students in classes of 40, each already logged in: their sessions are made
directly, as a login days before would have made them, because the wave
measures check-ins, not password hashing (a small sample of real logins is
timed on its own, phase 4). Starts `manage.py run`, the production command
(gunicorn with --workers, the task worker, the scheduler) in production mode,
and drives it on 127.0.0.1 with --clients concurrent connections:

1. the trivial view (/health/): the server's ceiling in this run;
2. the check-in request alone: each student's POST (session, CSRF token,
   idempotency key, form validation, the durable write, the redirect), the
   tokens made beforehand as the check-in page would have handed them out;
   then the trivial view again (with wrk): this kind of machine changes speed
   from minute to minute, and the ratio is taken against the mean of both;
3. the wave, the next day (the server restarted with its clock a day on): every
   student opens the check-in page, submits the form with the page's token and
   key, and follows the redirect to the receipt, until all have checked in or
   --seconds have passed;
4. a sample of real logins (the login page, then the password, PBKDF2 included).

Phases 1 and 2 use wrk (a C load generator; `apt-get install wrk`) when it is
installed, so that the generator's own CPU does not distort the ratio between
them; phases 3 and 4 need a client that reads each page before the next request,
which is the built-in one (non-blocking sockets in one process; it also measures
phases 1 and 2 without wrk). For each phase it prints requests/s, p50/p99
latency, errors, the server's CPU time per request (and the kernel's share of
it), and at the end how many "database is locked" and server errors the server
logged, the ratio check-in / trivial and whether the wave was absorbed within
--seconds. --smoke runs a small
college and checks that every check-in landed cleanly: CI runs it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import secrets
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from _common import loadavg, machine

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "bench-secret-key-not-for-production-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105
COUNSELLING_KEY = "YmVuY2gtY291bnNlbGxpbmcta2V5LW5vdC1zZWNyZXQ="  # noqa: S105
CSRF_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY_RE = re.compile(rb'name="key" value="([^"]+)"')
CLASS_SIZE = 40
LOGIN_PASSWORD = "bench-password-7x"  # noqa: S105
ANSWERS = {
    "location": "campus",
    "health": "normal",
    "temperature": "36.5",
    "contact_with_case": "no",
    "stayed_in_risk_area": "no",
    "note": "",
}

# wrk's script: "repeat" sends wrk's own request (the URL) again and again;
# "list" sends the pre-built requests of a file (NUL-separated), each thread its
# share in order. Statuses other than the expected one are counted as errors.
WRK_SCRIPT = r"""
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  expected = tonumber(args[1])
  unexpected, wrapped, reqs = 0, 0, nil
  if args[2] then
    local nthreads, n = tonumber(args[3]), 0
    local f = assert(io.open(args[2], "rb"))
    local data = f:read("*a")
    f:close()
    reqs = {}
    for req in data:gmatch("(.-)%z") do
      if n % nthreads == id then reqs[#reqs + 1] = req end
      n = n + 1
    end
    index = 0
  end
end

function request()
  if reqs == nil then return wrk.request() end
  index = index + 1
  if index > #reqs then index, wrapped = 1, wrapped + 1 end
  return reqs[index]
end

function response(status, headers, body)
  if status ~= expected then unexpected = unexpected + 1 end
end

function done(summary, latency, requests)
  local bad, wraps = 0, 0
  for _, t in ipairs(threads) do
    bad = bad + t:get("unexpected")
    wraps = wraps + t:get("wrapped")
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"unexpected": %d, "wrapped": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, bad, wraps, e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass
class Student:
    pk: int
    number: str
    session: str
    csrf_secret: str
    csrf_token: str


# -- the college ---------------------------------------------------------------


def server_env(var_dir: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        # `manage.py run` refuses production without a counselling key of its own.
        "COUNSELLING_KEY": COUNSELLING_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "VAR_DIR": str(var_dir),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("SHOUWANG_DEMO_START", None)
    env.pop("SHOUWANG_DEMO_EPOCH", None)
    if not os.environ.get("DATABASE_URL"):
        env["SQLITE_PATH"] = str(var_dir / "bench.sqlite3")
    return env


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouwang.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build_college(people: int) -> list[Student]:
    """Students in classes with a counsellor each, their sessions, an open
    incident covering them, the privacy notice accepted on an earlier day."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.http import HttpRequest
    from django.middleware.csrf import get_token
    from django.utils import timezone

    from shouwang.accounts.models import User
    from shouwang.checkins.models import PrivacyAcceptance
    from shouwang.checkins.privacy import notice_version
    from shouwang.incidents.models import Incident
    from shouwang.people.models import AdminClass, Person, Unit

    call_command("migrate", verbosity=0)
    college = Unit.objects.create(name="信息学院", kind=Unit.Kind.COLLEGE)
    classes = -(-people // CLASS_SIZE)
    Person.objects.bulk_create(
        [
            Person(
                number=f"T{n:05d}",
                name=f"辅导员{n}",
                name_pinyin=f"fudaoyuan{n}",
                name_initials="fdy",
                kind=Person.Kind.STAFF,
                unit=college,
            )
            for n in range(-(-classes // 4))
        ],
        batch_size=2000,
    )
    counsellors = list(Person.objects.values_list("pk", flat=True))
    AdminClass.objects.bulk_create(
        [
            AdminClass(name=f"计科{n:04d}班", unit=college, counsellor_id=counsellors[n // 4])
            for n in range(classes)
        ],
        batch_size=2000,
    )
    class_ids = list(AdminClass.objects.order_by("pk").values_list("pk", flat=True))
    Person.objects.bulk_create(
        [
            Person(
                number=f"2022{n:06d}",
                name=f"学生{n}",
                name_pinyin=f"xuesheng{n}",
                name_initials="xs",
                kind=Person.Kind.STUDENT,
                unit=college,
                admin_class_id=class_ids[n // CLASS_SIZE],
            )
            for n in range(people)
        ],
        batch_size=2000,
    )
    persons = list(
        Person.objects.filter(kind=Person.Kind.STUDENT).order_by("pk").values_list("pk", "number")
    )
    # One hash, made once, shared by all: the wave does not log in; phase 4
    # logs the last few students in with it.
    password = make_password(LOGIN_PASSWORD)
    User.objects.bulk_create(
        [
            User(username=number, person_id=pk, password=password, must_change_password=False)
            for pk, number in persons
        ],
        batch_size=2000,
    )
    now = timezone.now()
    incident = Incident.objects.create(
        title="bench",
        started_at=now - dt.timedelta(days=1),
        # Late or not makes no difference to the work; nobody is late here.
        deadline=dt.time(23, 59),
    )
    incident.units.add(college)
    version = notice_version(incident)
    PrivacyAcceptance.objects.bulk_create(
        [
            PrivacyAcceptance(person_id=pk, version=version, accepted_at=now - dt.timedelta(1))
            for pk, _ in persons
        ],
        batch_size=2000,
    )
    expiry = now + dt.timedelta(days=2)
    students, sessions = [], []
    users = dict(User.objects.values_list("person_id", "pk"))
    session_hash = User(password=password).get_session_auth_hash()
    for pk, number in persons:
        user_pk = users[pk]
        store = SessionStore()
        key = store._get_new_session_key()
        data = {
            SESSION_KEY: str(user_pk),
            BACKEND_SESSION_KEY: "shouwang.accounts.backends.PersonModelBackend",
            HASH_SESSION_KEY: session_hash,
        }
        sessions.append(
            Session(session_key=key, session_data=store.encode(data), expire_date=expiry)
        )
        # The CSRF cookie and the masked token a page would have handed out.
        secret = secrets.token_hex(16)
        request = HttpRequest()
        request.META["CSRF_COOKIE"] = secret
        students.append(Student(pk, number, key, secret, get_token(request)))
    Session.objects.bulk_create(sessions, batch_size=2000)
    return students


# -- the server ----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def default_workers() -> int:
    """What `manage.py run` starts when not told (WEB_CONCURRENCY or its own default)."""
    from shouwang.core.management.commands.run import default_workers as run_default

    return run_default()


class Server:
    """`manage.py run` in its own session, so that its CPU time can be summed."""

    def __init__(self, env: dict[str, str], workers: int | None, log: Path, day: dt.date | None):
        self.port = free_port()
        if day is not None:
            from django.utils import timezone

            # The app's clock moved on to `day` (a Beijing date) at the same time of day.
            now = timezone.now()
            start = now + dt.timedelta(days=(day - timezone.localdate(now)).days)
            env = {
                **env,
                "SHOUWANG_DEMO_START": start.isoformat(),
                "SHOUWANG_DEMO_EPOCH": str(now.timestamp()),
            }
        self.log = log
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "run", f"127.0.0.1:{self.port}"]
            + (["--workers", str(workers)] if workers else []),
            cwd=ROOT,
            env=env,
            stdout=log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
                    sock.sendall(raw_get(self.port, "/health/", close=True))
                    if sock.recv(64).startswith(b"HTTP/1.1 200"):
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit("the server did not come up")

    def cpu_seconds(self) -> tuple[float, float]:
        """CPU time, user and system, of every process of the server's session
        (gunicorn's workers, the task worker, the scheduler), from /proc."""
        tick = os.sysconf("SC_CLK_TCK")
        user = system = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == self.process.pid:  # the session id
                user += int(fields[11])
                system += int(fields[12])
        return user / tick, system / tick

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


# -- requests --------------------------------------------------------------------


def raw_get(port: int, path: str, cookie: str = "", close: bool = False) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def raw_post(port: int, path: str, cookie: str, fields: dict[str, str], close: bool) -> bytes:
    body = urlencode(fields).encode()
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        f"Cookie: {cookie}",
        f"Origin: http://127.0.0.1:{port}",
        f"Referer: http://127.0.0.1:{port}{path}",
        "Content-Type: application/x-www-form-urlencoded",
        f"Content-Length: {len(body)}",
    ]
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def cookie_of(student: Student) -> str:
    return f"sessionid={student.session}; csrftoken={student.csrf_secret}"


def checkin_post(port: int, student: Student, token: str, key: str, close: bool) -> bytes:
    fields = {"csrfmiddlewaretoken": token, "key": key, "same_as_yesterday": "", **ANSWERS}
    return raw_post(port, "/checkin/", cookie_of(student), fields, close)


# -- the built-in client ---------------------------------------------------------


class Failure(Exception):
    pass


@dataclass
class Exchange:
    """One request; `then` reads the response and returns the flow's next
    exchange (None: the flow is done) or raises Failure."""

    kind: str
    data: bytes
    then: Callable[[int, bytes, bytes], Exchange | None]


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    flows_done: int = 0
    elapsed: float = 0.0
    client_cpu: float = 0.0


def drive(
    port: int, flows: Iterable[Exchange], clients: int, until: float, grace: float = 30
) -> Stats:
    """Run flows over `clients` concurrent connections (one request a
    connection: `Connection: close`), starting new flows until `until`."""
    selector = selectors.DefaultSelector()
    pending: Iterator[Exchange] = iter(flows)
    stats = Stats()
    started, cpu = time.monotonic(), time.process_time()

    def launch(exchange: Exchange | None) -> bool:
        if exchange is None:
            if time.monotonic() >= until:
                return False
            exchange = next(pending, None)
            if exchange is None:
                return False
        sock = socket.socket()
        sock.setblocking(False)
        sock.connect_ex(("127.0.0.1", port))
        state = {"exchange": exchange, "out": memoryview(exchange.data), "in": bytearray()}
        state["t0"] = time.perf_counter()
        selector.register(sock, selectors.EVENT_WRITE, state)
        return True

    active = sum(launch(None) for _ in range(clients))
    hard_stop = until + grace
    while active:
        events = selector.select(timeout=1)
        if time.monotonic() > hard_stop:
            for key in list(selector.get_map().values()):
                stats.errors["timeout"] += 1
                selector.unregister(key.fileobj)
                key.fileobj.close()  # type: ignore[union-attr]
            break
        for key, mask in events:
            sock, state = key.fileobj, key.data
            exchange: Exchange = state["exchange"]
            following: Exchange | None = None
            try:
                if mask & selectors.EVENT_WRITE:
                    sent = sock.send(state["out"])  # type: ignore[union-attr]
                    state["out"] = state["out"][sent:]
                    if not state["out"]:
                        selector.modify(sock, selectors.EVENT_READ, state)
                    continue
                chunk = sock.recv(262144)  # type: ignore[union-attr]
                if chunk:
                    state["in"] += chunk
                    continue
                elapsed = time.perf_counter() - state["t0"]
                data = bytes(state["in"])
                head, _, body = data.partition(b"\r\n\r\n")
                if not head.startswith(b"HTTP/1."):
                    raise Failure(f"{exchange.kind}: no response")
                stats.latencies[exchange.kind].append(elapsed)
                following = exchange.then(int(head[9:12]), head, body)
                if following is None:
                    stats.flows_done += 1
            except Failure as failure:
                stats.errors[str(failure)] += 1
            except OSError as error:
                stats.errors[f"{exchange.kind}: {error.__class__.__name__}"] += 1
            selector.unregister(sock)
            sock.close()  # type: ignore[union-attr]
            if not launch(following):
                active -= 1
    stats.elapsed = time.monotonic() - started
    stats.client_cpu = time.process_time() - cpu
    return stats


def warm_up(port: int, students: list[Student], workers: int) -> None:
    """Load every worker's code and templates before anything is timed (the
    pages read only: nobody checks in here)."""
    flows = [Exchange("warm-up", raw_get(port, "/health/", close=True), lambda *a: None)]
    flows *= workers * 20
    for student in students[: workers * 10]:
        cookie = cookie_of(student)
        flows.append(
            Exchange("warm-up", raw_get(port, "/checkin/", cookie, close=True), lambda *a: None)
        )
    stats = drive(port, flows, min(workers, 8), time.monotonic() + 60)
    if stats.errors:
        raise SystemExit(f"warm-up failed: {dict(stats.errors)}")


def expect(kind: str, status: int, wanted: int) -> None:
    if status != wanted:
        raise Failure(f"{kind}: status {status}")


def trivial_flows(port: int) -> Iterator[Exchange]:
    request = raw_get(port, "/health/", close=True)

    def then(status, head, body):
        expect("trivial", status, 200)

    while True:
        yield Exchange("trivial", request, then)


def post_flows(port: int, students: list[Student]) -> Iterator[Exchange]:
    """Phase 2: each student's POST alone, with the token made beforehand."""

    def then(status, head, body):
        expect("check-in", status, 302)

    for student in students:
        yield Exchange(
            "check-in",
            checkin_post(port, student, student.csrf_token, str(uuid.uuid4()), True),
            then,
        )


def wave_flows(port: int, students: list[Student]) -> Iterator[Exchange]:
    """Phase 3: the page, the POST with the page's token and key, the receipt."""
    for student in students:
        yield wave_flow(port, student)


def wave_flow(port: int, student: Student) -> Exchange:
    cookie = cookie_of(student)

    def page(status, head, body):
        expect("page", status, 200)
        token, key = CSRF_RE.search(body), KEY_RE.search(body)
        if not token or not key:
            raise Failure("page: no check-in form")
        data = checkin_post(port, student, token[1].decode(), key[1].decode(), True)
        return Exchange("check-in", data, submitted)

    def submitted(status, head, body):
        expect("check-in", status, 302)
        return Exchange("receipt", raw_get(port, "/checkin/", cookie, close=True), receipt)

    def receipt(status, head, body):
        expect("receipt", status, 200)
        if b'data-testid="receipt"' not in body:
            raise Failure("receipt: no receipt shown")

    return Exchange("page", raw_get(port, "/checkin/", cookie, close=True), page)


def login_flows(port: int, students: list[Student]) -> Iterator[Exchange]:
    """Phase 4: the login page, then the number and password (no session yet)."""
    for student in students:
        yield login_flow(port, student)


def login_flow(port: int, student: Student) -> Exchange:
    def page(status, head, body):
        expect("login page", status, 200)
        token = CSRF_RE.search(body)
        cookie = re.search(rb"csrftoken=([^;]+)", head)
        if not token or not cookie:
            raise Failure("login page: no form")
        fields = {
            "csrfmiddlewaretoken": token[1].decode(),
            "username": student.number,
            "password": LOGIN_PASSWORD,
        }
        data = raw_post(
            port, "/accounts/login/", f"csrftoken={cookie[1].decode()}", fields, close=True
        )
        return Exchange("login", data, logged_in)

    def logged_in(status, head, body):
        expect("login", status, 302)

    return Exchange("login page", raw_get(port, "/accounts/login/", close=True), page)


# -- wrk ---------------------------------------------------------------------------


def run_wrk(
    port: int,
    path: str,
    expected: int,
    clients: int,
    seconds: float,
    requests: list[bytes] | None = None,
    done: Callable[[], bool] | None = None,
) -> dict:
    """Run wrk for `seconds`, or until `done()` (asked four times a second)."""
    with tempfile.TemporaryDirectory(prefix="shouwang-wrk-") as tmp:
        script = Path(tmp) / "bench.lua"
        script.write_text(WRK_SCRIPT)
        args = [str(expected)]
        threads = min(2, clients)
        if requests:
            listing = Path(tmp) / "requests"
            listing.write_bytes(b"".join(r + b"\0" for r in requests))
            args += [str(listing), str(threads)]
        started = time.process_time()
        children = os.times()
        wrk = subprocess.Popen(  # noqa: S603
            [
                shutil.which("wrk") or "wrk",
                f"-t{threads}",
                f"-c{clients}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "30s",
                "-s",
                str(script),
                f"http://127.0.0.1:{port}{path}",
                "--",
                *args,
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + seconds + 60
        while wrk.poll() is None and time.monotonic() < deadline:
            time.sleep(0.25)
            if done is not None and done():
                wrk.send_signal(signal.SIGINT)  # wrk stops and reports
                break
        stdout, _ = wrk.communicate(timeout=60)
        after = os.times()
    line = next(x for x in stdout.splitlines() if x.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["client_cpu"] = (
        after.children_user
        + after.children_system
        - children.children_user
        - children.children_system
        + time.process_time()
        - started
    )
    return result


# -- reporting ---------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    requests: int
    seconds: float
    p50: float
    p99: float
    errors: int
    cpu: Cpu
    client_cpu: float
    note: str = ""

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        per = 1000 / self.requests if self.requests else float("nan")
        database = f" + database {self.cpu.database * per:5.2f}" if self.cpu.database else ""
        system = f" ({self.cpu.app_system / self.cpu.app:.0%} system)" if self.cpu.app else ""
        return (
            f"{self.name:<26} {self.rate:8.0f} /s  p50 {self.p50 * 1000:7.1f} ms  "
            f"p99 {self.p99 * 1000:7.1f} ms  errors {self.errors:<4} "
            f"server CPU {self.cpu.app * per:5.2f}{system}{database} ms/req  "
            f"client CPU {self.client_cpu:5.1f} s" + (f"  ({self.note})" if self.note else "")
        )


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def from_stats(name: str, kind: str, stats: Stats, cpu: Cpu) -> Phase:
    values = stats.latencies[kind]
    return Phase(
        name,
        len(values),
        stats.elapsed,
        percentile(values, 0.5),
        percentile(values, 0.99),
        sum(stats.errors.values()),
        cpu,
        stats.client_cpu,
    )


def from_wrk(name: str, result: dict, cpu: Cpu) -> Phase:
    wrapped = result["wrapped"]
    return Phase(
        name,
        result["requests"],
        result["duration_us"] / 1e6,
        result["p50_us"] / 1e6,
        result["p99_us"] / 1e6,
        result["unexpected"] + result["socket_errors"],
        cpu,
        result["client_cpu"],
        note=f"wrk; the list ran out and restarted {wrapped} times" if wrapped else "wrk",
    )


@dataclass
class Cpu:
    """CPU seconds spent by the app server's processes and by the database's;
    `app_system` is the kernel's part of `app` (system calls: sockets, file
    reads and writes, fsync)."""

    app: float = 0.0
    database: float = 0.0
    app_system: float = 0.0


def measured(server: Server, work: Callable[[], object]) -> tuple[Any, Cpu]:
    user, system = server.cpu_seconds()
    with DatabaseCpu() as database:
        result = work()
    user_after, system_after = server.cpu_seconds()
    app_system = system_after - system
    return result, Cpu(user_after - user + app_system, database.seconds, app_system)


class DatabaseCpu(threading.Thread):
    """CPU time of the PostgreSQL backends serving the benchmark's database
    while the block runs (0 for SQLite, whose work the server's processes do).

    Sampled five times a second: a backend goes, with its CPU time, when the
    app closes its connection (CONN_MAX_AGE), so one reading at the end would
    miss it."""

    def __init__(self):
        from django.db import connection

        super().__init__(daemon=True)
        self.name_bytes = f" {connection.settings_dict['NAME']} ".encode()
        self.enabled = connection.vendor == "postgresql"
        self.first: dict[int, int] = {}
        self.last: dict[int, int] = {}
        self.stopping = threading.Event()

    def sample(self) -> dict[int, int]:
        ticks = {}
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                title = (proc / "cmdline").read_bytes()
                if not title.startswith(b"postgres: ") or self.name_bytes not in title:
                    continue
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks[int(proc.name)] = int(fields[11]) + int(fields[12])
        return ticks

    def run(self) -> None:
        while not self.stopping.wait(0.2):
            self.last.update(self.sample())

    def __enter__(self) -> DatabaseCpu:
        if self.enabled:
            self.first = self.sample()
            self.last = dict(self.first)
            self.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.enabled:
            self.stopping.set()
            self.join()
            self.last.update(self.sample())

    @property
    def seconds(self) -> float:
        ticks = sum(value - self.first.get(pid, 0) for pid, value in self.last.items())
        return ticks / os.sysconf("SC_CLK_TCK")


# -- the run -----------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=60.0, help="each wave's time limit")
    parser.add_argument("--trivial-seconds", type=float, default=10.0)
    parser.add_argument("--logins", type=int, default=40, help="real logins timed (phase 4)")
    parser.add_argument("--workers", type=int, help="web workers (default: the run command's)")
    parser.add_argument("--load", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--smoke", action="store_true", help="300 people, 8 clients; checked")
    args = parser.parse_args()
    if args.smoke:
        args.people, args.clients, args.logins, args.trivial_seconds = 300, 8, 4, 1.0
    use_wrk = args.load == "wrk" or (args.load == "auto" and shutil.which("wrk") is not None)
    if args.load == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")

    with tempfile.TemporaryDirectory(prefix="shouwang-wave-") as tmp:
        var_dir = Path(tmp)
        env = server_env(var_dir)
        setup_django(env)
        from django.db import connection
        from django.db.models import Max, Min
        from django.utils import timezone

        from shouwang.checkins.models import CheckIn

        started = time.perf_counter()
        students = build_college(args.people)
        connection.close()
        print(f"college of {args.people} students set up in {time.perf_counter() - started:.1f} s")
        print(machine())
        workers = args.workers or default_workers()
        print(
            f"database: {connection.vendor}; web workers: {workers}; clients: {args.clients}; "
            f"load generator for phases 1-2: {'wrk' if use_wrk else 'built-in'}; "
            f"load average at start {loadavg()}"
        )
        log = var_dir / "server.log"
        phases: list[Phase] = []
        today = timezone.localdate()

        def landed(day: dt.date) -> int:
            count = CheckIn.objects.filter(date=day).count()
            connection.close()
            return count

        # Phases 1 and 2: today.
        server = Server(env, args.workers, log, day=None)
        try:
            port = server.port
            warm_up(port, students, workers)

            def trivial_with_wrk(name: str) -> Phase:
                result, cpu = measured(
                    server,
                    lambda: run_wrk(port, "/health/", 200, args.clients, args.trivial_seconds),
                )
                phase = from_wrk(name, result, cpu)
                phases.append(phase)
                print(phase.line())
                return phase

            if use_wrk:
                trivial = trivial_with_wrk("1. trivial view")
            stats, cpu = measured(
                server,
                lambda: drive(
                    port, trivial_flows(port), args.clients, time.monotonic() + args.trivial_seconds
                ),
            )
            builtin = from_stats("1. trivial view, built-in", "trivial", stats, cpu)
            phases.append(builtin)
            print(builtin.line())
            if not use_wrk:
                trivial = builtin

            if use_wrk:
                posts = [
                    checkin_post(port, s, s.csrf_token, str(uuid.uuid4()), close=False)
                    for s in students
                ]
                result, cpu = measured(
                    server,
                    lambda: run_wrk(
                        port,
                        "/checkin/",
                        302,
                        args.clients,
                        args.seconds,
                        posts,
                        done=lambda: landed(today) == args.people,
                    ),
                )
                checkin = from_wrk("2. check-in requests", result, cpu)
            else:
                stats, cpu = measured(
                    server,
                    lambda: drive(
                        port,
                        post_flows(port, students),
                        args.clients,
                        time.monotonic() + args.seconds,
                    ),
                )
                checkin = from_stats("2. check-in requests", "check-in", stats, cpu)
            phases.append(checkin)
            # The trivial view again: this kind of machine changes speed from
            # minute to minute, and the ratio is taken against both readings.
            trivial_after = trivial_with_wrk("2b. trivial view, again") if use_wrk else trivial
        finally:
            server.stop()
        first_wave = CheckIn.objects.filter(date=today)
        first_day = first_wave.count()
        # From the first check-in stored to the last: building the requests
        # and starting wrk (it reads them all first) are not the wave.
        times = first_wave.aggregate(first=Min("submitted_at"), last=Max("submitted_at"))
        absorbed_in = (
            (times["last"] - times["first"]).total_seconds() if times["last"] else float("inf")
        )
        connection.close()
        if first_day == args.people:
            # The rate of check-ins that landed, not of requests: wrk goes on
            # replaying submissions until it is told that all have landed.
            checkin.requests, checkin.seconds = first_day, absorbed_in
        print(checkin.line())

        # Phases 3 and 4: the next day, everyone again, as phones do it.
        tomorrow = today + dt.timedelta(days=1)
        server = Server(env, args.workers, log, day=tomorrow)
        try:
            port = server.port
            warm_up(port, students, workers)
            stats, cpu = measured(
                server,
                lambda: drive(
                    port, wave_flows(port, students), args.clients, time.monotonic() + args.seconds
                ),
            )
            wave: Stats = stats
            for kind in ("page", "check-in", "receipt"):
                phase = from_stats(f"3. {kind}", kind, wave, Cpu())
                phase.errors = sum(n for why, n in wave.errors.items() if why.startswith(kind))
                print(phase.line().split("  server CPU")[0])
            requests = sum(len(v) for v in wave.latencies.values())
            everything = [x for v in wave.latencies.values() for x in v]
            flows = Phase(
                "3. whole wave, all requests",
                requests,
                wave.elapsed,
                percentile(everything, 0.5),
                percentile(everything, 0.99),
                sum(wave.errors.values()),
                cpu,
                wave.client_cpu,
            )
            phases.append(flows)
            print(flows.line())
            stats, cpu = measured(
                server,
                lambda: drive(
                    port,
                    login_flows(port, students[len(students) - args.logins :]),
                    min(args.clients, 8),
                    time.monotonic() + 120,
                ),
            )
            login = from_stats("4. login", "login", stats, cpu)
            login.note = "PBKDF2; server CPU includes the login page"
            phases.append(login)
            print(login.line())
        finally:
            server.stop()

        text = log.read_text(errors="replace")
        locked = text.count("database is locked")
        server_errors = text.count("Internal Server Error") + text.count("[ERROR]")
        second_day = CheckIn.objects.filter(date=tomorrow).count()
        for reason, count in sorted(wave.errors.items()):
            print(f"  wave error: {reason}: {count}")
        print(
            f"'database is locked' in the server log: {locked}; server errors logged: "
            f"{server_errors}; load average at end {loadavg()}"
        )
        absorbed = first_day == args.people and absorbed_in <= args.seconds
        rate = f", {first_day / absorbed_in:.0f}/s" if first_day else ""
        print(
            f"phase 2: {first_day} of {args.people} check-ins landed, the last "
            f"{absorbed_in:.1f} s after the first{rate} "
            f"({'absorbed' if absorbed else 'NOT absorbed'} within {args.seconds:.0f} s)"
        )
        print(
            f"phase 3: {wave.flows_done} of {args.people} students opened the page, checked in "
            f"and saw the receipt in {wave.elapsed:.1f} s, {wave.flows_done / wave.elapsed:.0f}/s "
            f"({'absorbed' if second_day == args.people else 'NOT absorbed'} "
            f"within {args.seconds:.0f} s)"
        )
        trivial_rate = (trivial.rate + trivial_after.rate) / 2
        ratio = checkin.rate / trivial_rate if trivial_rate else 0
        print(
            f"ratio check-in request / trivial view: {ratio:.3f} (target >= 0.25; the trivial "
            f"view's mean of {trivial.rate:.0f}/s before and {trivial_after.rate:.0f}/s after); "
            f"check-in p99 {checkin.p99 * 1000:.0f} ms (target < 250 ms)"
        )
        if args.smoke:
            problems = []
            if first_day != args.people:
                problems.append(f"phase 2 stored {first_day} of {args.people} check-ins")
            if second_day != args.people or wave.flows_done != args.people:
                problems.append(f"the wave stored {second_day} of {args.people} check-ins")
            if any(phase.errors for phase in phases) or locked or server_errors:
                problems.append("errors (see above)")
            if login.requests != args.logins:
                problems.append(f"{login.requests} of {args.logins} logins")
            if problems:
                raise SystemExit("smoke: " + "; ".join(problems))
            print("smoke: every check-in landed cleanly")


if __name__ == "__main__":
    main()
