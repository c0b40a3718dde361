"""Benchmark: where one check-in request's CPU goes, in one process.

    .venv/bin/python bench/checkin_request.py [--people 6000] [--smoke] [--without NAME,...]
    .venv/bin/python bench/checkin_request.py --callgrind [--people 1000] [--keep NAME,...]

Builds the morning wave's college (bench/morning_wave.py) on a throwaway SQLite
database in production mode, then drives Django's WSGI handler directly, with
no server and no network: the trivial view (/health/), the check-in POST
(session, CSRF, form, the durable write, the redirect), and the parts of the
POST one by one (session load, user and person, the incident covering the
person, the privacy acceptance, the form, the submission). Each figure is the
process CPU per call, the best of five batches (this machine's timings vary
from batch to batch). --smoke runs a small college and checks that every POST
was answered with the redirect and landed, with every override and without
each (bench/_overrides.py): CI runs it. --without runs without the overrides
named.

--callgrind counts instructions instead of time, which other work on the
machine does not change: the college is built once, then for every override
(bench/_overrides.py) one process under `valgrind --tool=callgrind` serves the
trivial view and the check-in POST with every override, and one without it.
Then the overrides not named by --keep are taken away one more at a time, the
least worth first (what each adds to the ratio of the two), while the ratio of
instructions stays at or above --floor.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _overrides as overrides  # noqa: E402
import morning_wave as wave  # noqa: E402

HOST = "127.0.0.1:8000"
# What a process under callgrind does before the requests it counts: its
# caches filled, its statements prepared.
WARM_UP = 20


def environ(method: str, path: str, cookie: str = "", body: bytes = b"") -> dict[str, Any]:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": HOST,
        "HTTP_COOKIE": cookie,
        "HTTP_ORIGIN": f"http://{HOST}",
        "HTTP_REFERER": f"http://{HOST}{path}",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
    }


def best(items: Sequence, work: Callable[[Any], object], batches: int = 5) -> float:
    """Milliseconds of process CPU per call, the best batch."""
    size = max(1, len(items) // batches)
    times = []
    for start in range(0, size * batches, size):
        batch = items[start : start + size]
        began = time.process_time()
        for item in batch:
            work(item)
        times.append((time.process_time() - began) / len(batch) * 1000)
    return min(times)


class Client:
    """Django's WSGI handler, called as a server would call it."""

    def __init__(self) -> None:
        from django.core.handlers.wsgi import WSGIHandler

        self.handler = WSGIHandler()
        self.statuses: list[str] = []

    def call(self, env: dict[str, Any]) -> None:
        response = self.handler(env, lambda status, headers: self.statuses.append(status[:3]))
        b"".join(response)
        response.close()

    def trivial(self, _: object = None) -> None:
        self.call(environ("GET", "/health/"))

    def post(self, student: wave.Student) -> None:
        fields = {
            "csrfmiddlewaretoken": student.csrf_token,
            "key": str(uuid.uuid4()),
            "same_as_yesterday": "",
            **wave.ANSWERS,
        }
        body = urlencode(fields).encode()
        self.call(environ("POST", "/checkin/", wave.cookie_of(student), body))

    def expect_redirects(self, count: int) -> None:
        if any(status != "302" for status in self.statuses[-count:]):
            raise SystemExit(f"a check-in POST was not redirected: {set(self.statuses)}")


def names(text: str) -> list[str]:
    return [name for name in text.split(",") if name]


def setup(var_dir: Path, sqlite_path: Path) -> None:
    # SQLite whatever the shell says: setup_django copies env over os.environ.
    os.environ.pop("DATABASE_URL", None)
    env = wave.server_env(var_dir)
    env["SQLITE_PATH"] = str(sqlite_path)
    wave.setup_django(env)


def expect_landed(count: int) -> None:
    from shouwang.checkins.models import CheckIn

    landed = CheckIn.objects.count()
    if landed != count:
        raise SystemExit(f"{landed} check-ins landed, {count} expected")


