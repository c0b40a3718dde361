"""The memory `manage.py run` holds on one machine, warm, with the demo college.

    .venv/bin/python bench/run_memory.py [--workers N] [--requests 200] [--rebuild]
    .venv/bin/python bench/run_memory.py --smoke

Builds the demo college in a SQLite file (kept in /tmp for the next run;
--rebuild makes it again), starts `manage.py run` with production settings in
its own process group, warms it with requests spread over the web workers (the
login page, /health/, and the pages of a few demo people), then sums the
proportional memory (PSS, from /proc/<pid>/smaps_rollup) of every process of
the group: shared pages are split between the processes that share them, so
the total is what the group costs the machine. The target is 700 MiB.

--smoke (CI) uses an empty migrated database, fewer requests and judges nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from _common import SECRET_KEY, loadavg

ROOT = Path(__file__).resolve().parent.parent

TARGET_MIB = 700
COUNSELLING_KEY = "YmVuY2gtY291bnNlbGxpbmcta2V5LW5vdC1zZWNyZXQ="  # noqa: S105
DEMO_PASSWORD = "shouwang2022"  # noqa: S105 - the demo's printed password
DEMO_START = "2022-04-16T09:30+08:00"  # the demo's now (scripts/demo.sh)


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def database(var_dir: Path, smoke: bool, rebuild: bool, env: dict[str, str]) -> Path:
    """A migrated SQLite file: empty for the smoke run, else the demo college."""
    path = var_dir / ("empty.sqlite3" if smoke else "demo.sqlite3")
    ready = var_dir / (path.name + ".ready")
    if rebuild or not ready.exists():
        build_env = {**env, "DEBUG": "1", "SQLITE_PATH": str(path)}
        started = time.monotonic()
        manage("migrate", "--noinput", "-v0", env=build_env)
        if not smoke:
            manage("demo_college", "--reset", env=build_env)
        ready.touch()
        print(f"  built {path} in {time.monotonic() - started:.0f} s")
    return path


def personas(path: Path, count: int) -> list[str]:
    """The login of one demo person of each of the first `count` roles."""
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT d.role, u.username FROM demo_demologin d "
            "JOIN accounts_user u ON u.id = d.user_id ORDER BY d.id"
        ).fetchall()
    seen: dict[str, str] = {}
    for role, username in rows:
        seen.setdefault(role, username)
    return list(seen.values())[:count]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """One person's cookies over plain HTTP (the production cookies are secure-only,
    which a bench on 127.0.0.1 ignores on purpose)."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}

    def request(self, path: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(self.base + path, data=data)  # noqa: S310
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        request.add_header("Referer", self.base + path)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.read().decode(errors="replace")

    def login(self, username: str) -> None:
        self.request("/accounts/login/")
        status, _ = self.request(
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": self.cookies.get("csrftoken", ""),
                "username": username,
                "password": DEMO_PASSWORD,
            },
        )
        if status != 302:
            raise SystemExit(f"{username} could not log in ({status})")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def warm(base: str, logins: list[str], requests: int) -> tuple[int, int]:
    """`requests` requests from eight clients at once, so that every web worker
    answers some; returns (requests made, server errors)."""
    paths: list[tuple[Browser, str]] = []
    anonymous = Browser(base)
    for username in logins:
        browser = Browser(base)
        browser.login(username)
        _, home = browser.request("/")
        links = sorted(set(re.findall(r'href="(/[^"#?]*)"', home)) - {"/accounts/logout/"})
        paths += [(browser, "/")] + [(browser, link) for link in links[:6]]
    paths += [(anonymous, "/accounts/login/"), (anonymous, "/health/")]
    work = [paths[i % len(paths)] for i in range(requests)]
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda bp: bp[0].request(bp[1])[0], work))
    return len(statuses), sum(status >= 500 for status in statuses)


def group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            pids.append(int(entry.name))
    return sorted(pids)


def pss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    raise RuntimeError(f"no Pss for {pid}")


def command_line(pid: int) -> str:
    argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    words = [w.decode() for w in argv if w]
    return " ".join(Path(words[0]).name if i == 0 else w for i, w in enumerate(words))[:90]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="CI: empty database, no judgement")
    parser.add_argument("--workers", type=int, help="web workers (default: run's own default)")
    parser.add_argument("--requests", type=int, help="warm-up requests (200; 40 with --smoke)")
    parser.add_argument("--rebuild", action="store_true", help="build the demo college again")
    args = parser.parse_args()
    requests = args.requests or (40 if args.smoke else 200)

    var_dir = Path(tempfile.gettempdir()) / f"shouwang-run-memory-{os.getuid()}"
    var_dir.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        {
            "VAR_DIR": str(var_dir),
            "LOG_LEVEL": "WARNING",
            "TASKS_BACKEND": "database",
            "SHOUWANG_DEMO_START": DEMO_START,
            "SHOUWANG_DEMO_EPOCH": str(int(time.time())),
        }
    )
    path = database(var_dir, args.smoke, args.rebuild, env)
    logins = [] if args.smoke else personas(path, 4)
    env.update(
        {
            "SQLITE_PATH": str(path),
            "DEBUG": "0",
            "SECRET_KEY": SECRET_KEY,
            "COUNSELLING_KEY": COUNSELLING_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
        }
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (var_dir / "server.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "run", f"127.0.0.1:{port}"]
        + (["--workers", str(args.workers)] if args.workers else []),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        started = time.monotonic()
        while not up(base):
            if server.poll() is not None or time.monotonic() - started > 120:
                raise SystemExit(f"the server did not come up: see {log.name}")
            time.sleep(0.5)
        made, errors = warm(base, logins, requests)
        time.sleep(2)  # the task worker and the scheduler settle after their first minute's work
        pids = group_pids(server.pid)
        sizes = {pid: pss_kib(pid) for pid in pids}
        names = {pid: command_line(pid) for pid in pids}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    total = sum(sizes.values()) / 1024
    print(f"manage.py run, warm: {made} requests ({errors} server errors), load {loadavg()}")
    for pid, kib in sizes.items():
        print(f"  {kib / 1024:7.1f} MiB  {pid:>7}  {names[pid]}")
    print(f"  {total:7.1f} MiB  in all, {len(sizes)} processes (PSS; target {TARGET_MIB} MiB)")
    if errors:
        raise SystemExit("server errors while warming")
    if not args.smoke and total > TARGET_MIB:
        raise SystemExit(f"over the target: {total:.0f} MiB > {TARGET_MIB} MiB")


def up(base: str) -> bool:
    try:
        urllib.request.urlopen(base + "/health/", timeout=5).close()  # noqa: S310
    except OSError:
        return False
    return True


if __name__ == "__main__":
    main()
