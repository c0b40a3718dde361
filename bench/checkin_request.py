"""Benchmark: where one check-in request's CPU goes, in one process.

    .venv/bin/python bench/checkin_request.py [--people 6000] [--smoke]

Builds the morning wave's college (bench/morning_wave.py) on a throwaway SQLite
database in production mode, then drives Django's WSGI handler directly, with
no server and no network: the trivial view (/health/), the check-in POST
(session, CSRF, form, the durable write, the redirect), and the parts of the
POST one by one (session load, user and person, the incident covering the
person, the privacy acceptance, the form, the submission). Each figure is the
process CPU per call, the best of five batches (this machine's timings vary
from batch to batch). --smoke runs a small college and checks that every POST
was answered with the redirect and landed: CI runs it.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import morning_wave as wave  # noqa: E402

HOST = "127.0.0.1:8000"


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=6000)
    parser.add_argument("--smoke", action="store_true", help="600 people; checked")
    args = parser.parse_args()
    people = 600 if args.smoke else args.people
    var_dir = Path(tempfile.mkdtemp(prefix="shouwang-bench-"))
    # SQLite whatever the shell says: setup_django copies env over os.environ.
    os.environ.pop("DATABASE_URL", None)
    env = wave.server_env(var_dir)
    env["SQLITE_PATH"] = str(var_dir / "bench.sqlite3")
    wave.setup_django(env)
    students = wave.build_college(people)

    from django.contrib.auth import get_user
    from django.core.handlers.wsgi import WSGIHandler
    from django.http import HttpRequest
    from django.utils import translation

    from shouwang.accounts.sessions import SessionStore
    from shouwang.checkins.actions import submit_checkin
    from shouwang.checkins.forms import CheckInForm
    from shouwang.checkins.models import CheckIn
    from shouwang.checkins.privacy import has_accepted
    from shouwang.checkins.status import checkin_status
    from shouwang.incidents.access import current_incident_for

    handler = WSGIHandler()
    statuses: list[str] = []

    def call(env: dict[str, Any]) -> None:
        response = handler(env, lambda status, headers: statuses.append(status[:3]))
        b"".join(response)
        response.close()

    def post(student) -> None:
        fields = {
            "csrfmiddlewaretoken": student.csrf_token,
            "key": str(uuid.uuid4()),
            "same_as_yesterday": "",
            **wave.ANSWERS,
        }
        call(environ("POST", "/checkin/", wave.cookie_of(student), urlencode(fields).encode()))

    half = len(students) // 2
    posted, rest = students[:half], students[half:]
    trivial = best(range(max(500, half)), lambda _: call(environ("GET", "/health/")))
    checkin = best(posted, post)
    if any(status != "302" for status in statuses[-len(posted) :]):
        raise SystemExit(f"a check-in POST was not redirected: {set(statuses)}")

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
    print(f"  trivial view (/health/)                   {trivial:6.3f} ms")
    print(f"  check-in POST, whole                      {checkin:6.3f} ms")
    for name, value in parts.items():
        print(f"    {name:40}{value:6.3f} ms")
    print(f"  ratio trivial / check-in (CPU)            {trivial / checkin:6.3f}")
    landed = CheckIn.objects.count()
    if landed != len(students):
        raise SystemExit(f"{landed} check-ins landed, {len(students)} expected")


if __name__ == "__main__":
    main()