def timings(args: argparse.Namespace) -> None:
    people = 600 if args.smoke else args.people
    var_dir = Path(tempfile.mkdtemp(prefix="shouwang-bench-"))
    setup(var_dir, var_dir / "bench.sqlite3")
    without = names(args.without)
    students = wave.build_college(people)
    overrides.turn_off(without)

    from django.contrib.auth import get_user
    from django.http import HttpRequest
    from django.utils import translation

    from shouwang.accounts.sessions import SessionStore
    from shouwang.checkins.actions import submit_checkin
    from shouwang.checkins.forms import CheckInForm
    from shouwang.checkins.privacy import has_accepted
    from shouwang.checkins.status import checkin_status
    from shouwang.incidents.access import current_incident_for

    client = Client()
    half = len(students) // 2
    posted, rest = students[:half], students[half:]
    trivial = best(range(max(500, half)), client.trivial)
    checkin = best(posted, client.post)
    client.expect_redirects(len(posted))

    translation.activate("zh-hans")

    def request_of(student) -> HttpRequest:
        request = HttpRequest()
        request.session = SessionStore(student.session)
        return request

    users = [get_user(request_of(s)) for s in rest]
    persons = [user.person for user in users]
    incident = current_incident_for(persons[0])
    data = {"key": str(uuid.uuid4()), "same_as_yesterday": "", **wave.ANSWERS}
    form = CheckInForm(data)
    if not form.is_valid():
        raise SystemExit(f"the bench's answers are refused: {form.errors}")
    answers = form.answers()
    checkin_statuses = [checkin_status(person) for person in persons]
    parts = {
        "session load": best(rest, lambda s: SessionStore(s.session).load()),
        "user and person (session included)": best(rest, lambda s: get_user(request_of(s))),
        "incident covering the person": best(persons, current_incident_for),
        "privacy notice accepted": best(persons, lambda p: has_accepted(p, incident)),
        "form, validated": best(rest, lambda _: CheckInForm(data).is_valid()),
        "submission (insert, audit row, commit)": best(
            list(zip(users, checkin_statuses, strict=True)),
            lambda us: submit_checkin(us[1], answers, uuid.uuid4(), acting_user=us[0]),
        ),
    }
    print(f"{people} students; SQLite; Python {sys.version.split()[0]}; CPU per call, best of 5")
    if without:
        print(f"  without: {', '.join(without)}")
    print(f"  trivial view (/health/)                   {trivial:6.3f} ms")
    print(f"  check-in POST, whole                      {checkin:6.3f} ms")
    for name, value in parts.items():
        print(f"    {name:40}{value:6.3f} ms")
    print(f"  ratio trivial / check-in (CPU)            {trivial / checkin:6.3f}")
    expect_landed(len(students))


# -- instructions, under callgrind ----------------------------------------------


def measure(args: argparse.Namespace) -> None:
    """One process's share of --callgrind: warm up, then serve the trivial view
    and the check-in POSTs between the markers callgrind was told of
    (os.getppid zeroes its counts, os.getpgrp writes them out)."""
    folder = Path(args.measure)
    setup(folder, folder / "bench.sqlite3")
    overrides.turn_off(names(args.without))
    saved = json.loads((folder.parent / "students.json").read_text())
    students = [wave.Student(**fields) for fields in saved]
    if len(students) < WARM_UP + args.posts:
        raise SystemExit(f"{len(students)} students, {WARM_UP + args.posts} needed")
    client = Client()
    for student in students[:WARM_UP]:
        client.trivial()
        client.post(student)
    posted = students[WARM_UP : WARM_UP + args.posts]
    os.getppid()
    for _ in range(args.trivial):
        client.trivial()
    os.getpgrp()
    os.getppid()
    for student in posted:
        client.post(student)
    os.getpgrp()
    client.expect_redirects(len(posted))
    expect_landed(WARM_UP + len(posted))


@dataclasses.dataclass
class Count:
    trivial: float
    post: float

    @property
    def ratio(self) -> float:
        return self.trivial / self.post


def counted(template: Path, without: list[str], args: argparse.Namespace) -> Count:
    """Instructions per trivial request and per check-in POST, in a process of
    their own on a copy of the college."""
    folder = Path(tempfile.mkdtemp(prefix="run-", dir=template.parent))
    shutil.copy(template, folder / "bench.sqlite3")
    out = folder / "callgrind.out"
    command = [
        "valgrind",
        "--tool=callgrind",
        f"--callgrind-out-file={out}",
        "--zero-before=os_getppid",
        "--dump-before=os_getpgrp",
        sys.executable,
        __file__,
        "--measure",
        str(folder),
        "--posts",
        str(args.posts),
        "--trivial",
        str(args.trivial),
        "--without",
        ",".join(without),
    ]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr[-3000:]}")

    def summary(dump: Path) -> int:
        for line in dump.read_text().splitlines():
            if line.startswith("summary:"):
                return int(line.split()[1])
        raise SystemExit(f"no summary in {dump}")

    count = Count(
        summary(out.with_name(f"{out.name}.1")) / args.trivial,
        summary(out.with_name(f"{out.name}.2")) / args.posts,
    )
    shutil.rmtree(folder)
    return count


def callgrind(args: argparse.Namespace) -> None:
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed")
    work = Path(tempfile.mkdtemp(prefix="shouwang-callgrind-"))
    template = work / "college.sqlite3"
    college = [sys.executable, __file__, "--build", str(work), "--people", str(args.people)]
    subprocess.run(college, check=True)  # noqa: S603
    keep = names(args.keep)
    print(
        f"{args.people} students; SQLite; Python {sys.version.split()[0]}; "
        f"instructions per request (callgrind), {args.trivial} trivial requests and "
        f"{args.posts} check-in POSTs a process"
    )
    line = "  {:<28}{:>12}{:>12}{:>8}{:>10}{:>9}"
    print(line.format("without", "trivial", "POST", "ratio", "POST Δ", "% POST"))

    def show(label: str, count: Count, base: Count | None) -> None:
        delta = share = ""
        if base is not None:
            delta = f"{count.post - base.post:+,.0f}"
            share = f"{(count.post - base.post) / base.post * 100:+.1f}"
        cells = (f"{count.trivial:,.0f}", f"{count.post:,.0f}", f"{count.ratio:.3f}")
        print(line.format(label, *cells, delta, share), flush=True)

    every = counted(template, [], args)
    show("(every override)", every, None)
    single: dict[str, Count] = {}
    for override in overrides.OVERRIDES:
        single[override.name] = counted(template, [override.name], args)
        show(override.name, single[override.name], every)
    # What each adds to the ratio; the least first.
    order = sorted(
        (name for name in single if name not in keep),
        key=lambda name: every.ratio - single[name].ratio,
    )
    print(f"taken away one more at a time, the least worth first, while the ratio ≥ {args.floor}")
    removed: list[str] = []
    last = every
    for name in order:
        count = counted(template, [*removed, name], args)
        show(f"+ {name}", count, last)
        if count.ratio < args.floor:
            print(f"  {name} stays: without it the ratio would be {count.ratio:.3f}")
            break
        removed.append(name)
        last = count
    print(f"removed: {', '.join(removed) or 'none'}; ratio {last.ratio:.3f}")
    shutil.rmtree(work)


def smoke_each_override() -> None:
    """Every override can be turned off and the check-in still lands: each in a
    process of its own, on a small college, without callgrind."""
    work = Path(tempfile.mkdtemp(prefix="shouwang-overrides-"))
    template = work / "college.sqlite3"
    build = [sys.executable, __file__, "--build", str(work), "--people", "80"]
    subprocess.run(build, check=True)  # noqa: S603
    for override in overrides.OVERRIDES:
        folder = work / override.name
        folder.mkdir()
        shutil.copy(template, folder / "bench.sqlite3")
        command = [sys.executable, __file__, "--measure", str(folder), "--posts", "40"]
        command += ["--trivial", "5", "--without", override.name]
        subprocess.run(command, check=True)  # noqa: S603
    shutil.rmtree(work)
    print(f"every override turned off in turn: {len(overrides.OVERRIDES)} runs, every POST landed")


def build(args: argparse.Namespace) -> None:
    work = Path(args.build)
    setup(work, work / "college.sqlite3")
    students = wave.build_college(args.people)
    (work / "students.json").write_text(json.dumps([dataclasses.asdict(s) for s in students]))
    from django.db import connections

    connections.close_all()  # the last connection closed writes the WAL into the file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=None)
    parser.add_argument("--smoke", action="store_true", help="600 people; checked")
    parser.add_argument("--without", default="", help="overrides to turn off, comma-separated")
    parser.add_argument("--callgrind", action="store_true", help="count instructions")
    parser.add_argument("--keep", default="", help="overrides --callgrind never takes away")
    parser.add_argument("--floor", type=float, default=0.25, help="the lowest ratio allowed")
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--trivial", type=int, default=500)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--build", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args)
    elif args.build:
        build(args)
    elif args.callgrind:
        args.people = args.people or WARM_UP + args.posts + 100
        callgrind(args)
    else:
        args.people = args.people or 6000
        timings(args)
        if args.smoke:
            smoke_each_override()


if __name__ == "__main__":
    main()
